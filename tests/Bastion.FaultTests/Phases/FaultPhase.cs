namespace Bastion.FaultTests.Phases;

/// <summary>
/// One fault: <see cref="InjectAsync"/> breaks something, waits out the outage, brings it back and returns when (on
/// <see cref="RunClock"/>) the broken part served again.
/// </summary>
/// <param name="Name">Short name, the column heading.</param>
/// <param name="Description">What happens, for the report.</param>
/// <param name="LosesSessions">Redis loses its data here, and sessions live only there: lost sessions are expected, not a missed goal.</param>
/// <param name="KillsNode">A node goes away here: the failover goal applies.</param>
internal sealed record FaultPhase(
    string Name,
    string Description,
    bool LosesSessions,
    bool KillsNode,
    Func<FaultContext, Task> PrepareAsync,
    Func<FaultContext, Task<double>> InjectAsync);
