#!/usr/bin/python3
"""Reference values for tests/Metrics (run by hand with Debian's /usr/bin/python3, never by CI).

Writes, next to this script:
  <case>.bin.gz   gzip of: maps float32 [N,H,W] | masks uint8 [N,H,W] | labels uint8 [N] (little-endian, row-major)
  expected.json   per case: shape and the expected metric values

Image metrics use image score = max of each map. AUROC/AP are sklearn's; F1-max is the max of
2PR/(P+R) over sklearn's precision_recall_curve (0 where P+R = 0). AUPRO is an independent
implementation of the MVTec AD definition (skimage.measure.label, connectivity=2; PRO and FPR at
every distinct score via per-region searchsorted; trapezoids to FPR 0.3 with the last point
interpolated at 0.3; / 0.3), cross-checked against a brute-force threshold loop on a small case.
Rd4adPro is a transcription of hq-deng/RD4AD test.py compute_pro (and its per-image use in
evaluation()); the single-curve variant applies compute_pro once to the whole set.

Usage: /usr/bin/python3 tests/Fixtures/metrics/make_metric_references.py
"""
import gzip
import json
import os
import time
from statistics import mean

import numpy as np
from scipy.ndimage import gaussian_filter
from skimage import measure
from sklearn.metrics import auc, average_precision_score, precision_recall_curve, roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- metrics
def f1_max(labels, scores):
    p, r, _ = precision_recall_curve(labels, scores)
    denom = p + r
    f1 = np.divide(2 * p * r, denom, out=np.zeros_like(denom), where=denom > 0)
    return float(f1.max())


def aupro_mvtec(maps, masks, fpr_limit=0.3):
    """MVTec AD AUPRO, exact: thresholds = every distinct score."""
    maps = maps.astype(np.float64)
    regions = []  # sorted scores of each region
    normal = []
    for amap, mask in zip(maps, masks):
        lab = measure.label(mask, connectivity=2)
        for k in range(1, lab.max() + 1):
            regions.append(np.sort(amap[lab == k]))
        normal.append(amap[lab == 0])
    normal = np.sort(np.concatenate(normal))
    th = np.unique(maps)[::-1]  # descending: curve from (0,0) towards (1,1)
    fpr = (normal.size - np.searchsorted(normal, th, side="left")) / normal.size
    pro = np.zeros_like(th)
    for r in regions:
        pro += (r.size - np.searchsorted(r, th, side="left")) / r.size
    pro /= len(regions)
    x = np.concatenate([[0.0], fpr, [1.0]])
    y = np.concatenate([[0.0], pro, [1.0]])
    return trapezoid_to(x, y, fpr_limit) / fpr_limit


def trapezoid_to(x, y, x_max):
    """Area under the piecewise-linear curve up to x_max (x non-decreasing)."""
    area = 0.0
    for i in range(1, len(x)):
        x0, x1, y0, y1 = x[i - 1], x[i], y[i - 1], y[i]
        if x1 <= x_max:
            area += 0.5 * (y0 + y1) * (x1 - x0)
        else:
            if x0 < x_max:
                yi = y0 + (y1 - y0) * (x_max - x0) / (x1 - x0)
                area += 0.5 * (y0 + yi) * (x_max - x0)
            break
    return area


def aupro_bruteforce(maps, masks, fpr_limit=0.3):
    """Same definition by a plain threshold loop (checks aupro_mvtec on a small case)."""
    labs = [measure.label(m, connectivity=2) for m in masks]
    xs, ys = [0.0], [0.0]
    normal = np.concatenate([(l == 0).ravel() for l in labs])
    flat = maps.ravel()
    for t in np.unique(maps)[::-1]:
        above = maps >= t
        pros = [above[i][labs[i] == k].mean() for i in range(len(maps)) for k in range(1, labs[i].max() + 1)]
        xs.append((above.ravel() & normal).sum() / normal.sum())
        ys.append(np.mean(pros))
    xs.append(1.0); ys.append(1.0)
    return trapezoid_to(np.array(xs), np.array(ys), fpr_limit) / fpr_limit


