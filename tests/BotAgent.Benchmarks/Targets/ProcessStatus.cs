using System.Globalization;

namespace BotAgent.Benchmarks.Targets;

/// <summary>A process's memory and threads now, from <c>/proc/&lt;pid&gt;/status</c> (Linux).</summary>
internal readonly record struct ProcessStatus(long RssKb, long PeakRssKb, int Threads)
{
    public double RssMb => RssKb / 1024.0;

    public double PeakRssMb => PeakRssKb / 1024.0;

    public static ProcessStatus Read(int pid)
    {
        long rss = 0, hwm = 0;
        var threads = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    rss = Kb(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    hwm = Kb(line);
                else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                    threads = int.Parse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
            // The process has exited.
        }
        return new ProcessStatus(rss, hwm, threads);
    }

    /// <summary>User plus system CPU time the process has used so far.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        try
        {
            // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    // USER_HZ: 100 on every Linux kernel configuration in use (sysconf(_SC_CLK_TCK)).
    private const int ClockTicksPerSecond = 100;

    private static long Kb(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
}
