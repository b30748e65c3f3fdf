using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Workbench.Methods.Rd;

/// <summary>
/// RD4AD's initialisation of its trainable parts (resnet.py BN_layer and de_resnet.py ResNet constructors):
/// every <c>nn.Conv2d</c> gets kaiming-normal weights (fan_out, ReLU gain), every BatchNorm weight 1 and bias 0.
/// Transposed convolutions are not <c>nn.Conv2d</c> in PyTorch, so they keep the framework default, as there.
/// </summary>
public static class Rd4adInit
{
    public static void Apply(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (_, m) in module.named_modules())
        {
            if (m is Conv2d conv)
                nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
            else if (m is BatchNorm2d bn)
            {
                nn.init.ones_(bn.weight);
                nn.init.zeros_(bn.bias);
            }
        }
    }
}
