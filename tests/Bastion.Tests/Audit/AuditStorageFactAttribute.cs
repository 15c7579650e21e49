using Xunit.Abstractions;
using Xunit.Sdk;

namespace Bastion.Tests.Audit;

/// <summary>
/// A test of the audit storage contract, run once per provider by the contract's concrete classes. The PostgreSQL
/// classes run when <c>BASTION_TEST_POSTGRES</c> names an administrative connection (scripts/test.sh sets it), and
/// are reported as skipped otherwise — except under <c>BASTION_TEST_STORAGE=Postgres</c>, where a missing server
/// is a failure, not a skip.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("Bastion.Tests.Audit.AuditStorageFactDiscoverer", "Bastion.Tests")]
public sealed class AuditStorageFactAttribute : FactAttribute;

/// <summary>Marks a contract class that runs on PostgreSQL.</summary>
public interface IPostgresContract;

public sealed class AuditStorageFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        var onPostgres = typeof(IPostgresContract).IsAssignableFrom(testMethod.TestClass.Class.ToRuntimeType());
        yield return onPostgres && !AuditTestDatabase.PostgresRequested
            ? new SkippedTestCase(diagnosticMessageSink, display, displayOptions, testMethod,
                "Set BASTION_TEST_POSTGRES to an administrative PostgreSQL connection string to run this on PostgreSQL (scripts/test.sh does).")
            : new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod);
    }
}

public sealed class SkippedTestCase : XunitTestCase
{
    private string _reason = "";

    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public SkippedTestCase()
    {
    }

    public SkippedTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method, string reason)
        : base(sink, display, options, method)
        => _reason = reason;

    public override void Serialize(IXunitSerializationInfo data)
    {
        data.AddValue("SkipReason", _reason);
        base.Serialize(data);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        _reason = data.GetValue<string>("SkipReason");
        base.Deserialize(data);
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) => _reason;
}
