using System.Security.Cryptography;
using System.Text;
using Bastion.Mfa;
using Bastion.State;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Mfa;

public sealed class EmailOtpTests : IDisposable
{
    private readonly ManualClock _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    private readonly MemoryStateStore _store;
    private readonly EmailOtp _otp;

    public EmailOtpTests()
    {
        _store = new MemoryStateStore(_clock);
        _otp = new EmailOtp(_store, Options.Create(new MfaOptions()), RandomNumberGenerator.GetBytes(32));
    }

    public void Dispose() => _store.Dispose();

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Generate_AnyLength_GivesExactlyThatManyAsciiDigits(int digits)
    {
        for (var i = 0; i < 2000; i++)
        {
            var code = EmailOtp.Generate(digits);

            Assert.Equal(digits, code.Length);
            Assert.All(code, c => Assert.True(char.IsAsciiDigit(c)));
        }
    }

    [Fact]
    public void Generate_ManyCodes_KeepsLeadingZerosAndSpreadsFirstDigitsEvenly()
    {
        var firstDigits = new int[10];
        for (var i = 0; i < 20_000; i++)
        {
            firstDigits[EmailOtp.Generate()[0] - '0']++;
        }

        // 2,000 expected per digit, standard deviation about 42; a leading zero is as common as any other digit.
        Assert.All(firstDigits, count => Assert.InRange(count, 1750, 2250));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(9)]
    public void Generate_LengthOutsideSixToEight_Throws(int digits)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EmailOtp.Generate(digits));
    }

    [Fact]
    public async Task Verify_IssuedCode_IsValidOnce()
    {
        var code = await _otp.IssueAsync("alice", "sign-in:1");

        Assert.Equal(EmailOtpResult.Valid, await _otp.VerifyAsync("alice", "sign-in:1", code));
        Assert.Equal(EmailOtpResult.Expired, await _otp.VerifyAsync("alice", "sign-in:1", code));
    }

    [Fact]
    public async Task Verify_ConcurrentRequestsWithTheCode_ExactlyOneIsValid()
    {
        var code = await _otp.IssueAsync("alice", "sign-in:1");

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(async () => await _otp.VerifyAsync("alice", "sign-in:1", code))));

        Assert.Single(results, result => result == EmailOtpResult.Valid);
    }

    [Fact]
    public async Task Verify_WrongCodeThenRightCode_IsInvalidThenValid()
    {
        var code = await _otp.IssueAsync("alice", "sign-in:1");

        Assert.Equal(EmailOtpResult.Invalid, await _otp.VerifyAsync("alice", "sign-in:1", Wrong(code)));
        Assert.Equal(EmailOtpResult.Invalid, await _otp.VerifyAsync("alice", "sign-in:1", "12a456"));
        Assert.Equal(EmailOtpResult.Valid, await _otp.VerifyAsync("alice", "sign-in:1", code));
    }

    [Fact]
    public async Task Verify_FifthWrongAttempt_WithdrawsTheCode()
    {
        var code = await _otp.IssueAsync("alice", "sign-in:1");
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(EmailOtpResult.Invalid, await _otp.VerifyAsync("alice", "sign-in:1", Wrong(code)));
        }

        Assert.Equal(EmailOtpResult.TooManyAttempts, await _otp.VerifyAsync("alice", "sign-in:1", Wrong(code)));
        Assert.Equal(EmailOtpResult.Expired, await _otp.VerifyAsync("alice", "sign-in:1", code));
    }

    [Fact]
    public async Task Verify_RightCodeAfterFourWrongAttempts_IsValid()
    {
        var code = await _otp.IssueAsync("alice", "sign-in:1");
        for (var i = 0; i < 4; i++)
        {
            await _otp.VerifyAsync("alice", "sign-in:1", Wrong(code));
        }

        Assert.Equal(EmailOtpResult.Valid, await _otp.VerifyAsync("alice", "sign-in:1", code));
    }

    [Fact]
    public async Task Verify_AfterTenMinutes_IsExpired()
    {
        var code = await _otp.IssueAsync("alice", "sign-in:1");
        _clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(EmailOtpResult.Expired, await _otp.VerifyAsync("alice", "sign-in:1", code));
    }

    [Fact]
    public async Task Verify_JustBeforeExpiry_IsValid()
    {
        var code = await _otp.IssueAsync("alice", "sign-in:1");
        _clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));

        Assert.Equal(EmailOtpResult.Valid, await _otp.VerifyAsync("alice", "sign-in:1", code));
    }

    [Fact]
    public async Task Verify_OtherPurposeOrUser_HasNoPendingCode()
    {
        var code = await _otp.IssueAsync("alice", "sign-in:1");

        Assert.Equal(EmailOtpResult.Expired, await _otp.VerifyAsync("alice", "sign-in:2", code));
        Assert.Equal(EmailOtpResult.Expired, await _otp.VerifyAsync("bob", "sign-in:1", code));
    }

    [Fact]
    public async Task Issue_Again_ReplacesTheCodeAndResetsAttempts()
    {
        var first = await _otp.IssueAsync("alice", "sign-in:1");
        for (var i = 0; i < 4; i++)
        {
            await _otp.VerifyAsync("alice", "sign-in:1", Wrong(first));
        }

        var second = await _otp.IssueAsync("alice", "sign-in:1");

        if (first != second)
        {
            Assert.Equal(EmailOtpResult.Invalid, await _otp.VerifyAsync("alice", "sign-in:1", first));
        }

        Assert.Equal(EmailOtpResult.Valid, await _otp.VerifyAsync("alice", "sign-in:1", second));
    }

    [Fact]
    public async Task Issue_StoresOnlyAKeyedHashForTheLifetime()
    {
        var code = await _otp.IssueAsync("alice", "sign-in:1");
        const string key = "mfa:email-code:5:alice:sign-in:1";

        var stored = await _store.GetAsync(key);

        Assert.NotNull(stored);
        Assert.Equal(32, stored.Length);
        Assert.DoesNotContain(code, Encoding.ASCII.GetString(stored), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(10), await _store.GetTimeToLiveAsync(key));
    }

    private static string Wrong(string code) => code == "000000" ? "000001" : "000000";
}
