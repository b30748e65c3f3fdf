using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Backbones;

/// <summary>torchvision's Bottleneck (ResNet v1.5: the stride sits on the 3×3 conv2):
/// 1×1 reduce, 3×3, 1×1 expand ×4. Inner width = planes·baseWidth/64·groups, so
/// wide_resnet50_2 (baseWidth 128) doubles it. Field names are torchvision's.</summary>
public sealed class Bottleneck : Module<Tensor, Tensor>
{
    public const int Expansion = 4;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly ReLU relu;
    private readonly Module<Tensor, Tensor>? downsample;

    public Bottleneck(string name, long inplanes, long planes, long stride = 1, Module<Tensor, Tensor>? downsample = null,
                      long groups = 1, long baseWidth = 64) : base(name)
    {
        long width = planes * baseWidth / 64 * groups;
        conv1 = Conv2d(inplanes, width, 1, bias: false);
        bn1 = BatchNorm2d(width);
        conv2 = Conv2d(width, width, 3, stride: stride, padding: 1, groups: groups, bias: false);
        bn2 = BatchNorm2d(width);
        conv3 = Conv2d(width, planes * Expansion, 1, bias: false);
        bn3 = BatchNorm2d(planes * Expansion);
        relu = ReLU(inplace: true);
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var identity = downsample is null ? x : downsample.forward(x);
        var y = relu.forward(bn1.forward(conv1.forward(x)));
        y = relu.forward(bn2.forward(conv2.forward(y)));
        y = bn3.forward(conv3.forward(y));
        return relu.forward(y.add_(identity)).MoveToOuterDisposeScope();
    }
}
