using Workbench.Methods;
using Workbench.Methods.Fd;
using Workbench.Methods.Rd;

namespace Workbench.Tests.Methods;

public class MethodOptionsTests
{
    [Fact]
    public void SetsNumbersEnumsAndStringsCaseInsensitively()
    {
        var c = (RdConfig)MethodOptions.Apply(new RdConfig(), new[] { "sigma=0", "Loss=PerPosition", "teacher=wide_resnet50_2", "Epochs=3" });
        Assert.Equal(0, c.Sigma);
        Assert.Equal(RdLossForm.PerPosition, c.Loss);
        Assert.Equal("wide_resnet50_2", c.Teacher);
        Assert.Equal(3, c.Epochs);
        Assert.Equal(0.005, c.LearningRate); // untouched
    }

    [Fact]
    public void UnknownKeyAndBadValueAreErrorsNamingThem()
    {
        var e = Assert.Throws<ArgumentException>(() => MethodOptions.Apply(new FdConfig(), new[] { "Bogus=1" }));
        Assert.Contains("Bogus", e.Message);
        Assert.Contains("LearningRate", e.Message);
        Assert.Contains("Sigma=abc", Assert.Throws<ArgumentException>(() => MethodOptions.Apply(new FdConfig(), new[] { "Sigma=abc" })).Message);
    }
}
