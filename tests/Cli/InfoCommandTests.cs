using Workbench.Runtime;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Cli;

/// <summary>`workbench info` and --libtorch / WORKBENCH_LIBTORCH, in child processes.</summary>
public class InfoCommandTests
{
    [Fact]
    public void ByDefaultThePackagesLibTorchIsLoadedAndItsVersionReported()
    {
        var (code, output) = CliProcess.Run("info");
        Assert.True(code == 0, output);
        var native = TorchRuntime.FindNativeDirectory()!;
        Assert.Contains($"{LibTorchLocation.PackageSource}: {native}", output);
        Assert.Contains(Path.Combine(native, "libtorch_cpu.so"), output); // what /proc/self/maps shows
        Assert.Matches(@"(?m)^libtorch:\s+2\.10\.0 \(from .*libtorch\.version\)", output);
        Assert.DoesNotContain("warning", output);
    }

    [Fact]
    public void NamingThePackagesFolderWorksThroughOptionAndEnvironment()
    {
        var native = TorchRuntime.FindNativeDirectory()!;
        var (code, output) = CliProcess.Run("info", "--libtorch", native);
        Assert.True(code == 0, output);
        Assert.Contains("asked by --libtorch", output);
        var (code2, output2) = CliProcess.Run(new Dictionary<string, string> { [LibTorchLocation.EnvironmentVariable] = native }, "info");
        Assert.True(code2 == 0, output2);
        Assert.Contains("asked by WORKBENCH_LIBTORCH", output2);
    }

    [Fact]
    public void AnotherLibTorchNextToThePackagesCopyIsRefusedBeforeLoadingInsteadOfAborting()
    {
        // A second folder with libtorch_cpu.so: loading it in a build that carries its own copy would put two
        // libtorch copies in the process (libtorch aborts on the duplicate operator registration).
        using var tmp = new TempDir();
        var native = TorchRuntime.FindNativeDirectory()!;
        File.CreateSymbolicLink(tmp.File("libtorch_cpu.so"), Path.Combine(native, "libtorch_cpu.so"));
        var (code, output) = CliProcess.Run("info", "--libtorch", tmp.Path);
        Assert.Equal(2, code);
        Assert.Contains("cannot be used by this build", output);
        Assert.Contains("LibTorchNatives=exclude", output);
    }

    [SkippableFact]
    public void AskingForCudaWithACpuLibTorchSaysWhyAndWhereToGetOne()
    {
        TorchRuntime.EnsureLoaded();
        Skip.If(TorchSharp.torch.cuda.is_available(), "CUDA is available here");
        var (code, output) = CliProcess.Run("info", "--device", "cuda");
        Assert.Equal(2, code);
        Assert.Contains("has no libtorch_cuda.so", output);
        Assert.Contains("--libtorch", output);
    }

    [Fact]
    public void AMissingFolderIsAnErrorNamingTheOption()
    {
        var (code, output) = CliProcess.Run("info", "--libtorch", "/no/such/libtorch");
        Assert.Equal(2, code);
        Assert.Contains("error: --libtorch /no/such/libtorch: no such folder", output);
    }
}
