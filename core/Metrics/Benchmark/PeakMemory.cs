namespace Workbench.Metrics.Benchmark;

/// <summary>The process's peak resident set (Linux VmHWM), resettable between measurements by
/// writing 5 to /proc/self/clear_refs (Linux ≥ 4.0). Elsewhere: Process.PeakWorkingSet64, not resettable.</summary>
public static class PeakMemory
{
    /// <summary>Resets the peak to the current resident set; false when the OS does not allow it.</summary>
    public static bool Reset()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); return true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    public static long Bytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:"))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException) { }
        using var p = System.Diagnostics.Process.GetCurrentProcess();
        return p.PeakWorkingSet64;
    }

    public static long CurrentBytes()
    {
        using var p = System.Diagnostics.Process.GetCurrentProcess();
        return p.WorkingSet64;
    }
}
