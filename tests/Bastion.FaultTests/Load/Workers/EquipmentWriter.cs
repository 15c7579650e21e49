using Bastion.FaultTests.Http;

namespace Bastion.FaultTests.Load.Workers;

/// <summary>
/// Audited writes: creates equipment with an <c>Idempotency-Key</c> and retries with the same key until answered.
/// Each create has a unique name, so a second row with that name is a duplicate made by a retry.
/// </summary>
internal sealed class EquipmentWriter(Api api, LoadBoard board, AdminSession admin, Ledger ledger, int writer, TimeSpan pause) : IWorker
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        for (var sequence = 0; !cancellationToken.IsCancellationRequested; sequence++)
        {
            var (phase, stats) = (board.Phase, board.Current);
            var name = Ledger.EquipmentName(phase, writer, sequence);
            var body = new { name, serialNumber = $"SN-{phase}-{writer}-{sequence}", cost = 12.5m, description = "fault-suite load" };
            var key = Guid.NewGuid().ToString();
            var bearer = admin.Bearer;
            var answer = await Retrying.SendAsync(
                () => api.Balancer.SendAsync(Requests.Post("/api/equipment", body, bearer, key), stats, cancellationToken),
                _ => stats.Add(LoadEvent.CreateRetry), cancellationToken);
            if (answer.Succeeded && answer.Json?["id"]?.GetValue<Guid>() is { } id)
            {
                ledger.Created(phase, id);
            }
            else if (answer.Status == 401)
            {
                await admin.RenewAsync(bearer, cancellationToken);
            }
            else
            {
                stats.Add(LoadEvent.CreateGaveUp);
            }

            await Task.Delay(pause, cancellationToken);
        }
    }
}
