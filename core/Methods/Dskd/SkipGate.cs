using TorchSharp.Modules;
using Workbench.Distillation;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Methods.Dskd;

/// <summary>
/// att(D, S) of Eq. 2, this workbench's reading (the paper names an attention module but not its form):
/// CBAM-style gating (Woo et al., ECCV 2018) of the skip features S conditioned on the decoder feature D.
/// Channel gate: sigmoid(MLP(global-average-pool([D, S]))) per channel of S. Spatial gate:
/// sigmoid(7×7 conv of [channel-mean, channel-max] of [D, S]). Returns S ⊙ channel gate ⊙ spatial gate.
/// oneDNN note: the spatial map is 2 → 16 channels by conv (16 is safe) and 16 → 1 by a channel matmul,
/// since a 1-output conv whose input needs a gradient gets wrong input gradients (README Known issues).
/// </summary>
public sealed class SkipGate : Module<Tensor, Tensor, Tensor>
{
    public const int SpatialHidden = 16;
    readonly DskdAttention kind;
    readonly Linear? fc1, fc2;
    readonly Conv2d? spatial;
    readonly ChannelMatmul? spatialHead;

    /// <param name="decoderChannels">channels of D</param>
    /// <param name="skipChannels">channels of S (both convolutions together)</param>
    public SkipGate(long decoderChannels, long skipChannels, DskdAttention kind, int reduction) : base("SkipGate")
    {
        this.kind = kind;
        if (kind != DskdAttention.None)
        {
            long hidden = Math.Max(8, (decoderChannels + skipChannels) / Math.Max(1, reduction));
            fc1 = Linear(decoderChannels + skipChannels, hidden);
            fc2 = Linear(hidden, skipChannels);
        }
        if (kind == DskdAttention.ChannelSpatial)
        {
            spatial = Conv2d(2, SpatialHidden, 7, padding: 3);
            spatialHead = new ChannelMatmul(SpatialHidden, 1, zeroBias: true);
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor decoder, Tensor skip)
    {
        if (kind == DskdAttention.None) return skip.alias();
        using var scope = NewDisposeScope();
        var joined = cat(new[] { decoder, skip }, 1);
        var pooled = joined.mean(new long[] { 2, 3 });
        var channelGate = functional.sigmoid(fc2!.forward(functional.relu(fc1!.forward(pooled))));
        var gated = skip * channelGate.unsqueeze(-1).unsqueeze(-1);
        if (kind == DskdAttention.ChannelSpatial)
        {
            var desc = cat(new[] { joined.mean(new long[] { 1 }, keepdim: true), joined.amax(new long[] { 1 }, keepdim: true) }, 1);
            var h = functional.relu(spatial!.forward(desc));
            var logit = spatialHead!.forward(h);
            gated = gated * functional.sigmoid(logit);
        }
        return gated.MoveToOuterDisposeScope();
    }
}
