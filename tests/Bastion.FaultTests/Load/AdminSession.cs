using Bastion.FaultTests.Http;

namespace Bastion.FaultTests.Load;

/// <summary>The bootstrap administrator's bearer token, shared by the writers and renewed when refused.</summary>
internal sealed class AdminSession(Api api) : IDisposable
{
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private Credential.Bearer? _bearer;

    public Credential.Bearer Bearer => _bearer ?? throw new InvalidOperationException("The administrator has not signed in.");

    public async Task SignInAsync(CancellationToken cancellationToken)
    {
        var pair = await Api.SignInUntilAsync(() => api.SignInForTokensAsync(Cluster.NodeSettings.AdminEmail, null, cancellationToken), Cluster.NodeSettings.AdminEmail, cancellationToken);
        _bearer = pair.Bearer;
    }

    /// <summary>Signs in again unless another writer already replaced <paramref name="refused"/>.</summary>
    public async Task RenewAsync(Credential.Bearer refused, CancellationToken cancellationToken)
    {
        await _renewing.WaitAsync(cancellationToken);
        try
        {
            if (ReferenceEquals(_bearer, refused))
            {
                await SignInAsync(cancellationToken);
            }
        }
        finally
        {
            _renewing.Release();
        }
    }

    public void Dispose() => _renewing.Dispose();
}
