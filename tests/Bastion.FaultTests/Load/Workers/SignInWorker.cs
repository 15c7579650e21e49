using Bastion.FaultTests.Http;

namespace Bastion.FaultTests.Load.Workers;

/// <summary>Password sign-ins (for tokens): the path that hashes, reads the user and writes a family and an audit entry.</summary>
internal sealed class SignInWorker(Api api, LoadBoard board, string email, TimeSpan pause) : IWorker
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await api.SignInForTokensAsync(email, board.Current, cancellationToken);
            await Task.Delay(pause, cancellationToken);
        }
    }
}
