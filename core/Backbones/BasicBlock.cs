using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Backbones;

/// <summary>torchvision's BasicBlock: two 3×3 convs with batch norm and an identity (or
/// downsample) shortcut. Field names are torchvision's so state_dict keys match.</summary>
public sealed class BasicBlock : Module<Tensor, Tensor>
{
    public const int Expansion = 1;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Module<Tensor, Tensor>? downsample;

    public BasicBlock(string name, long inplanes, long planes, long stride = 1, Module<Tensor, Tensor>? downsample = null,
                      long groups = 1, long baseWidth = 64) : base(name)
    {
        if (groups != 1 || baseWidth != 64)
            throw new ArgumentException("BasicBlock only supports groups=1 and baseWidth=64 (as torchvision)");
        conv1 = Conv2d(inplanes, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(planes);
        relu = ReLU(inplace: true);
        conv2 = Conv2d(planes, planes, 3, stride: 1, padding: 1, bias: false);
        bn2 = BatchNorm2d(planes);
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var identity = downsample is null ? x : downsample.forward(x);
        var y = relu.forward(bn1.forward(conv1.forward(x)));
        y = bn2.forward(conv2.forward(y));
        return relu.forward(y.add_(identity)).MoveToOuterDisposeScope();
    }
}
