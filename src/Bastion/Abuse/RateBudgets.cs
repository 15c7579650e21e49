namespace Bastion.Abuse;

/// <summary>
/// The names of the rate budgets every Bastion deployment has. An endpoint names the one it spends with
/// <see cref="RateBudgetEndpointConventionBuilderExtensions.RequireRateBudget{TBuilder}"/> or
/// <see cref="RateBudgetAttribute"/>; one that names none spends <see cref="Read"/> for GET, HEAD and OPTIONS and
/// <see cref="Write"/> otherwise. Each budget's limits are set under <c>Bastion:Abuse:RateLimits:Budgets:{name}</c>,
/// where further budgets may be defined for single routes.
/// </summary>
public static class RateBudgets
{
    /// <summary>Requests that check a password (sign-in, step-up, password change): strict, against guessing.</summary>
    public const string SignIn = "SignIn";

    /// <summary>Requests that check a one-time code or a mailed token (second factor, reset, verification): strict.</summary>
    public const string Code = "Code";

    /// <summary>Requests that make Bastion send mail: strict, so that it cannot be used to flood an inbox (OWASP Forgot Password Cheat Sheet).</summary>
    public const string Mail = "Mail";

    /// <summary>Other requests that change something: moderate.</summary>
    public const string Write = "Write";

    /// <summary>Requests that only read: generous, so that a single-page app polling its state is never refused.</summary>
    public const string Read = "Read";
}
