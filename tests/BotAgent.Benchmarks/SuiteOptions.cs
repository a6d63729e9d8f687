using System.Globalization;

namespace BotAgent.Benchmarks;

/// <summary>
/// The suite's bounds. Defaults keep a whole run near 6–8 minutes on two cores; <c>--quick</c> is a
/// smoke run of about a minute (numbers from it are not worth keeping).
/// </summary>
internal sealed record SuiteOptions
{
    public int Rounds { get; init; } = 3;
    public int Connections { get; init; } = 64;
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan IngestDuration { get; init; } = TimeSpan.FromSeconds(5);
    public int StartupRounds { get; init; } = 5;
    public TimeSpan IdleSettle { get; init; } = TimeSpan.FromSeconds(3);
    public TimeSpan SqliteDuration { get; init; } = TimeSpan.FromSeconds(3);
    public int SustainedGoals { get; init; } = 2000;
    public double PacedGoalsPerSecond { get; init; } = 100;
    public TimeSpan PacedDuration { get; init; } = TimeSpan.FromSeconds(10);
    public int Approvals { get; init; } = 200;
    public double ApprovalsPerSecond { get; init; } = 50;
    public int ConcurrentRuns { get; init; } = 1000;
    public ModelBounds Model { get; init; } = new();

    /// <summary>Finished runs and trace events in (7)'s grown store (made once, cached per size).</summary>
    public int GrownRuns { get; init; } = 200_000;
    public long GrownEvents { get; init; } = 5_000_000;
    public int PageRequests { get; init; } = 200;

    /// <summary>Make (7)'s cached stores again even if they are current.</summary>
    public bool RebuildStore { get; init; }

    public string? Output { get; init; }
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>();
    public bool Quick { get; init; }

    /// <summary>Settings given to every bot the suite starts (<c>--bot Outbox:Concurrency=4</c>), to compare configurations.</summary>
    public IReadOnlyList<string> BotSettings { get; init; } = [];

    public bool Runs(string scenario) => Only.Count == 0 || Only.Contains(scenario);

    public static SuiteOptions Parse(string[] args)
    {
        var options = args.Contains("--quick") ? QuickRun() : new SuiteOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : "";
            options = args[i] switch
            {
                "--rounds" => options with { Rounds = int.Parse(value, CultureInfo.InvariantCulture) },
                "--connections" => options with { Connections = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => options with { IngestDuration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--out" => options with { Output = value },
                "--only" => options with { Only = value.Split(',').ToHashSet(StringComparer.OrdinalIgnoreCase) },
                "--bot" => options with { BotSettings = [.. options.BotSettings, value] },
                "--model-latency" => options with { Model = options.Model with { Latency = TimeSpan.FromMilliseconds(double.Parse(value, CultureInfo.InvariantCulture)) } },
                "--rebuild-store" => options with { RebuildStore = true },
                _ => options,
            };
        }
        return options;
    }

    private static SuiteOptions QuickRun() => new()
    {
        Quick = true,
        Rounds = 1,
        Warmup = TimeSpan.FromSeconds(1),
        IngestDuration = TimeSpan.FromSeconds(2),
        StartupRounds = 1,
        IdleSettle = TimeSpan.FromSeconds(1),
        SqliteDuration = TimeSpan.FromSeconds(1),
        SustainedGoals = 300,
        PacedDuration = TimeSpan.FromSeconds(3),
        Approvals = 50,
        ConcurrentRuns = 200,
        Model = ModelBounds.Quick,
        GrownRuns = 20_000,
        GrownEvents = 500_000,
        PageRequests = 50,
    };
}
