using Workbench.Imaging;
using Workbench.Runtime;
using static TorchSharp.torch;

namespace Workbench.Tests.Imaging;

public class ResizeTests
{
    [Fact]
    public void DownscaleByTwoUsesTheWidenedTriangleFilter()
    {
        // Output 0 has centre 1.0 in input coordinates; support 2 gives taps 0,1,2 with weights
        // 0.75, 0.75, 0.25 (normalised by 1.75). Output 1: taps 1,2,3 with 0.25, 0.75, 0.75.
        var r = Resize.Bilinear(new float[] { 0, 10, 20, 30 }, 1, 4, 1, 1, 2);
        Assert.Equal(12.5f / 1.75f, r[0], 4);
        Assert.Equal(40f / 1.75f, r[1], 4);
    }

    [Fact]
    public void UpscaleIsPlainBilinearWithHalfPixelCentres()
    {
        // align_corners=False: sources at -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
        var r = Resize.Bilinear(new float[] { 0, 10 }, 1, 2, 1, 1, 4);
        Assert.Equal(new float[] { 0, 2.5f, 7.5f, 10 }, r);
    }

    [Fact]
    public void SameSizeIsIdentity()
    {
        var src = new float[] { 1, 2, 3, 4, 5, 6 };
        Assert.Equal(src, Resize.Bilinear(src, 2, 3, 1, 2, 3));
    }

    [Theory]
    [InlineData(37, 53, 16, 16)]
    [InlineData(900, 900, 256, 256)]
    [InlineData(20, 30, 64, 48)]
    public void MatchesTorchInterpolateWithAntialias(int h, int w, int oh, int ow)
    {
        TorchRuntime.EnsureLoaded();
        var rng = new Random(3);
        var hwc = new float[h * w * 3];
        for (int i = 0; i < hwc.Length; i++) hwc[i] = (float)rng.NextDouble();
        var ours = Resize.Bilinear(hwc, h, w, 3, oh, ow);
        using var t = tensor(hwc, new long[] { 1, h, w, 3 }).permute(0, 3, 1, 2).contiguous();
        using var r = nn.functional.interpolate(t, new long[] { oh, ow }, mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
        var theirs = r.permute(0, 2, 3, 1).contiguous().data<float>().ToArray();
        for (int i = 0; i < ours.Length; i++) Assert.True(Math.Abs(ours[i] - theirs[i]) < 1e-5, $"index {i}: {ours[i]} vs {theirs[i]}");
    }

    [Fact]
    public void MaskIsBinarisedFromAnyNonzeroValue()
    {
        // VisA masks are not 0/255: any value > 0 is anomalous.
        var gray = new RasterImage(4, 1, 1, new byte[] { 0, 1, 0, 255 });
        var same = Resize.Mask(gray, 1, 4);
        Assert.Equal(new byte[] { 0, 1, 0, 1 }, same.Pixels);
    }

    [Fact]
    public void MaskBilinearThresholdKeepsMajorityAndNearestPicksSource()
    {
        // Row 1,1,1,0 → 2 outputs: bilinear gives 1 and (0.25+0.75·1+0.75·0)/1.75 = 0.571 → 1,1;
        // row 1,0,0,0 → (0.75)/1.75 = 0.43 → 0; nearest picks sources 0 and 2.
        var a = new RasterImage(4, 1, 1, new byte[] { 255, 255, 255, 0 });
        Assert.Equal(new byte[] { 1, 1 }, Resize.Mask(a, 1, 2).Pixels);
        var b = new RasterImage(4, 1, 1, new byte[] { 255, 0, 0, 0 });
        Assert.Equal(new byte[] { 0, 0 }, Resize.Mask(b, 1, 2).Pixels);
        Assert.Equal(new byte[] { 1, 0 }, Resize.Mask(b, 1, 2, MaskResize.Nearest).Pixels);
    }
}
