using System.CommandLine;
using Workbench.Engine;
using Workbench.Methods;
using Workbench.Methods.Fd;
using Workbench.Methods.Rd;

namespace Workbench.Cli.Commands;

/// <summary>The data, method and training options shared by train / eval / predict.</summary>
public sealed class RunOptions
{
    public readonly Option<string> Method = new("--method") { Description = string.Join(" | ", Workbench.Methods.MethodFactory.Names), DefaultValueFactory = _ => "rd" };
    public readonly Option<string> DataFormat = new("--data-format") { Description = "synthetic | mvtec | mpdd | visa | cifar10", DefaultValueFactory = _ => "synthetic" };
    public readonly Option<string?> DataRoot = new("--data-root") { Description = "dataset root (synthetic: generated there when missing; default runs/data/synthetic-<size>)" };
    public readonly Option<string[]> Categories = new("--categories") { Description = "categories (space or comma separated); default: all under the root", AllowMultipleArgumentsPerToken = true };
    public readonly Option<string> Protocol = new("--protocol") { Description = "one-class | multi-class", DefaultValueFactory = _ => "one-class" };
    public readonly Option<int> Size = new("--size") { Description = "image size (square)", DefaultValueFactory = _ => 128 };
    public readonly Option<int> Epochs = new("--epochs") { Description = "epochs of the main phase (method default when 0)", DefaultValueFactory = _ => 0 };
    public readonly Option<int> BatchSize = new("--batch-size") { Description = "batch size", DefaultValueFactory = _ => 16 };
    public readonly Option<int> Seed = new("--seed") { Description = "seed for data order, initialisation and synthesis", DefaultValueFactory = _ => 0 };
    public readonly Option<string> Teacher = new("--teacher") { Description = "resnet18 | resnet34 | resnet50 | wide_resnet50_2", DefaultValueFactory = _ => "resnet18" };
    public readonly Option<string> TeacherWeights = new("--teacher-weights") { Description = "path to .pth/.safetensors ImageNet weights, or 'random' (labelled NOT pretrained)", DefaultValueFactory = _ => "random" };
    public readonly Option<double?> LearningRate = new("--lr") { Description = "learning rate (method default when absent)" };
    public readonly Option<int> EvalEvery = new("--eval-every") { Description = "evaluate every N epochs (0 = at the end only)", DefaultValueFactory = _ => 0 };
    public readonly Option<string[]> MethodOption = new("--option") { Description = "method option Key=value (repeatable), e.g. --option Loss=PerPosition --option Sigma=0", AllowMultipleArgumentsPerToken = false };
    public readonly Option<int> MaxSteps = new("--max-steps") { Description = "cap optimisation steps per epoch (0 = full epochs; for smoke runs)", DefaultValueFactory = _ => 0 };

    public readonly Option<string> MetricsDevice = new("--metrics-device") { Description = "auto | cpu: where the metrics are computed (auto: the training device, i.e. the tensor path on a GPU; cpu: maps copied to the CPU first)", DefaultValueFactory = _ => "auto" };

    /// <summary>A console trainer with --metrics-device applied (train and eval take the option).</summary>
    public Trainer Trainer(ParseResult p) => new(ProgressSinks.ForConsole(), Console.Out) { MetricsDevice = p.GetValue(MetricsDevice) ?? "auto" };

    public void AddData(Command c) { c.Add(DataFormat); c.Add(DataRoot); c.Add(Categories); c.Add(Protocol); c.Add(Size); c.Add(Seed); c.Add(BatchSize); }
    public readonly Option<bool> Rd4adPro = new("--rd4ad-pro") { Description = "also report RD4AD's per-image PRO next to AUPRO (the definition of RD4AD's and DSKD's published PRO)" };
    /// <summary>Every option <see cref="AddData"/> and <see cref="AddTraining"/> add.</summary>
    public IEnumerable<Option> DataAndTraining =>
        [DataFormat, DataRoot, Categories, Protocol, Size, Seed, BatchSize, Method, Epochs, Teacher, TeacherWeights, LearningRate, EvalEvery, MaxSteps, Rd4adPro, MethodOption];
    public void AddTraining(Command c) { c.Add(Method); c.Add(Epochs); c.Add(Teacher); c.Add(TeacherWeights); c.Add(LearningRate); c.Add(EvalEvery); c.Add(MaxSteps); c.Add(Rd4adPro); c.Add(MethodOption); }

    public DataConfig Data(ParseResult p)
    {
        int size = p.GetValue(Size);
        if (size < 32 || size % 32 != 0) throw new ArgumentException($"--size {size}: must be a positive multiple of 32 (the backbones downsample by 32)");
        var format = p.GetValue(DataFormat) ?? "synthetic";
        var root = p.GetValue(DataRoot) ?? (format == "synthetic" ? Path.Combine("runs", "data", $"synthetic-{size}") : throw new ArgumentException($"--data-root is required for --data-format {format}"));
        var cats = (p.GetValue(Categories) ?? Array.Empty<string>()).SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var protocol = p.GetValue(Protocol) ?? "one-class";
        if (protocol is not ("one-class" or "multi-class")) throw new ArgumentException($"--protocol {protocol}: expected one-class or multi-class");
        return new DataConfig(format, root, cats, protocol, size);
    }

    public MethodConfig MethodConfig(ParseResult p)
    {
        var cfg = MethodFactory.DefaultConfig(p.GetValue(Method) ?? "rd") with
        {
            Teacher = p.GetValue(Teacher) ?? "resnet18",
            TeacherWeights = p.GetValue(TeacherWeights) ?? "random",
        };
        int epochs = p.GetValue(Epochs);
        if (epochs < 0) throw new ArgumentException("--epochs must be ≥ 0");
        if (epochs > 0) cfg = cfg with { Epochs = epochs };
        if (p.GetValue(LearningRate) is double lr)
            cfg = cfg switch { RdConfig r => r with { LearningRate = lr }, FdConfig f => f with { LearningRate = lr }, _ => cfg };
        return MethodOptions.Apply(cfg, p.GetValue(MethodOption) ?? Array.Empty<string>());
    }
}
