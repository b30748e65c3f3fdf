using TorchSharp.Modules;
using Workbench.Backbones;
using Workbench.Methods.Rd;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Methods;

/// <summary>Issue 16 item 4: RD4AD's student as the official code builds and initialises it.</summary>
public class Rd4adInitTests
{
    [Theory]
    [InlineData("resnet18", 2)]
    [InlineData("resnet34", 3)]
    [InlineData("resnet50", 3)]
    [InlineData("wide_resnet50_2", 3)]
    public void OcbeHasTheOfficialBlockCount(string arch, int blocks)
    {
        TorchRuntime.EnsureLoaded();
        var spec = ResNetSpec.Get(arch);
        Assert.Equal(blocks, OneClassBottleneck.OfficialBlocks(spec));
        using var bn = new OneClassBottleneck(spec);
        var stage = bn.named_children().Single(c => c.name == "bn_layer").module;
        Assert.Equal(blocks, stage.named_children().Count());
    }

    [Fact]
    public void ConvolutionsAreKaimingFanOutAndTransposedConvsAreNot()
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(0);
        using var student = new RdStudent(ResNetSpec.Get("resnet18"));
        int convs = 0, transposed = 0;
        foreach (var (name, m) in student.named_modules())
        {
            if (m is Conv2d c)
            {
                var w = c.weight;
                long fanOut = w.shape[0] * w.shape[2] * w.shape[3];
                double expected = Math.Sqrt(2.0 / fanOut), std = w.std().item<float>();
                Assert.True(Math.Abs(std / expected - 1) < 0.1, $"{name}: std {std:G4}, kaiming fan_out {expected:G4}");
                convs++;
            }
            else if (m is ConvTranspose2d t)
            {
                // PyTorch's default (kaiming-uniform, a = √5) bound 1/√fan_in, fan_in = weight.size(1)·k·k.
                var w = t.weight;
                double bound = 1 / Math.Sqrt(w.shape[1] * w.shape[2] * w.shape[3]);
                Assert.True(w.abs().max().item<float>() <= bound * 1.0001, $"{name}: transposed conv left at the framework default");
                transposed++;
            }
        }
        Assert.True(convs > 10 && transposed > 3, $"{convs} convs, {transposed} transposed convs");
    }
}
