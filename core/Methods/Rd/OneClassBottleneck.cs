using TorchSharp.Modules;
using Workbench.Backbones;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Methods.Rd;

/// <summary>
/// RD4AD's one-class bottleneck embedding (OCBE, resnet.py BN_layer): layer1 → two 3×3 stride-2
/// conv+BN+ReLU, layer2 → one, concatenated with layer3, then one ResNet stage (stride 2 in its first
/// block) to 512·expansion channels at 1/32 of the input. Channels scale with the teacher's block type.
/// </summary>
public sealed class OneClassBottleneck : Module<Tensor[], Tensor>
{
    readonly Conv2d conv1, conv2, conv3;
    readonly BatchNorm2d bn1, bn2, bn3;
    readonly Sequential bn_layer;

    /// <summary>Blocks in the OCBE stage as the official factories build it (resnet.py): 2 for resnet18,
    /// 3 for resnet34, resnet50 and wide_resnet50_2.</summary>
    public static int OfficialBlocks(ResNetSpec spec) => spec.Name == "resnet18" ? 2 : 3;

    public OneClassBottleneck(ResNetSpec spec) : this(spec, OfficialBlocks(spec)) { }

    public OneClassBottleneck(ResNetSpec spec, int blocks) : base("OneClassBottleneck")
    {
        int exp = spec.Bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        conv1 = Conv2d(64 * exp, 128 * exp, 3, stride: 2, padding: 1, bias: false);
        bn1 = BatchNorm2d(128 * exp);
        conv2 = Conv2d(128 * exp, 256 * exp, 3, stride: 2, padding: 1, bias: false);
        bn2 = BatchNorm2d(256 * exp);
        conv3 = Conv2d(128 * exp, 256 * exp, 3, stride: 2, padding: 1, bias: false);
        bn3 = BatchNorm2d(256 * exp);

        long inplanes = 256 * exp * 3, planes = 512;
        var down = Sequential(Conv2d(inplanes, planes * exp, 1, stride: 2, bias: false), BatchNorm2d(planes * exp));
        var list = new List<Module<Tensor, Tensor>>
        {
            spec.Bottleneck
                ? new Bottleneck("bn_layer.0", inplanes, planes, 2, down, baseWidth: spec.WidthPerGroup)
                : new BasicBlock("bn_layer.0", inplanes, planes, 2, down),
        };
        for (int i = 1; i < blocks; i++)
            list.Add(spec.Bottleneck
                ? new Bottleneck($"bn_layer.{i}", planes * exp, planes, baseWidth: spec.WidthPerGroup)
                : new BasicBlock($"bn_layer.{i}", planes * exp, planes));
        bn_layer = Sequential(list.ToArray());
        RegisterComponents();
        Rd4adInit.Apply(this);
    }

    public override Tensor forward(Tensor[] f)
    {
        using var scope = NewDisposeScope();
        var l1 = functional.relu(bn2.forward(conv2.forward(functional.relu(bn1.forward(conv1.forward(f[0]))))));
        var l2 = functional.relu(bn3.forward(conv3.forward(f[1])));
        var joined = cat(new[] { l1, l2, f[2] }, 1);
        return bn_layer.forward(joined).contiguous().MoveToOuterDisposeScope();
    }
}
