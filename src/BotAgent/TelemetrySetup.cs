using System.Runtime.CompilerServices;
using BotAgent.Planning;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BotAgent;

/// <summary>Configuration section <c>OpenTelemetry</c>.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "OpenTelemetry";

    /// <summary>OTLP endpoint (e.g. <c>http://localhost:4317</c>); unset: no exporter, the instruments cost next to nothing.</summary>
    public string? OtlpEndpoint { get; set; }

    public string ServiceName { get; set; } = "botagent";
}

public static class TelemetrySetup
{
    /// <summary>
    /// Exports BotAgent's spans (with the Microsoft.Extensions.AI GenAI spans of model calls nested in
    /// planning) and metrics over OTLP, when an endpoint is configured.
    /// </summary>
    public static IServiceCollection AddBotAgentTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new();
        if (string.IsNullOrWhiteSpace(options.OtlpEndpoint))
            return services;
        AddOtlpExport(services, new Uri(options.OtlpEndpoint), options.ServiceName);
        return services;
    }

    // Its own method: compiling it loads the OpenTelemetry assemblies, which a bot without an exporter never needs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddOtlpExport(IServiceCollection services, Uri endpoint, string serviceName)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(t => t
                .AddSource(Core.Telemetry.Name, PlannerServiceCollectionExtensions.TelemetrySource)
                .AddOtlpExporter(o => o.Endpoint = endpoint))
            .WithMetrics(m => m
                .AddMeter(Core.Telemetry.Name)
                .AddOtlpExporter(o => o.Endpoint = endpoint));
    }
}
