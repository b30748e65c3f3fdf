using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Methods.Rd;

// The reverse student's blocks: a ResNet block where the stride-2 3×3 conv becomes a 2×2 stride-2
// transposed conv, and the shortcut ("upsample") too (RD4AD de_resnet.py: deBasicBlock, deBottleneck).
// Parameter names follow that file so its checkpoints would map one to one.

/// <summary>Mirror of torchvision's BasicBlock that doubles the resolution when stride = 2.</summary>
public sealed class DeBasicBlock : Module<Tensor, Tensor>
{
    public const int Expansion = 1;
    readonly Module<Tensor, Tensor> conv1, conv2;
    readonly BatchNorm2d bn1, bn2;
    readonly Module<Tensor, Tensor>? upsample;

    public DeBasicBlock(long inplanes, long planes, long stride = 1, Module<Tensor, Tensor>? upsample = null) : base("DeBasicBlock")
    {
        conv1 = stride == 2
            ? ConvTranspose2d(inplanes, planes, 2, stride: 2, bias: false)
            : Conv2d(inplanes, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(planes);
        conv2 = Conv2d(planes, planes, 3, padding: 1, bias: false);
        bn2 = BatchNorm2d(planes);
        this.upsample = upsample;
        RegisterComponents();
        Rd4adInit.Apply(this);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = functional.relu(bn1.forward(conv1.forward(x)));
        y = bn2.forward(conv2.forward(y));
        var identity = upsample is null ? x : upsample.forward(x);
        return functional.relu(y + identity).MoveToOuterDisposeScope();
    }
}

/// <summary>Mirror of torchvision's Bottleneck (v1.5: the 3×3 carries the stride) for up-sampling.</summary>
public sealed class DeBottleneck : Module<Tensor, Tensor>
{
    public const int Expansion = 4;
    readonly Module<Tensor, Tensor> conv1, conv2, conv3;
    readonly BatchNorm2d bn1, bn2, bn3;
    readonly Module<Tensor, Tensor>? upsample;

    public DeBottleneck(long inplanes, long planes, long stride = 1, Module<Tensor, Tensor>? upsample = null, long baseWidth = 64) : base("DeBottleneck")
    {
        long width = planes * baseWidth / 64;
        conv1 = Conv2d(inplanes, width, 1, bias: false);
        bn1 = BatchNorm2d(width);
        conv2 = stride == 2
            ? ConvTranspose2d(width, width, 2, stride: 2, bias: false)
            : Conv2d(width, width, 3, stride: stride, padding: 1, bias: false);
        bn2 = BatchNorm2d(width);
        conv3 = Conv2d(width, planes * Expansion, 1, bias: false);
        bn3 = BatchNorm2d(planes * Expansion);
        this.upsample = upsample;
        RegisterComponents();
        Rd4adInit.Apply(this);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = functional.relu(bn1.forward(conv1.forward(x)));
        y = functional.relu(bn2.forward(conv2.forward(y)));
        y = bn3.forward(conv3.forward(y));
        var identity = upsample is null ? x : upsample.forward(x);
        return functional.relu(y + identity).MoveToOuterDisposeScope();
    }
}
