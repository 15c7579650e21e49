using System.Net;
using System.Security.Cryptography;
using Bastion.IntegrationTests.Domain;
using Bastion.Tests.Uploads;

namespace Bastion.IntegrationTests.Hosting;

/// <summary>Two nodes on one PostgreSQL and one Redis, each with its own data directory, share every attachment.</summary>
public sealed class MultiNodeAttachmentTests
{
    [ProductionStorageFact]
    public async Task AttachmentUploadedThroughOneNode_DownloadsByteIdenticalThroughTheOther()
    {
        await using var storage = await TestStorage.CreateAsync();
        var directoryA = Path.Combine(storage.Directory, "node-a");
        var directoryB = Path.Combine(storage.Directory, "node-b");
        await using var nodeA = await TestHost.StartAsync(NodeSettings(directoryA), storage);
        await using var nodeB = await TestHost.StartAsync(NodeSettings(directoryB), storage);
        using var actors = await Actors.CreateAsync(nodeA);
        var (onA, _, _) = await actors.UserAsync("operator");
        var id = await EquipmentTests.CreateAsync(onA, "MULTI-1");
        var pdf = SampleFiles.Pdf(RandomNumberGenerator.GetBytes(512 * 1024));

        var created = await TestClient.ExpectAsync(await EquipmentFilesTests.UploadAsync(onA, id, "report.pdf", pdf), HttpStatusCode.Created);
        using var onB = nodeB.CreateClient();
        onB.Http.DefaultRequestHeaders.Authorization = onA.Http.DefaultRequestHeaders.Authorization;
        var download = await onB.Http.GetAsync($"/api/equipment/{id}/attachments/{created.GetProperty("id").GetGuid()}");

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());

        // The bytes came from the database: neither node kept a file outside its temporary directory.
        Assert.Empty(StoredFiles(directoryA));
        Assert.Empty(StoredFiles(directoryB));
    }

    private static Dictionary<string, string?> NodeSettings(string dataDirectory)
        => new(Actors.BootstrapSettings) { ["Bastion:DataDirectory"] = dataDirectory };

    private static IEnumerable<string> StoredFiles(string dataDirectory)
    {
        var uploads = Path.Combine(dataDirectory, "uploads");
        return Directory.Exists(uploads)
            ? Directory.EnumerateFiles(uploads, "*", SearchOption.AllDirectories).Where(f => !f.StartsWith(Path.Combine(uploads, "tmp"), StringComparison.Ordinal))
            : [];
    }
}
