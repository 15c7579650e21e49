namespace Bastion.FaultTests.Load;

/// <summary>The phase now running: every request is counted in the phase it started in, every create named after it.</summary>
internal sealed class LoadBoard
{
    private PhaseStats _current = new("set-up");
    private int _phase;

    public PhaseStats Current => Volatile.Read(ref _current);

    public int Phase => Volatile.Read(ref _phase);

    public void Begin(int phase, PhaseStats stats)
    {
        Volatile.Write(ref _phase, phase);
        Volatile.Write(ref _current, stats);
    }
}
