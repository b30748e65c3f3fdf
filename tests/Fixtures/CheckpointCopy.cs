using Workbench.Engine;
using Workbench.Methods;

namespace Workbench.Tests.Fixtures;

/// <summary>Moves one method's trained state into another through a real checkpoint file (weights and optimiser).</summary>
public static class CheckpointCopy
{
    public static void Into(IAnomalyMethod from, IAnomalyMethod to)
    {
        using var d = new TempDir();
        var path = d.File(Checkpoint.FileName);
        Checkpoint.Save(path, from, new TrainingState(0, 1, new List<EpochRecord>()));
        Checkpoint.Load(path, to);
    }
}
