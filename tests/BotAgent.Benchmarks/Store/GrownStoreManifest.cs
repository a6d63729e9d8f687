namespace BotAgent.Benchmarks.Store;

/// <summary>What a cached grown store holds and how it was made: the JSON file beside it.</summary>
/// <param name="Made">When it was made; the runs are spread over <paramref name="Days"/> days up to then.</param>
/// <param name="Runs">Finished runs cloned (the seed's own few are not counted).</param>
/// <param name="Events">Planning and execution trace events in the file, the seed's included.</param>
/// <param name="LongRunId">The 50-step run, in the empty store and the grown one alike.</param>
/// <param name="EventsPerRun">Each seed run's trace events, by kind.</param>
/// <param name="BytesByTable">What each table's values take, without indexes and page overhead.</param>
internal sealed record GrownStoreManifest(
    DateTimeOffset Made, int Runs, long Events, int Days, string LongRunId, double SeedSeconds, double CloneSeconds, long Bytes, long EmptyBytes,
    Dictionary<string, int> RunsByKind, Dictionary<string, int> EventsPerRun, Dictionary<string, long> BytesByTable);
