using Bastion.Sessions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace Bastion.Protection;

/// <summary>
/// Binds every antiforgery token to the session it was issued in, so a token taken from one session (even of
/// the same user) is refused in another, and tokens issued before sign-in die with the anonymous state.
/// </summary>
internal sealed class SessionBoundAntiforgeryData : IAntiforgeryAdditionalDataProvider
{
    public string GetAdditionalData(HttpContext context) => context.Features.Get<SessionFeature>()?.Handle ?? string.Empty;

    public bool ValidateAdditionalData(HttpContext context, string additionalData)
        => string.Equals(additionalData ?? string.Empty, GetAdditionalData(context), StringComparison.Ordinal);
}
