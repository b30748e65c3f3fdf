using Workbench.Backbones;
using static TorchSharp.torch;

namespace Workbench.Methods.Dskd;

/// <summary>
/// The frozen teacher's stem output relu(bn1(conv1(x))) at 1/2 resolution, 64 channels: the
/// shallower neighbour of E1 for the Shallower skip reading (Teacher.Forward returns layer1.. only).
/// </summary>
public static class TeacherStem
{
    public static Tensor Forward(Teacher teacher, Tensor images)
    {
        var children = teacher.Backbone.named_children().ToDictionary(c => c.name, c => c.module);
        var conv1 = (nn.Module<Tensor, Tensor>)children["conv1"];
        var bn1 = (nn.Module<Tensor, Tensor>)children["bn1"];
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return nn.functional.relu(bn1.forward(conv1.forward(images))).MoveToOuterDisposeScope();
    }
}
