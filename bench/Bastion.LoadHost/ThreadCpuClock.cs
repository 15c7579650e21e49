using System.Runtime.InteropServices;

namespace Bastion.LoadHost;

/// <summary>CPU time the calling thread has used (POSIX <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>, Linux).</summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static long Microseconds()
        => ClockGetTime(ClockThreadCpuTimeId, out var time) == 0
            ? time.Seconds * 1_000_000 + time.Nanoseconds / 1_000
            : throw new PlatformNotSupportedException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
