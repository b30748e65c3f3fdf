using System.IO.Compression;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Backbones.Weights;

/// <summary>
/// Reads checkpoints written by <c>torch.save</c> in the zip format (PyTorch ≥ 1.6; see
/// torch/serialization.py <c>_save</c>/<c>_load</c>): <c>&lt;root&gt;/data.pkl</c> is a pickle whose
/// tensors are <c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)</c>
/// and whose storages are persistent ids <c>('storage', torch.FloatStorage, key, location, numel)</c>
/// pointing at raw little-endian bytes in <c>&lt;root&gt;/data/&lt;key&gt;</c>. Tensors that share a storage
/// come back as views of one CPU storage, with their offsets and strides (non-contiguous views stay so).
/// Only the globals a state_dict needs are accepted; nothing from the file is executed.
/// </summary>
public static class TorchPickle
{
    /// <summary>The state_dict in file order. A checkpoint dict holding one under "state_dict" or
    /// "model" (plus non-tensor entries such as "epoch") is unwrapped.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        var obj = LoadObject(path);
        if (obj is not PickleDict top) throw new InvalidDataException($"{path}: top-level object is {Describe(obj)}, not a dict");
        if (TryTensorDict(top, out var sd)) return sd;
        foreach (var wrapper in new[] { "state_dict", "model" })
            if (top.Items.FirstOrDefault(kv => Equals(kv.Key, wrapper)).Value is PickleDict inner && TryTensorDict(inner, out sd))
                return sd;
        throw new InvalidDataException($"{path}: not a state_dict (keys: {string.Join(", ", top.Items.Take(10).Select(kv => Describe(kv.Key)))})");
    }

    /// <summary>The unpickled object graph: <see cref="PickleDict"/>, lists, tuples (object?[]), scalars, strings, tensors.</summary>
    public static object? LoadObject(string path)
    {
        TorchRuntime.EnsureLoaded();
        using var file = File.OpenRead(path);
        var magic = new byte[4];
        if (file.Read(magic, 0, 4) < 4 || magic[0] != 'P' || magic[1] != 'K')
            throw new InvalidDataException($"{path}: not a zip-format torch.save checkpoint (the legacy pre-1.6 format is not supported; re-save with a newer PyTorch)");
        file.Position = 0;
        using var zip = new ZipArchive(file, ZipArchiveMode.Read);
        var pkl = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl") && e.FullName.Count(c => c == '/') == 1)
                  ?? throw new InvalidDataException($"{path}: zip has no <root>/data.pkl; not a torch.save file");
        string root = pkl.FullName[..^"data.pkl".Length];
        var storages = new Dictionary<string, Tensor>();
        try
        {
            using var pickle = new MemoryStream();
            using (var s = pkl.Open()) s.CopyTo(pickle);
            pickle.Position = 0;
            var machine = new PickleMachine(pickle,
                reduce: (f, args) => Reduce(path, f, args),
                persistentLoad: pid => LoadStorage(path, zip, root, pid, storages));
            return machine.Run();
        }
        finally
        {
            // Views keep the native storage alive; the wrapper tensors are no longer needed.
            foreach (var s in storages.Values) s.Dispose();
        }
    }

    static object? Reduce(string path, PickleGlobal f, object?[] a)
    {
        switch (f.FullName)
        {
            case "collections.OrderedDict":
                return new PickleDict();
            case "torch._utils._rebuild_tensor_v2":   // (storage, offset, size, stride, requires_grad, hooks[, metadata])
            case "torch._utils._rebuild_tensor":      // (storage, offset, size, stride)
                return View(path, a[0], a[1], a[2], a[3]);
            case "torch._utils._rebuild_parameter":   // (data, requires_grad, hooks)
            case "torch._utils._rebuild_parameter_with_state":
                return a[0] as Tensor ?? throw new InvalidDataException($"{path}: {f} without a tensor");
            case "torch._tensor._rebuild_from_type_v2": // (func, new_type, args, state): a Tensor subclass
                return Reduce(path, a[0] as PickleGlobal ?? throw new InvalidDataException($"{path}: bad {f}"), a[2] as object?[] ?? Array.Empty<object?>());
            default:
                throw new InvalidDataException($"{path}: pickle calls {f}, which a state_dict does not need; refusing to load it");
        }
    }

    static Tensor View(string path, object? storage, object? offset, object? size, object? stride)
    {
        if (storage is not Tensor s) throw new InvalidDataException($"{path}: tensor without a storage");
        return s.as_strided(Longs(path, size), Longs(path, stride), (long)offset!);
    }

    static long[] Longs(string path, object? tuple) =>
        (tuple as object?[] ?? throw new InvalidDataException($"{path}: expected a tuple of ints")).Select(o => (long)o!).ToArray();

    static Tensor LoadStorage(string path, ZipArchive zip, string root, object? pid, Dictionary<string, Tensor> storages)
    {
        // ('storage', storage_type, key, location, numel) — torch/serialization.py persistent_id
        if (pid is not object?[] { Length: 5 } t || !Equals(t[0], "storage") || t[1] is not PickleGlobal type || t[2] is not string key)
            throw new InvalidDataException($"{path}: unexpected persistent id {Describe(pid)}");
        if (storages.TryGetValue(key, out var cached)) return cached;
        var dtype = StorageDType(path, type);
        long numel = (long)t[4]!;
        var entry = zip.GetEntry($"{root}data/{key}") ?? throw new InvalidDataException($"{path}: storage {root}data/{key} is missing");
        var bytes = new byte[entry.Length];
        using (var s = entry.Open()) s.ReadExactly(bytes);
        // UntypedStorage counts bytes; typed storages count elements.
        long count = type.Name == "UntypedStorage" ? bytes.Length : numel;
        var storage = empty(new[] { count }, dtype);
        if (bytes.Length != count * storage.element_size())
            throw new InvalidDataException($"{path}: storage {key} has {bytes.Length} bytes, expected {count} × {storage.element_size()}");
        if (bytes.Length > 0) storage.bytes = bytes;
        storages[key] = storage;
        return storage;
    }

    static ScalarType StorageDType(string path, PickleGlobal type) => type.Name switch
    {
        "FloatStorage" => ScalarType.Float32,
        "DoubleStorage" => ScalarType.Float64,
        "HalfStorage" => ScalarType.Float16,
        "BFloat16Storage" => ScalarType.BFloat16,
        "LongStorage" => ScalarType.Int64,
        "IntStorage" => ScalarType.Int32,
        "ShortStorage" => ScalarType.Int16,
        "CharStorage" => ScalarType.Int8,
        "ByteStorage" or "UntypedStorage" => ScalarType.Byte,
        "BoolStorage" => ScalarType.Bool,
        _ => throw new InvalidDataException($"{path}: unsupported storage type {type}"),
    };

    static bool TryTensorDict(PickleDict d, out Dictionary<string, Tensor> result)
    {
        result = new Dictionary<string, Tensor>();
        foreach (var (k, v) in d.Items)
        {
            if (k is not string name || v is not Tensor tensor) return false;
            result[name] = tensor;
        }
        return d.Items.Count > 0;
    }

    static string Describe(object? o) => o switch
    {
        null => "None",
        string s => $"'{s}'",
        object?[] a => $"({string.Join(", ", a.Select(Describe))})",
        _ => o.ToString() ?? o.GetType().Name,
    };
}
