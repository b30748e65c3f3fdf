using static TorchSharp.torch;

namespace Workbench.Methods;

/// <summary>
/// A train step's named scalar loss terms, kept on the device until one read after the backward pass.
/// Each <c>item()</c> waits for the device to finish; reading every level's term as it was computed put a
/// wait between the forward and the backward pass of every step on a GPU. One copy gives the same floats.
/// </summary>
public sealed class LossParts
{
    readonly List<(string Name, Tensor Value)> terms = new();

    /// <summary>Adds a scalar term (any shape with one element); terms with one name are summed when read.</summary>
    public void Add(string name, Tensor scalar) => terms.Add((name, scalar));

    /// <summary>Every term plus <paramref name="total"/>, read in one device-to-host copy: the terms by name (same-named
    /// ones summed as doubles in the order added) and the total.</summary>
    public (Dictionary<string, double> Parts, double Total) ReadWith(Tensor total)
    {
        using var scope = NewDisposeScope();
        var all = cat(terms.Select(t => t.Value).Append(total).Select(t => t.detach().reshape(1).to(ScalarType.Float32)).ToList(), 0);
        var values = all.cpu().data<float>().ToArray();
        var parts = new Dictionary<string, double>();
        for (int i = 0; i < terms.Count; i++) parts[terms[i].Name] = parts.GetValueOrDefault(terms[i].Name) + values[i];
        return (parts, values[^1]);
    }
}
