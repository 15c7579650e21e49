using System.Text;
using Bastion.Audit;

namespace Bastion.Tests.Audit;

/// <summary>The canonical form and hash, pinned by values computed independently (Python hashlib) from the documented definition.</summary>
public sealed class AuditHashTests
{
    private static readonly AuditRecord First = new()
    {
        Seq = 1,
        OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(1735689600000),
        Type = "login_success",
        Severity = "info",
        Outcome = "success",
        UserId = Guid.Parse("0B5E0ED4-6A53-4C1F-8E3E-44A3A2A3C001"),
        IpAddress = "203.0.113.7",
        UserAgent = "Mozilla/5.0 (é)",
        DetailsJson = """{"n":1}""",
        PrevHash = AuditHash.Genesis,
    };

    [Fact]
    public void Canonical_IsLengthPrefixedFieldsInTheDocumentedOrder()
    {
        var canonical = Encoding.UTF8.GetString(AuditHash.Canonical(First));

        Assert.Equal("8:audit-v1,1:1,13:1735689600000,13:login_success,4:info,7:success,36:0b5e0ed4-6a53-4c1f-8e3e-44a3a2a3c001,11:203.0.113.7,16:Mozilla/5.0 (é),~,~,~,~,~,~,7:{\"n\":1},", canonical);
    }

    [Fact]
    public void Compute_MatchesTheKnownAnswers()
    {
        var firstHash = AuditHash.Compute(First);
        var second = new AuditRecord
        {
            Seq = 2,
            OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(1735689600001),
            Type = "logout",
            Severity = "warning",
            Outcome = "failure",
            Resource = "/x",
            Action = "a",
            EntityType = "e",
            EntityId = "1",
            RequestId = "r",
            ChangesJson = """{"f":{"old":1,"new":2}}""",
            PrevHash = firstHash,
        };

        Assert.Equal("42b6f564529818c893e0939ae25f1630466dfd02c518ec86a8bfa8cfa88411e3", firstHash);
        Assert.Equal("54c75d42eb7a06d141344ff7ab4da4cdca4644171a29e55b12acdbdb3247ce8b", AuditHash.Compute(second));
    }

    [Fact]
    public void Compute_NullAndEmptyText_HashDifferently()
    {
        Assert.NotEqual(AuditHash.Compute(First with { Resource = null }), AuditHash.Compute(First with { Resource = "" }));
    }

    [Fact]
    public void Compute_ValueMovedBetweenAdjacentFields_HashesDifferently()
    {
        var a = First with { Action = "ab", EntityType = "c" };
        var b = First with { Action = "a", EntityType = "bc" };

        Assert.NotEqual(AuditHash.Compute(a), AuditHash.Compute(b));
    }
}
