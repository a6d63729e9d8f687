using BotAgent.Core.Reporting;
using Dapper;

namespace BotAgent.Storage;

public sealed class ConversationLogStore(Database database) : IConversationLog
{
    public async Task<bool> StartAsync(string conversationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = "INSERT INTO hosted_conversations (id, created_at, last_seq) VALUES (@conversationId, @at, 0) ON CONFLICT (id) DO NOTHING;";
        return await database.ExecuteWriteAsync(sql, new { conversationId, at = DbTime.ToText(now) }, cancellationToken) == 1;
    }

    public async Task<bool> ExistsAsync(string conversationId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT COUNT(*) FROM hosted_conversations WHERE id = @conversationId;";
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { conversationId }, cancellationToken: cancellationToken)) > 0;
    }

    public Task<LoggedActivity> AppendAsync(string conversationId, string? recipientId, Func<long, string> payload, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The upsert takes the conversation row's lock until the commit: a second writer to the same conversation waits,
        // so no reader ever sees entry n+1 committed before entry n (a watermark past a gap would lose n for good).
        const string next = """
            INSERT INTO hosted_conversations (id, created_at, last_seq) VALUES (@conversationId, @at, 1)
            ON CONFLICT (id) DO UPDATE SET last_seq = hosted_conversations.last_seq + 1
            RETURNING last_seq;
            """;
        const string insert = """
            INSERT INTO hosted_activities (conversation_id, seq, recipient_id, payload, created_at)
            VALUES (@conversationId, @seq, @recipientId, @payload, @at);
            """;
        var at = DbTime.ToText(now);
        return database.WriteAsync(async (connection, transaction, ct) =>
        {
            var seq = await connection.ExecuteScalarAsync<long>(new CommandDefinition(next, new { conversationId, at }, transaction, cancellationToken: ct));
            var text = payload(seq);
            await connection.ExecuteAsync(new CommandDefinition(insert, new { conversationId, seq, recipientId, payload = text, at }, transaction, cancellationToken: ct));
            return new LoggedActivity(conversationId, seq, recipientId, text, now);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<LoggedActivity>> ReadAsync(string conversationId, long after, int max, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT conversation_id, seq, recipient_id, payload, created_at FROM hosted_activities
            WHERE conversation_id = @conversationId AND seq > @after
            ORDER BY seq
            LIMIT @max;
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ActivityRow>(new CommandDefinition(sql, new { conversationId, after, max }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new LoggedActivity(r.ConversationId, r.Seq, r.RecipientId, r.Payload, DbTime.Parse(r.CreatedAt)))];
    }

    private sealed class ActivityRow
    {
        public string ConversationId { get; set; } = "";
        public long Seq { get; set; }
        public string? RecipientId { get; set; }
        public string Payload { get; set; } = "";
        public string CreatedAt { get; set; } = "";
    }
}
