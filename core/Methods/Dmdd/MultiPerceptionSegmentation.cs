using Workbench.Distillation;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Methods.Dmdd;

/// <summary>Squeeze-and-excitation channel attention: x · σ(FC(ReLU(FC(avgpool x)))).</summary>
public sealed class ChannelAttention : Module<Tensor, Tensor>
{
    readonly Linear fc1, fc2;

    public ChannelAttention(long channels, long reduction = 4) : base("ChannelAttention")
    {
        fc1 = Linear(channels, Math.Max(1, channels / reduction));
        fc2 = Linear(Math.Max(1, channels / reduction), channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var s = x.mean(new long[] { 2, 3 });
        var g = functional.sigmoid(fc2.forward(functional.relu(fc1.forward(s))));
        return (x * g.unsqueeze(-1).unsqueeze(-1)).MoveToOuterDisposeScope();
    }
}

/// <summary>CBAM spatial attention: x · σ(conv7×7([mean_c x, max_c x])), the 2 → 1 conv as unfold + matmul.</summary>
public sealed class SpatialAttention : Module<Tensor, Tensor>
{
    readonly UnfoldConv conv;

    public SpatialAttention(long kernel = 7) : base("SpatialAttention")
    {
        conv = new UnfoldConv(2, 1, kernel);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var pooled = cat(new[] { x.mean(new long[] { 1 }, keepdim: true), x.amax(new long[] { 1 }, keepdim: true) }, 1);
        return (x * functional.sigmoid(conv.forward(pooled))).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// DMDD's Multi-perception Segmentation Network (our reading of "focused anomaly map fusion based on
/// multiple attention"): parallel 3×3 branches with dilation 1, 2, 4 (three receptive fields) on the
/// stacked anomaly maps, concatenated, channel attention, spatial attention, a 1×1 fuse (+BN+ReLU)
/// and a 1×1 head to one logit channel (a channel matmul: see <see cref="ChannelMatmul"/>).
/// Returns logits [B,1,h,w] at the input's resolution; apply sigmoid for the map.
/// </summary>
public sealed class MultiPerceptionSegmentation : Module<Tensor, Tensor>
{
    public static readonly long[] Dilations = { 1, 2, 4 };
    readonly ModuleList<Sequential> branches;
    readonly ChannelAttention channel;
    readonly SpatialAttention spatial;
    readonly Sequential fuse;
    readonly ChannelMatmul head;

    public MultiPerceptionSegmentation(long inChannels, long width) : base("MultiPerceptionSegmentation")
    {
        branches = new ModuleList<Sequential>(Dilations.Select(d =>
            Sequential(Conv2d(inChannels, width, 3, padding: d, dilation: d, bias: false), BatchNorm2d(width), ReLU())).ToArray());
        long cat = width * Dilations.Length;
        channel = new ChannelAttention(cat);
        spatial = new SpatialAttention();
        fuse = Sequential(Conv2d(cat, width, 1, bias: false), BatchNorm2d(width), ReLU());
        head = new ChannelMatmul(width, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = cat(branches.Select(b => b.forward(x)).ToArray(), 1);
        y = spatial.forward(channel.forward(y));
        return head.forward(fuse.forward(y)).MoveToOuterDisposeScope();
    }
}

/// <summary>Focal loss (γ) on logits plus soft Dice per image, both averaged over the batch.</summary>
public static class SegmentationLoss
{
    public static Tensor Focal(Tensor logits, Tensor target, double gamma)
    {
        using var scope = NewDisposeScope();
        var p = functional.sigmoid(logits);
        var logP = functional.logsigmoid(logits);
        var log1mP = functional.logsigmoid(-logits);
        var l = -(target * (1 - p).pow(gamma) * logP + (1 - target) * p.pow(gamma) * log1mP);
        return l.mean().MoveToOuterDisposeScope();
    }

    public static Tensor Dice(Tensor logits, Tensor target, double smooth = 1.0)
    {
        using var scope = NewDisposeScope();
        var p = functional.sigmoid(logits).flatten(1);
        var t = target.flatten(1);
        var d = 1 - (2 * (p * t).sum(1) + smooth) / (p.sum(1) + t.sum(1) + smooth);
        return d.mean().MoveToOuterDisposeScope();
    }
}
