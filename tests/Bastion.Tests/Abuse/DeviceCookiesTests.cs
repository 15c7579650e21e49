using Bastion.Abuse;
using Bastion.Sessions;
using Bastion.Tests.Mfa;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Net.Http.Headers;

namespace Bastion.Tests.Abuse;

public sealed class DeviceCookiesTests
{
    private const string Email = "Owner@Example.com";
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly DeviceCookies _cookies;

    public DeviceCookiesTests()
    {
        var sessions = new SessionCookie(Microsoft.Extensions.Options.Options.Create(new SessionOptions { SecureCookies = true }),
            new HostingEnvironment { EnvironmentName = Environments.Production });
        _cookies = new DeviceCookies(new EphemeralDataProtectionProvider(), sessions, Microsoft.Extensions.Options.Options.Create(new AbuseOptions()), _clock);
    }

    [Fact]
    public void Issue_SetsAHostOnlyHttpOnlyStrictCookie_ThatNamesADeviceForThatAccountOnly()
    {
        var cookie = Issue();

        Assert.StartsWith("__Host-bastion.device=", cookie.ToString(), StringComparison.Ordinal);
        Assert.True(cookie.HttpOnly && cookie.Secure && cookie.SameSite == Microsoft.Net.Http.Headers.SameSiteMode.Strict && cookie.Path == "/");
        Assert.NotNull(_cookies.DeviceFor(Presenting(cookie), "owner@example.com"));
        Assert.Null(_cookies.DeviceFor(Presenting(cookie), "someone-else@example.com"));
    }

    [Fact]
    public void DeviceFor_EachSignIn_GetsANewDevice()
        => Assert.NotEqual(_cookies.DeviceFor(Presenting(Issue()), Email), _cookies.DeviceFor(Presenting(Issue()), Email));

    [Fact]
    public void DeviceFor_TamperedOrForeignValue_IsNull()
    {
        var cookie = Issue();
        var value = cookie.Value.ToString();
        var tampered = new SetCookieHeaderValue(cookie.Name, value[..^2] + (value[^2] == 'A' ? "B" : "A") + value[^1]);

        Assert.Null(_cookies.DeviceFor(Presenting(tampered), Email));
        Assert.Null(_cookies.DeviceFor(Presenting(new SetCookieHeaderValue(cookie.Name, "owner|device|0")), Email));
    }

    [Fact]
    public void DeviceFor_PastTheCookiesLifetime_IsNull()
    {
        var cookie = Issue();
        _clock.Advance(new AbuseOptions().Lockout.Familiar.DeviceCookieLifetime - TimeSpan.FromMinutes(1));
        Assert.NotNull(_cookies.DeviceFor(Presenting(cookie), Email));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(_cookies.DeviceFor(Presenting(cookie), Email));
    }

    private SetCookieHeaderValue Issue()
    {
        var context = new DefaultHttpContext();
        _cookies.Issue(context, Email);
        return SetCookieHeaderValue.Parse(context.Response.Headers.SetCookie.Single());
    }

    private static DefaultHttpContext Presenting(SetCookieHeaderValue cookie)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = $"{cookie.Name}={cookie.Value}";
        return context;
    }
}
