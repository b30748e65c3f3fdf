using System.Text;
using static TorchSharp.torch;

namespace Workbench.Backbones.Weights;

/// <summary>Copies a name → tensor map into a module's parameters and buffers by their
/// PyTorch-style dotted names (as torch.nn.Module.load_state_dict, with clearer errors).</summary>
public static class StateDict
{
    /// <summary>
    /// Loads <paramref name="state"/> into <paramref name="module"/>. With <paramref name="prefixes"/>
    /// (e.g. "conv1", "bn1", "layer1", "layer2", "layer3") only keys equal to a prefix or under it
    /// ("layer1." …) take part: file keys outside are Skipped, module keys outside are Missing (untouched).
    /// Strict: every module key in scope must be in the file and every file key in scope in the module;
    /// all violations are reported in one exception naming <paramref name="sourcePath"/>. Non-strict:
    /// absent keys go to Missing, unknown ones to Skipped. A shape mismatch is always an error.
    /// Values are converted to the target's dtype and device and copied under no_grad.
    /// </summary>
    public static LoadReport LoadInto(nn.Module module, IReadOnlyDictionary<string, Tensor> state, string sourcePath,
                                      bool strict, string[]? prefixes = null)
    {
        bool InScope(string key) => prefixes is null || prefixes.Any(p =>
            key == p.TrimEnd('.') || key.StartsWith(p.EndsWith('.') ? p : p + ".", StringComparison.Ordinal));

        var targets = new Dictionary<string, Tensor>();
        foreach (var (name, p) in module.named_parameters()) targets[name] = p;
        foreach (var (name, b) in module.named_buffers()) targets[name] = b;

        var loaded = new List<string>();
        var skipped = new List<string>();
        var missing = new List<string>();
        var unexpected = new List<string>();
        var absent = new List<string>();
        var mismatched = new List<string>();

        foreach (var (key, value) in state)
        {
            if (!InScope(key)) { skipped.Add(key); continue; }
            if (!targets.TryGetValue(key, out var target)) { unexpected.Add(key); continue; }
            if (!target.shape.SequenceEqual(value.shape))
                mismatched.Add($"{key}: file [{string.Join(",", value.shape)}] vs module [{string.Join(",", target.shape)}]");
        }
        foreach (var key in targets.Keys)
        {
            if (!InScope(key)) missing.Add(key);
            else if (!state.ContainsKey(key)) absent.Add(key);
        }

        if (mismatched.Count > 0 || (strict && (unexpected.Count > 0 || absent.Count > 0)))
        {
            var msg = new StringBuilder($"{sourcePath}: state_dict does not fit {module.GetName()}");
            if (prefixes is not null) msg.Append($" (keys under {string.Join(", ", prefixes)})");
            msg.Append(':');
            Section(msg, "missing from the file", absent);
            Section(msg, "unexpected in the file", unexpected);
            Section(msg, "shape mismatches", mismatched);
            throw new InvalidDataException(msg.ToString());
        }

        using (no_grad())
        {
            foreach (var (key, value) in state)
            {
                if (!InScope(key) || !targets.TryGetValue(key, out var target)) continue;
                using var converted = value.to(target.dtype, target.device);
                target.copy_(converted);
                loaded.Add(key);
            }
        }
        skipped.AddRange(unexpected);
        missing.AddRange(absent);
        return new LoadReport(loaded, skipped, missing);
    }

    static void Section(StringBuilder msg, string title, List<string> items)
    {
        if (items.Count == 0) return;
        msg.Append($"\n  {items.Count} {title}:");
        foreach (var i in items) msg.Append("\n    ").Append(i);
    }
}
