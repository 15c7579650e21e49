using Bastion.FaultTests.Http;
using Bastion.FaultTests.Load.Workers;

namespace Bastion.FaultTests.Load;

/// <summary>Runs every simulated client concurrently from <see cref="Start"/> until <see cref="StopAsync"/>.</summary>
internal sealed class LoadGenerator(IReadOnlyList<IWorker> workers) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task[] _running = [];

    public static LoadGenerator Create(Api api, LoadBoard board, Accounts accounts, LoadShape shape, AdminSession admin, Ledger ledger, Guid attachmentTarget)
    {
        var workers = new List<IWorker>();
        workers.AddRange(accounts.SessionReaders.Select(e => IdentityReader.WithCookie(api, board, e, shape.ReadPause)));
        workers.AddRange(accounts.BearerReaders.Select(e => IdentityReader.WithBearer(api, board, e, shape.ReadPause)));
        workers.AddRange(accounts.RefreshChains.Select(e => new RefreshChain(api, board, e, shape.RefreshPause)));
        workers.AddRange(accounts.SignIns.Select(e => new SignInWorker(api, board, e, shape.SignInPause)));
        workers.AddRange(Enumerable.Range(0, shape.Writers).Select(w => new EquipmentWriter(api, board, admin, ledger, w, shape.WritePause)));
        workers.Add(new MailRequester(api, board, accounts, ledger, shape.MailPause));
        workers.Add(new AttachmentWorker(api, board, admin, attachmentTarget, shape.AttachmentPause));
        return new LoadGenerator(workers);
    }

    public void Start() => _running = workers.Select(w => Task.Run(() => RunAsync(w))).ToArray();

    /// <summary>Stops every client; a client that failed with anything but cancellation fails the run here.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
    }

    public void Dispose() => _stop.Dispose();

    private async Task RunAsync(IWorker worker)
    {
        try
        {
            await worker.RunAsync(_stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The run is over.
        }
    }
}
