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

    /// <summary>Another second factor was added to an account that already had one.</summary>
    SecondFactorAdded,

    /// <summary>A second factor was removed while another remains.</summary>
    SecondFactorRemoved,

    /// <summary>An administrator changed the account's roles, and so what it may do.</summary>
    RolesChanged,
}

/// <summary>When and from where a security-relevant change happened.</summary>
/// <param name="At">When it happened; shown in UTC.</param>
public sealed record SecurityNoticeDetails(DateTimeOffset At)
{
    /// <summary>The client's IP address, if known.</summary>
    public string? IpAddress { get; init; }

    /// <summary>A short description of the client (browser and system), if known. It comes from the client: it is encoded, never trusted.</summary>
    public string? Device { get; init; }

    /// <summary>
    /// One sentence saying what exactly changed ("Method: authenticator app.", the roles before and after), added to
    /// the notice's description. Never a secret: no code, token, password or key goes in a message.
    /// </summary>
    public string? Change { get; init; }

    /// <summary>The details of the change recorded by <paramref name="audited"/> (its address and client) at <paramref name="at"/>.</summary>
    public static SecurityNoticeDetails For(Audit.AuditEvent audited, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(audited);
        return new SecurityNoticeDetails(at) { IpAddress = audited.IpAddress, Device = audited.UserAgent };
    }

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
