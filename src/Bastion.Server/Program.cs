using Bastion.Audit;
using Bastion.Server;

// `audit verify` checks the audit log's hash chain against the configured database and exits 0 when intact.
if (args is ["audit", "verify", ..])
{
    await using var tool = BastionServer.Create(args[2..]);
    return await AuditChainVerifier.RunVerifyCommandAsync(tool.Services, Console.Out);
}

var app = BastionServer.Create(args);
await app.RunAsync();
return 0;
