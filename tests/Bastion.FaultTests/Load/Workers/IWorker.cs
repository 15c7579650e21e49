namespace Bastion.FaultTests.Load.Workers;

/// <summary>One simulated client, sending until the run ends.</summary>
internal interface IWorker
{
    Task RunAsync(CancellationToken cancellationToken);
}
