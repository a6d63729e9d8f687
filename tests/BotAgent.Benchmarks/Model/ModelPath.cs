using System.Globalization;
using BotAgent.Benchmarks.Load;

namespace BotAgent.Benchmarks.Model;

/// <summary>
/// The model calls that sat on one path of a round's runs (goal → card, approve → summary): the calls about the run's
/// goal that were at the model while the path ran, by kind, with the rest of the path's time (what the bot itself took).
/// </summary>
internal sealed class ModelPath
{
    private readonly Dictionary<ModelCallKind, KindCalls> _kinds = Enum.GetValues<ModelCallKind>().ToDictionary(k => k, _ => new KindCalls());

    /// <summary>Runs whose path ended (card or summary seen).</summary>
    public int Runs { get; private set; }

    /// <summary>Runs whose only model call on the path was one of <see cref="Expected"/>.</summary>
    public int RunsWithOnlyExpected { get; private set; }

    public ModelCallKind Expected { get; }

    /// <summary>Each run's path time less the model calls on it.</summary>
    public LatencyHistogram WithoutModel { get; } = new();

    private ModelPath(ModelCallKind expected) => Expected = expected;

    /// <param name="from">When each run's path began (goal due, click due), by index.</param>
    /// <param name="to">When it ended (card, summary at the channel); 0 if it did not.</param>
    /// <param name="expected">The one call the path should hold.</param>
    public static ModelPath Of(ILookup<string, ModelCall> calls, string tag, long[] from, long[] to, int count, ModelCallKind expected)
    {
        var path = new ModelPath(expected);
        for (var i = 0; i < count; i++)
        {
            if (from[i] == 0 || to[i] == 0)
                continue;
            var begin = from[i];
            var end = to[i];
            var on = calls[tag + i.ToString("D9", CultureInfo.InvariantCulture)].Where(c => c.Ended > begin && c.Began < end).ToList();
            long waited = 0;
            foreach (var call in on)
            {
                var kind = path._kinds[call.Kind];
                kind.Calls++;
                kind.Wait.RecordTicks(call.Ended - call.Began);
                // The load generator may send up to 1 ms before a request is due: a call can start that much before its path.
                kind.BeganAfter.RecordTicks(call.Began - begin);
                waited += Math.Min(call.Ended, end) - Math.Max(call.Began, begin);
            }
            path.Runs++;
            if (on.Count == 1 && on[0].Kind == expected)
                path.RunsWithOnlyExpected++;
            path.WithoutModel.RecordTicks(end - begin - waited);
        }
        return path;
    }

    public double PerRun(ModelCallKind kind) => Runs == 0 ? double.NaN : _kinds[kind].Calls / (double)Runs;

    /// <summary>Each call's time at the model, arrival to answer.</summary>
    public LatencyHistogram Wait(ModelCallKind kind) => _kinds[kind].Wait;

    /// <summary>From the path's start to each call's arrival at the model.</summary>
    public LatencyHistogram BeganAfter(ModelCallKind kind) => _kinds[kind].BeganAfter;

    /// <summary>The kinds of call seen on the path, the expected one first.</summary>
    public IEnumerable<ModelCallKind> Seen => _kinds.Where(k => k.Value.Calls > 0).Select(k => k.Key).OrderBy(k => k != Expected).ThenBy(k => k);

    public bool OnlyExpected => Runs > 0 && RunsWithOnlyExpected == Runs;

    private sealed class KindCalls
    {
        public int Calls { get; set; }
        public LatencyHistogram Wait { get; } = new();
        public LatencyHistogram BeganAfter { get; } = new();
    }
}
