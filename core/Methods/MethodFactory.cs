using Workbench.Backbones;
using Workbench.Methods.Dmdd;
using Workbench.Methods.Dskd;
using Workbench.Methods.Fd;
using Workbench.Methods.Rd;
using Workbench.Methods.Snl;
using static TorchSharp.torch;

namespace Workbench.Methods;

/// <summary>Builds a method from its config: the registry the trainer, CLI and scripts share.</summary>
public static class MethodFactory
{
    public static readonly IReadOnlyList<string> Names = new[] { "fd", "rd", "snl-fd", "snl-rd", "dskd", "dmdd" };

    /// <summary>Default config for a method name, with the teacher chosen by the caller.</summary>
    public static MethodConfig DefaultConfig(string method) => method switch
    {
        "fd" => new FdConfig(),
        "rd" => new RdConfig(),
        "dmdd" => new DmddConfig(),
        "snl-fd" => new SnlConfig { Base = "fd" },
        "snl-rd" => new SnlConfig { Base = "rd" },
        "dskd" => new DskdConfig(),
        _ => throw new ArgumentException($"--method {method}: unknown method; expected one of {string.Join(", ", Names)}"),
    };

    /// <param name="seed">seeds the student's initialisation (and a random teacher)</param>
    public static IAnomalyMethod Create(MethodConfig config, Device device, int seed)
    {
        Runtime.Seeding.Seed(seed);
        var teacher = Teacher.Create(config.Teacher, config.TeacherWeights, seed, device, lastStage: 3);
        Runtime.Seeding.Seed(seed + 1);
        return config switch
        {
            FdConfig fd => new FdMethod(fd, teacher, device),
            RdConfig rd => new RdMethod(rd, teacher, device),
            DmddConfig dmdd => new DmddMethod(dmdd, teacher, device),
            SnlConfig snl => new SnlMethod(snl, teacher, device),
            DskdConfig dskd => new DskdMethod(dskd, teacher, device),
            _ => throw new ArgumentException($"no implementation for method config {config.GetType().Name}"),
        };
    }
}
