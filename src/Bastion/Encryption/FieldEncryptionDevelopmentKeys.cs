using Bastion.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Encryption;

/// <summary>
/// In Development, when <c>Bastion:Encryption</c> is left empty, fills it with keys derived from the master key
/// (HKDF, RFC 5869), so <c>dotnet run</c> works without setup and values stay readable across restarts. Any other
/// environment must configure keys explicitly (the validator refuses to start otherwise).
/// </summary>
internal sealed class FieldEncryptionDevelopmentKeys(IHostEnvironment environment, IServiceProvider services) : IPostConfigureOptions<FieldEncryptionOptions>
{
    public void PostConfigure(string? name, FieldEncryptionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!environment.IsDevelopment() || !options.IsUnset)
        {
            return;
        }

        // Resolved here rather than injected, so that a node with explicit keys never touches the master key.
        var masterKey = services.GetRequiredService<MasterKey>();
        options.Keys["1"] = Convert.ToBase64String(masterKey.Derive("field-encryption-v1"));
        options.CurrentVersion = 1;
        options.BlindIndexKey = Convert.ToBase64String(masterKey.Derive("blind-index"));
    }
}
