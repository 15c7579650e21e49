using System.Buffers;

namespace Bastion.Redis.Tests.Infrastructure;

/// <summary>Builds a <see cref="ReadOnlySequence{T}"/> from several segments, as a pipe delivers bytes.</summary>
internal static class SegmentedSequence
{
    public static ReadOnlySequence<byte> Create(params byte[][] parts)
    {
        if (parts.Length == 1)
        {
            return new ReadOnlySequence<byte>(parts[0]);
        }

        var first = new Segment(parts[0], 0);
        Segment last = first;
        foreach (byte[] part in parts.Skip(1))
        {
            last = last.Append(part);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>The bytes split into two segments at <paramref name="at"/>.</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] bytes, int at) => Create(bytes[..at], bytes[at..]);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
