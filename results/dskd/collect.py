#!/usr/bin/env python3
"""Gather the 'mean' rows of metrics.csv files into a Markdown table: collect.py LABEL=DIR ..."""
import csv, sys

print("| run | image AUROC | pixel AUROC | AUPRO | image AP | pixel AP |")
print("| --- | --- | --- | --- | --- | --- |")
for arg in sys.argv[1:]:
    label, folder = arg.split("=", 1)
    with open(f"{folder}/metrics.csv") as f:
        row = next(r for r in csv.DictReader(f) if r["scope"] == "mean")
    cells = [f"{100 * float(row[k]):.1f}" for k in ("image_auroc", "pixel_auroc", "aupro", "image_ap", "pixel_ap")]
    print(f"| {label} | " + " | ".join(cells) + " |")
