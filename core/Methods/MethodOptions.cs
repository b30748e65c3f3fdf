using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Methods;

/// <summary>
/// Sets named options of any method config from "Key=value" strings (the CLI's --option and the
/// experiment scripts' ablation switches), through the config's JSON form so every init property
/// of every method is reachable without per-method parsing. Unknown keys are an error naming them.
/// </summary>
public static class MethodOptions
{
    static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static MethodConfig Apply(MethodConfig config, IEnumerable<string> assignments)
    {
        var node = JsonSerializer.SerializeToNode(config, Json)!.AsObject();
        foreach (var a in assignments)
        {
            int eq = a.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"--option {a}: expected Key=value");
            var key = a[..eq].Trim();
            var value = a[(eq + 1)..].Trim();
            var match = node.Select(kv => kv.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase) && k != "method")
                ?? throw new ArgumentException($"--option {key}: {config.MethodName} has no such option; options: {string.Join(", ", node.Select(kv => kv.Key).Where(k => k != "method"))}");
            node[match] = Parse(node[match], value, key);
        }
        return node.Deserialize<MethodConfig>(Json) ?? throw new ArgumentException("--option: could not rebuild the method config");
    }

    /// <summary>All options and their current values, for help texts and manifests.</summary>
    public static IReadOnlyDictionary<string, string> List(MethodConfig config) =>
        JsonSerializer.SerializeToNode(config, Json)!.AsObject().Where(kv => kv.Key != "method").ToDictionary(kv => kv.Key, kv => kv.Value?.ToJsonString() ?? "null");

    static JsonNode? Parse(JsonNode? current, string value, string key)
    {
        try
        {
            return current?.GetValueKind() switch
            {
                JsonValueKind.Number => JsonValue.Create(double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)),
                JsonValueKind.True or JsonValueKind.False => JsonValue.Create(bool.Parse(value)),
                _ => JsonValue.Create(value),
            };
        }
        catch (FormatException) { throw new ArgumentException($"--option {key}={value}: not a valid {current?.GetValueKind()}"); }
    }
}
