using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Distillation;

/// <summary>
/// A 1×1 convolution written as a channel matmul (einsum). Used where a conv would have an output
/// channel count not divisible by 16 and an input that needs a gradient: libtorch's oneDNN conv
/// backward-data returns wrong input gradients there (root README, Known issues). Shared by the
/// DSKD fusion/attention heads and the DMDD segmentation net.
/// </summary>
public sealed class ChannelMatmul : Module<Tensor, Tensor>
{
    readonly Parameter weight, bias;

    /// <param name="zeroBias">start the bias at 0 instead of Conv2d's U(±1/√fan_in)</param>
    public ChannelMatmul(long inChannels, long outChannels, bool zeroBias = false) : base("ChannelMatmul")
    {
        // Same initialisation as Conv2d's default (kaiming-uniform a = √5 ⇒ U(±1/√fan_in)).
        double bound = 1.0 / Math.Sqrt(inChannels);
        weight = Parameter(empty(outChannels, inChannels).uniform_(-bound, bound));
        bias = Parameter(zeroBias ? zeros(outChannels) : empty(outChannels).uniform_(-bound, bound));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        einsum("bchw,oc->bohw", x, weight) + bias.reshape(1, -1, 1, 1);
}

/// <summary>
/// A k×k convolution (padding k/2, stride 1) written as unfold + matmul, for the same reason as
/// <see cref="ChannelMatmul"/> (CBAM's 2 → 1 channel spatial-attention conv).
/// </summary>
public sealed class UnfoldConv : Module<Tensor, Tensor>
{
    readonly Parameter weight, bias;
    readonly long kernel;

    public UnfoldConv(long inChannels, long outChannels, long kernel) : base("UnfoldConv")
    {
        this.kernel = kernel;
        double bound = 1.0 / Math.Sqrt(inChannels * kernel * kernel);
        weight = Parameter(empty(outChannels, inChannels * kernel * kernel).uniform_(-bound, bound));
        bias = Parameter(empty(outChannels).uniform_(-bound, bound));
        RegisterComponents();
    }

    /// <summary>The weight in conv2d layout [out, in, k, k] (for reference checks).</summary>
    public Tensor ConvWeight => weight.reshape(weight.shape[0], -1, kernel, kernel);
    public Tensor Bias => bias;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], h = x.shape[2], w = x.shape[3];
        var cols = functional.unfold(x, kernel, padding: kernel / 2);          // [B, C·k·k, H·W]
        var y = matmul(weight, cols) + bias.reshape(1, -1, 1);              // [B, O, H·W]
        return y.reshape(b, -1, h, w).MoveToOuterDisposeScope();
    }
}
