using Bastion.Protection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bastion.Abuse;

/// <summary>How a closed sign-in gate is answered: the same for accounts that exist and those that do not.</summary>
public static class SignInRefusals
{
    public static ProblemHttpResult Problem(SignInGate gate, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(context);
        if (gate.IsBlocked)
        {
            return BastionProblems.Problem(StatusCodes.Status403Forbidden, ErrorCodes.IpBlocked,
                "Requests from this address are blocked for a while after repeated failed sign-ins.");
        }

        BastionProblems.SetRetryAfter(context, gate.LockedRemaining!.Value);
        return BastionProblems.Problem(StatusCodes.Status429TooManyRequests, ErrorCodes.LockedOut, Message(gate));
    }

    public static string Message(SignInGate gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        if (gate.IsBlocked)
        {
            return "Requests from this address are blocked for a while after repeated failed sign-ins.";
        }

        var minutes = Math.Ceiling(gate.LockedRemaining!.Value.TotalMinutes);
        // Said the same whether or not the account exists: unknown e-mails are locked just like known ones.
        return gate.ForUnfamiliarSources
            ? $"Too many failed sign-ins for this account from devices it has not signed in from; sign in from one it has, or try again in {minutes} minute(s)."
            : $"Too many failed sign-ins for this account from here; try again in {minutes} minute(s).";
    }
}