def rd4ad_compute_pro(masks, amaps, num_th=200):
    """Transcription of hq-deng/RD4AD test.py compute_pro (pandas replaced by lists)."""
    assert amaps.ndim == 3 and masks.ndim == 3 and amaps.shape == masks.shape
    assert set(masks.flatten()) == {0, 1}
    rows = []
    binary_amaps = np.zeros_like(amaps, dtype=bool)
    min_th = amaps.min()
    max_th = amaps.max()
    delta = (max_th - min_th) / num_th
    for th in np.arange(min_th, max_th, delta):
        binary_amaps[amaps <= th] = 0
        binary_amaps[amaps > th] = 1
        pros = []
        for binary_amap, mask in zip(binary_amaps, masks):
            for region in measure.regionprops(measure.label(mask)):
                axes0_ids = region.coords[:, 0]
                axes1_ids = region.coords[:, 1]
                tp_pixels = binary_amap[axes0_ids, axes1_ids].sum()
                pros.append(tp_pixels / region.area)
        inverse_masks = 1 - masks
        fp_pixels = np.logical_and(inverse_masks, binary_amaps).sum()
        fpr = fp_pixels / inverse_masks.sum()
        rows.append((mean(pros), fpr, th))
    pro = np.array([r[0] for r in rows]); fpr = np.array([r[1] for r in rows])
    keep = fpr < 0.3
    pro, fpr = pro[keep], fpr[keep]
    fpr = fpr / fpr.max()
    return auc(fpr, pro)


def rd4ad_pro_per_image(maps, masks, labels):
    """RD4AD evaluation(): compute_pro on each anomalous image alone, then the mean."""
    vals = [rd4ad_compute_pro(masks[i:i + 1].astype(int), maps[i:i + 1].astype(np.float64))
            for i in range(len(maps)) if labels[i] != 0]
    return float(np.mean(vals))


# ---------------------------------------------------------------- cases
def ellipse(h, w, cy, cx, ry, rx):
    yy, xx = np.mgrid[0:h, 0:w]
    return ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1.0


def blob_masks(rng, n, h, w, frac_anomalous, blobs=(1, 3), radius=(2, 9)):
    masks = np.zeros((n, h, w), np.uint8)
    for i in range(n):
        if rng.random() >= frac_anomalous:
            continue
        for _ in range(rng.integers(blobs[0], blobs[1] + 1)):
            cy, cx = rng.integers(0, h), rng.integers(0, w)
            masks[i] |= ellipse(h, w, cy, cx, rng.integers(*radius), rng.integers(*radius)).astype(np.uint8)
    return masks


def smooth_maps(rng, masks, strength=(0.3, 1.5), noise=1.0, sigma=3.0):
    maps = np.empty(masks.shape, np.float32)
    for i, m in enumerate(masks):
        base = gaussian_filter(rng.normal(size=m.shape), sigma) * noise
        bump = gaussian_filter(m.astype(np.float64), 2.0) * rng.uniform(*strength)
        maps[i] = (base + bump).astype(np.float32)
    return maps


