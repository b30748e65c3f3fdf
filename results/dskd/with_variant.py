#!/usr/bin/env python3
"""Copy a DSKD checkpoint with another ablation Variant (Forward | Reverse | Manual | Learned).

The variants share the trained students (each student's loss and optimiser are independent of the
other's, and data order is seeded per epoch), so a Learned run's checkpoint holds exactly what a
Forward-only, Reverse-only or Manual run would have trained; only the test-time map differs.
Usage: with_variant.py IN/checkpoint.zip OUT/checkpoint.zip Variant
"""
import json, sys, zipfile

src, dst, variant = sys.argv[1:4]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "config.json":
            cfg = json.loads(data)
            assert cfg.get("method") == "dskd", cfg.get("method")
            key = next(k for k in cfg if k.lower() == "variant")
            # Checkpoints store enums as their index (DskdConfig.cs order).
            cfg[key] = ["Forward", "Reverse", "Manual", "Learned"].index(variant)
            data = json.dumps(cfg).encode()
        zout.writestr(item, data)
