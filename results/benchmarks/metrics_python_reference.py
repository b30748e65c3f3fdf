#!/usr/bin/python3
"""Python reference timings for results/benchmarks/metrics.md, on the set written by
`workbench metrics bench --export DIR` (maps.f32, masks.u8, labels.u8, shape.txt).

Usage: /usr/bin/python3 results/benchmarks/metrics_python_reference.py DIR [--maps K] [--rd4ad-images M]
  --maps K          use the first K maps only (then scale the times yourself; printed as measured)
  --rd4ad-images M  time RD4AD's compute_pro on the first M anomalous images and extrapolate to all

Timed: sklearn roc_auc_score, average_precision_score, precision_recall_curve F1-max (pixels);
AUPRO as the MVTec AD evaluation code computes it (one argsort, cumulative sums; regions labelled
with skimage.measure.label, connectivity=2); RD4AD's compute_pro (200 thresholds, skimage
label + regionprops per threshold) per anomalous image, as RD4AD's evaluation calls it.
Times: wall and process CPU (the machine is shared). Peak memory: ru_maxrss of this process after each step (monotonic, so it is the running peak).
"""
import argparse
import os
import resource
import sys
import time

import numpy as np
from skimage import measure
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "Fixtures", "metrics"))
from make_metric_references import rd4ad_compute_pro, trapezoid_to  # noqa: E402


def aupro_mvtec_official_style(maps, masks, limit=0.3):
    """The algorithm of mvtec_ad_evaluation generic_util.compute_pro (one sort), skimage labels."""
    n = len(maps)
    pro_changes = np.zeros(maps.shape, np.float64)
    fp_changes = np.zeros(maps.shape, np.uint32)
    regions, ok = 0, 0
    for i in range(n):
        lab = measure.label(masks[i], connectivity=2)
        k = lab.max()
        regions += k
        ok_mask = lab == 0
        ok += ok_mask.sum()
        fp_changes[i][ok_mask] = 1
        if k:
            sizes = np.bincount(lab.ravel())
            inv = np.zeros(k + 1); inv[1:] = 1.0 / sizes[1:]
            pro_changes[i] = inv[lab]
    flat = maps.ravel()
    order = np.argsort(flat, kind="stable")[::-1]
    s = flat[order]
    fprs = np.cumsum(fp_changes.ravel()[order]) / ok
    pros = np.cumsum(pro_changes.ravel()[order]) / regions
    keep = np.append(np.diff(s) != 0, True)
    x = np.concatenate([[0.0], fprs[keep], [1.0]])
    y = np.concatenate([[0.0], pros[keep], [1.0]])
    return trapezoid_to(x, y, limit) / limit


def f1max(labels, scores):
    p, r, _ = precision_recall_curve(labels, scores)
    d = p + r
    return np.max(np.divide(2 * p * r, d, out=np.zeros_like(d), where=d > 0))


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--maps", type=int, default=0)
    ap.add_argument("--rd4ad-images", type=int, default=10)
    ap.add_argument("--skip", default="", help="comma list of steps to skip: auroc,ap,f1,aupro,rd4ad")
    a = ap.parse_args()
    n, h, w = map(int, open(os.path.join(a.dir, "shape.txt")).read().split())
    maps = np.fromfile(os.path.join(a.dir, "maps.f32"), "<f4").reshape(n, h, w)
    masks = np.fromfile(os.path.join(a.dir, "masks.u8"), np.uint8).reshape(n, h, w)
    labels = np.fromfile(os.path.join(a.dir, "labels.u8"), np.uint8)
    if a.maps:
        maps, masks, labels, n = maps[:a.maps], masks[:a.maps], labels[:a.maps], a.maps
    skip = set(a.skip.split(","))
    print(f"set: {n} maps x {h}x{w} = {maps.size / 1e6:.1f} M pixels, {int(labels.sum())} anomalous images")
    px_l, px_s = masks.ravel(), maps.ravel()

    def step(name, f):
        t, c = time.time(), time.process_time(); v = f(); dt, dc = time.time() - t, time.process_time() - c
        print(f"{name:44s} {dt:9.2f} s wall {dc:9.2f} s CPU  peak {peak_mb():7.0f} MB  value {v:.6f}", flush=True)

    if "auroc" not in skip: step("sklearn roc_auc_score (pixels)", lambda: roc_auc_score(px_l, px_s))
    if "ap" not in skip: step("sklearn average_precision_score (pixels)", lambda: average_precision_score(px_l, px_s))
    if "f1" not in skip: step("sklearn precision_recall_curve F1max (pixels)", lambda: f1max(px_l, px_s))
    if "aupro" not in skip: step("AUPRO, MVTec algorithm (numpy+skimage)", lambda: aupro_mvtec_official_style(maps, masks))
    if "rd4ad" not in skip:
        idx = np.flatnonzero(labels)
        m = min(a.rd4ad_images, len(idx))
        t, c = time.time(), time.process_time()
        vals = [rd4ad_compute_pro(masks[i:i + 1].astype(int), maps[i:i + 1].astype(np.float64)) for i in idx[:m]]
        dt, dc = time.time() - t, time.process_time() - c
        print(f"{'RD4AD compute_pro, ' + str(m) + ' images':44s} {dt:9.2f} s wall {dc:9.2f} s CPU -> {dc / m * len(idx):.0f} s CPU extrapolated "
              f"to all {len(idx)} anomalous images; mean of these {np.mean(vals):.6f}", flush=True)


if __name__ == "__main__":
    main()
