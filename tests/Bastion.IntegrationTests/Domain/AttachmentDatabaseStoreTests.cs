namespace Bastion.IntegrationTests.Domain;

public sealed class AttachmentDatabaseStoreTests : AttachmentStoreContract
{
    private protected override IDictionary<string, string?> StoreSettings => new Dictionary<string, string?> { ["Bastion:Uploads:Store"] = "Database" };
}
