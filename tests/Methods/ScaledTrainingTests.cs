using Workbench.Methods;
using Workbench.Methods.Dmdd;
using Workbench.Methods.Dskd;
using Workbench.Methods.Fd;

namespace Workbench.Tests.Methods;

public class ScaledTrainingTests
{
    [Fact]
    public void LaterPhasesScaleWithTheMainPhase()
    {
        // experiment 1's equal-steps runs: 8 → 60 epochs, so 20 fusion/segmentation epochs → 150
        var dskd = (DskdConfig)new DskdConfig { Epochs = 8, FusionSteps = 20 }.WithScaledTraining(60);
        Assert.Equal((60, 150), (dskd.Epochs, dskd.FusionSteps));
        var dmdd = (DmddConfig)new DmddConfig { Epochs = 8, SegmentationEpochs = 20 }.WithScaledTraining(60);
        Assert.Equal((60, 150), (dmdd.Epochs, dmdd.SegmentationEpochs));
    }

    [Fact]
    public void SinglePhaseMethodOnlyChangesEpochs()
    {
        var fd = new FdConfig { Epochs = 8 };
        Assert.Equal(fd with { Epochs = 60 }, fd.WithScaledTraining(60));
    }
}
