using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;

namespace BotAgent.Benchmarks.Store;

/// <summary>
/// Writes clones of the seed runs into a copy of the seed file: one connection, no journal (a failed build is thrown
/// away), a prepared INSERT per table, a transaction per few thousand runs. Clones are written oldest first with
/// time-ordered run ids, as the bot would have written them, spread evenly over the given days up to now, in
/// conversations of about twenty runs, asked for by 500 people and decided by 50.
/// </summary>
internal static class RunCloner
{
    private const int RunsPerTransaction = 2000;
    private const int RunsPerConversation = 20;
    private const int Requesters = 500;
    private const int Approvers = 50;

    /// <summary>Writes <paramref name="runs"/> clones holding about <paramref name="events"/> trace events; returns the clones per kind.</summary>
    public static Dictionary<string, int> Clone(string path, IReadOnlyList<TemplateRun> templates, int runs, long events, DateTimeOffset end, int days, Action<string> log)
    {
        var failed = templates.Single(t => t.Kind == SeedRuns.Failed);
        var rejected = templates.Single(t => t.Kind == SeedRuns.Rejected);
        var succeeded = templates.Where(t => t != failed && t != rejected).OrderBy(t => t.Events).ToList();
        var counts = templates.ToDictionary(t => t.Kind, _ => 0);
        var start = end.UtcDateTime.AddDays(-days);
        var step = TimeSpan.FromDays(days) / runs;
        var conversations = Math.Max(1, runs / RunsPerConversation);

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -262144; PRAGMA foreign_keys = OFF;");
        var inserts = templates.SelectMany(t => t.Rows).Select(r => r.Table).Distinct().ToDictionary(t => t, t => Prepare(connection, t));
        var scratch = new StringBuilder(4096);
        var clock = Stopwatch.StartNew();
        long written = 0;
        var transaction = connection.BeginTransaction();
        for (var k = 0; k < runs; k++)
        {
            // One run in twenty failed and one was rejected; the rest succeeded in one to ten steps.
            var template = (k % 20) switch
            {
                7 => failed,
                13 => rejected,
                _ => Succeeded(succeeded, k, (long)((k + 1) * (double)events / runs) - written),
            };
            var created = start + (step * (k + 0.5));
            // A prime stride spreads each conversation's runs over the whole period rather than bunching them.
            var clone = new CloneIdentity(
                Guid.CreateVersion7(new DateTimeOffset(created, TimeSpan.Zero)).ToString("N"),
                $"conv-t{k * 7919L % conversations:D6}", $"g{k:D9}", $"k{k:D9}", k * 31 % Requesters, k * 17 % Approvers, created - template.CreatedAt);
            foreach (var (table, values) in template.Rows)
            {
                var command = inserts[table];
                command.Transaction = transaction;
                for (var i = 0; i < values.Length; i++)
                    command.Parameters[i].Value = values[i] switch
                    {
                        null => DBNull.Value,
                        TemplateText text => text.Render(clone, scratch),
                        var raw => raw,
                    };
                command.ExecuteNonQuery();
            }
            written += template.Events;
            counts[template.Kind]++;
            if ((k + 1) % RunsPerTransaction == 0)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = connection.BeginTransaction();
            }
            if ((k + 1) % Math.Max(1, runs / 10) == 0)
                log($"grown store: {k + 1:N0} runs, {written:N0} events ({clock.Elapsed.TotalSeconds:F0} s)");
        }
        transaction.Commit();
        transaction.Dispose();
        foreach (var command in inserts.Values)
            command.Dispose();
        Execute(connection, "PRAGMA journal_mode = WAL;");
        return counts;
    }

    /// <summary>
    /// The succeeded kinds in turn, except that the smallest or the largest is taken while the events written are
    /// further from the budget than one large run: the total keeps to it whatever each kind's count of events.
    /// </summary>
    /// <param name="wanted">Events still to write to be on budget after this run.</param>
    private static TemplateRun Succeeded(List<TemplateRun> bySize, int k, long wanted)
    {
        var next = bySize[k % bySize.Count];
        var (smallest, largest) = (bySize[0], bySize[^1]);
        return next.Events - wanted > largest.Events ? smallest
            : wanted - next.Events > largest.Events ? largest
            : next;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, StoreTable table)
    {
        var command = connection.CreateCommand();
        command.CommandText = table.Insert;
        for (var i = 0; i < table.Columns.Count; i++)
            command.Parameters.Add(new SqliteParameter("$p" + i, DBNull.Value));
        command.Prepare();
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
