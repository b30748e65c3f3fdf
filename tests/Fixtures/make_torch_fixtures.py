#!/usr/bin/python3
"""Writes the committed test fixtures for core/Backbones (run by hand; CI never runs Python).

    /usr/bin/python3 tests/Fixtures/make_torch_fixtures.py [--shared ../shared]

Outputs in tests/Fixtures/torch/:
  tiny_module.pth        OrderedDict state_dict of a tiny conv/bn/linear module (torch.save zip format)
  mixed.pth              plain dict: float16, bfloat16, float64, int64, bool, 0-d, empty, a transposed view,
                         a slice with a storage offset, two tensors sharing one storage
  wrapped.pth            {"epoch": 3, "state_dict": <tiny module state_dict>} (a training checkpoint)
  protocol4.pth          a checkpoint-like dict saved with pickle protocol 4 (FRAME, MEMOIZE, STACK_GLOBAL,
                         SHORT_BINUNICODE, BINFLOAT, LONG1, lists, None, bools, nested dicts)
  tiny.safetensors       written by hand from the format description (F32, F16, I64, metadata)
  expected.json          dtype, shape, stride, storage offset and flattened values of every tensor above
  arch_<name>.txt        "name<TAB>shape" of every parameter and buffer of the torchvision-structured ResNets
  resnet18_bnfolded_forward.json  layer1..3 statistics of resnet18 with the shared bn-folded weights on a fixed
                         input (only when ../shared/weights holds the file)
The ResNet definitions below follow torchvision.models.resnet (torchvision is not installed here).
"""
import argparse, collections, json, os, struct
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "torch")


# ---- torchvision-structured ResNet (torchvision/models/resnet.py) ----
def conv3x3(i, o, stride=1, groups=1):
    return nn.Conv2d(i, o, 3, stride=stride, padding=1, groups=groups, bias=False)

def conv1x1(i, o, stride=1):
    return nn.Conv2d(i, o, 1, stride=stride, bias=False)

class BasicBlock(nn.Module):
    expansion = 1
    def __init__(self, inplanes, planes, stride=1, downsample=None, groups=1, base_width=64):
        super().__init__()
        self.conv1 = conv3x3(inplanes, planes, stride); self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes); self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample
    def forward(self, x):
        idt = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return self.relu(y + idt)

class Bottleneck(nn.Module):
    expansion = 4
    def __init__(self, inplanes, planes, stride=1, downsample=None, groups=1, base_width=64):
        super().__init__()
        width = int(planes * (base_width / 64.0)) * groups
        self.conv1 = conv1x1(inplanes, width); self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = conv3x3(width, width, stride, groups); self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = conv1x1(width, planes * 4); self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample
    def forward(self, x):
        idt = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return self.relu(y + idt)

class ResNet(nn.Module):
    def __init__(self, block, layers, width_per_group=64, num_classes=1000):
        super().__init__()
        self.inplanes = 64; self.base_width = width_per_group
        self.conv1 = nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64); self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = self._make_layer(block, 64, layers[0])
        self.layer2 = self._make_layer(block, 128, layers[1], 2)
        self.layer3 = self._make_layer(block, 256, layers[2], 2)
        self.layer4 = self._make_layer(block, 512, layers[3], 2)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(512 * block.expansion, num_classes)
    def _make_layer(self, block, planes, blocks, stride=1):
        ds = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            ds = nn.Sequential(conv1x1(self.inplanes, planes * block.expansion, stride), nn.BatchNorm2d(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, ds, 1, self.base_width)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes, 1, None, 1, self.base_width) for _ in range(1, blocks)]
        return nn.Sequential(*layers)
    def features(self, x, last=3):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        outs = []
        for i in range(1, last + 1):
            x = getattr(self, f"layer{i}")(x); outs.append(x)
        return outs

ARCHS = {
    "resnet18": (BasicBlock, [2, 2, 2, 2], 64),
    "resnet34": (BasicBlock, [3, 4, 6, 3], 64),
    "resnet50": (Bottleneck, [3, 4, 6, 3], 64),
    "wide_resnet50_2": (Bottleneck, [3, 4, 6, 3], 128),
}


# ---- expected values ----
DT = {torch.float32: "float32", torch.float16: "float16", torch.bfloat16: "bfloat16", torch.float64: "float64",
      torch.int64: "int64", torch.int32: "int32", torch.bool: "bool", torch.uint8: "uint8"}

def describe(t):
    return {"dtype": DT[t.dtype], "shape": list(t.shape), "stride": list(t.stride()),
            "offset": t.storage_offset(), "values": t.detach().double().flatten().tolist()}


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.bn = nn.BatchNorm2d(4)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(4 * 2 * 2, 2))
    def forward(self, x):
        return self.head(self.bn(self.conv(x)))


def tiny_state_dict():
    m = Tiny()
    m.train()
    for _ in range(3):
        m(torch.randn(2, 3, 4, 4))  # moves running stats and num_batches_tracked away from defaults
    return m.state_dict()


