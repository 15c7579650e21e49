using System.Text.Json.Nodes;
using Bastion.Audit;

namespace Bastion.Tests.Audit;

/// <summary>What is stored for an event: secrets redacted, attacker-supplied text made harmless, sizes bounded.</summary>
public sealed class AuditEntryBuilderTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 8, 0, 0, 123, TimeSpan.Zero);

    [Theory]
    [InlineData("password")]
    [InlineData("newPassword")]
    [InlineData("current_password")]
    [InlineData("passwordHash")]
    [InlineData("refresh_token")]
    [InlineData("accessToken")]
    [InlineData("mfaSecret")]
    [InlineData("totp")]
    [InlineData("recoveryCodes")]
    [InlineData("code")]
    [InlineData("apiKey")]
    [InlineData("APIKey")]
    [InlineData("x-api-key")]
    [InlineData("otpauth_uri")]
    [InlineData("Authorization")]
    [InlineData("newpassword")]
    [InlineData("clientsecret")]
    public void IsSecretName_CredentialNames_AreSecret(string name) => Assert.True(AuditRedaction.IsSecretName(name));

    [Theory]
    [InlineData("email")]
    [InlineData("fullName")]
    [InlineData("roles")]
    [InlineData("department")]
    [InlineData("cost")]
    [InlineData("status")]
    [InlineData("keyboard")]
    [InlineData("reason")]
    public void IsSecretName_OrdinaryNames_AreNotSecret(string name) => Assert.False(AuditRedaction.IsSecretName(name));

    [Fact]
    public void Build_SecretChanges_KeepTheFieldButRedactBothValues()
    {
        var record = Build(new AuditEvent(AuditEventTypes.PasswordChanged)
        {
            Changes = new Dictionary<string, (object?, object?)>
            {
                ["passwordHash"] = ("$argon2id$old", "$argon2id$new"),
                ["fullName"] = ("Ann", "Anna"),
                ["profile"] = (null, new { Email = "a@example.com", ApiKey = "k-123" }),
            },
        });

        Assert.Equal(
            """{"fullName":{"old":"Ann","new":"Anna"},"passwordHash":{"old":"[redacted]","new":"[redacted]"},"profile":{"old":null,"new":{"email":"a@example.com","apiKey":"[redacted]"}}}""",
            record.ChangesJson);
    }

    [Fact]
    public void Build_SecretDetailsAtAnyDepth_AreRedacted()
    {
        var record = Build(new AuditEvent(AuditEventTypes.LoginFailure)
        {
            Details = new JsonObject
            {
                ["email"] = "a@example.com",
                ["password"] = "hunter2",
                ["mfa"] = new JsonObject { ["method"] = "totp", ["code"] = "123456" },
                ["attempts"] = new JsonArray(new JsonObject { ["token"] = "abc" }, 3),
                ["header"] = "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
            },
        });

        Assert.Equal(
            """{"email":"a@example.com","password":"[redacted]","mfa":{"method":"totp","code":"[redacted]"},"attempts":[{"token":"[redacted]"},3],"header":"[redacted]"}""",
            record.DetailsJson);
        Assert.DoesNotContain("hunter2", record.DetailsJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_DoesNotChangeTheCallersDetails()
    {
        var details = new JsonObject { ["token"] = "abc" };

        Build(new AuditEvent(AuditEventTypes.TokenRevoked) { Details = details });

        Assert.Equal("abc", (string?)details["token"]);
    }

    [Fact]
    public void Build_SecretQueryParametersInTheResource_AreRedacted()
    {
        var record = Build(new AuditEvent(AuditEventTypes.PasswordReset) { Resource = "/reset-password?token=s3cr3t&lang=en&Code=9" });

        Assert.Equal("/reset-password?token=[redacted]&lang=en&Code=[redacted]", record.Resource);
    }

    [Fact]
    public void Build_ControlCharacters_AreReplacedSoNoEntryCanForgeALineBreak()
    {
        var record = Build(new AuditEvent(AuditEventTypes.LoginFailure) { UserAgent = "x\r\n2025-01-01 login_success admin\0" });

        Assert.Equal("x\uFFFD\uFFFD2025-01-01 login_success admin\uFFFD", record.UserAgent);
    }

    [Fact]
    public void Build_LongAttackerText_IsCut()
    {
        var record = Build(new AuditEvent(AuditEventTypes.DataAccess)
        {
            UserAgent = new string('a', 10_000),
            Details = new JsonObject { ["q"] = new string('b', 5000) },
        });

        Assert.Equal(512, record.UserAgent!.Length);
        Assert.EndsWith("…", record.UserAgent, StringComparison.Ordinal);
        Assert.Equal(AuditEntryBuilder.MaxJsonStringLength, ((string?)JsonNode.Parse(record.DetailsJson!)!["q"])!.Length);
    }

    [Fact]
    public void Build_OversizedDetails_AreRefused()
    {
        var details = new JsonObject();
        for (var i = 0; i < 100; i++)
        {
            details[$"field{i}"] = new string('x', 500);
        }

        Assert.Throws<ArgumentException>(() => Build(new AuditEvent(AuditEventTypes.DataAccess) { Details = details }));
    }

    [Theory]
    [InlineData("Login")]
    [InlineData("login success")]
    [InlineData("login__success")]
    [InlineData("_login")]
    [InlineData("")]
    public void Build_TypeThatIsNotSnakeCase_IsRefused(string type)
        => Assert.Throws<ArgumentException>(() => Build(new AuditEvent(type)));

    [Fact]
    public void Build_TimeIsTheEventsOrNow_AtMillisecondPrecision()
    {
        var given = new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.FromHours(-5)).AddTicks(12_345);

        Assert.Equal(Now, Build(new AuditEvent(AuditEventTypes.Logout)).OccurredAt);
        Assert.Equal(given.AddTicks(-12_345 % TimeSpan.TicksPerMillisecond), Build(new AuditEvent(AuditEventTypes.Logout) { OccurredAt = given }).OccurredAt);
    }

    [Fact]
    public void Build_EmptyChangesAndDetails_AreStoredAsNull()
    {
        var record = Build(new AuditEvent(AuditEventTypes.Logout) { Changes = new Dictionary<string, (object?, object?)>(), Details = [] });

        Assert.Null(record.ChangesJson);
        Assert.Null(record.DetailsJson);
    }

    private static AuditRecord Build(AuditEvent auditEvent) => AuditEntryBuilder.Build(auditEvent, Now.AddTicks(4321));
}
