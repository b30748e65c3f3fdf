using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Backbones;

/// <summary>
/// A bias-free 1×1 convolution with stride s, computed as "take every s-th pixel, then a stride-1
/// 1×1 conv" — the same function (a 1×1 kernel with no padding only reads those pixels) and the same
/// parameter name (`weight`, [out, in, 1, 1]) as nn.Conv2d, so torchvision state dicts still map.
/// Why: libtorch 2.10's oneDNN kernel dies with SIGFPE in the input-gradient pass of a stride-2 1×1
/// conv with 1024 output channels (Bottleneck ResNets' layer3 shortcut, e.g. a trainable
/// ResNet-50/WRN-50 student); the stride-1 form is unaffected (tests/Runtime/ConvGradientTests.cs).
/// </summary>
public sealed class StridedPointwiseConv : Module<Tensor, Tensor>
{
    readonly long stride;
    readonly Parameter weight;

    public StridedPointwiseConv(long inChannels, long outChannels, long stride) : base("StridedPointwiseConv")
    {
        this.stride = stride;
        // Same initialisation as the Conv2d it replaces (kaiming-uniform, a = √5); ResNet re-initialises anyway.
        using var reference = Conv2d(inChannels, outChannels, 1, bias: false);
        weight = new Parameter(reference.weight!.detach().clone());
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var sampled = stride == 1 ? x : x[.., .., TensorIndex.Slice(null, null, stride), TensorIndex.Slice(null, null, stride)];
        return functional.conv2d(sampled, weight).MoveToOuterDisposeScope();
    }
}
