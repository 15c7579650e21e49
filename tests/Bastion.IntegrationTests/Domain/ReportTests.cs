using System.Net;

namespace Bastion.IntegrationTests.Domain;

public sealed class ReportTests : HostWithActors
{
    [Fact]
    public async Task Report_CreateReadUpdateDelete_FollowsThePermissionModel()
    {
        var (author, authorId, _) = await Actors.UserAsync("operator", "Engineering");
        var (colleague, _, _) = await Actors.UserAsync("operator", "Engineering");
        var (manager, _, _) = await Actors.UserAsync("manager", "Engineering");
        var body = new { documentTitle = "Quarterly safety review", documentReference = "DOC-2024-0042", projectReference = "PRJ-17", clientName = "Smith & Sons Ltd." };

        var created = await TestClient.ExpectAsync(await author.Http.PostAsJsonAsync("/api/reports", body), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(authorId, created.GetProperty("ownerId").GetGuid());

        await TestClient.ExpectAsync(await colleague.Http.GetAsync($"/api/reports/{id}"), HttpStatusCode.OK);
        await TestClient.ExpectProblemAsync(await colleague.Http.PutAsJsonAsync($"/api/reports/{id}", body), HttpStatusCode.Forbidden, "forbidden");
        await TestClient.ExpectAsync(await author.Http.PutAsJsonAsync($"/api/reports/{id}", body with { documentTitle = "Revised" }), HttpStatusCode.OK);
        await TestClient.ExpectProblemAsync(await author.Http.DeleteAsync($"/api/reports/{id}"), HttpStatusCode.Forbidden, "forbidden");
        await TestClient.ExpectAsync(await manager.Http.DeleteAsync($"/api/reports/{id}"), HttpStatusCode.NoContent);
        await TestClient.ExpectProblemAsync(await author.Http.GetAsync($"/api/reports/{id}"), HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("", "DOC-1", "PRJ-1", "Acme", "documentTitle")]
    [InlineData("<script>alert(1)</script>", "DOC-1", "PRJ-1", "Acme", "documentTitle")]
    [InlineData("Title", "doc-1", "PRJ-1", "Acme", "documentReference")]
    [InlineData("Title", "DOC--1", "PRJ-1", "Acme", "documentReference")]
    [InlineData("Title", "D1", "PRJ-1", "Acme", "documentReference")]
    [InlineData("Title", "DOC-1", "PRJ17", "Acme", "projectReference")]
    [InlineData("Title", "DOC-1", "prj-17", "Acme", "projectReference")]
    [InlineData("Title", "DOC-1", "PRJ-1", "A", "clientName")]
    [InlineData("Title", "DOC-1", "PRJ-1", "Acme\"; DROP TABLE reports;--", "clientName")]
    public async Task Report_WithInvalidField_NamesIt(string title, string document, string project, string client, string field)
    {
        var (author, _, _) = await Actors.UserAsync("operator");

        var problem = await TestClient.ExpectProblemAsync(await author.Http.PostAsJsonAsync("/api/reports",
            new { documentTitle = title, documentReference = document, projectReference = project, clientName = client }), HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task Report_WithOwnerInTheBody_IsRefused()
    {
        var (author, _, _) = await Actors.UserAsync("operator");
        await TestClient.ExpectProblemAsync(await author.Http.PostAsJsonAsync("/api/reports",
            new { documentTitle = "T", documentReference = "DOC-1", projectReference = "PRJ-1", clientName = "Acme", ownerId = Guid.NewGuid() }), HttpStatusCode.BadRequest, "unknown_field");
    }
}
