using Bastion.Audit;
using Bastion.Encryption;
using Bastion.Server;

// `audit verify` checks the audit log's hash chain against the configured database and exits 0 when intact.
if (args is ["audit", "verify", ..])
{
    await using var tool = BastionServer.Create(args[2..]);
    return await AuditChainVerifier.RunVerifyCommandAsync(tool.Services, Console.Out);
}

// `encryption status` reports the key versions in use per column; `encryption reencrypt` moves every value to the current keys.
if (args is ["encryption", "status" or "reencrypt", ..])
{
    await using var tool = BastionServer.Create(args[2..]);
    return args[1] == "status"
        ? await EncryptionCommands.RunStatusCommandAsync(tool.Services, Console.Out)
        : await EncryptionCommands.RunReEncryptCommandAsync(tool.Services, Console.Out);
}

var app = BastionServer.Create(args);
await app.RunAsync();
return 0;
