using System.Runtime.InteropServices;

namespace Workbench.Metrics;

/// <summary>
/// The CPU ranking: each pixel becomes one 64-bit key — bits 63..32 the score mapped to an
/// unsigned integer whose ascending order is the score's descending order, bit 31 the 0/1 label,
/// bits 30..0 the flat index — and an LSD radix sort on the score bits orders them (skipping
/// passes where every key has the same digit). libtorch's CPU sort of 113 M
/// floats takes tens of seconds on two cores; this takes a few, and the label travels with the
/// key so the scan reads no second array. Ties keep index order (the sort is stable).
/// Three passes of 11, 11 and 10 bits; all three histograms are counted while the keys are built.
/// </summary>
public static class PackedScoreSort
{
    /// <summary>Keys for <paramref name="scores"/> with <paramref name="labels"/> (0 / nonzero), sorted by descending score.</summary>
    public static ulong[] Sort(ReadOnlySpan<float> scores, ReadOnlySpan<byte> labels)
    {
        if (scores.Length != labels.Length) throw new ArgumentException($"{scores.Length} scores but {labels.Length} labels");
        // A span holds < 2^31 elements, so every flat index fits the key's 31 index bits.
        var keys = GC.AllocateUninitializedArray<ulong>(scores.Length);
        var counts = new long[Passes.Length][];
        for (int p = 0; p < Passes.Length; p++) counts[p] = new long[1 << Passes[p].Bits];
        for (int i = 0; i < keys.Length; i++)
        {
            float s = scores[i];
            if (float.IsNaN(s)) throw new ArgumentException("scores: contains NaN scores; metrics are undefined (fix the model output or filter the samples)");
            byte label = labels[i];
            if (label > 1) throw new ArgumentException("labels must be 0 or 1 (masks: threshold them first)");
            ulong k = ((ulong)DescendingKey(s) << 32) | ((ulong)label << 31) | (uint)i;
            keys[i] = k;
            for (int p = 0; p < Passes.Length; p++) counts[p][(k >> Passes[p].Shift) & Passes[p].Mask]++;
        }
        RadixSortHigh32(keys, counts);
        return keys;
    }

    static readonly (int Shift, int Bits, ulong Mask)[] Passes = { (32, 11, 0x7FF), (43, 11, 0x7FF), (54, 10, 0x3FF) };

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

    static void RadixSortHigh32(ulong[] keys, long[][] counts)
    {
        ulong[]? buffer = null;
        var src = keys;
        for (int p = 0; p < Passes.Length; p++)
        {
            var (shift, _, mask) = Passes[p];
            var offsets = counts[p];
            if (offsets.Any(c => c == src.Length)) continue; // every key has this digit: the pass changes nothing
            long sum = 0;
            for (int d = 0; d < offsets.Length; d++) { long c = offsets[d]; offsets[d] = sum; sum += c; }
            buffer ??= GC.AllocateUninitializedArray<ulong>(keys.Length);
            var dst = ReferenceEquals(src, keys) ? buffer : keys;
            foreach (var k in src) dst[offsets[(k >> shift) & mask]++] = k;
            src = dst;
        }
        if (!ReferenceEquals(src, keys)) Array.Copy(src, keys, keys.Length);
    }
}
