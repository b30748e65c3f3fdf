using TorchSharp.Modules;
using Workbench.Backbones;
using Workbench.Methods.Rd;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Methods.Dskd;

/// <summary>
/// D_r's decoder: RD4AD's reverse stages (de_resnet.py, built like <see cref="ReverseDecoder"/>) with one
/// <see cref="SkipAttention"/> per stage. SkipSource Deeper (default): before the stage that reconstructs
/// level t, its input D^(t+1) is fused with E^(t+1) at the same resolution (stride-1 convs; Eq. 2's indices;
/// no skip before the first stage, whose E^4 the teacher does not compute); Target: its input (at E^t's half
/// resolution) is fused with E^t through the stride-2 convs (reads the level it must reconstruct); Shallower:
/// after stage t, its output is fused with E^(t−1) (the teacher stem for t = 1); None: no skips (plain RD4AD).
/// </summary>
public sealed class SkipReverseDecoder : Module<Tensor, Tensor[], Tensor[]>
{
    readonly Sequential layer1, layer2, layer3;
    readonly ModuleList<SkipAttention> skips;
    readonly DskdSkipSource source;

    /// <summary>Channels of the teacher stem (conv1 output), the level-0 source of the Shallower skip.</summary>
    public const long StemChannels = 64;

    public SkipReverseDecoder(ResNetSpec spec, DskdSkipSource source, DskdAttention attention, int reduction) : base("SkipReverseDecoder")
    {
        this.source = source;
        int exp = spec.Bottleneck ? DeBottleneck.Expansion : DeBasicBlock.Expansion;
        long inplanes = 512 * exp;
        var c = spec.StageChannels; // teacher layer1..4 channels
        var stageIn = new List<long>();
        stageIn.Add(inplanes); layer1 = Stage(spec, ref inplanes, 256, spec.Layers[0]);
        stageIn.Add(inplanes); layer2 = Stage(spec, ref inplanes, 128, spec.Layers[1]);
        stageIn.Add(inplanes); layer3 = Stage(spec, ref inplanes, 64, spec.Layers[2]);
        skips = new ModuleList<SkipAttention>();
        // Stage k (0..2) reconstructs level t = 3 − k.
        for (int k = 0; k < 3 && source != DskdSkipSource.None; k++)
        {
            int t = 3 - k;
            if (source == DskdSkipSource.Deeper)
            {
                if (t < 3) skips.Add(new SkipAttention(stageIn[k], c[t], c[t], attention, reduction, stride: 1));   // E^(t+1): c[t]
            }
            else if (source == DskdSkipSource.Target)
                skips.Add(new SkipAttention(stageIn[k], c[t - 1], c[t - 1], attention, reduction));
            else
            {
                long src = t == 1 ? StemChannels : c[t - 2];
                skips.Add(new SkipAttention(c[t - 1], src, src, attention, reduction));
            }
        }
        RegisterComponents();
    }

    public DskdSkipSource Source => source;

    static Sequential Stage(ResNetSpec spec, ref long inplanes, long planes, int blocks)
    {
        int exp = spec.Bottleneck ? DeBottleneck.Expansion : DeBasicBlock.Expansion;
        var up = Sequential(ConvTranspose2d(inplanes, planes * exp, 2, stride: 2, bias: false), BatchNorm2d(planes * exp));
        var list = new List<Module<Tensor, Tensor>>
        {
            spec.Bottleneck ? new DeBottleneck(inplanes, planes, 2, up, spec.WidthPerGroup) : new DeBasicBlock(inplanes, planes, 2, up),
        };
        inplanes = planes * exp;
        for (int i = 1; i < blocks; i++)
            list.Add(spec.Bottleneck ? new DeBottleneck(inplanes, planes, 1, null, spec.WidthPerGroup) : new DeBasicBlock(inplanes, planes));
        return Sequential(list.ToArray());
    }

    /// <param name="x">the bottleneck embedding</param>
    /// <param name="teacher">[stem, E1, E2, E3]: the teacher stem (only read by Shallower; may be empty otherwise) and layer1..3</param>
    /// <returns>[level1, level2, level3], aligned with the teacher's layer1..layer3</returns>
    public override Tensor[] forward(Tensor x, Tensor[] teacher)
    {
        var stages = new[] { layer1, layer2, layer3 };
        var outs = new Tensor[3];
        for (int k = 0; k < 3; k++)
        {
            int t = 3 - k;
            if (source == DskdSkipSource.Deeper && t < 3) x = skips[k - 1].forward(x, teacher[t + 1]);
            if (source == DskdSkipSource.Target) x = skips[k].forward(x, teacher[t]);
            x = stages[k].forward(x);
            if (source == DskdSkipSource.Shallower) x = skips[k].forward(x, teacher[t - 1]);
            outs[t - 1] = x;
        }
        return outs;
    }
}

/// <summary>D_r: RD4AD's one-class bottleneck on E1..E3, then the skip-attention decoder.</summary>
public sealed class ReverseStudent : Module<Tensor[], Tensor[]>
{
    readonly OneClassBottleneck bn;
    readonly SkipReverseDecoder decoder;

    public ReverseStudent(ResNetSpec spec, DskdConfig cfg) : base("ReverseStudent")
    {
        bn = new OneClassBottleneck(spec);
        decoder = new SkipReverseDecoder(spec, cfg.SkipSource, cfg.Attention, cfg.AttentionReduction);
        RegisterComponents();
    }

    public long BottleneckParameters => bn.parameters().Sum(p => p.numel());
    public long SkipParameters => decoder.named_parameters().Where(p => p.name.StartsWith("skips.")).Sum(p => p.parameter.numel());

    /// <param name="teacher">[stem, E1, E2, E3] (stem may be a placeholder unless SkipSource is Shallower)</param>
    /// <returns>[level1, level2, level3]</returns>
    public override Tensor[] forward(Tensor[] teacher) => decoder.forward(bn.forward(teacher[1..]), teacher);
}
