using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using System.Text;
using Bastion.Server.Domain;
using Bastion.Tests.Uploads;
using Microsoft.EntityFrameworkCore;

namespace Bastion.IntegrationTests.Domain;

public sealed class EquipmentFilesTests : HostWithActors
{
    private protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Bastion:Uploads:MaxBytes"] = "65536" };

    [Fact]
    public async Task Attachment_UploadListDownload_ServesItAsADownloadOfItsRealType()
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        var id = await EquipmentTests.CreateAsync(client, "ATT-1");
        var png = SampleFiles.Png();

        var created = await TestClient.ExpectAsync(await UploadAsync(client, id, "../../etc/passwd photo.PNG", png), HttpStatusCode.Created);
        var fileName = created.GetProperty("fileName").GetString()!;
        Assert.DoesNotContain('/', fileName);
        Assert.DoesNotContain("..", fileName, StringComparison.Ordinal);
        Assert.EndsWith(".png", fileName, StringComparison.Ordinal);

        var list = await TestClient.ExpectAsync(await client.Http.GetAsync($"/api/equipment/{id}/attachments"), HttpStatusCode.OK);
        var attachmentId = list[0].GetProperty("id").GetGuid();
        var download = await client.Http.GetAsync($"/api/equipment/{id}/attachments/{attachmentId}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", download.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(png, await download.Content.ReadAsByteArrayAsync());
        await AssertNothingUnderWebRootAsync();
    }

