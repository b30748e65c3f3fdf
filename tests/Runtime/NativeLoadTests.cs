using TorchSharp;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Runtime;

public class NativeLoadTests
{
    [Fact]
    public void TensorOpRunsWithKnownResult()
    {
        TorchRuntime.EnsureLoaded();
        using var a = tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        using var b = a.matmul(a);
        Assert.Equal(new float[] { 7, 10, 15, 22 }, b.data<float>().ToArray());
    }

    [Fact]
    public void ConvForwardMatchesHandComputedSum()
    {
        TorchRuntime.EnsureLoaded();
        // A 3×3 all-ones kernel over a 4×4 image of ones with padding 1 counts the in-bounds
        // neighbours: 4 in corners, 6 on edges, 9 inside.
        using var x = ones(1, 1, 4, 4);
        using var w = ones(1, 1, 3, 3);
        using var y = nn.functional.conv2d(x, w, padding: new long[] { 1, 1 });
        var v = y.data<float>().ToArray();
        Assert.Equal(new float[] { 4, 6, 6, 4, 6, 9, 9, 6, 6, 9, 9, 6, 4, 6, 6, 4 }, v);
    }

    [Fact]
    public void BuildOutputLibraryIsPatchedWhenSystemLibStdCxxIsOld()
    {
        var dir = TorchRuntime.FindNativeDirectory();
        Assert.NotNull(dir);
        var lib = Path.Combine(dir!, "libLibTorchSharp.so");
        var needs = ElfVersionNeeds.Read(File.ReadAllBytes(lib), lib);
        var need = needs.SingleOrDefault(n => n.Version == "GLIBCXX_3.4.32");
        Assert.NotNull(need);
        var stdcxx = ElfVersionNeeds.FindSystemLibStdCxx();
        bool systemHasIt = stdcxx != null && ElfVersionNeeds.LibraryDefinesVersion(stdcxx, "GLIBCXX_3.4.32");
        // Patched exactly when needed: weak iff the system lacks the version.
        Assert.Equal(!systemHasIt, need!.Weak);
        Assert.StartsWith(systemHasIt ? "not needed" : "applied", TorchRuntime.NativeFixStatus());
    }

    [Fact]
    public void MarkWeakChangesOnlyTheNamedVersionAndIsIdempotent()
    {
        var dir = TorchRuntime.FindNativeDirectory()!;
        var bytes = File.ReadAllBytes(Path.Combine(dir, "libLibTorchSharp.so"));
        // Start from an unpatched image: clear the weak flag first.
        foreach (var n in ElfVersionNeeds.Read(bytes, "lib")) bytes[n.FlagsOffset] &= unchecked((byte)~ElfVersionNeeds.VerFlgWeak);
        var before = ElfVersionNeeds.Read(bytes, "lib");
        Assert.All(before, n => Assert.False(n.Weak));
        var changed = ElfVersionNeeds.MarkWeak(bytes, "lib", new[] { "GLIBCXX_3.4.32" });
        Assert.Equal(new[] { "GLIBCXX_3.4.32" }, changed);
        var after = ElfVersionNeeds.Read(bytes, "lib");
        Assert.Equal(before.Count, after.Count);
        Assert.All(after, n => Assert.Equal(n.Version == "GLIBCXX_3.4.32", n.Weak));
        Assert.Empty(ElfVersionNeeds.MarkWeak(bytes, "lib", new[] { "GLIBCXX_3.4.32" }));
    }

    [Fact]
    public void NonElfInputIsRejectedWithItsName()
    {
        var e = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(new byte[100], "some/file.so"));
        Assert.Contains("some/file.so", e.Message);
    }
}
