using System.Diagnostics;
using System.Text.Json;
using BotAgent.Storage;
using Microsoft.Data.Sqlite;

namespace BotAgent.Benchmarks.Store;

/// <summary>
/// The two store files (7) measures, made once and kept in <c>~/.cache/botagent-bench/</c>: the empty store (a new
/// file with only the seed runs, the 50-step one among them) and the grown one (the same file plus the suite's count
/// of cloned runs). Named by the schema's latest migration and the generator's version, so a schema change makes new
/// ones; made again when older than a week (the runs' dates end at the day it was made) or with <c>--rebuild-store</c>.
/// Readers copy them: the bot writes into its store.
/// </summary>
internal sealed record GrownStore(string EmptyPath, string GrownPath, GrownStoreManifest Manifest, bool Made)
{
    /// <summary>Changed whenever the generator writes different rows, so older files are not taken for its output.</summary>
    private const string Generator = "g2";
    public const int Days = 365;
    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);

    public static string CacheDirectory =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache ? cache
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "botagent-bench");

    /// <summary>The number of the bot's latest SQLite migration, from the scripts embedded in BotAgent.Storage.</summary>
    public static string Schema
    {
        get
        {
            const string prefix = "BotAgent.Storage.Sqlite.Migrations.";
            var latest = typeof(StoreMigrator).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Max(StringComparer.Ordinal)
                ?? throw new InvalidOperationException("BotAgent.Storage embeds no SQLite migrations.");
            return latest[prefix.Length..].Split('_')[0];
        }
    }

    public static async Task<GrownStore> EnsureAsync(Bench bench)
    {
        var runs = bench.Options.GrownRuns;
        var name = $"grown-{Generator}-{Schema}-{runs}";
        Directory.CreateDirectory(CacheDirectory);
        var grown = Path.Combine(CacheDirectory, name + ".db");
        var empty = Path.Combine(CacheDirectory, name + ".empty.db");
        var manifestPath = Path.Combine(CacheDirectory, name + ".json");
        if (!bench.Options.RebuildStore && File.Exists(manifestPath) && File.Exists(grown) && File.Exists(empty)
            && JsonSerializer.Deserialize<GrownStoreManifest>(await File.ReadAllTextAsync(manifestPath)) is { } cached
            && TimeProvider.System.GetUtcNow() - cached.Made < MaxAge)
            return new GrownStore(empty, grown, cached, Made: false);

        // Files of this size made by another schema or generator are of no more use, and big.
        foreach (var stale in Directory.EnumerateFiles(CacheDirectory, $"grown-*-{runs}.*"))
            File.Delete(stale);
        var manifest = await MakeAsync(bench, empty, grown);
        await File.WriteAllTextAsync(manifestPath, JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
        return new GrownStore(empty, grown, manifest, Made: true);
    }

    private static async Task<GrownStoreManifest> MakeAsync(Bench bench, string empty, string grown)
    {
        var clock = Stopwatch.StartNew();
        var seed = bench.NewDatabase();
        bench.Log($"grown store: seeding {seed} through the bot");
        var seedRuns = await SeedRuns.MakeAsync(bench, seed);
        var seedSeconds = clock.Elapsed.TotalSeconds;
        List<TemplateRun> templates;
        using (var connection = new SqliteConnection($"Data Source={seed};Pooling=False"))
        {
            connection.Open();
            var tables = StoreTable.ReadAll(connection);
            templates = [.. seedRuns.Select(r => TemplateRun.Read(connection, tables, r))];
        }
        bench.Log($"grown store: seed runs made in {seedSeconds:F1} s; events per run {string.Join(", ", templates.Select(t => $"{t.Kind} {t.Events}"))}");

        var made = TimeProvider.System.GetUtcNow();
        var building = grown + ".building";
        File.Copy(seed, building, overwrite: true);
        clock.Restart();
        var counts = RunCloner.Clone(building, [.. templates.Where(t => t.Kind != SeedRuns.Long)], bench.Options.GrownRuns, bench.Options.GrownEvents, made, Days, bench.Log);
        var cloneSeconds = clock.Elapsed.TotalSeconds;
        var (events, bytesByTable) = Measure(building);
        File.Move(building, grown, overwrite: true);
        File.Copy(seed, empty, overwrite: true);
        bench.Log($"grown store: {bench.Options.GrownRuns:N0} runs, {events:N0} events, {new FileInfo(grown).Length / 1048576.0:N0} MB in {cloneSeconds:F0} s");
        return new GrownStoreManifest(made, bench.Options.GrownRuns, events, Days, seedRuns.Single(r => r.Kind == SeedRuns.Long).RunId,
            seedSeconds, cloneSeconds, new FileInfo(grown).Length, new FileInfo(empty).Length, counts,
            templates.ToDictionary(t => t.Kind, t => t.Events), bytesByTable);
    }

    /// <summary>
    /// The trace events in the file, and the bytes each cloned table's values take (text as stored, numbers as
    /// digits): SQLite's dbstat, which would count pages and indexes, is not compiled into Microsoft.Data.Sqlite's build.
    /// </summary>
    private static (long Events, Dictionary<string, long> BytesByTable) Measure(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM planning_events) + (SELECT COUNT(*) FROM execution_events);";
        var events = (long)command.ExecuteScalar()!;
        var bytes = new Dictionary<string, long>();
        foreach (var table in StoreTable.ReadAll(connection))
        {
            command.CommandText = $"SELECT CAST({string.Join(" + ", table.Columns.Select(c => $"total(length(CAST({c} AS BLOB)))"))} AS INTEGER) FROM {table.Name};";
            bytes[table.Name] = (long)command.ExecuteScalar()!;
        }
        return (events, bytes.OrderByDescending(b => b.Value).ToDictionary());
    }
}