def make_cases():
    rng = np.random.default_rng(20261123)
    n, s = 20, 64
    cases = {}

    m = blob_masks(rng, n, s, s, 0.5)
    cases["random"] = (rng.random((n, s, s)).astype(np.float32), m)

    m = blob_masks(rng, n, s, s, 0.5)
    cases["heavy_ties"] = (np.floor((rng.random((n, s, s)) + 0.6 * m) * 4).astype(np.float32) / 4, m)

    m = blob_masks(rng, n, s, s, 0.5)
    perfect = np.where(m > 0, 0.6 + 0.4 * rng.random((n, s, s)), 0.5 * rng.random((n, s, s))).astype(np.float32)
    cases["perfect"] = (perfect, m)
    cases["inverted"] = (-perfect, m.copy())

    m = blob_masks(rng, n, s, s, 0.6, blobs=(2, 5), radius=(1, 14))
    cases["structured"] = (smooth_maps(rng, m), m)

    m = np.zeros((n, s, s), np.uint8)  # rectangles sharing an edge, and ones sharing a corner region
    for i in range(0, n, 2):
        y, x = rng.integers(4, 30), rng.integers(4, 30)
        m[i, y:y + 8, x:x + 6] = 1
        m[i, y + 3:y + 12, x + 6:x + 14] = 1          # touches the first along an edge
        m[i, 50:58, 50:60] = 1                          # a separate third region
    cases["touching"] = (smooth_maps(rng, m), m)

    m = np.zeros((n, s, s), np.uint8)  # squares touching only at a corner: one region under 8-connectivity
    for i in range(0, n, 2):
        y, x = rng.integers(4, 40), rng.integers(4, 40)
        m[i, y:y + 5, x:x + 5] = 1
        m[i, y + 5:y + 10, x + 5:x + 10] = 1            # diagonal contact at (y+4,x+4)-(y+5,x+5)
        m[i, y + 10:y + 13, x:x + 3] = 1                # separate
    cases["diagonal"] = (smooth_maps(rng, m), m)

    m = blob_masks(rng, n, s, s, 0.5, blobs=(1, 1), radius=(3, 12))
    cases["one_per_image"] = (smooth_maps(rng, m), m)

    m = blob_masks(rng, n, s, s, 0.7, blobs=(8, 15), radius=(1, 4))
    cases["many_per_image"] = (smooth_maps(rng, m, strength=(0.2, 1.0)), m)
    return cases


def expected_for(maps, masks):
    labels = (masks.reshape(len(masks), -1).max(1) > 0).astype(np.uint8)
    img = maps.reshape(len(maps), -1).max(1)
    px_l, px_s = masks.ravel(), maps.ravel()
    e = {
        "image_auroc": roc_auc_score(labels, img),
        "image_ap": average_precision_score(labels, img),
        "image_f1max": f1_max(labels, img),
        "pixel_auroc": roc_auc_score(px_l, px_s),
        "pixel_ap": average_precision_score(px_l, px_s),
        "pixel_f1max": f1_max(px_l, px_s),
        "aupro": aupro_mvtec(maps, masks),
        "aupro_fpr_0_1": aupro_mvtec(maps, masks, 0.1),
        "rd4ad_pro": rd4ad_pro_per_image(maps, masks, labels),
        "rd4ad_pro_single_curve": rd4ad_compute_pro(masks.astype(int), maps.astype(np.float64)),
        "components": int(sum(measure.label(mm, connectivity=2).max() for mm in masks)),
        "components_4conn": int(sum(measure.label(mm, connectivity=1).max() for mm in masks)),
    }
    return labels, {k: float(v) if isinstance(v, (float, np.floating)) else v for k, v in e.items()}


def main():
    cases = make_cases()
    # the fast reference must equal the brute-force loop (small slice of a structured case)
    mp, mk = cases["structured"]
    small = (np.round(mp[:6, :24, :24] * 50) / 50).astype(np.float32), mk[:6, :24, :24]
    a, b = aupro_mvtec(*small), aupro_bruteforce(*small)
    assert abs(a - b) < 1e-12, (a, b)
    out = {}
    for name, (maps, masks) in cases.items():
        t0 = time.time()
        labels, e = expected_for(maps, masks)
        with gzip.GzipFile(os.path.join(HERE, name + ".bin.gz"), "wb", compresslevel=9, mtime=0) as f:
            f.write(maps.astype("<f4").tobytes()); f.write(masks.astype(np.uint8).tobytes()); f.write(labels.tobytes())
        out[name] = {"shape": list(maps.shape), **e}
        print(f"{name:16s} {time.time() - t0:6.1f}s  " + "  ".join(f"{k}={v:.6f}" if isinstance(v, float) else f"{k}={v}" for k, v in e.items()))
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
