using TorchSharp.Modules;
using Workbench.Distillation;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Methods.Dskd;

/// <summary>
/// The anomaly score map fusion network (Fig. 2): six maps (3 levels × 2 students) → one map in [0,1].
/// hidden &gt; 0: 1×1 conv 6→h, ReLU, 1×1 h→1, sigmoid (the h→1 layer is a channel matmul because its input
/// needs a gradient: oneDNN bug, README Known issues). hidden = 0: the paper's literal "six 1×1
/// convolution parameters", conv 6→1, ReLU, sigmoid — output in [0.5, 1). The input maps are detached.
/// </summary>
public sealed class FusionNet : Module<Tensor, Tensor>
{
    public const int Inputs = 6;
    readonly Conv2d first;
    readonly ChannelMatmul? head;

    public FusionNet(int hidden) : base("FusionNet")
    {
        first = Conv2d(Inputs, hidden > 0 ? hidden : 1, 1);
        if (hidden > 0)
        {
            head = new ChannelMatmul(hidden, 1, zeroBias: true);
        }
        RegisterComponents();
    }

    /// <param name="maps">[B,6,H,W] per-level anomaly maps at the image size</param>
    /// <returns>[B,1,H,W] in [0,1]</returns>
    public override Tensor forward(Tensor maps)
    {
        using var scope = NewDisposeScope();
        var h = functional.relu(first.forward(maps.detach()));
        if (head is not null)
            h = head.forward(h);
        return functional.sigmoid(h).MoveToOuterDisposeScope();
    }
}
