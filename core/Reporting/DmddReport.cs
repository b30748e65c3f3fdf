using System.Globalization;
using System.Text;
using Workbench.Data;
using Workbench.Engine;
using Workbench.Imaging;
using Workbench.Methods;
using Workbench.Methods.Dmdd;
using Workbench.Metrics;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Reporting;

/// <summary>
/// Reads a trained DMDD checkpoint against a test split and writes (1) eval-time variants of the
/// same model — fused map with top-k or max score, the plain sum of the six maps (no segmentation
/// net), each branch alone — as variants.csv/.md, (2) the centre/edge profile of the normality,
/// abnormality and fused maps as centre-edge.md, (3) gallery.png with the two raw maps and the
/// fused map for a few defects.
/// </summary>
public static class DmddReport
{
    public static void Run(string checkpoint, DataConfig data, string outDir, double? sigma = null, int seed = 0, int batchSize = 16, int galleryRows = 6, string device = "auto")
    {
        Directory.CreateDirectory(outDir);
        var dev = DeviceChoice.Resolve(device);
        var store = new ImageStore(ImageStore.DefaultCacheDir());
        var split = DataSetup.Load(data, seed);
        var test = new BatchLoader(split.Test, data.ImageSize, store, dev);
        test.Preload();
        var config = Checkpoint.ReadConfig(checkpoint) as DmddConfig ?? throw new ArgumentException($"{checkpoint}: not a dmdd checkpoint");
        // σ is post-processing only (no weights depend on it): override it to look at unsmoothed maps.
        if (sigma is { } s0) config = config with { Sigma = s0 };
        using var method = (DmddMethod)MethodFactory.Create(config, dev, seed);
        Checkpoint.Load(checkpoint, method);

        var n = new List<Tensor>(); var a = new List<Tensor>(); var f = new List<Tensor>(); var g = new List<Tensor>(); var y = new List<Tensor>();
        var samples = new List<AnomalySample>();
        foreach (var batch in test.Batches(batchSize, shuffle: false, seed: 0))
            using (batch)
            using (var maps = method.Explain(batch.Images))
            {
                n.Add(maps.Normality.to(CPU)); a.Add(maps.Abnormality.to(CPU)); f.Add(maps.Fused.to(CPU));
                g.Add(batch.Masks.to(CPU)); y.Add(batch.Labels.to(CPU)); samples.AddRange(batch.Samples);
            }
        using var scope = NewDisposeScope();
        var N = cat(n, 0); var A = cat(a, 0); var F = cat(f, 0); var G = cat(g, 0); var Y = cat(y, 0);
        var cats = samples.Select(s => s.Category).ToList();

        Tensor TopK(Tensor m) { var flat = m.flatten(1); return flat.topk((int)Math.Min(config.TopK, flat.shape[1]), dim: 1).values.mean(new long[] { 1 }); }
        Tensor Max(Tensor m) => m.flatten(1).max(1).values;
        var variants = new List<(string Name, Tensor Maps, Tensor Scores)>();
        string fusedName = config.Segmentation ? "segmentation net" : "Σ maps (no segmentation net)";
        variants.Add(($"{fusedName}, top-{config.TopK} mean", F, TopK(F)));
        variants.Add(($"{fusedName}, max", F, Max(F)));
        if (config.Segmentation)
        {
            var sum = N + A;
            variants.Add(($"Σ {(config.AbnormalityBranch ? "six" : "three")} level maps (no segmentation net), top-k mean", sum, TopK(sum)));
            variants.Add(($"Σ {(config.AbnormalityBranch ? "six" : "three")} level maps (no segmentation net), max", sum, Max(sum)));
        }
        variants.Add(("normality maps only (Σ levels), max", N, Max(N)));
        if (config.AbnormalityBranch) variants.Add(("abnormality maps only (Σ levels), max", A, Max(A)));

        var csv = new StringBuilder("variant,image_auroc,pixel_auroc,aupro\n");
        var md = new StringBuilder("| variant (same checkpoint) | image AUROC | pixel AUROC | AUPRO |\n| --- | --- | --- | --- |\n");
        foreach (var (name, maps, scores) in variants)
        {
            var r = Evaluate.Run(maps, G, Y, scores, cats).Mean;
            csv.AppendLine(FormattableString.Invariant($"\"{name}\",{r.ImageAuroc:F4},{r.PixelAuroc:F4},{r.Aupro:F4}"));
            md.AppendLine(FormattableString.Invariant($"| {name} | {r.ImageAuroc:F4} | {r.PixelAuroc:F4} | {r.Aupro:F4} |"));
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "variants.csv"), csv.ToString());
        AtomicFile.WriteAllText(Path.Combine(outDir, "variants.md"), md.ToString());

