using Workbench.Methods;

namespace Workbench.Engine;

/// <summary>
/// Reads the checkpoint layout from before weights and optimiser states were split (issue 19): one
/// method.bin entry holding every trainable part's module state and optimiser state in one stream, ordered
/// by the method's <see cref="IAnomalyMethod.LegacyStateOrder"/>. Hundreds of existing run folders hold it,
/// and experiments reuse them (evaluation variants, scoring), so it is read as it was written, never rewritten.
/// </summary>
static class LegacyCheckpoint
{
    public const string EntryName = "method.bin";

    /// <summary>Reads the method's parts and stops: bytes after them (a part the method lacks, such as a DMDD
    /// Segmentation=false variant's segmentation net) are left unread, as the old loaders did.</summary>
    public static void Read(BinaryReader reader, IAnomalyMethod method)
    {
        var parts = method.TrainableParts;
        switch (method.LegacyStateOrder)
        {
            case LegacyStateOrder.EachPartThenItsOptimiser:
                foreach (var p in parts) { p.Module.load(reader); p.Optimiser.load_state_dict(reader); }
                break;
            case LegacyStateOrder.AllWeightsThenAllOptimisers:
                foreach (var p in parts) p.Module.load(reader);
                foreach (var p in parts) p.Optimiser.load_state_dict(reader);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method.LegacyStateOrder, $"{method.Name}: unknown legacy state order");
        }
    }
}
