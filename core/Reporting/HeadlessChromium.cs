using System.Diagnostics;

namespace Workbench.Reporting;

/// <summary>
/// Renders a local HTML file to PNG with Debian's <c>chromium</c> in headless mode (install:
/// <c>apt-get install -y chromium</c>). <c>WORKBENCH_CHROMIUM</c> overrides the executable.
/// </summary>
public static class HeadlessChromium
{
    static readonly string[] Candidates = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

    public static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("WORKBENCH_CHROMIUM");
        if (!string.IsNullOrEmpty(env)) return File.Exists(env) ? env : null;
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return Candidates.SelectMany(c => path.Select(d => Path.Combine(d, c))).FirstOrDefault(File.Exists);
    }

    /// <returns>(true, null) when the PNG was written, else (false, why).</returns>
    public static (bool Ok, string? Why) Screenshot(string htmlPath, string pngPath, int width, int height)
    {
        var exe = Find();
        if (exe is null) return (false, "no chromium on PATH (apt-get install -y chromium); PNG skipped, HTML written");
        var profile = Directory.CreateTempSubdirectory("wb-chromium-");
        try
        {
            if (File.Exists(pngPath)) File.Delete(pngPath);
            var psi = new ProcessStartInfo(exe)
            {
                RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
            };
            foreach (var a in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-extensions",
                $"--user-data-dir={profile.FullName}", $"--window-size={width},{height}",
                // plotly draws after load; the virtual time budget lets its scripts finish before the shot
                "--virtual-time-budget=15000", $"--screenshot={Path.GetFullPath(pngPath)}",
                new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri,
            }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            _ = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(120_000)) { p.Kill(true); return (false, $"{exe} timed out rendering {htmlPath}"); }
            return File.Exists(pngPath) ? (true, null) : (false, $"{exe} exited {p.ExitCode} without writing {pngPath}: {Last(err.Result)}");
        }
        finally { try { profile.Delete(true); } catch (IOException) { } }
    }

    static string Last(string s) => s.Length > 400 ? s[^400..] : s;
}
