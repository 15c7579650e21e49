using Bastion.Encryption;
using Microsoft.Extensions.DependencyInjection;

namespace Bastion.Tests.Encryption;

public sealed class EncryptedColumnTests
{
    [Theory]
    [InlineData("users; DROP TABLE users")]
    [InlineData("Users")]
    [InlineData("1users")]
    [InlineData("\"users\"")]
    [InlineData("")]
    public void New_TableNameThatIsNoPlainIdentifier_IsRefused(string table)
        => Assert.ThrowsAny<ArgumentException>(() => new EncryptedColumn(table, "id", "secret", id => id.ToString("N")));

    [Fact]
    public void New_BlindIndexColumnThatIsNoPlainIdentifier_IsRefused()
        => Assert.ThrowsAny<ArgumentException>(() => new EncryptedColumn("things", "id", "secret", id => id.ToString("N"), new BlindIndexColumn("idx--", "p")));

    [Fact]
    public void AddEncryptedColumn_SameColumnTwice_IsListedOnce()
    {
        var services = new ServiceCollection();
        services.AddEncryptedColumn(new EncryptedColumn("things", "id", "secret", id => "a"));
        services.AddEncryptedColumn(new EncryptedColumn("things", "id", "secret", id => "b"));
        services.AddEncryptedColumn(new EncryptedColumn("others", "id", "secret", id => "c"));
        using var provider = services.AddSingleton<EncryptedColumns>().BuildServiceProvider();

        Assert.Equal(["others.secret", "things.secret"], provider.GetRequiredService<EncryptedColumns>().All.Select(c => c.Name));
    }
}
