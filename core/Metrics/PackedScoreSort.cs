using System.Runtime.InteropServices;

namespace Workbench.Metrics;

/// <summary>
/// The CPU ranking: each pixel becomes one 64-bit key — bits 63..32 the score mapped to an
/// unsigned integer whose ascending order is the score's descending order, bit 31 the 0/1 label,
/// bits 30..0 the flat index — and an LSD radix sort on the score bits orders them (4 passes of
/// 8 bits, skipping passes where every key has the same digit). libtorch's CPU sort of 113 M
/// floats takes tens of seconds on two cores; this takes a few, and the label travels with the
/// key so the scan reads no second array. Ties keep index order (the sort is stable).
/// </summary>
public static class PackedScoreSort
{
    public const long MaxCount = 1L << 31;

    /// <summary>Keys for <paramref name="scores"/> with <paramref name="labels"/> (0 / nonzero), sorted by descending score.</summary>
    public static ulong[] Sort(ReadOnlySpan<float> scores, ReadOnlySpan<byte> labels)
    {
        if (scores.Length != labels.Length) throw new ArgumentException($"{scores.Length} scores but {labels.Length} labels");
        if (scores.Length >= MaxCount) throw new ArgumentException($"{scores.Length} samples: the packed CPU ranking holds at most 2^31");
        var keys = GC.AllocateUninitializedArray<ulong>(scores.Length);
        for (int i = 0; i < keys.Length; i++)
        {
            float s = scores[i];
            if (float.IsNaN(s)) throw new ArgumentException("scores: contains NaN scores; metrics are undefined (fix the model output or filter the samples)");
            keys[i] = ((ulong)DescendingKey(s) << 32) | (labels[i] != 0 ? 1UL << 31 : 0) | (uint)i;
        }
        RadixSortHigh32(keys);
        return keys;
    }

    public static uint ScoreBits(ulong key) => (uint)(key >> 32);
    public static bool IsPositive(ulong key) => (key & (1UL << 31)) != 0;
    public static int Index(ulong key) => (int)(key & 0x7FFF_FFFF);

    /// <summary>Unsigned key, ascending in descending score; −0 and +0 are the same score.</summary>
    static uint DescendingKey(float s)
    {
        if (s == 0) s = 0; // folds −0 into +0
        uint bits = BitConverter.SingleToUInt32Bits(s);
        uint ascending = (bits & 0x8000_0000) != 0 ? ~bits : bits | 0x8000_0000;
        return ~ascending;
    }

    static void RadixSortHigh32(ulong[] keys)
    {
        var buffer = GC.AllocateUninitializedArray<ulong>(keys.Length);
        var src = keys; var dst = buffer;
        var counts = new long[256];
        for (int shift = 32; shift < 64; shift += 8)
        {
            Array.Clear(counts);
            foreach (var k in src) counts[(k >> shift) & 0xFF]++;
            if (counts.Any(c => c == src.Length)) continue; // every key has this digit: the pass changes nothing
            long sum = 0;
            for (int d = 0; d < 256; d++) { long c = counts[d]; counts[d] = sum; sum += c; }
            foreach (var k in src) dst[counts[(k >> shift) & 0xFF]++] = k;
            (src, dst) = (dst, src);
        }
        if (!ReferenceEquals(src, keys)) Array.Copy(src, keys, keys.Length);
    }
}
