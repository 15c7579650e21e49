using System.Net;
using System.Security.Cryptography;
using Bastion.Server.Domain;
using Bastion.Tests.Uploads;
using Bastion.Uploads;
using Microsoft.EntityFrameworkCore;

namespace Bastion.IntegrationTests.Domain;

/// <summary>Attachments through each upload store, on the database of the pass (SQLite, or PostgreSQL + Redis).</summary>
public abstract class AttachmentStoreContract : HostWithActors
{
    private protected abstract IDictionary<string, string?> StoreSettings { get; }

    private protected override IDictionary<string, string?> Settings => StoreSettings;

    [Fact]
    public async Task Attachment_UploadedAndDownloaded_IsByteIdenticalWithItsHeaders()
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        var id = await EquipmentTests.CreateAsync(client, "STO-1");
        var pdf = SampleFiles.Pdf(RandomNumberGenerator.GetBytes(1024 * 1024));

        var created = await TestClient.ExpectAsync(await EquipmentFilesTests.UploadAsync(client, id, "manual.pdf", pdf), HttpStatusCode.Created);
        var download = await client.Http.GetAsync($"/api/equipment/{id}/attachments/{created.GetProperty("id").GetGuid()}");

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Contains("sandbox", download.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Attachment_Deleted_IsGoneWithItsStoredFile()
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        var id = await EquipmentTests.CreateAsync(client, "STO-2");
        var attachmentId = await UploadPngAsync(client, id);
        var key = await StorageKeyAsync(attachmentId);

        await TestClient.ExpectAsync(await client.Http.DeleteAsync($"/api/equipment/{id}/attachments/{attachmentId}"), HttpStatusCode.NoContent);

        await TestClient.ExpectProblemAsync(await client.Http.GetAsync($"/api/equipment/{id}/attachments/{attachmentId}"), HttpStatusCode.NotFound, "not_found");
        Assert.False(await StoredAsync(key));
    }

    [Fact]
    public async Task Attachment_DeletedByAViewer_IsRefusedAndKept()
    {
        var (owner, _, _) = await Actors.UserAsync("operator");
        var id = await EquipmentTests.CreateAsync(owner, "STO-3");
        var attachmentId = await UploadPngAsync(owner, id);
        var (viewer, _, _) = await Actors.UserAsync("viewer");

        await TestClient.ExpectProblemAsync(await viewer.Http.DeleteAsync($"/api/equipment/{id}/attachments/{attachmentId}"), HttpStatusCode.Forbidden, "forbidden");

        Assert.True(await StoredAsync(await StorageKeyAsync(attachmentId)));
    }

    [Fact]
    public async Task Equipment_Deleted_TakesItsAttachmentsAndTheirFilesWithIt()
    {
        var (client, _, _) = await Actors.UserAsync("operator", "Engineering");
        var id = await EquipmentTests.CreateAsync(client, "STO-4");
        var keys = new List<string> { await StorageKeyAsync(await UploadPngAsync(client, id)), await StorageKeyAsync(await UploadPngAsync(client, id)) };
        var (manager, _, _) = await Actors.UserAsync("manager", "Engineering");

        await TestClient.ExpectAsync(await manager.Http.DeleteAsync($"/api/equipment/{id}"), HttpStatusCode.NoContent);

        await using var scope = Host.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<DomainDbContext>().Attachments.AnyAsync(a => a.EquipmentId == id));
        foreach (var key in keys)
        {
            Assert.False(await StoredAsync(key));
        }
    }

    [Theory]
    [InlineData("../../../../etc/passwd")]
    [InlineData("2025/03/0123456789abcdef0123456789abcdef/../../../bastion.db")]
    [InlineData("2025/03/0123456789abcdef0123456789abcdef")]
    public async Task Attachment_WhoseKeyHasTheWrongShapeOrNoFile_IsNotFound(string key)
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        var id = await EquipmentTests.CreateAsync(client, "STO-5");
        var attachmentId = await UploadPngAsync(client, id);
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DomainDbContext>().Attachments.Where(a => a.Id == attachmentId)
                .ExecuteUpdateAsync(set => set.SetProperty(a => a.StorageKey, key));
        }

        await TestClient.ExpectProblemAsync(await client.Http.GetAsync($"/api/equipment/{id}/attachments/{attachmentId}"), HttpStatusCode.NotFound, "not_found");
    }

    private static async Task<Guid> UploadPngAsync(TestClient client, Guid id)
        => (await TestClient.ExpectAsync(await EquipmentFilesTests.UploadAsync(client, id, "photo.png", SampleFiles.Png()), HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private async Task<string> StorageKeyAsync(Guid attachmentId)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DomainDbContext>().Attachments.Where(a => a.Id == attachmentId).Select(a => a.StorageKey).SingleAsync();
    }

    private async Task<bool> StoredAsync(string key)
    {
        await using var stored = await Host.Services.GetRequiredService<UploadStore>().OpenReadAsync(key, CancellationToken.None);
        return stored is not null;
    }
}
