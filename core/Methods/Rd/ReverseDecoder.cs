using TorchSharp.Modules;
using Workbench.Backbones;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Methods.Rd;

/// <summary>
/// The reverse-distillation student: mirrors the teacher's layer3..layer1, each stage doubling the
/// resolution. Returns features aligned with the teacher's [layer1, layer2, layer3] (RD4AD de_resnet.py;
/// note its stage k uses the teacher's block count layers[k-1], i.e. [3,4,6] for WRN-50, [2,2,2] for ResNet-18).
/// </summary>
public sealed class ReverseDecoder : Module<Tensor, Tensor[]>
{
    readonly Sequential layer1, layer2, layer3;

    public ReverseDecoder(ResNetSpec spec) : base("ReverseDecoder")
    {
        int exp = spec.Bottleneck ? DeBottleneck.Expansion : DeBasicBlock.Expansion;
        long inplanes = 512 * exp;
        layer1 = Stage(spec, ref inplanes, 256, spec.Layers[0]);
        layer2 = Stage(spec, ref inplanes, 128, spec.Layers[1]);
        layer3 = Stage(spec, ref inplanes, 64, spec.Layers[2]);
        RegisterComponents();
    }

    static Sequential Stage(ResNetSpec spec, ref long inplanes, long planes, int blocks)
    {
        int exp = spec.Bottleneck ? DeBottleneck.Expansion : DeBasicBlock.Expansion;
        var up = Sequential(ConvTranspose2d(inplanes, planes * exp, 2, stride: 2, bias: false), BatchNorm2d(planes * exp));
        var list = new List<Module<Tensor, Tensor>>();
        list.Add(spec.Bottleneck ? new DeBottleneck(inplanes, planes, 2, up, spec.WidthPerGroup) : new DeBasicBlock(inplanes, planes, 2, up));
        inplanes = planes * exp;
        for (int i = 1; i < blocks; i++)
            list.Add(spec.Bottleneck ? new DeBottleneck(inplanes, planes, 1, null, spec.WidthPerGroup) : new DeBasicBlock(inplanes, planes));
        return Sequential(list.ToArray());
    }

    /// <returns>[level1 (finest), level2, level3], matching the teacher's layer1..layer3.</returns>
    public override Tensor[] forward(Tensor x)
    {
        var a = layer1.forward(x);
        var b = layer2.forward(a);
        var c = layer3.forward(b);
        return new[] { c, b, a };
    }
}
