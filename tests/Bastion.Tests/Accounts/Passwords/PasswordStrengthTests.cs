using Bastion.Accounts.Passwords;

namespace Bastion.Tests.Accounts.Passwords;

public sealed class PasswordStrengthTests
{
    [Theory]
    [InlineData("")]
    [InlineData("aaaaaaaaaaaa")]
    [InlineData("abcdefghijkl")]
    [InlineData("abcabcabcabc")]
    [InlineData("987654321")]
    public void Score_EmptyRepeatedOrSequential_IsZero(string password)
    {
        Assert.Equal(0, PasswordStrength.Score(password));
    }

    [Fact]
    public void Score_LongRandomMixedPassword_IsFour()
    {
        Assert.Equal(4, PasswordStrength.Score("Xk9#mP2$vL7!qR"));
    }

    [Fact]
    public void Score_RisesWithLengthAndCharacterClasses()
    {
        string[] weakestFirst = ["aaaaaaaa", "abcd1234", "kitten12", "Kitten12!", "Xk9#mP2$vL7!qR"];

        var scores = weakestFirst.Select(PasswordStrength.Score).ToArray();

        Assert.Equal([0, 1, 2, 3, 4], scores);
    }

    [Fact]
    public void Score_LongLowercasePassphrase_IsFour()
    {
        Assert.Equal(4, PasswordStrength.Score("quilted otter marsh lantern"));
    }
}
