using System.Text;

namespace Workbench.Data.Synthetic;

/// <summary>Per-image seeds derived from the run seed and the image's identity with FNV-1a,
/// because string.GetHashCode is randomised per process and would break "same seed ⇒ same bytes".</summary>
public static class StableSeed
{
    public static int Of(int seed, params object[] parts)
    {
        ulong h = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(seed + "|" + string.Join("|", parts)))
        {
            h ^= b;
            h *= 1099511628211UL;
        }
        return (int)(h ^ (h >> 32)) & int.MaxValue;
    }
}
