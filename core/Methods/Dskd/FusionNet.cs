using TorchSharp.Modules;
using Workbench.Distillation;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Workbench.Methods.Dskd;

/// <summary>
/// The anomaly score map fusion network (Fig. 2): six maps (3 levels × 2 students) → one map in [0,1].
/// Hidden: 1×1 conv 6→h, ReLU, 1×1 h→1, sigmoid (the h→1 layer is a channel matmul because its input needs a
/// gradient: oneDNN bug, README Known issues). Literal: the paper's "six 1×1 convolution parameters", conv 6→1,
/// ReLU, sigmoid — output in [0.5, 1). Linear: conv 6→1, sigmoid. The input maps are detached.
/// </summary>
public sealed class FusionNet : Module<Tensor, Tensor>
{
    public const int Inputs = 6;
    readonly Conv2d first;
    readonly ChannelMatmul? head;
    readonly bool relu;

    public FusionNet(DskdFusionForm form, int hidden = 16) : base("FusionNet")
    {
        if (form == DskdFusionForm.Hidden && hidden < 1) throw new ArgumentException($"DSKD FusionHidden must be ≥ 1 for FusionForm=Hidden, got {hidden}");
        first = Conv2d(Inputs, form == DskdFusionForm.Hidden ? hidden : 1, 1);
        if (form == DskdFusionForm.Hidden) head = new ChannelMatmul(hidden, 1, zeroBias: true);
        relu = form != DskdFusionForm.Linear;
        RegisterComponents();
    }

    /// <param name="maps">[B,6,H,W] per-level anomaly maps at the image size</param>
    /// <returns>[B,1,H,W] in [0,1]</returns>
    public override Tensor forward(Tensor maps)
    {
        using var scope = NewDisposeScope();
        var h = first.forward(maps.detach());
        if (relu) h = functional.relu(h);
        if (head is not null) h = head.forward(h);
        return functional.sigmoid(h).MoveToOuterDisposeScope();
    }
}
