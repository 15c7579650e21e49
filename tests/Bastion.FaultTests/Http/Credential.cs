namespace Bastion.FaultTests.Http;

/// <summary>How a request is authenticated: a session cookie or a bearer access token.</summary>
internal abstract record Credential
{
    public sealed record Cookie(string Value) : Credential;

    public sealed record Bearer(string AccessToken) : Credential;
}

/// <summary>An OAuth token pair as <c>POST /api/auth/login</c> and <c>/api/auth/refresh</c> answer it.</summary>
internal sealed record TokenPair(string AccessToken, string RefreshToken)
{
    public Credential.Bearer Bearer => new(AccessToken);

    public static TokenPair? From(Answer answer) => answer.Succeeded && answer.Json is { } json
        && json["access_token"]?.GetValue<string>() is { } access && json["refresh_token"]?.GetValue<string>() is { } refresh
        ? new TokenPair(access, refresh)
        : null;
}
