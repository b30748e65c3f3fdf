using Workbench.Runtime;
using Workbench.Tests.Fixtures;

namespace Workbench.Tests.Runtime;

/// <summary>Which folder libtorch is loaded from (LibTorchLocation) and how its version is read (LibTorchVersionReader).</summary>
public class LibTorchLocationTests
{
    static (string?, string?) NoPython() => (null, "python3: not found");

    static string FakeLibTorch(string dir)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "libtorch_cpu.so"), "");
        return dir;
    }

    [Fact]
    public void DefaultIsThePackagesCopyWhenTheBuildHasOne()
    {
        using var tmp = new TempDir();
        var package = FakeLibTorch(tmp.File("native"));
        var l = LibTorchLocation.Resolve(null, "WORKBENCH_LIBTORCH", package, () => throw new InvalidOperationException("python must not be asked"));
        Assert.Equal(package, l.Directory);
        Assert.Equal(LibTorchLocation.PackageSource, l.Source);
    }

    [Fact]
    public void DefaultWithoutThePackagesCopyAsksPythonAndSaysWhyWhenThatFails()
    {
        using var tmp = new TempDir();
        var bundleNative = Directory.CreateDirectory(tmp.File("bundle")).FullName; // a shim, no libtorch
        var torchLib = FakeLibTorch(tmp.File("site-packages/torch/lib"));
        var found = LibTorchLocation.Resolve("", "WORKBENCH_LIBTORCH", bundleNative, () => (torchLib, null));
        Assert.Equal(torchLib, found.Directory);
        Assert.StartsWith("installed PyTorch", found.Source);

        var e = Assert.Throws<ArgumentException>(() => LibTorchLocation.Resolve(null, "WORKBENCH_LIBTORCH", bundleNative, NoPython));
        Assert.Contains("python3: not found", e.Message);
        Assert.Contains("--libtorch", e.Message);
    }

    [Fact]
    public void AFolderIsUsedAsIsOrThroughItsLibFolder()
    {
        using var tmp = new TempDir();
        var lib = FakeLibTorch(tmp.File("torch/lib"));
        Assert.Equal(lib, LibTorchLocation.Resolve(lib, "--libtorch", null, NoPython).Directory);
        var viaRoot = LibTorchLocation.Resolve(tmp.File("torch"), "--libtorch", null, NoPython);
        Assert.Equal(lib, viaRoot.Directory);
        Assert.Equal("--libtorch", viaRoot.Source);
    }

    [Fact]
    public void ABadFolderIsRejectedNamingTheOptionAndTheFolder()
    {
        using var tmp = new TempDir();
        var missing = Assert.Throws<ArgumentException>(() => LibTorchLocation.Resolve(tmp.File("nope"), "--libtorch", null, NoPython));
        Assert.Contains("--libtorch", missing.Message);
        Assert.Contains("no such folder", missing.Message);
        var empty = Assert.Throws<ArgumentException>(() => LibTorchLocation.Resolve(tmp.Path, "WORKBENCH_LIBTORCH", null, NoPython));
        Assert.Contains("WORKBENCH_LIBTORCH", empty.Message);
        Assert.Contains("libtorch_cpu.so", empty.Message);
        var noPackage = Assert.Throws<ArgumentException>(() => LibTorchLocation.Resolve("package", "--libtorch", tmp.Path, NoPython));
        Assert.Contains("--libtorch package", noPackage.Message);
    }

    [Fact]
    public void NamingThePackagesOwnFolderIsReportedAsThePackagesCopy()
    {
        using var tmp = new TempDir();
        var package = FakeLibTorch(tmp.File("native"));
        var l = LibTorchLocation.Resolve(package + "/", "--libtorch", package, NoPython);
        Assert.StartsWith(LibTorchLocation.PackageSource, l.Source);
    }

    [Fact]
    public void VersionComesFromPyTorchsVersionFileWithItsCudaVersion()
    {
        using var tmp = new TempDir();
        var lib = FakeLibTorch(tmp.File("torch/lib"));
        File.WriteAllText(tmp.File("torch/version.py"),
            "from typing import Optional\n__all__ = ['__version__']\n__version__ = '2.11.0+cu130'\ndebug = False\ncuda: Optional[str] = '13.0'\n");
        var v = LibTorchVersionReader.Read(lib)!;
        Assert.Equal("2.11.0+cu130", v.Version);
        Assert.Equal("2.11", v.MajorMinor);
        Assert.Contains("CUDA 13.0", v.Evidence);
        var warning = LibTorchVersionReader.MismatchWarning(v, "2.10.0");
        Assert.NotNull(warning);
        Assert.Contains("2.11.0+cu130", warning);
        Assert.Contains("2.10", warning);
    }

    [Fact]
    public void VersionComesFromALibTorchArchiveTheBuildsMarkerOrANuGetFolder()
    {
        using var tmp = new TempDir();
        var archive = FakeLibTorch(tmp.File("libtorch/lib"));
        File.WriteAllText(tmp.File("libtorch/build-version"), "2.10.0+cpu\n");
        Assert.Equal("2.10.0+cpu", LibTorchVersionReader.Read(archive)!.Version);
        Assert.Null(LibTorchVersionReader.MismatchWarning(LibTorchVersionReader.Read(archive), "2.10.0.0"));

        var output = FakeLibTorch(tmp.File("bin/runtimes/linux-x64/native"));
        Assert.Null(LibTorchVersionReader.Read(output));
        Assert.Contains("could not be read", LibTorchVersionReader.MismatchWarning(null, "2.10.0"));
        File.WriteAllText(Path.Combine(output, LibTorchVersionReader.MarkerFile), "2.10.0 libtorch-cpu-linux-x64\n");
        Assert.Equal("2.10.0", LibTorchVersionReader.Read(output)!.Version);

        var nuget = FakeLibTorch(tmp.File("packages/libtorch-cuda-12.8-linux-x64/2.10.0/runtimes/linux-x64/native"));
        var n = LibTorchVersionReader.Read(nuget)!;
        Assert.Equal("2.10.0", n.Version);
        Assert.Contains("libtorch-cuda-12.8-linux-x64", n.Evidence);
    }

    [Fact]
    public void TheBuildOutputCarriesTheMarkerOfItsPackageVersion()
    {
        var dir = TorchRuntime.FindNativeDirectory();
        Assert.NotNull(dir);
        var v = LibTorchVersionReader.Read(dir!);
        Assert.NotNull(v);
        Assert.Equal(LibTorchVersionReader.MajorMinor(LibTorchVersionReader.BuiltFor), v!.MajorMinor);
    }

    [SkippableFact]
    public void PythonDiscoveryReadsWhatTheInterpreterPrintsAndReportsItsError()
    {
        Skip.If(OperatingSystem.IsWindows(), "stand-in interpreters are shell scripts");
        using var tmp = new TempDir();
        var lib = FakeLibTorch(tmp.File("torch/lib"));
        var good = tmp.File("python-good");
        File.WriteAllText(good, $"#!/bin/sh\necho '{lib}'\n");
        var bad = tmp.File("python-bad");
        File.WriteAllText(bad, "#!/bin/sh\necho 'Traceback (most recent call last):' >&2\necho \"ModuleNotFoundError: No module named 'torch'\" >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows())
            foreach (var f in new[] { good, bad }) File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var saved = Environment.GetEnvironmentVariable(PythonTorch.InterpreterVariable);
        try
        {
            Environment.SetEnvironmentVariable(PythonTorch.InterpreterVariable, good);
            Assert.Equal((lib, (string?)null), PythonTorch.FindLibDirectory());
            Environment.SetEnvironmentVariable(PythonTorch.InterpreterVariable, bad);
            var (dir, error) = PythonTorch.FindLibDirectory();
            Assert.Null(dir);
            Assert.Contains("No module named 'torch'", error);
            Environment.SetEnvironmentVariable(PythonTorch.InterpreterVariable, tmp.File("no-such-python"));
            Assert.Null(PythonTorch.FindLibDirectory().Directory);
        }
        finally { Environment.SetEnvironmentVariable(PythonTorch.InterpreterVariable, saved); }
    }
}
