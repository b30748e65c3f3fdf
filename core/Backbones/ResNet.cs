using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Backbones;

/// <summary>
/// torchvision.models.ResNet with the same module tree, so parameter and buffer names
/// (`conv1.weight`, `layer1.0.downsample.0.weight`, `bn1.num_batches_tracked`, `fc.bias`)
/// match a torchvision state_dict one to one. Trainable like any module (a student is a
/// randomly initialised ResNet); <see cref="Teacher"/> is the frozen wrapper.
/// </summary>
public sealed class ResNet : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly MaxPool2d maxpool;
    private readonly Sequential layer1;
    private readonly Sequential? layer2;
    private readonly Sequential? layer3;
    private readonly Sequential? layer4;
    private readonly AdaptiveAvgPool2d? avgpool;
    private readonly Linear? fc;

    public ResNetSpec Spec { get; }

    /// <summary>Number of residual stages built (layer1..layer{Stages}).</summary>
    public int Stages { get; }

    /// <param name="withFc">build avgpool + fc (the classifier); needs all four stages</param>
    /// <param name="stages">build only layer1..layer{stages} (a teacher that stops at layer3 has no layer4 weights to hold)</param>
    public ResNet(ResNetSpec spec, bool withFc = true, int stages = 4, long numClasses = 1000) : base(spec.Name)
    {
        if (stages is < 1 or > 4) throw new ArgumentException($"stages must be 1..4, got {stages}");
        if (withFc && stages != 4) throw new ArgumentException("withFc needs all four stages");
        Spec = spec;
        Stages = stages;
        long inplanes = 64;
        conv1 = Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false);
        bn1 = BatchNorm2d(64);
        relu = ReLU(inplace: true);
        maxpool = MaxPool2d(3, stride: 2, padding: 1);
        layer1 = MakeLayer(spec, ref inplanes, 64, spec.Layers[0], 1);
        if (stages >= 2) layer2 = MakeLayer(spec, ref inplanes, 128, spec.Layers[1], 2);
        if (stages >= 3) layer3 = MakeLayer(spec, ref inplanes, 256, spec.Layers[2], 2);
        if (stages >= 4) layer4 = MakeLayer(spec, ref inplanes, 512, spec.Layers[3], 2);
        if (withFc)
        {
            avgpool = AdaptiveAvgPool2d(1);
            fc = Linear(512 * spec.Expansion, numClasses);
        }
        RegisterComponents();
        InitialiseLikeTorchvision();
    }

    static Sequential MakeLayer(ResNetSpec spec, ref long inplanes, long planes, int blocks, long stride)
    {
        long outChannels = planes * spec.Expansion;
        Module<Tensor, Tensor>? downsample = null;
        if (stride != 1 || inplanes != outChannels)
            downsample = Sequential(new StridedPointwiseConv(inplanes, outChannels, stride), BatchNorm2d(outChannels));
        var list = new List<Module<Tensor, Tensor>>();
        for (int i = 0; i < blocks; i++)
        {
            long inp = i == 0 ? inplanes : outChannels;
            long s = i == 0 ? stride : 1;
            var ds = i == 0 ? downsample : null;
            list.Add(spec.Bottleneck
                ? new Bottleneck($"{i}", inp, planes, s, ds, 1, spec.WidthPerGroup)
                : new BasicBlock($"{i}", inp, planes, s, ds));
        }
        inplanes = outChannels;
        return Sequential(list.ToArray());
    }

    /// <summary>torchvision: kaiming normal (fan_out, relu) for convs, BN weight 1 and bias 0;
    /// Linear keeps its default init; zero_init_residual is off by default.</summary>
    void InitialiseLikeTorchvision()
    {
        using var _ = no_grad();
        foreach (var (_, m) in named_modules())
        {
            if (m is Conv2d conv) init.kaiming_normal_(conv.weight!, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
            else if (m is StridedPointwiseConv pw) init.kaiming_normal_(pw.Weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
            else if (m is BatchNorm2d bn) { init.ones_(bn.weight!); init.zeros_(bn.bias!); }
        }
    }

    Sequential Stage(int i) => i switch
    {
        1 => layer1,
        2 => layer2 ?? throw new InvalidOperationException("layer2 not built"),
        3 => layer3 ?? throw new InvalidOperationException("layer3 not built"),
        4 => layer4 ?? throw new InvalidOperationException("layer4 not built"),
        _ => throw new ArgumentOutOfRangeException(nameof(i)),
    };

    /// <summary>Outputs of layer1..layer{lastStage} for [B,3,H,W]; later stages and the head are not run.</summary>
    public Tensor[] Features(Tensor x, int lastStage = 3)
    {
        if (lastStage < 1 || lastStage > Stages)
            throw new ArgumentException($"lastStage must be 1..{Stages} for this {Spec.Name} (built with {Stages} stages), got {lastStage}");
        var outs = new Tensor[lastStage];
        using (var scope = NewDisposeScope())
        {
            var h = maxpool.forward(relu.forward(bn1.forward(conv1.forward(x))));
            for (int i = 1; i <= lastStage; i++)
            {
                h = Stage(i).forward(h);
                outs[i - 1] = h;
            }
            foreach (var o in outs) o.MoveToOuterDisposeScope();
        }
        return outs;
    }

    /// <summary>Classifier logits [B,numClasses] (needs withFc).</summary>
    public override Tensor forward(Tensor x)
    {
        if (fc is null || avgpool is null) throw new InvalidOperationException($"{Spec.Name} was built without fc; use Features()");
        using var scope = NewDisposeScope();
        var h = Features(x, 4)[3];
        return fc.forward(avgpool.forward(h).flatten(1)).MoveToOuterDisposeScope();
    }
}
