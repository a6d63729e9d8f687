using System.ComponentModel.DataAnnotations;

namespace BotAgent.Tools.Prometheus;

/// <summary>Configuration section <c>Tools:Prometheus</c> (the <c>prometheus.query</c> tool).</summary>
public sealed class PrometheusOptions
{
    public const string Section = "Tools:Prometheus";

    public bool Enabled { get; set; }

    /// <summary>
    /// The Prometheus server (or a compatible API: Thanos, Mimir, VictoriaMetrics), e.g. <c>http://prometheus:9090</c>
    /// or with a path prefix. An administrator names it, so it may be a loopback or private address.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Headers sent with every query (<c>Authorization</c>, a tenant id). Every value is treated as a secret and redacted from results.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Series listed in a result; the rest are counted.</summary>
    [Range(1, 1000)]
    public int MaxSeries { get; set; } = 20;

    [Range(1024, 256 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 8 * 1024 * 1024;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
