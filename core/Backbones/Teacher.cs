using TorchSharp;
using Workbench.Backbones.Weights;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Backbones;

/// <summary>
/// A frozen ResNet feature extractor: returns layer1..layer{LastStage} and never runs later
/// stages, avgpool or fc. Always in eval mode (BN running statistics never update), whatever
/// mode a surrounding model sets; parameters have requires_grad false and the forward runs
/// under no_grad. Pretrained weights come from a .pth or .safetensors file; "random" gives a
/// seeded torchvision-style initialisation that is labelled as NOT pretrained everywhere.
/// </summary>
public sealed class Teacher : nn.Module<Tensor, Tensor[]>
{
    public const string RandomWeights = "random";

    private readonly ResNet backbone;

    public ResNetSpec Spec { get; }
    public int LastStage { get; }
    /// <summary>Output channels of layer1..layer{LastStage}.</summary>
    public long[] Channels { get; }
    /// <summary>Downsampling factor of each returned map (4, 8, 16[, 32]).</summary>
    public int[] Strides { get; }
    public bool Pretrained { get; }
    /// <summary>The weights file, or null for random initialisation.</summary>
    public string? WeightsPath { get; }
    public int Seed { get; }
    public LoadReport Load { get; }
    /// <summary>One line every result can print, e.g. "resnet18 (ImageNet weights from X)" or
    /// "resnet18 RANDOM INIT seed 0 — not pretrained".</summary>
    public string Description { get; }

    /// <summary>The wrapped network (read-only use: its weights are frozen).</summary>
    public ResNet Backbone => backbone;

    Teacher(ResNet backbone, ResNetSpec spec, int lastStage, string? weightsPath, int seed, LoadReport load) : base($"teacher_{spec.Name}")
    {
        this.backbone = backbone;
        RegisterComponents();
        Spec = spec;
        LastStage = lastStage;
        Channels = spec.StageChannels[..lastStage];
        Strides = ResNetSpec.StageStrides[..lastStage];
        WeightsPath = weightsPath;
        Pretrained = weightsPath is not null;
        Seed = seed;
        Load = load;
        Description = Pretrained
            ? $"{spec.Name} layer1..layer{lastStage} (pretrained weights from {Path.GetFileName(weightsPath)})"
            : $"{spec.Name} layer1..layer{lastStage} RANDOM INIT seed {seed} — not pretrained";
        Freeze();
    }

    void Freeze()
    {
        foreach (var p in parameters()) p.requires_grad = false;
        base.train(false);
    }

    /// <param name="name">resnet18 | resnet34 | resnet50 | wide_resnet50_2</param>
    /// <param name="weights">a .pth/.pt (torch.save) or .safetensors state_dict with torchvision names, or "random"</param>
    /// <param name="seed">initialisation seed; only matters for "random" (the global torch RNG is left as it was)</param>
    /// <param name="lastStage">deepest stage returned (3 for most KD methods, 4 when asked)</param>
    public static Teacher Create(string name, string weights, int seed, Device device, int lastStage = 3)
    {
        TorchRuntime.EnsureLoaded();
        if (lastStage is < 1 or > 4) throw new ArgumentException($"lastStage must be 1..4, got {lastStage}");
        var spec = ResNetSpec.Get(name);
        bool random = string.Equals(weights?.Trim(), RandomWeights, StringComparison.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(weights)) throw new ArgumentException("teacher weights: give a .pth/.safetensors path or \"random\"");

        // Build under the requested seed without disturbing the caller's random stream.
        using var rngState = torch.random.get_rng_state();
        torch.random.manual_seed(seed);
        var net = new ResNet(spec, withFc: false, stages: lastStage);
        torch.random.set_rng_state(rngState);

        var load = LoadReport.None;
        if (random)
        {
            load = new LoadReport(Array.Empty<string>(), Array.Empty<string>(),
                net.named_parameters().Select(p => p.name).Concat(net.named_buffers().Select(b => b.name)).ToArray());
        }
        else
        {
            var state = WeightFile.Read(weights!);
            try
            {
                var prefixes = new[] { "conv1", "bn1" }.Concat(Enumerable.Range(1, lastStage).Select(i => $"layer{i}")).ToArray();
                load = StateDict.LoadInto(net, state, weights!, strict: true, prefixes);
            }
            finally
            {
                foreach (var t in state.Values) t.Dispose();
            }
        }
        var teacher = new Teacher(net, spec, lastStage, random ? null : weights, seed, load);
        teacher.to(device);
        teacher.Freeze(); // moving to another device may replace the parameter objects
        return teacher;
    }

    /// <summary>Stays in eval mode: a teacher's BN statistics must never move.</summary>
    public override void train(bool on = true) => base.train(false);

    /// <summary>layer1..layer{LastStage} features of ImageNet-normalised [B,3,H,W] images.</summary>
    public override Tensor[] forward(Tensor images)
    {
        if (backbone.training) backbone.eval(); // belt and braces if a caller reached the backbone
        using var _ = no_grad();
        return backbone.Features(images, LastStage);
    }

    /// <summary>Same as <see cref="forward"/>.</summary>
    public Tensor[] Forward(Tensor images) => forward(images);

    public long ParameterCount => parameters().Sum(p => p.numel());
}
