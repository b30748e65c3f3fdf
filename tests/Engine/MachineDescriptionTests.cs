using Workbench.Engine;

namespace Workbench.Tests.Engine;

/// <summary>A manifest names the CPU model: CPU runs with equal seed, code and threads still differ between models.</summary>
public class MachineDescriptionTests
{
    [Fact]
    public void Names_the_cpu_model_from_proc_cpuinfo()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim()
            : null;
        var description = RunManifest.MachineDescription();
        Assert.Contains($"{Environment.ProcessorCount} cores", description);
        if (model is null) Assert.Contains(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(), description);
        else Assert.Contains(model, description);
    }
}
