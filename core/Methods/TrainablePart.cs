using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Workbench.Methods;

/// <summary>
/// One trainable part of a method, as a checkpoint stores it: a module (its parameters and buffers, e.g.
/// BatchNorm running statistics and CRAM's centres and temperature) and the optimiser that steps it.
/// The frozen teacher is never a part: it is rebuilt from the config (and, when random, the run's seed).
/// </summary>
/// <param name="Name">names the part in the checkpoint (checkpoint.zip's weights/&lt;Name&gt;.bin); stable across versions</param>
public sealed record TrainablePart(string Name, nn.Module Module, OptimizerHelper Optimiser);

/// <summary>
/// How the one-stream layout of checkpoints written before the weights/optimiser split (checkpoint.zip's
/// method.bin) ordered a method's parts; needed only to read those checkpoints.
/// </summary>
public enum LegacyStateOrder
{
    /// <summary>Each part's weights, then that part's optimiser state (FD, RD, SNL, DMDD).</summary>
    EachPartThenItsOptimiser,
    /// <summary>Every part's weights, then every part's optimiser state (DSKD).</summary>
    AllWeightsThenAllOptimisers,
}
