# Builds results/snl/summary.md from the run folders' metrics.csv / history.csv / manifest.json.
import csv, json, sys, os
runs = sys.argv[1:]
rows = []
for r in runs:
    name = os.path.basename(r.rstrip('/'))
    m = [x for x in csv.DictReader(open(os.path.join(r, 'metrics.csv'))) if x['scope'] == 'mean']
    m = m[0] if m else list(csv.DictReader(open(os.path.join(r, 'metrics.csv'))))[-1]
    hist = list(csv.DictReader(open(os.path.join(r, 'history.csv'))))
    last = hist[-1]
    rows.append((name, m, last))
print('| run | image AUROC | pixel AUROC | AUPRO | image AP | pixel AP | last-epoch loss | img/s |')
print('| --- | --- | --- | --- | --- | --- | --- | --- |')
for name, m, last in rows:
    f = lambda k: f"{100*float(m[k]):.1f}" if m.get(k) not in (None, '', 'NaN') else 'n/a'
    ips = f"{float(last['images_per_second']):.2f}"
    print(f"| {name} | {f('image_auroc')} | {f('pixel_auroc')} | {f('aupro')} | {f('image_ap')} | {f('pixel_ap')} | {float(last.get('loss', 'nan')):.4f} | {ips} |")
