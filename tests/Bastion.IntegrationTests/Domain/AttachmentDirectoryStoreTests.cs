namespace Bastion.IntegrationTests.Domain;

/// <summary>The directory store; in the PostgreSQL + Redis pass declared shared, as a network file system would be.</summary>
public sealed class AttachmentDirectoryStoreTests : AttachmentStoreContract
{
    private protected override IDictionary<string, string?> StoreSettings => new Dictionary<string, string?>
    {
        ["Bastion:Uploads:Store"] = "Directory",
        ["Bastion:Uploads:SharedDirectory"] = "true",
    };
}
