using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Backbones.Weights;

/// <summary>
/// The safetensors format (https://github.com/huggingface/safetensors, "Format"): an 8-byte
/// little-endian header length N, N bytes of JSON <c>{name: {dtype, shape, data_offsets: [begin, end]},
/// "__metadata__": {string: string}}</c> (space-padded), then the raw little-endian, C-contiguous
/// tensor bytes, offsets relative to the end of the header.
/// </summary>
public static class SafeTensors
{
    /// <summary>Tensors in header order, on the CPU.</summary>
    public static Dictionary<string, Tensor> Load(string path) => Load(path, out _);

    public static Dictionary<string, Tensor> Load(string path, out Dictionary<string, string> metadata)
    {
        TorchRuntime.EnsureLoaded();
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8) throw new InvalidDataException($"{path}: too short for a safetensors file");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (n > (ulong)bytes.Length - 8) throw new InvalidDataException($"{path}: header length {n} exceeds the file; not a safetensors file");
        long dataStart = 8 + (long)n;
        JsonObject header;
        try { header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)n))!.AsObject(); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: bad safetensors header: {e.Message}"); }

        metadata = new Dictionary<string, string>();
        var result = new Dictionary<string, Tensor>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                foreach (var (k, v) in node!.AsObject()) metadata[k] = v?.GetValue<string>() ?? "";
                continue;
            }
            var info = node!.AsObject();
            var dtype = ParseDType(path, name, info["dtype"]!.GetValue<string>());
            var shape = info["shape"]!.AsArray().Select(s => s!.GetValue<long>()).ToArray();
            var offsets = info["data_offsets"]!.AsArray().Select(s => s!.GetValue<long>()).ToArray();
            long begin = dataStart + offsets[0], end = dataStart + offsets[1];
            var t = empty(shape, dtype);
            if (end < begin || end > bytes.Length || end - begin != t.numel() * t.element_size())
                throw new InvalidDataException($"{path}: tensor '{name}' has data_offsets [{offsets[0]}, {offsets[1]}] inconsistent with {dtype} [{string.Join(",", shape)}]");
            if (end > begin) t.bytes = bytes.AsSpan((int)begin, (int)(end - begin));
            result[name] = t;
        }
        return result;
    }

    /// <summary>Writes tensors (any device, any layout) in the given order, 8-byte aligned header.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        TorchRuntime.EnsureLoaded();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata) meta[k] = v;
            header["__metadata__"] = meta;
        }
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            using var cpu = tensor.detach().to(CPU).contiguous();
            var data = cpu.bytes.ToArray();
            header[name] = new JsonObject
            {
                ["dtype"] = DTypeName(name, cpu.dtype),
                ["shape"] = new JsonArray(cpu.shape.Select(s => (JsonNode)s).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + data.Length),
            };
            offset += data.Length;
            blobs.Add(data);
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        var tmp = path + ".tmp";
        using (var f = File.Create(tmp))
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
            f.Write(len);
            f.Write(json);
            for (int i = json.Length; i < padded; i++) f.WriteByte((byte)' ');
            foreach (var b in blobs) f.Write(b);
        }
        File.Move(tmp, path, overwrite: true);
    }

    static ScalarType ParseDType(string path, string name, string dtype) => dtype switch
    {
        "F64" => ScalarType.Float64,
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw new InvalidDataException($"{path}: tensor '{name}' has unsupported dtype {dtype}"),
    };

    static string DTypeName(string name, ScalarType t) => t switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new ArgumentException($"tensor '{name}': dtype {t} has no safetensors name"),
    };
}