        var anomalous = tensor(Enumerable.Range(0, samples.Count).Where(i => samples[i].IsAnomalous).Select(i => (long)i).ToArray());
        var normal = tensor(Enumerable.Range(0, samples.Count).Where(i => !samples[i].IsAnomalous).Select(i => (long)i).ToArray());
        var ce = new StringBuilder("| map | interior | edge band | outer ring | interior − edge |\n| --- | --- | --- | --- | --- |\n");
        long pi = 0, pe = 0, pr = 0;
        foreach (var (name, maps) in new[] { ("normality", N), ("abnormality", A), ("fused", F) })
        {
            if (name == "abnormality" && !config.AbnormalityBranch) continue;
            var s = CentreEdgeProfile.Compute(maps.index_select(0, anomalous), G.index_select(0, anomalous), maps.index_select(0, normal));
            (pi, pe, pr) = (s.InteriorPixels, s.EdgePixels, s.RingPixels);
            ce.AppendLine(FormattableString.Invariant($"| {name} | {s.Interior:F2} | {s.Edge:F2} | {s.OuterRing:F2} | {s.Interior - s.Edge:F2} |"));
        }
        ce.AppendLine();
        if (config.AbnormalityBranch)
        {
            var nn_ = N.index_select(0, anomalous).flatten(); var aa = A.index_select(0, anomalous).flatten();
            var r = ((nn_ - nn_.mean()) * (aa - aa.mean())).mean() / (nn_.std(false) * aa.std(false));
            ce.AppendLine(FormattableString.Invariant($"\nPearson correlation of the normality and abnormality maps over all pixels of the anomalous test images: {r.item<float>():F3}."));
        }
        ce.AppendLine($"Map smoothing σ = {config.Sigma}.");
        ce.AppendLine($"Values: mean of (map − μ_normal)/σ_normal, with μ, σ over all pixels of the normal test images. Pixels: interior {pi}, edge band {pe}, outer ring {pr} (band 3 px).");
        AtomicFile.WriteAllText(Path.Combine(outDir, "centre-edge.md"), ce.ToString());

        // Gallery: per category the anomalous test images with the largest defects (centre and edge
        // are only distinguishable on defects several feature cells wide), largest first, round robin.
        var area = G.flatten(1).sum(1).data<float>().ToArray();
        var picks = samples.Select((s, i) => (s, i)).Where(p => p.s.IsAnomalous).GroupBy(p => p.s.Category)
            .SelectMany(grp => grp.OrderByDescending(p => area[p.i]).Select((p, k) => (p.i, k))).OrderBy(p => p.k).ThenBy(p => p.i).Take(galleryRows).Select(p => p.i).ToList();
        float[] Cell(Tensor m, int i) => m[i].flatten().data<float>().ToArray();
        var rows = picks.Select(i => new MapGalleryRow(test.Image(i), test.Mask(i),
            config.AbnormalityBranch ? new[] { Cell(N, i), Cell(A, i), Cell(F, i) } : new[] { Cell(N, i), Cell(F, i) })).ToList();
        var mapNames = config.AbnormalityBranch ? new[] { "normality", "abnormality", "fused" } : new[] { "normality", "fused" };
        PngWriter.Write(Path.Combine(outDir, "gallery.png"),
            MapGallery.Build(rows, mapNames: mapNames, rowLabels: picks.Select(i => $"{samples[i].Category} {samples[i].Defect}").ToList()));
        AtomicFile.WriteAllText(Path.Combine(outDir, "gallery.txt"),
            "columns: image + GT contour | normality map | " + (config.AbnormalityBranch ? "abnormality map | " : "") + "fused map (each min–max scaled per cell)\n"
            + string.Join("\n", picks.Select((i, r) => $"row {r + 1}: {samples[i].Category}/{samples[i].Defect} {Path.GetFileName(samples[i].ImagePath)}")) + "\n");
    }
}
