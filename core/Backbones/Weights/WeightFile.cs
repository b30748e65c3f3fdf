using static TorchSharp.torch;

namespace Workbench.Backbones.Weights;

/// <summary>Reads a state_dict from a .pth/.pt (torch.save zip) or .safetensors file, told apart by content.</summary>
public static class WeightFile
{
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"weights file not found: {path}", path);
        Span<byte> head = stackalloc byte[2];
        using (var f = File.OpenRead(path)) f.ReadExactly(head);
        return head[0] == 'P' && head[1] == 'K' ? TorchPickle.Load(path) : SafeTensors.Load(path);
    }
}
