using System.Text;

namespace Workbench.Runtime;

/// <summary>
/// The one seed derivation of the workbench: FNV-1a over the run seed and the parts that identify a draw
/// (an image's category/split/defect/index, or a training step's phase/epoch/step), because
/// string.GetHashCode is randomised per process and would break "same seed ⇒ same bytes". Distinct part
/// tuples give unrelated seeds (unlike seed + step arithmetic, where epoch e step s+1 = epoch e+1 step s).
/// </summary>
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
