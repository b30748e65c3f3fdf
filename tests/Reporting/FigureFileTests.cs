using System.Text;
using Plotly.NET;
using Workbench.Reporting;

namespace Workbench.Tests.Reporting;

public class FigureFileTests
{
    [Fact]
    public void HtmlDeclaresUtf8WithinTheBytesBrowsersSniff()
    {
        var chart = Plotly.NET.Chart.Invisible();
        var html = FigureFile.SelfContainedHtml(chart, 400, 300);
        var head = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(html), 0, 1024);
        Assert.Contains("<meta charset=\"utf-8\">", head, StringComparison.OrdinalIgnoreCase);
    }
}
