using System.Text;
using Bastion.FaultTests.Http;

namespace Bastion.FaultTests.Load.Workers;

/// <summary>
/// Uploads an attachment through one node and downloads it through the other: with uploads on a node's local disk,
/// the other node answers 404. Skips a round while either node is down (that is the balancer's part to measure).
/// </summary>
internal sealed class AttachmentWorker(Api api, LoadBoard board, AdminSession admin, Guid equipmentId, TimeSpan pause) : IWorker
{
    private static readonly byte[] Content = Encoding.UTF8.GetBytes("name,count\nfault,1\n");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        for (var round = 0; !cancellationToken.IsCancellationRequested; round++)
        {
            var stats = board.Current;
            var (through, from) = (round % 2, (round + 1) % 2);
            var path = $"/api/equipment/{equipmentId}/attachments";
            var upload = await api.Balancer.SendToAsync(through, Requests.Upload(path, "fault.csv", Content, admin.Bearer), null, cancellationToken);
            if (upload.Status == 201 && upload.Json?["id"]?.GetValue<Guid>() is { } attachment)
            {
                stats.Add(LoadEvent.AttachmentUploaded);
                var download = await Api.UntilAnsweredAsync(
                    () => api.Balancer.SendToAsync(from, Requests.Get($"{path}/{attachment}", admin.Bearer), null, cancellationToken),
                    TimeSpan.FromSeconds(20), cancellationToken);
                if (download.Status == 404)
                {
                    stats.Add(LoadEvent.AttachmentMissing);
                }
            }

            await Task.Delay(pause, cancellationToken);
        }
    }
}
