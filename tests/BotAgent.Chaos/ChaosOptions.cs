using System.Globalization;

namespace BotAgent.Chaos;

/// <summary>
/// The command line: <c>--seed &lt;n&gt; --duration &lt;timespan|60s&gt; [--store sqlite|postgres] [--instances 1|2]
/// [--break &lt;name&gt;]</c>. Two instances need PostgreSQL (SQLite is one instance's store).
/// </summary>
internal sealed record ChaosOptions(int Seed, TimeSpan Duration, StoreKind Store, int Instances, string? Break)
{
    public const string Usage =
        "usage: BotAgent.Chaos --seed <n> --duration <timespan, e.g. 00:01:00 or 60s> [--store sqlite|postgres] [--instances 1|2] [--break <name>]";

    /// <summary>The command that replays this run.</summary>
    public string ReplayCommand =>
        $"dotnet run -c Release --project tests/BotAgent.Chaos -- --seed {Seed} --duration {(int)Duration.TotalSeconds}s --store {Store.ToString().ToLowerInvariant()} --instances {Instances}"
        + (Break is null ? "" : $" --break {Break}");

    public static ChaosOptions? Parse(string[] args)
    {
        // Without --seed the harness still needs one to print and replay; the clock is the only source it uses for it.
        var seed = Environment.TickCount & 0x7fffffff;
        var duration = TimeSpan.FromSeconds(60);
        var store = StoreKind.Sqlite;
        int? instances = null;
        string? broken = null;
        if (args.Length % 2 != 0)
            return null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--seed" when int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var s):
                    seed = s;
                    break;
                case "--duration" when ParseDuration(args[i + 1]) is { } d:
                    duration = d;
                    break;
                case "--store" when Enum.TryParse<StoreKind>(args[i + 1], ignoreCase: true, out var kind):
                    store = kind;
                    break;
                case "--instances" when args[i + 1] is "1" or "2":
                    instances = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--break" when Breaks.Known.Contains(args[i + 1]):
                    broken = args[i + 1];
                    break;
                default:
                    return null;
            }
        }
        var count = instances ?? (store == StoreKind.Postgres ? 2 : 1);
        return store == StoreKind.Sqlite && count > 1 ? null : new ChaosOptions(seed, duration, store, count, broken);
    }

    private static TimeSpan? ParseDuration(string text) =>
        text.EndsWith('s') && int.TryParse(text[..^1], CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds)
        : text.EndsWith('m') && int.TryParse(text[..^1], CultureInfo.InvariantCulture, out var minutes) ? TimeSpan.FromMinutes(minutes)
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span
        : null;
}
