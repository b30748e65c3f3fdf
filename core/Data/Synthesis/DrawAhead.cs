namespace Workbench.Data.Synthesis;

/// <summary>
/// Computes a pure host-side draw for the seeds that come next, on worker threads, while the device
/// works on the current step. The trainer's step seeds run consecutively within an epoch
/// (Trainer.StepSeed), so after seed s it draws s+1 … s+<see cref="Depth"/> for the same batch shape.
/// A draw depends only on (shape, seed), so the result is the same whether it was drawn ahead or on
/// demand; a wrong guess (an epoch's first step, a smaller last batch) only costs the wasted work.
/// Why: DMDD's texture-noise pairs are drawn in managed code one image after another (Perlin masks,
/// procedural textures: about 0.1 s per 256 px image on one core), which starved a GPU.
/// </summary>
/// <typeparam name="T">the draw, e.g. masks and textures as arrays</typeparam>
public sealed class DrawAhead<T>(Func<DrawKey, T> draw, int depth)
{
    /// <summary>Environment variable overriding the depth (0 = draw on demand only), for measurements.</summary>
    public const string DepthVariable = "WORKBENCH_SYNTHESIS_AHEAD";

    readonly Dictionary<DrawKey, Task<T>> pending = new();
    readonly object gate = new();
    (DrawKey Key, T Value)? last; // a step may ask twice for one seed (DMDD's joint segmentation step)

    public int Depth { get; } = Math.Max(0, depth);

    /// <summary>Depth for images on <paramref name="device"/>: none on the CPU (its cores run the step), else
    /// one draw per spare core (two kept for the training thread and the batch loader) up to 16;
    /// $WORKBENCH_SYNTHESIS_AHEAD overrides both.</summary>
    public static int DefaultDepth(TorchSharp.torch.Device device)
    {
        var env = Environment.GetEnvironmentVariable(DepthVariable);
        if (!string.IsNullOrWhiteSpace(env))
            return int.TryParse(env, out var n) && n >= 0 ? n : throw new ArgumentException($"{DepthVariable}={env}: expected a whole number ≥ 0");
        return device.type == TorchSharp.DeviceType.CPU ? 0 : Math.Clamp(Environment.ProcessorCount - 2, 0, 16);
    }

    /// <summary>The draw for <paramref name="key"/> (waiting for it when drawn ahead), then the next ones started.</summary>
    public T Take(DrawKey key)
    {
        Task<T>? ready;
        lock (gate)
        {
            if (last is { } l && l.Key == key) return l.Value;
            pending.Remove(key, out ready);
            // Forget draws that can no longer be asked for in this run of seeds (another shape, or behind).
            foreach (var stale in pending.Keys.Where(k => k.Shape != key.Shape || k.Seed < key.Seed || k.Seed > key.Seed + Depth).ToList())
                pending.Remove(stale);
            for (int i = 1; i <= Depth; i++)
            {
                var next = key with { Seed = (int)((key.Seed + (long)i) % int.MaxValue) };
                if (!pending.ContainsKey(next)) pending[next] = Task.Run(() => draw(next));
            }
        }
        var value = ready != null ? ready.GetAwaiter().GetResult() : draw(key);
        lock (gate) last = (key, value);
        return value;
    }
}

/// <summary>What a draw depends on: the batch shape and the step seed.</summary>
public readonly record struct DrawKey(int Batch, int Height, int Width, int Seed)
{
    public (int, int, int) Shape => (Batch, Height, Width);
}
