using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Bastion.Audit;

namespace Bastion.Tests.Audit;

/// <summary>Which fields of an entry are sealed under whose key, and what a reader sees with and without the key.</summary>
public sealed class AuditPersonalFieldsTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid Admin = Guid.NewGuid();
    private static readonly Guid Subject = Guid.NewGuid();
    private static readonly byte[] AdminKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] SubjectKey = RandomNumberGenerator.GetBytes(32);

    private static AuditRecord AdminChangesSubject() => AuditEntryBuilder.Build(new AuditEvent(AuditEventTypes.DataModification)
    {
        UserId = Admin,
        IpAddress = "203.0.113.7",
        UserAgent = "Mozilla/5.0",
        EntityType = "user",
        EntityId = Subject.ToString(),
        Changes = new Dictionary<string, (object? Old, object? New)> { ["fullName"] = ("Ada Lovelace", "Ada King"), ["roles"] = ("viewer", "operator") },
        Details = new JsonObject { ["attemptedEmail"] = "ada@example.com", ["mailed"] = true },
    }, Now);

    [Theory]
    [InlineData("email", true)]
    [InlineData("attemptedEmail", true)]
    [InlineData("newEmail", true)]
    [InlineData("fullName", true)]
    [InlineData("ip_address", true)]
    [InlineData("userAgent", true)]
    [InlineData("department", true)]
    [InlineData("roles", false)]
    [InlineData("reason", false)]
    [InlineData("status", false)]
    public void IsPersonalName_ByWord(string name, bool personal) => Assert.Equal(personal, AuditPersonalFields.IsPersonalName(name));

    [Fact]
    public void Seal_ClientFieldsUnderTheActor_DataUnderTheSubject_AndOpenGivesThemBack()
    {
        var record = AdminChangesSubject();

        var stored = AuditPersonalFields.Seal(record, new Dictionary<Guid, byte[]?> { [Admin] = AdminKey, [Subject] = SubjectKey });

        Assert.Equal(Admin, AuditFieldCipher.OwnerOf(stored.IpAddress!));
        Assert.Equal(Admin, AuditFieldCipher.OwnerOf(stored.UserAgent!));
        Assert.DoesNotContain("Ada", stored.ChangesJson, StringComparison.Ordinal);
        Assert.DoesNotContain("ada@example.com", stored.DetailsJson, StringComparison.Ordinal);
        Assert.Contains("operator", stored.ChangesJson, StringComparison.Ordinal);
        Assert.Equal(new[] { Admin, Subject }.Order(), AuditPersonalFields.SealedOwners(stored).Order());
        var opened = AuditPersonalFields.Open(stored, id => id == Admin ? AdminKey : id == Subject ? SubjectKey : null);
        Assert.Equal(record.IpAddress, opened.IpAddress);
        Assert.Equal(record.UserAgent, opened.UserAgent);
        Assert.Equal(JsonNode.Parse(record.ChangesJson!)!.ToJsonString(), opened.ChangesJson);
        Assert.Equal(JsonNode.Parse(record.DetailsJson!)!.ToJsonString(), opened.DetailsJson);
    }

    [Fact]
    public void Open_WithoutTheSubjectsKey_ShowsErasedForTheSubjectOnly()
    {
        var stored = AuditPersonalFields.Seal(AdminChangesSubject(), new Dictionary<Guid, byte[]?> { [Admin] = AdminKey, [Subject] = SubjectKey });

        var opened = AuditPersonalFields.Open(stored, id => id == Admin ? AdminKey : null);

        Assert.Equal("203.0.113.7", opened.IpAddress);
        var changes = JsonNode.Parse(opened.ChangesJson!)!;
        Assert.Equal(AuditFieldCipher.Erased, (string?)changes["fullName"]!["new"]);
        Assert.Equal("operator", (string?)changes["roles"]!["new"]);
        Assert.Equal(AuditFieldCipher.Erased, (string?)JsonNode.Parse(opened.DetailsJson!)!["attemptedEmail"]);
    }

    [Fact]
    public void Seal_ForAShreddedOwner_StoresErased_NotAFreshCiphertext()
    {
        var stored = AuditPersonalFields.Seal(AdminChangesSubject(), new Dictionary<Guid, byte[]?> { [Admin] = AdminKey, [Subject] = null });

        Assert.Equal(AuditFieldCipher.Erased, (string?)JsonNode.Parse(stored.ChangesJson!)!["fullName"]!["old"]);
        Assert.Equal(AuditFieldCipher.Erased, (string?)JsonNode.Parse(stored.DetailsJson!)!["attemptedEmail"]);
        Assert.True(AuditFieldCipher.IsSealed(stored.IpAddress));
    }

    [Fact]
    public void Open_AValueMovedToAnotherColumnOrOwner_IsUnreadable()
    {
        var sealedAddress = AuditFieldCipher.Seal("203.0.113.7", Subject, SubjectKey, AuditPersonalFields.IpAddressColumn);
        var otherOwner = sealedAddress.Replace(Subject.ToString("N"), Admin.ToString("N"), StringComparison.Ordinal);

        Assert.Equal("203.0.113.7", AuditFieldCipher.Open(sealedAddress, _ => SubjectKey, AuditPersonalFields.IpAddressColumn));
        Assert.Equal(AuditFieldCipher.Unreadable, AuditFieldCipher.Open(sealedAddress, _ => SubjectKey, AuditPersonalFields.UserAgentColumn));
        Assert.Equal(AuditFieldCipher.Unreadable, AuditFieldCipher.Open(otherOwner, _ => SubjectKey, AuditPersonalFields.IpAddressColumn));
    }

    [Fact]
    public void Seal_AnEntryWithoutAUser_LeavesItAsGiven()
    {
        var record = AuditEntryBuilder.Build(new AuditEvent(AuditEventTypes.LoginFailure) { IpAddress = "198.51.100.1" }, Now);

        Assert.Equal(record, AuditPersonalFields.Seal(record, new Dictionary<Guid, byte[]?>()));
    }
}
