namespace Bastion.BrowserTests.Infrastructure;

/// <summary>Every browser test class shares one Chromium; the classes run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
