namespace Bastion.Email;

/// <summary>A change to an account that its owner is told about, so that a change they did not make is noticed (ASVS 4.0.3 V2.2.3).</summary>
public enum SecurityNoticeKind
{
    PasswordChanged,
    NewSignIn,
    MfaEnabled,
    MfaDisabled,
    EmailChanged,
    EmailChangeRequested,
    AccountDeleted,
    RecoveryCodesRegenerated,
}

/// <summary>When and from where a security-relevant change happened.</summary>
/// <param name="At">When it happened; shown in UTC.</param>
public sealed record SecurityNoticeDetails(DateTimeOffset At)
{
    /// <summary>The client's IP address, if known.</summary>
    public string? IpAddress { get; init; }

    /// <summary>A short description of the client (browser and system), if known. It comes from the client: it is encoded, never trusted.</summary>
    public string? Device { get; init; }

    /// <summary>The details of a change made by the request <paramref name="context"/> at <paramref name="at"/>.</summary>
    public static SecurityNoticeDetails For(Microsoft.AspNetCore.Http.HttpContext context, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new SecurityNoticeDetails(at)
        {
            IpAddress = context.Connection.RemoteIpAddress?.ToString(),
            Device = context.Request.Headers.UserAgent.ToString(),
        };
    }
}
