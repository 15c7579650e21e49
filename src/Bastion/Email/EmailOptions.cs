namespace Bastion.Email;

/// <summary>Outgoing e-mail (<c>Bastion:Email</c>): where mail goes, who it is from, and where its links point.</summary>
public sealed class EmailOptions
{
    /// <summary>
    /// The sender address (<c>From</c>). Required; only in Development does it default to <c>bastion@localhost</c>.
    /// </summary>
    public string? From { get; set; }

    /// <summary>The product name shown as the sender's display name and in subjects and bodies.</summary>
    public string ProductName { get; set; } = "Bastion";

    /// <summary>
    /// The absolute URL users reach the site at; links in e-mails (password reset, verification) are built from
    /// it, never from the request's Host header. Required outside Development (where it defaults to
    /// http://localhost:5080); https in production.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Paths under <see cref="PublicBaseUrl"/> that the links in e-mails open.</summary>
    public EmailLinkOptions Links { get; } = new();

    /// <summary>
    /// Write each message as an .eml file here instead of sending it. Outside production it defaults to
    /// <c>{DataDirectory}/outbox</c> when no SMTP host is set; production uses it only when set explicitly.
    /// </summary>
    public string? PickupDirectory { get; set; }

    /// <summary>The SMTP server (<c>Bastion:Email:Smtp</c>); setting its host selects SMTP delivery.</summary>
    public EmailSmtpOptions Smtp { get; } = new();

    /// <summary>How many times a failed send is tried again (transient failures only); then the message is marked failed.</summary>
    public int Retries { get; set; } = 3;

    /// <summary>The wait before the first retry; it doubles for each further retry (±20 % jitter).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often each node looks into the outbox for messages other nodes queued or left behind. A node sends what
    /// it queues itself at once, and retries when they fall due.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a node holds a message it is sending; a node that dies mid-send leaves it to another after this.
    /// At least twice <see cref="EmailSmtpOptions.Timeout"/>, so that a slow send is not taken over while it runs.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many messages one node sends at the same time (and claims at most per pass).</summary>
    public int BatchSize { get; set; } = 4;

    /// <summary>How long a message that could not be sent stays in the outbox, marked failed, for an operator.</summary>
    public TimeSpan FailedRetention { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>The SMTP server (<c>Bastion:Email:Smtp</c>).</summary>
public sealed class EmailSmtpOptions
{
    public string? Host { get; set; }

    /// <summary>The submission port (RFC 6409).</summary>
    public int Port { get; set; } = 587;

    /// <summary>
    /// Upgrade the connection with STARTTLS (RFC 3207) and validate the server's certificate. Implicit TLS
    /// (SMTPS, usually port 465) is not supported: System.Net.Mail.SmtpClient can only upgrade a plain connection.
    /// </summary>
    public bool UseStartTls { get; set; } = true;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>How long one attempt (connect, TLS, authenticate, transfer) may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Paths under <see cref="EmailOptions.PublicBaseUrl"/> that the links in e-mails open (<c>Bastion:Email:Links</c>).</summary>
public sealed class EmailLinkOptions
{
    public string ResetPassword { get; set; } = "/reset-password";

    public string ForgotPassword { get; set; } = "/forgot-password";

    public string VerifyEmail { get; set; } = "/verify-email";

    public string AccountSecurity { get; set; } = "/account/security";
}