def mixed_dict():
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 8 - 1
    shared = torch.linspace(-2, 2, 10)
    return {
        "f32": torch.randn(2, 3),
        "f16": (torch.randn(5) * 100).half(),
        "bf16": torch.randn(3).bfloat16(),
        "f64": torch.randn(2, 2, dtype=torch.float64),
        "i64": torch.tensor([[-(2 ** 40), -1, 0], [1, 7, 2 ** 40]], dtype=torch.int64),
        "bool": torch.tensor([True, False, True]),
        "scalar": torch.tensor(3.5),
        "empty": torch.zeros(0, 3),
        "transposed": base.t(),              # stride (1, 6)
        "slice": base[1:, 2:5],              # storage offset 8, stride (6, 1), same storage as "transposed"
        "shared_a": shared[:6],
        "shared_b": shared[4:].view(2, 3),   # overlaps shared_a in elements 4 and 5
    }


def write_safetensors(path, tensors, metadata):
    """By hand, from the format: u64 LE header size, JSON header, raw LE bytes."""
    names = {torch.float32: "F32", torch.float16: "F16", torch.int64: "I64"}
    header, blobs, off = {"__metadata__": metadata}, [], 0
    for k, t in tensors.items():
        b = t.contiguous().numpy().tobytes()
        header[k] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b); off += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h))); f.write(h)
        for b in blobs: f.write(b)


def read_safetensors(path):
    import numpy as np
    np_dt = {"F32": np.float32, "I64": np.int64}
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]; h = json.loads(f.read(n)); data = f.read()
    out = {}
    for k, v in h.items():
        if k == "__metadata__": continue
        a, b = v["data_offsets"]
        out[k] = torch.from_numpy(np.frombuffer(data[a:b], dtype=np_dt[v["dtype"]]).reshape(v["shape"]).copy())
    return out


def fixed_input(h=64, w=64):
    """Same formula as the C# test: x[i] = sin(0.01·i) over the flattened [1,3,h,w] tensor, in float64 then float32."""
    n = 3 * h * w
    return torch.sin(torch.arange(n, dtype=torch.float64) * 0.01).float().reshape(1, 3, h, w)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(HERE, "..", "..", "..", "shared"))
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    expected = {}

    sd = tiny_state_dict()
    torch.save(sd, os.path.join(OUT, "tiny_module.pth"))
    expected["tiny_module.pth"] = {k: describe(v) for k, v in sd.items()}
    expected["tiny_module.pth.keys"] = list(sd.keys())

    torch.save({"epoch": 3, "state_dict": sd}, os.path.join(OUT, "wrapped.pth"))

    p4 = {"epoch": 3, "lr": 0.125, "big": 2 ** 40, "neg": -5, "huge_neg": -(2 ** 50), "none": None, "flag": True,
          "names": ["a", "b"], "nested": {"k": (1, 2.5)}, "w": torch.arange(4, dtype=torch.float32)}
    torch.save(p4, os.path.join(OUT, "protocol4.pth"), pickle_protocol=4)

    mixed = mixed_dict()
    torch.save(mixed, os.path.join(OUT, "mixed.pth"))
    expected["mixed.pth"] = {k: describe(v) for k, v in mixed.items()}
    expected["mixed.pth.keys"] = list(mixed.keys())

    st = {"weight": torch.randn(2, 3), "half": torch.randn(4).half(), "count": torch.tensor(7, dtype=torch.int64)}
    write_safetensors(os.path.join(OUT, "tiny.safetensors"), st, {"note": "hand-written fixture"})
    expected["tiny.safetensors"] = {k: describe(v) for k, v in st.items()}
    expected["tiny.safetensors.keys"] = list(st.keys())

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)

    for name, (block, layers, wpg) in ARCHS.items():
        m = ResNet(block, layers, wpg)
        with open(os.path.join(OUT, f"arch_{name}.txt"), "w") as f:
            f.write(f"# {name}: torchvision-structured state_dict (parameters and buffers, in order)\n")
            for k, v in m.state_dict().items():
                f.write(f"{k}\t{','.join(str(s) for s in v.shape)}\n")

    weights = os.path.join(args.shared, "weights", "resnet18-imagenet1k-v1-layer1to3-bnfolded.safetensors")
    if os.path.exists(weights):
        block, layers, wpg = ARCHS["resnet18"]
        m = ResNet(block, layers, wpg)
        missing, unexpected = m.load_state_dict(read_safetensors(weights), strict=False)
        assert not unexpected and all(k.startswith(("layer4", "fc")) for k in missing), (missing, unexpected)
        m.eval()
        with torch.no_grad():
            feats = m.features(fixed_input(), 3)
        out = {}
        for i, f in enumerate(feats, 1):
            flat = f.flatten().double()
            out[f"layer{i}"] = {"shape": list(f.shape), "mean": flat.mean().item(), "std": flat.std().item(),
                                "first": flat[:16].tolist(), "index_values": {str(j): flat[j].item() for j in range(0, flat.numel(), flat.numel() // 7)}}
        with open(os.path.join(OUT, "resnet18_bnfolded_forward.json"), "w") as f:
            json.dump(out, f, indent=1)
    else:
        print(f"skipped resnet18_bnfolded_forward.json: {weights} not found")
    print("wrote", sorted(os.listdir(OUT)))


if __name__ == "__main__":
    main()
