using System.Text;

namespace Workbench.Backbones.Weights;

/// <summary>A pickled reference to a Python global (`module.name`), e.g. collections.OrderedDict.</summary>
public sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => $"{Module}.{Name}";
    public override string ToString() => FullName;
}

/// <summary>A Python dict/OrderedDict as read from a pickle: insertion-ordered key/value pairs.</summary>
public sealed class PickleDict
{
    public List<KeyValuePair<object?, object?>> Items { get; } = new();
    public void Set(object? key, object? value)
    {
        int i = Items.FindIndex(kv => Equals(kv.Key, key));
        if (i >= 0) Items[i] = new(key, value); else Items.Add(new(key, value));
    }
}

/// <summary>
/// A small, safe unpickler for the subset PyTorch state_dicts use: protocols 2–5
/// (https://docs.python.org/3/library/pickle.html, opcodes from CPython Lib/pickletools.py).
/// It never imports or runs anything: GLOBAL becomes a <see cref="PickleGlobal"/>, and REDUCE,
/// NEWOBJ and BINPERSID are handed to the caller's callbacks, which accept only what they know.
/// Values: null, bool, long (BigInteger-free; LONG1 up to 8 bytes), double, string, byte[],
/// object?[] (tuple), List&lt;object?&gt;, <see cref="PickleDict"/>, and whatever the callbacks return.
/// </summary>
public sealed class PickleMachine
{
    readonly BinaryReader r;
    readonly Func<PickleGlobal, object?[], object?> reduce;
    readonly Func<object?, object?> persistentLoad;
    readonly List<object?> stack = new();
    readonly Stack<int> marks = new();
    readonly Dictionary<long, object?> memo = new();

    static readonly object Mark = new();

    public PickleMachine(Stream pickle, Func<PickleGlobal, object?[], object?> reduce, Func<object?, object?> persistentLoad)
    {
        r = new BinaryReader(pickle, Encoding.UTF8, leaveOpen: true);
        this.reduce = reduce;
        this.persistentLoad = persistentLoad;
    }

    /// <summary>Runs the opcodes up to STOP and returns the top of the stack.</summary>
    public object? Run()
    {
        while (true)
        {
            int op = r.BaseStream.ReadByte();
            switch (op)
            {
                case 0x80: r.ReadByte(); break;                                 // PROTO n
                case 0x95: r.ReadInt64(); break;                                // FRAME len (framing is transparent)
                case '.': return Pop();                                         // STOP
                case '(': marks.Push(stack.Count); break;                       // MARK
                case '0': Pop(); break;                                         // POP
                case '1': PopMark(); break;                                     // POP_MARK
                case '2': Push(Peek()); break;                                  // DUP
                case 'N': Push(null); break;                                    // NONE
                case 0x88: Push(true); break;                                   // NEWTRUE
                case 0x89: Push(false); break;                                  // NEWFALSE
                case 'J': Push((long)r.ReadInt32()); break;                     // BININT
                case 'K': Push((long)r.ReadByte()); break;                      // BININT1
                case 'M': Push((long)r.ReadUInt16()); break;                    // BININT2
                case 0x8a: Push(ReadLong(r.ReadByte())); break;                 // LONG1
                case 0x8b: Push(ReadLong(r.ReadInt32())); break;                // LONG4
                case 'G': Push(ReadBigEndianDouble()); break;                   // BINFLOAT
                case 'X': Push(ReadUtf8(r.ReadInt32())); break;                 // BINUNICODE
                case 0x8c: Push(ReadUtf8(r.ReadByte())); break;                 // SHORT_BINUNICODE
                case 0x8d: Push(ReadUtf8(checked((int)r.ReadInt64()))); break;  // BINUNICODE8
                case 'U': Push(Encoding.Latin1.GetString(r.ReadBytes(r.ReadByte()))); break; // SHORT_BINSTRING
                case 'T': Push(Encoding.Latin1.GetString(r.ReadBytes(r.ReadInt32()))); break; // BINSTRING
                case 'C': Push(r.ReadBytes(r.ReadByte())); break;               // SHORT_BINBYTES
                case 'B': Push(r.ReadBytes(r.ReadInt32())); break;              // BINBYTES
                case 0x8e: Push(r.ReadBytes(checked((int)r.ReadInt64()))); break; // BINBYTES8
                case ')': Push(Array.Empty<object?>()); break;                  // EMPTY_TUPLE
                case 't': Push(PopMark().ToArray()); break;                     // TUPLE
                case 0x85: { var a = Pop(); Push(new[] { a }); break; }         // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
                case ']': Push(new List<object?>()); break;                     // EMPTY_LIST
                case 'l': Push(PopMark()); break;                               // LIST
                case 'a': { var v = Pop(); AsList(Peek()).Add(v); break; }      // APPEND
                case 'e': { var items = PopMark(); AsList(Peek()).AddRange(items); break; } // APPENDS
                case '}': Push(new PickleDict()); break;                        // EMPTY_DICT
                case 'd': { var items = PopMark(); var d = new PickleDict(); SetPairs(d, items); Push(d); break; } // DICT
                case 's': { var v = Pop(); var k = Pop(); AsDict(Peek()).Set(k, v); break; } // SETITEM
                case 'u': { var items = PopMark(); SetPairs(AsDict(Peek()), items); break; } // SETITEMS
                case 'q': memo[r.ReadByte()] = Peek(); break;                   // BINPUT
                case 'r': memo[r.ReadUInt32()] = Peek(); break;                 // LONG_BINPUT
                case 0x94: memo[memo.Count] = Peek(); break;                    // MEMOIZE
                case 'h': Push(Memo(r.ReadByte())); break;                      // BINGET
                case 'j': Push(Memo(r.ReadUInt32())); break;                    // LONG_BINGET
                case 'c': Push(new PickleGlobal(ReadLine(), ReadLine())); break; // GLOBAL "module\nname\n"
                case 0x93: { var name = (string)Pop()!; var module = (string)Pop()!; Push(new PickleGlobal(module, name)); break; } // STACK_GLOBAL
                case 'R': { var args = AsTuple(Pop()); var f = AsGlobal(Pop()); Push(reduce(f, args)); break; } // REDUCE
                case 0x81: { var args = AsTuple(Pop()); var cls = AsGlobal(Pop()); Push(reduce(cls, args)); break; } // NEWOBJ
                case 'b': Pop(); break;                                         // BUILD: state (OrderedDict._metadata, tensor hooks) is not needed
                case 'Q': Push(persistentLoad(Pop())); break;                   // BINPERSID
                case -1: throw new InvalidDataException("pickle ended without STOP");
                default: throw new InvalidDataException($"unsupported pickle opcode 0x{op:x2} ('{(char)op}') at byte {r.BaseStream.Position - 1}");
            }
        }
    }

