using TorchSharp.Modules;
using Workbench.Backbones;
using Workbench.Methods.Rd;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Methods.Snl;

/// <summary>A student whose three blocks each end in a CRAM (none when CRAM is switched off).</summary>
public interface ICramStudent
{
    IReadOnlyList<CentralResidualAggregation> Crams { get; }
    /// <summary>The teacher level (0 = layer1) whose features CRAM <paramref name="cram"/> sits on.</summary>
    int TeacherLevelOf(int cram);
}

static class CramStack
{
    public static ModuleList<CentralResidualAggregation> Build(SnlConfig cfg, IEnumerable<long> channels) =>
        new(cfg.UseCram
            ? channels.Select(c => new CentralResidualAggregation(c, cfg.CramCentres, cfg.CramAlphaInit)).ToArray()
            : Array.Empty<CentralResidualAggregation>());

    public static Tensor Apply(ModuleList<CentralResidualAggregation> crams, int i, Tensor x) =>
        crams.Count == 0 ? x : crams[i].forward(x);

    /// <summary>A named child of a module we do not own (the backbones keep their stages private).</summary>
    public static Module<Tensor, Tensor> Child(Module parent, string name) =>
        parent.named_children().First(c => c.name == name).module as Module<Tensor, Tensor>
        ?? throw new InvalidOperationException($"{parent.GetName()} has no tensor module '{name}'");
}

/// <summary>SNL-FD student: the FD student (a ResNet like the teacher, random init) with CRAM after layer1..3.</summary>
public sealed class SnlFdStudent : Module<Tensor, Tensor[]>, ICramStudent
{
    readonly ResNet resnet;
    readonly ModuleList<CentralResidualAggregation> cram;
    // Not registered again: these are resnet's own children, looked up by their torchvision names.
    readonly Module<Tensor, Tensor>[] stemAndStages;

    public SnlFdStudent(SnlConfig cfg) : base("SnlFdStudent")
    {
        var spec = ResNetSpec.Get(cfg.Teacher);
        resnet = new ResNet(spec, withFc: false, stages: 3);   // as FdMethod builds it, so the initialisation matches FD
        cram = CramStack.Build(cfg, spec.StageChannels[..3]);
        RegisterComponents();
        stemAndStages = new[] { "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3" }
            .Select(n => CramStack.Child(resnet, n)).ToArray();
    }

    public IReadOnlyList<CentralResidualAggregation> Crams => cram.ToList();
    public int TeacherLevelOf(int cram) => cram;

    public override Tensor[] forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var h = images;
        for (int i = 0; i < 4; i++) h = stemAndStages[i].forward(h);
        var outs = new Tensor[3];
        for (int i = 0; i < 3; i++)
        {
            h = CramStack.Apply(cram, i, stemAndStages[4 + i].forward(h));
            outs[i] = h;
        }
        foreach (var o in outs) o.MoveToOuterDisposeScope();
        return outs;
    }
}

/// <summary>SNL-RD student: RD4AD's OCBE and reverse decoder with CRAM after each decoder stage.</summary>
public sealed class SnlRdStudent : Module<Tensor[], Tensor[]>, ICramStudent
{
    readonly OneClassBottleneck bn;
    readonly ReverseDecoder decoder;
    readonly ModuleList<CentralResidualAggregation> cram;
    readonly Module<Tensor, Tensor>[] stages;   // decoder's own layer1..3 (coarsest first)

    public SnlRdStudent(SnlConfig cfg) : base("SnlRdStudent")
    {
        var spec = ResNetSpec.Get(cfg.Teacher);
        bn = new OneClassBottleneck(spec);   // as RdStudent, same init order
        decoder = new ReverseDecoder(spec);
        // decoder stage k outputs the teacher's layer(4−k) channels: coarsest first
        cram = CramStack.Build(cfg, new[] { spec.StageChannels[2], spec.StageChannels[1], spec.StageChannels[0] });
        RegisterComponents();
        stages = new[] { "layer1", "layer2", "layer3" }.Select(n => CramStack.Child(decoder, n)).ToArray();
    }

    public IReadOnlyList<CentralResidualAggregation> Crams => cram.ToList();
    public int TeacherLevelOf(int cram) => 2 - cram;   // decoder stages run coarsest first

    /// <returns>[level1 (finest), level2, level3], aligned with the teacher.</returns>
    public override Tensor[] forward(Tensor[] teacherFeatures)
    {
        using var scope = NewDisposeScope();
        var h = bn.forward(teacherFeatures);
        var outs = new Tensor[3];
        for (int i = 0; i < 3; i++)
        {
            h = CramStack.Apply(cram, i, stages[i].forward(h));
            outs[2 - i] = h;
        }
        foreach (var o in outs) o.MoveToOuterDisposeScope();
        return outs;
    }
}
