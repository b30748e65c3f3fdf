using Workbench.Distillation;
using static TorchSharp.torch;

namespace Workbench.Methods.Snl;

/// <summary>
/// SNL's training objective (Fig. 3 left), summed over blocks k:
/// L = L_ch + λs L_sp + λintra L_intra + λinter L_inter (+ CRAM diversity). Terms with weight 0 are not computed.
/// </summary>
public static class SnlLoss
{
    public static (Tensor Loss, LossParts Parts) Compute(Tensor[] t, Tensor[] s, SnlConfig cfg,
                                                         IReadOnlyList<CentralResidualAggregation> crams)
    {
        var sums = new LossParts(); // per term, summed over blocks when read
        var terms = new List<Tensor>();
        void Add(string name, Tensor value, double weight)
        {
            sums.Add(name, value);
            terms.Add(weight == 1.0 ? value : value * weight);
        }
        for (int k = 0; k < t.Length; k++)
        {
            if (cfg.UseChannel)
                Add("channel", cfg.EffectiveChannelForm == ChannelForm.PerPosition
                    ? FeatureDistance.CosinePerPosition(t[k], s[k]).mean()
                    : FeatureDistance.CosineFlattened(t[k], s[k]).mean(), 1.0);
            if (cfg.SpatialWeight != 0)
                Add("spatial", StructuralDistance.Spatial(t[k], s[k], cfg.SpatialForm, cfg.SpatialTemperature), cfg.SpatialWeight);
            if (cfg.IntraWeight != 0)
                Add("intra", StructuralDistance.Intra(t[k], s[k], cfg.IntraCap, cfg.IntraChunk, cfg.IntraPenalty), cfg.IntraWeight);
            if (cfg.InterWeight != 0)
                Add("inter", StructuralDistance.Inter(t[k], s[k], cfg.InterFeature), cfg.InterWeight);
        }
        if (cfg.CramDiversityWeight != 0)
            foreach (var c in crams) Add("cram_diversity", c.Diversity(), cfg.CramDiversityWeight);
        if (terms.Count == 0) throw new InvalidOperationException("SNL: every loss term is switched off");
        var total = terms.Aggregate((a, b) => a + b);
        return (total, sums);
    }
}
