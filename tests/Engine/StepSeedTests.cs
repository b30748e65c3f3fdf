using Workbench.Data.Synthesis;
using Workbench.Engine;
using Workbench.Methods.Dmdd;
using Workbench.Methods.Dskd;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Engine;

/// <summary>Issue 16 item 2: every (run seed, phase, epoch, step) of a schedule gets its own synthesis draw.</summary>
public class StepSeedTests
{
    [Fact]
    public void EveryStepOfWholeSchedulesHasItsOwnSeed()
    {
        // Bottle at the papers' length: 200 epochs × 13 steps in each phase, for each of three run seeds.
        foreach (int run in new[] { 0, 1, 2 })
        {
            var seeds = new List<int>();
            foreach (var phase in new[] { DmddMethod.StudentPhase, DmddMethod.SegmentationPhase, DskdMethod.FusionPhase })
                for (int epoch = 0; epoch < 200; epoch++)
                    for (int step = 0; step < 13; step++)
                        seeds.Add(Trainer.StepSeed(run, phase, epoch, step));
            Assert.Equal(seeds.Count, seeds.Distinct().Count());
        }
    }

    [Fact]
    public void NeighbouringEpochsDoNotShareDraws()
    {
        // The old rule (epoch seed + step, epoch seed + 1 per epoch) gave epoch e step s+1 = epoch e+1 step s.
        Assert.NotEqual(Trainer.StepSeed(0, "fusion", 0, 1), Trainer.StepSeed(0, "fusion", 1, 0));
    }

    [Fact]
    public void TextureNoiseDrawsAreDistinctOverABottleFusionSchedule()
    {
        TorchRuntime.EnsureLoaded();
        using var x = full(new long[] { 1, 3, 32, 32 }, 0.5f);
        var noise = new TextureNoise();
        var draws = new HashSet<string>();
        int n = 0;
        for (int epoch = 0; epoch < 20; epoch++)
            for (int step = 0; step < 13; step++, n++)
            {
                using var r = noise.Apply(x, Trainer.StepSeed(0, DskdMethod.FusionPhase, epoch, step));
                var key = string.Join(",", r.Betas.Select(b => b.ToString("R"))) + "|" + string.Join("", r.Masks.flatten().data<float>().Select(v => v > 0.5f ? '1' : '0'));
                draws.Add(key);
            }
        Assert.Equal(n, draws.Count);
    }

    [Fact]
    public void StepsPerEpochKeepsTheLastPartialBatch()
    {
        // RD4AD's loader (PyTorch default, drop_last=False): 209 bottle images at batch 16 are 14 steps.
        Assert.Equal(14, Trainer.StepsPerEpoch(209, 16, 0));
        Assert.Equal(13, Trainer.StepsPerEpoch(208, 16, 0));
        Assert.Equal(1, Trainer.StepsPerEpoch(3, 16, 0));
        Assert.Equal(2, Trainer.StepsPerEpoch(209, 16, 2));
    }
}
