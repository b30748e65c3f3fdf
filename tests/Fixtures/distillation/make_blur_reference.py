"""Reference values for tests/Distillation/GaussianBlurTests.cs (run by hand, not by CI):
scipy.ndimage.gaussian_filter with mode='reflect', truncate=4 — what RD4AD's test.py applies."""
import json
import numpy as np
from scipy.ndimage import gaussian_filter

rng = np.random.default_rng(7)
cases = []
for (h, w, sigma) in [(9, 13, 1.5), (40, 40, 4.0), (5, 6, 4.0)]:  # the last: kernel wider than the map
    x = rng.random((h, w)).astype(np.float64)
    y = gaussian_filter(x, sigma=sigma, mode="reflect", truncate=4.0)
    cases.append({"h": h, "w": w, "sigma": sigma, "input": x.ravel().tolist(), "expected": y.ravel().tolist()})
with open("blur_reference.json", "w") as f:
    json.dump(cases, f)
print("wrote", len(cases), "cases")
