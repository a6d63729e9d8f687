using System.Text.Json;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using BotAgent.Core.Serialization;
using BotAgent.Core.Traces;
using Dapper;

namespace BotAgent.Storage;

public sealed class ConversationRecordStore(Database database) : IConversationRecord
{
    public async Task<IReadOnlyList<InboundItem>> InboundForRunAsync(string orderingKey, string runId, string? sourceKey, CancellationToken cancellationToken)
    {
        // Run ids are hex (RunIds.New): one made of anything else is not looked for in payloads, where it could be a
        // LIKE wildcard (or a NUL, which ends SQLite's pattern early and matches everything).
        const string sql = """
            SELECT id, adapter, dedupe_key, ordering_key, payload, received_at, attempts FROM inbox
            WHERE ordering_key = @orderingKey AND (dedupe_key = @sourceKey OR (@mentionsRun IS NOT NULL AND payload LIKE @mentionsRun))
            ORDER BY id;
            """;
        var mentionsRun = runId.Length > 0 && runId.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? "%" + runId + "%" : null;
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<InboxRow>(new CommandDefinition(sql,
            new { orderingKey, sourceKey, mentionsRun }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new InboundItem(r.Id, r.Adapter, r.DedupeKey, r.OrderingKey, r.Payload, DbTime.Parse(r.ReceivedAt), r.Attempts))];
    }

    public async Task<IReadOnlyList<DeliveredMessage>> OutboundForRunAsync(string orderingKey, string runId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, kind, message_key, conversation_json, view_json, run_id, activity_id, sent_at FROM outbox
            WHERE run_id = @runId AND ordering_key = @orderingKey AND kind IN ('post', 'update') AND status = 'sent'
            ORDER BY id;
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(sql, new { runId, orderingKey }, cancellationToken: cancellationToken))).ToList();
        var lastUpdate = rows.Where(r => r.Kind == "update" && r.MessageKey is not null)
            .GroupBy(r => r.MessageKey!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => View(g.MaxBy(r => r.Id)!), StringComparer.Ordinal);
        return [.. rows.Where(r => r.Kind == "post").Select(r => new DeliveredMessage(
            r.Id,
            new OutboundMessage(r.RunId, JsonSerializer.Deserialize(r.ConversationJson, CoreJsonContext.Default.ConversationKey)!, OutboundKind.Post, r.MessageKey, View(r)),
            r.ActivityId,
            DbTime.Parse(r.SentAt!),
            r.MessageKey is not null && lastUpdate.TryGetValue(r.MessageKey, out var update) ? update : null))];
    }

    private static OutboundView View(OutboxRow row) => JsonSerializer.Deserialize(row.ViewJson, CoreJsonContext.Default.OutboundView)!;

    private sealed class InboxRow
    {
        public long Id { get; set; }
        public string Adapter { get; set; } = "";
        public string DedupeKey { get; set; } = "";
        public string OrderingKey { get; set; } = "";
        public string Payload { get; set; } = "";
        public string ReceivedAt { get; set; } = "";
        public int Attempts { get; set; }
    }

    private sealed class OutboxRow
    {
        public long Id { get; set; }
        public string Kind { get; set; } = "";
        public string? MessageKey { get; set; }
        public string ConversationJson { get; set; } = "";
        public string ViewJson { get; set; } = "";
        public string? RunId { get; set; }
        public string? ActivityId { get; set; }
        public string? SentAt { get; set; }
    }
}
