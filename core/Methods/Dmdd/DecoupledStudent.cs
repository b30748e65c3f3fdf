using TorchSharp.Modules;
using Workbench.Backbones;
using Workbench.Methods.Rd;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Methods.Dmdd;

/// <summary>Normality and abnormality features per level, each [B,C_l,H_l,W_l] like the teacher's.</summary>
public sealed record DecoupledFeatures(Tensor[] Normality, Tensor[] Abnormality);

/// <summary>
/// One level's decoupling (DMDD "Decouple Student-Teacher Network"; our reading): a 1×1 expansion
/// C → E·C (+BN+ReLU), then two equal branches, each a 3×3 conv E·C → C + BN + ReLU, giving S_n and S_a.
/// Every conv has a multiple of 16 output channels (teacher channels 64/128/256…), so oneDNN's
/// gradient bug does not apply.
/// </summary>
public sealed class DecoupleHead : Module<Tensor, (Tensor Normality, Tensor? Abnormality)>
{
    readonly Sequential expand, normality;
    readonly Sequential? abnormality;

    public DecoupleHead(long channels, int expansion, bool withAbnormality) : base("DecoupleHead")
    {
        long wide = channels * expansion;
        expand = Sequential(Conv2d(channels, wide, 1, bias: false), BatchNorm2d(wide), ReLU());
        normality = Branch(wide, channels);
        if (withAbnormality) abnormality = Branch(wide, channels);
        RegisterComponents();
    }

    static Sequential Branch(long wide, long channels) =>
        Sequential(Conv2d(wide, channels, 3, padding: 1, bias: false), BatchNorm2d(channels), ReLU());

    public override (Tensor Normality, Tensor? Abnormality) forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var e = expand.forward(x);
        var n = normality.forward(e).MoveToOuterDisposeScope();
        var a = abnormality?.forward(e).MoveToOuterDisposeScope();
        return (n, a);
    }
}

/// <summary>
/// The RD reverse student (OCBE + reverse decoder, <see cref="Rd"/>) whose per-level outputs are
/// decoupled into normality and abnormality features by a <see cref="DecoupleHead"/> each.
/// </summary>
public sealed class DecoupledStudent : Module<Tensor[], DecoupledFeatures>
{
    readonly OneClassBottleneck bn;
    readonly ReverseDecoder decoder;
    readonly ModuleList<DecoupleHead> heads;
    public bool HasAbnormality { get; }

    public DecoupledStudent(ResNetSpec spec, int expansion, bool withAbnormality) : base("DecoupledStudent")
    {
        bn = new OneClassBottleneck(spec);
        decoder = new ReverseDecoder(spec);
        int exp = spec.Bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        heads = new ModuleList<DecoupleHead>(new[] { 64L, 128L, 256L }.Select(c => new DecoupleHead(c * exp, expansion, withAbnormality)).ToArray());
        HasAbnormality = withAbnormality;
        RegisterComponents();
    }

    public override DecoupledFeatures forward(Tensor[] teacherFeatures)
    {
        using var scope = NewDisposeScope();
        var levels = decoder.forward(bn.forward(teacherFeatures));
        var n = new Tensor[levels.Length];
        var a = new Tensor[HasAbnormality ? levels.Length : 0];
        for (int i = 0; i < levels.Length; i++)
        {
            var (sn, sa) = heads[i].forward(levels[i]);
            n[i] = sn.MoveToOuterDisposeScope();
            if (HasAbnormality) a[i] = sa!.MoveToOuterDisposeScope();
        }
        return new DecoupledFeatures(n, a);
    }
}
