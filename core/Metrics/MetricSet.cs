namespace Workbench.Metrics;

/// <summary>The metrics of one evaluation (a category or a pooled test set). Pixel metrics and
/// AUPRO are NaN when the split has no pixel labels or they were switched off in
/// <see cref="EvaluateOptions"/>; <see cref="Rd4adPro"/> is null unless requested.</summary>
public sealed record MetricSet(
    double ImageAuroc, double ImageAp, double ImageF1Max,
    double PixelAuroc, double PixelAp, double PixelF1Max,
    double Aupro, double? Rd4adPro = null);

/// <summary><see cref="Mean"/>: arithmetic mean over categories when categories were given (how
/// MVTec AD tables are averaged), else the same as <see cref="Overall"/>. <see cref="Overall"/>:
/// everything pooled into one test set.</summary>
public sealed record EvaluationResult(MetricSet Mean, MetricSet Overall, IReadOnlyDictionary<string, MetricSet> PerCategory);

/// <summary>What <see cref="Evaluate.Run"/> computes. <paramref name="AuproFprLimit"/> is the FPR
/// integration limit of AUPRO (0.3 in the MVTec AD paper).</summary>
public sealed record EvaluateOptions(bool PixelMetrics = true, bool Aupro = true, bool Rd4adPro = false, double AuproFprLimit = 0.3);
