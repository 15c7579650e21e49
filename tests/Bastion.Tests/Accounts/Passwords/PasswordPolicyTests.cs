using Bastion.Accounts.Passwords;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Accounts.Passwords;

public sealed class PasswordPolicyTests
{
    private const string Strong = "Quilted#Otter-Marsh42";

    [Fact]
    public void Evaluate_StrongPassword_IsValidWithHighScore()
    {
        var evaluation = Policy().Evaluate(Strong, "jane.doe@example.com", "Jane Doe");

        Assert.True(evaluation.IsValid);
        Assert.Empty(evaluation.Failures);
        Assert.True(evaluation.Score >= 3, $"score {evaluation.Score}");
    }

    [Fact]
    public void Evaluate_ShortLowercaseWord_ReportsEveryFailedRequirement()
    {
        var evaluation = Policy().Evaluate("xqz", null, null);

        Assert.False(evaluation.IsValid);
        Assert.Equal(
            [PasswordFailureCodes.TooShort, PasswordFailureCodes.MissingUppercase, PasswordFailureCodes.MissingDigit, PasswordFailureCodes.MissingSpecial],
            Codes(evaluation));
        Assert.All(evaluation.Failures, f => Assert.False(string.IsNullOrWhiteSpace(f.Message)));
        Assert.Contains("at least 8 characters", evaluation.Failures[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("quilted#otter-marsh42", PasswordFailureCodes.MissingUppercase)]
    [InlineData("QUILTED#OTTER-MARSH42", PasswordFailureCodes.MissingLowercase)]
    [InlineData("Quilted#Otter-Marsh", PasswordFailureCodes.MissingDigit)]
    [InlineData("QuiltedOtterMarsh42", PasswordFailureCodes.MissingSpecial)]
    [InlineData("Qu1!", PasswordFailureCodes.TooShort)]
    public void Evaluate_MissingOneRequirement_ReportsExactlyThatOne(string password, string code)
    {
        Assert.Equal([code], Codes(Policy().Evaluate(password, null, null)));
    }

    [Fact]
    public void Evaluate_LongerThanMaximum_ReportsTooLong()
    {
        var evaluation = Policy().Evaluate("Qu1!" + new string('x', 125), null, null);

        Assert.Equal([PasswordFailureCodes.TooLong], Codes(evaluation));
    }

    [Fact]
    public void Evaluate_Length_CountsCodePointsNotUtf16Units()
    {
        const string Emoji = "\U0001F600";

        Assert.Empty(Policy().Evaluate("Ab1" + string.Concat(Enumerable.Repeat(Emoji, 5)), null, null).Failures);
        Assert.Equal([PasswordFailureCodes.TooShort], Codes(Policy().Evaluate("Ab1" + string.Concat(Enumerable.Repeat(Emoji, 4)), null, null)));
    }

    [Fact]
    public void Evaluate_RequirementsTurnedOff_AreNotReported()
    {
        var options = new PasswordPolicyOptions { MinimumLength = 12, RequireUppercase = false, RequireDigit = false, RequireSpecial = false };

        Assert.True(Policy(options).Evaluate("quilted otter marsh", null, null).IsValid);
        Assert.Equal([PasswordFailureCodes.TooShort], Codes(Policy(options).Evaluate("quiltedotr", null, null)));
    }

    [Theory]
    [InlineData("Password1!")]
    [InlineData("P@ssw0rd!")]
    [InlineData("PASSWORD")]
    [InlineData("Summer2024!")]
    [InlineData("Qwerty123!")]
    [InlineData("Michael1985!")]
    [InlineData("!!Dragon99")]
    [InlineData("Tru5tno1#")]
    [InlineData("M0nk3y!!")]
    public void Evaluate_CommonPasswordOrDecoratedVariant_IsRefusedWithScoreZero(string password)
    {
        var evaluation = Policy().Evaluate(password, null, null);

        Assert.Contains(PasswordFailureCodes.CommonPassword, Codes(evaluation));
        Assert.Equal(0, evaluation.Score);
    }

    [Fact]
    public void Evaluate_CommonPasswordWithRejectionTurnedOff_IsAcceptedButStillScoresZero()
    {
        var evaluation = Policy(new PasswordPolicyOptions { RejectCommonPasswords = false }).Evaluate("Password1!", null, null);

        Assert.True(evaluation.IsValid);
        Assert.Equal(0, evaluation.Score);
    }

    [Theory]
    [InlineData("JaneRocks#2024")]
    [InlineData("Xr!DOE-barn-77")]
    [InlineData("J4ne-Quilt#9x")]
    [InlineData("Bastion#Rocks9")]
    [InlineData("9xJDoe+Bastion!")]
    public void Evaluate_PasswordWithNameOrEmailPart_IsRefused(string password)
    {
        var evaluation = Policy().Evaluate(password, "jdoe+bastion@example.com", "Jane Doe");

        Assert.Contains(PasswordFailureCodes.ContainsPersonalInfo, Codes(evaluation));
        Assert.True(evaluation.Score <= 1, $"score {evaluation.Score}");
    }

    [Fact]
    public void Evaluate_NamePartsShorterThanThree_AreIgnored()
    {
        var evaluation = Policy().Evaluate("Lighthouse-Wuxia-42", "li.wu@example.com", "Li Wu");

        Assert.DoesNotContain(PasswordFailureCodes.ContainsPersonalInfo, Codes(evaluation));
    }

    [Fact]
    public void Evaluate_PersonalInfoWithRejectionTurnedOff_IsAccepted()
    {
        var evaluation = Policy(new PasswordPolicyOptions { RejectPersonalInfo = false }).Evaluate("JaneRocks#2024", "jane@example.com", null);

        Assert.True(evaluation.IsValid);
    }

    [Fact]
    public void Evaluate_WeakPasswordScoresBelowStrongOne()
    {
        var policy = Policy();

        Assert.True(policy.Evaluate("Password1!", null, null).Score < policy.Evaluate(Strong, null, null).Score);
        Assert.True(policy.Evaluate("aaaaaaaa", null, null).Score < policy.Evaluate("Xk9#mP2$vL7!qR", null, null).Score);
    }

    private static PasswordPolicy Policy(PasswordPolicyOptions? options = null) =>
        new(Options.Create(options ?? new PasswordPolicyOptions()), CommonPasswords.Embedded);

    private static string[] Codes(PasswordEvaluation evaluation) => evaluation.Failures.Select(f => f.Code).ToArray();
}
