using System.Globalization;
using System.Text.Json.Nodes;
using BotAgent.Benchmarks.Load;
using Microsoft.Data.Sqlite;

namespace BotAgent.Benchmarks.Store;

/// <summary>
/// Every row the bot stored about one seed run (the run, its plan versions, decisions, attempts, planning and
/// execution events, its conversation's inbox and outbox rows), each text cut where it names the run, so a clone
/// is written from it without searching.
/// </summary>
internal sealed class TemplateRun
{
    private TemplateRun(string kind, DateTime createdAt, IReadOnlyList<(StoreTable Table, object?[] Values)> rows)
    {
        Kind = kind;
        CreatedAt = createdAt;
        Rows = rows;
        Events = rows.Count(r => r.Table.Name is "planning_events" or "execution_events");
    }

    public string Kind { get; }

    public DateTime CreatedAt { get; }

    /// <summary>Rows in the order to write them (the run first), with each value raw or a <see cref="TemplateText"/>.</summary>
    public IReadOnlyList<(StoreTable Table, object?[] Values)> Rows { get; }

    /// <summary>Planning and execution trace events.</summary>
    public int Events { get; }

    public static TemplateRun Read(SqliteConnection seed, IReadOnlyList<StoreTable> tables, SeedRun run)
    {
        var names = Names(run);
        var rows = new List<(StoreTable, object?[])>();
        string? conversationKey = null;
        DateTime? createdAt = null;
        // The run first: the other tables' rows are found by its conversation too.
        foreach (var table in tables.OrderBy(t => t.Name != "runs"))
        {
            // A message of no run (a notice) in the seed run's conversation goes with the run: in the seed, that conversation is the run's alone.
            var where = table.Name == "runs" ? "id = $key"
                : table.Has("run_id") && table.Has("ordering_key") ? "(run_id = $key OR (run_id IS NULL AND ordering_key = $conversation))"
                : table.Has("run_id") ? "run_id = $key"
                : "ordering_key = $conversation";
            using var command = seed.CreateCommand();
            command.CommandText = $"{table.Select} WHERE {where} ORDER BY rowid;";
            command.Parameters.AddWithValue("$key", run.RunId);
            command.Parameters.AddWithValue("$conversation", (object?)conversationKey ?? DBNull.Value);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (table.Name == "step_resolutions")
                    throw new NotSupportedException($"Seed run {run.RunId} has a step resolution: its attempt id cannot be cloned.");
                var values = new object?[table.Columns.Count];
                for (var i = 0; i < values.Length; i++)
                    values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i) is string text ? TemplateText.Compile(text, names) : reader.GetValue(i);
                if (table.Name == "runs")
                {
                    conversationKey = reader.GetString(table.Columns.ToList().IndexOf("conversation_key"));
                    createdAt = DateTime.ParseExact(reader.GetString(table.Columns.ToList().IndexOf("created_at")), TemplateText.TimeFormat,
                        CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                }
                rows.Add((table, values));
            }
        }
        if (createdAt is null)
            throw new InvalidOperationException($"The seed has no run {run.RunId}.");
        return new TemplateRun(run.Kind, createdAt.Value, rows);
    }

    /// <summary>What the seed run's texts name, most specific first (the conversation's id holds the goal's activity id).</summary>
    private static List<(string Text, CloneHole Hole)> Names(SeedRun run)
    {
        var requester = JsonNode.Parse(Payloads.Requester)!;
        var approver = JsonNode.Parse(Payloads.Approver)!;
        List<(string, CloneHole)> names =
        [
            (run.RunId, CloneHole.RunId),
            (Payloads.ConversationOf(run.GoalActivity), CloneHole.Conversation),
            (run.GoalActivity, CloneHole.GoalActivity),
            (run.ClickActivity, CloneHole.ClickActivity),
            (requester["id"]!.GetValue<string>(), CloneHole.RequesterId),
            (requester["aadObjectId"]!.GetValue<string>(), CloneHole.RequesterAad),
            (requester["name"]!.GetValue<string>(), CloneHole.RequesterName),
            (approver["id"]!.GetValue<string>(), CloneHole.ApproverId),
            (approver["aadObjectId"]!.GetValue<string>(), CloneHole.ApproverAad),
            (approver["name"]!.GetValue<string>(), CloneHole.ApproverName),
        ];
        return names;
    }
}