    void Push(object? o) => stack.Add(o);
    object? Peek() => stack.Count > 0 ? stack[^1] : throw new InvalidDataException("pickle stack underflow");
    object? Pop()
    {
        var o = Peek();
        stack.RemoveAt(stack.Count - 1);
        return o;
    }
    List<object?> PopMark()
    {
        if (marks.Count == 0) throw new InvalidDataException("pickle: no MARK on the stack");
        int at = marks.Pop();
        var items = stack.GetRange(at, stack.Count - at);
        stack.RemoveRange(at, stack.Count - at);
        return items;
    }
    object? Memo(long key) => memo.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"pickle: memo key {key} not set");

    static void SetPairs(PickleDict d, List<object?> items)
    {
        if (items.Count % 2 != 0) throw new InvalidDataException("pickle: odd number of items for a dict");
        for (int i = 0; i < items.Count; i += 2) d.Set(items[i], items[i + 1]);
    }

    static List<object?> AsList(object? o) => o as List<object?> ?? throw new InvalidDataException($"pickle: APPEND to a {o?.GetType().Name ?? "None"}");
    static PickleDict AsDict(object? o) => o as PickleDict ?? throw new InvalidDataException($"pickle: SETITEM on a {o?.GetType().Name ?? "None"}");
    static object?[] AsTuple(object? o) => o as object?[] ?? throw new InvalidDataException($"pickle: expected a tuple of arguments, got {o?.GetType().Name ?? "None"}");
    static PickleGlobal AsGlobal(object? o) => o as PickleGlobal ?? throw new InvalidDataException($"pickle: cannot call a {o?.GetType().Name ?? "None"}");

    string ReadUtf8(int n) => Encoding.UTF8.GetString(r.ReadBytes(n));

    string ReadLine()
    {
        var sb = new StringBuilder();
        for (int b = r.ReadByte(); b != '\n'; b = r.ReadByte()) sb.Append((char)b);
        return sb.ToString();
    }

    /// <summary>Two's-complement little-endian integer of n bytes (LONG1/LONG4).</summary>
    long ReadLong(int n)
    {
        if (n > 8) throw new InvalidDataException($"pickle: integer of {n} bytes is too large");
        var bytes = r.ReadBytes(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = (v << 8) | bytes[i];
        if (n is > 0 and < 8 && (bytes[n - 1] & 0x80) != 0) v -= 1L << (8 * n);
        return v;
    }

    double ReadBigEndianDouble()
    {
        var b = r.ReadBytes(8);
        Array.Reverse(b);
        return BitConverter.ToDouble(b, 0);
    }
}
