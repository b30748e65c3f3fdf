using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Methods.Dskd;

/// <summary>
/// The skip connection of one reverse block, Eq. 2: D ← conv1×1(D ⊕ att(D, conv1(E) ⊕ conv2(E))), where
/// conv1 is 3×3 and conv2 7×7, both stride 2 (Fig. 1 caption; "stride 2 to align with the input size of
/// the next block"), so E has twice D's resolution; with stride 1 (the Deeper reading) E has D's resolution.
/// The teacher feature E has no gradient, so these convolutions never need an input gradient. Output has
/// D's channels and resolution.
/// </summary>
public sealed class SkipAttention : Module<Tensor, Tensor, Tensor>
{
    readonly Conv2d conv1, conv2, fuse;
    readonly SkipGate att;

    /// <param name="decoderChannels">channels of D</param>
    /// <param name="teacherChannels">channels of E</param>
    /// <param name="skipChannels">output channels of each of conv1 and conv2</param>
    /// <param name="stride">of conv1 and conv2: E's resolution over D's (2 as in the paper, or 1)</param>
    public SkipAttention(long decoderChannels, long teacherChannels, long skipChannels, DskdAttention attention, int reduction, int stride = 2) : base("SkipAttention")
    {
        conv1 = Conv2d(teacherChannels, skipChannels, 3, stride: stride, padding: 1);
        conv2 = Conv2d(teacherChannels, skipChannels, 7, stride: stride, padding: 3);
        att = new SkipGate(decoderChannels, 2 * skipChannels, attention, reduction);
        fuse = Conv2d(decoderChannels + 2 * skipChannels, decoderChannels, 1);
        RegisterComponents();
    }

    /// <param name="decoder">D: [B, Cd, h, w]</param>
    /// <param name="teacher">E: [B, Ce, stride·h, stride·w]</param>
    public override Tensor forward(Tensor decoder, Tensor teacher)
    {
        using var scope = NewDisposeScope();
        var skip = cat(new[] { conv1.forward(teacher), conv2.forward(teacher) }, 1);
        var gated = att.forward(decoder, skip);
        return fuse.forward(cat(new[] { decoder, gated }, 1)).MoveToOuterDisposeScope();
    }
}
