using TorchSharp;

namespace Workbench.Runtime;

/// <summary>Seeds torch (CPU and CUDA) and returns a seeded System.Random for host-side choices.</summary>
public static class Seeding
{
    public static Random Seed(int seed)
    {
        TorchRuntime.EnsureLoaded();
        torch.manual_seed(seed);
        if (torch.cuda.is_available()) torch.cuda.manual_seed_all(seed);
        return new Random(seed);
    }

    /// <summary>Sets intra-op threads (0 = leave libtorch's default, which is the core count).</summary>
    public static void SetThreads(int threads)
    {
        TorchRuntime.EnsureLoaded();
        if (threads > 0) torch.set_num_threads(threads);
    }
}