    public static TheoryData<string, byte[], HttpStatusCode, string> Hostile() => new()
    {
        { "invoice.pdf", SampleFiles.WindowsExecutable(), HttpStatusCode.UnsupportedMediaType, "file_content_mismatch" },
        { "photo.png", SampleFiles.LinuxExecutable(), HttpStatusCode.UnsupportedMediaType, "file_content_mismatch" },
        { "invoice.pdf.exe", SampleFiles.Pdf(), HttpStatusCode.UnsupportedMediaType, "file_type_not_allowed" },
        { "script.html", Encoding.ASCII.GetBytes("<html></html>"), HttpStatusCode.UnsupportedMediaType, "file_type_not_allowed" },
        { "polyglot.png", SampleFiles.Concat(SampleFiles.Png(), SampleFiles.Zip([("a.txt", "x")])), HttpStatusCode.UnsupportedMediaType, "file_content_mismatch" },
        { "data.csv", Encoding.ASCII.GetBytes("<script>alert(1)</script>\n"), HttpStatusCode.UnsupportedMediaType, "file_content_mismatch" },
        { "empty.pdf", [], HttpStatusCode.BadRequest, "file_empty" },
        { "huge.pdf", SampleFiles.Pdf(new byte[70_000]), HttpStatusCode.RequestEntityTooLarge, "file_too_large" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Attachment_Hostile_IsRefusedAndNothingIsStored(string name, byte[] content, HttpStatusCode status, string code)
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        var id = await EquipmentTests.CreateAsync(client, "HOST-1");

        var response = await UploadAsync(client, id, name, content);

        Assert.Equal(status, response.StatusCode);
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            await TestClient.ExpectProblemAsync(response, status, code);
        }

        await using var scope = Host.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<DomainDbContext>().Attachments.AnyAsync(a => a.EquipmentId == id));
    }

    [Fact]
    public async Task Attachment_ByAViewerOrOnInvisibleEquipment_IsRefused()
    {
        var (owner, _, _) = await Actors.UserAsync("operator");
        var id = await EquipmentTests.CreateAsync(owner, "ATT-2");
        var (viewer, _, _) = await Actors.UserAsync("viewer");

        await TestClient.ExpectProblemAsync(await UploadAsync(viewer, id, "a.png", SampleFiles.Png()), HttpStatusCode.Forbidden, "forbidden");
        await TestClient.ExpectProblemAsync(await UploadAsync(owner, Guid.NewGuid(), "a.png", SampleFiles.Png()), HttpStatusCode.NotFound, "not_found");
        await TestClient.ExpectProblemAsync(await owner.Http.GetAsync($"/api/equipment/{id}/attachments/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Import_ValidFile_CreatesEveryRow()
    {
        var (client, _, _) = await Actors.UserAsync("operator", "Engineering");
        var csv = "name,serialNumber,cost,description,notes\r\nDrill,IMP-1,10.50,Cordless,\r\n\"Saw, circular\",IMP-2,99,\"Line one\nline two\",Keep dry\r\n";

        var result = await TestClient.ExpectAsync(await client.Http.PostAsync("/api/equipment/import", Csv(csv)), HttpStatusCode.OK);

        Assert.Equal(2, result.GetProperty("imported").GetInt32());
        var found = await TestClient.ExpectAsync(await client.Http.GetAsync("/api/equipment?serialNumber=IMP-2"), HttpStatusCode.OK);
        Assert.Equal("Saw, circular", found.GetProperty("items")[0].GetProperty("name").GetString());
        Assert.Equal("Engineering", found.GetProperty("items")[0].GetProperty("department").GetString());
    }

    [Fact]
    public async Task Import_WithOneBadLine_ReportsLineAndFieldAndImportsNothing()
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        var csv = "name,serialNumber,cost\nDrill,BAD-1,10\nSaw,bad serial,10\nPlane,BAD-3,-1\n";

        var problem = await TestClient.ExpectProblemAsync(await client.Http.PostAsync("/api/equipment/import", Csv(csv)), HttpStatusCode.BadRequest, "validation_failed");

        var lines = problem.GetProperty("lines").EnumerateArray().Select(l => (l.GetProperty("line").GetInt32(), l.GetProperty("field").GetString())).ToList();
        Assert.Contains((3, "serialNumber"), lines);
        Assert.Contains((4, "cost"), lines);
        var none = await TestClient.ExpectAsync(await client.Http.GetAsync("/api/equipment?serialNumber=BAD-1"), HttpStatusCode.OK);
        Assert.Equal(0, none.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("name,serialNumber,cost,ownerId\nDrill,X-1,1,00000000-0000-0000-0000-000000000001\n")]
    [InlineData("name,cost\nDrill,1\n")]
    [InlineData("name,serialNumber,cost\n\"Drill,X-1,1\n")]
    public async Task Import_WithUnknownMissingOrMalformedColumns_IsRefused(string csv)
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        await TestClient.ExpectProblemAsync(await client.Http.PostAsync("/api/equipment/import", Csv(csv)), HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Import_AsAViewerOrAsJson_IsRefused()
    {
        var (viewer, _, _) = await Actors.UserAsync("viewer");
        var (client, _, _) = await Actors.UserAsync("operator");
        await TestClient.ExpectProblemAsync(await viewer.Http.PostAsync("/api/equipment/import", Csv("name,serialNumber,cost\nA,B-1,1\n")), HttpStatusCode.Forbidden, "forbidden");
        await TestClient.ExpectProblemAsync(await client.PostRawJsonAsync("/api/equipment/import", "{}"), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task Export_NeutralisesFormulasAndKeepsNumbers()
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        await TestClient.ExpectAsync(await client.Http.PostAsJsonAsync("/api/equipment",
            new { name = "=1+2", serialNumber = "EXP-1", cost = 12.5m, description = "@SUM(A1:A9)", notes = "-2+3" }), HttpStatusCode.Created);

        var response = await client.Http.GetAsync("/api/equipment/export");
        var csv = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'=1+2", csv, StringComparison.Ordinal);
        Assert.Contains("'@SUM(A1:A9)", csv, StringComparison.Ordinal);
        Assert.Contains("'-2+3", csv, StringComparison.Ordinal);
        Assert.Contains(",12.5,", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",=1+2", csv, StringComparison.Ordinal);
    }

    private async Task AssertNothingUnderWebRootAsync()
    {
        var webRoot = Host.Services.GetRequiredService<IWebHostEnvironment>().WebRootPath;
        await Task.CompletedTask;
        if (webRoot is not null && Directory.Exists(webRoot))
        {
            Assert.DoesNotContain(Directory.EnumerateFiles(webRoot, "*", SearchOption.AllDirectories), f => !f.EndsWith(".css", StringComparison.Ordinal));
        }
    }

    internal static Task<HttpResponseMessage> UploadAsync(TestClient client, Guid id, string fileName, byte[] content)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return client.Http.PostAsync($"/api/equipment/{id}/attachments", form);
    }

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");
}
