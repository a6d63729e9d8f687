using System.Data.Common;
using System.Text.Json;
using BotAgent.Core.Reporting;
using BotAgent.Core.Serialization;
using Dapper;

namespace BotAgent.Storage;

public sealed class OutboxStore(Database database) : IOutbox
{
    private const string Supersede = """
        UPDATE outbox SET status = 'superseded'
        WHERE message_key = @MessageKey AND kind = @Kind AND status = 'pending';
        """;

    // A keyed post exists once: a resumed run that reports a step again adds nothing.
    private const string Insert = """
        INSERT INTO outbox (run_id, adapter, ordering_key, kind, message_key, conversation_json, view_json, status, due_at, created_at)
        VALUES (@RunId, @Adapter, @OrderingKey, @Kind, @MessageKey, @ConversationJson, @ViewJson, 'pending', @Now, @Now)
        ON CONFLICT (message_key) WHERE kind = 'post' AND message_key IS NOT NULL DO NOTHING;
        """;

    public async Task EnqueueAsync(OutboundMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (message.Kind == OutboundKind.Post)
        {
            await database.ExecuteWriteAsync(Insert, Args(message, now), cancellationToken);
            return;
        }
        await database.WriteAsync((connection, transaction, ct) => EnqueueAsync(connection, transaction, message, now, ct), cancellationToken);
    }

    /// <summary>Queues a message inside a caller's transaction: a run's move queues what it announces with itself.</summary>
    internal static async Task<int> EnqueueAsync(DbConnection connection, DbTransaction transaction, OutboundMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var args = Args(message, now);
        // Only the latest state of a card matters: an update replaces the updates still waiting for it (and a
        // progress hint the hints still waiting).
        if (message.Kind != OutboundKind.Post)
            await connection.ExecuteAsync(new CommandDefinition(Supersede, args, transaction, cancellationToken: cancellationToken));
        return await connection.ExecuteAsync(new CommandDefinition(Insert, args, transaction, cancellationToken: cancellationToken));
    }

    private static object Args(OutboundMessage message, DateTimeOffset now) => new
    {
        message.RunId,
        message.Conversation.Adapter,
        message.Conversation.OrderingKey,
        Kind = message.Kind switch { OutboundKind.Post => "post", OutboundKind.Update => "update", _ => "progress" },
        message.MessageKey,
        ConversationJson = JsonSerializer.Serialize(message.Conversation, CoreJsonContext.Default.ConversationKey),
        ViewJson = JsonSerializer.Serialize(message.View, CoreJsonContext.Default.OutboundView),
        Now = DbTime.ToText(now),
    };

    internal static string ClaimSql(string forUpdateSkipLocked) => $"""
        UPDATE outbox SET status = 'sending', lease_owner = @owner, lease_until = @leaseUntil
        WHERE id IN (
            SELECT o.id FROM outbox o
            WHERE o.status = 'pending' AND o.due_at <= @now
              AND NOT EXISTS (
                  SELECT 1 FROM outbox p
                  WHERE p.ordering_key = o.ordering_key AND p.id < o.id AND p.status IN ('pending', 'sending'))
            ORDER BY o.due_at, o.id
            LIMIT @max{forUpdateSkipLocked})
        RETURNING id, kind, message_key, conversation_json, view_json, run_id, attempts, may_have_arrived,
            (SELECT s.activity_id FROM outbox s
             WHERE s.message_key = outbox.message_key AND s.kind = 'post' AND s.status = 'sent' LIMIT 1) AS target_activity_id,
            (SELECT CASE WHEN u.status = 'sent' THEN u.fingerprint END FROM outbox u
             WHERE u.message_key = outbox.message_key AND u.kind = 'update' AND outbox.kind = 'update' AND u.id < outbox.id
               AND (u.status = 'sent' OR u.attempts > 0)
             ORDER BY u.id DESC LIMIT 1) AS last_sent_fingerprint;
        """;

    public async Task<IReadOnlyList<OutboxItem>> ClaimDueAsync(string owner, int max, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        // The head of each conversation's queue, if it is due: nothing overtakes an earlier message. Oldest due first, in
        // ix_outbox_due's order, so a claim reads a few rows of the index and stops: ordered by id it sorted every due
        // message first, in the writer, which under a backlog of 90,000 replies slowed everything to a crawl. An update is compared
        // with the latest earlier update that may have reached the channel: only if that one is known delivered does its
        // fingerprint count (one that timed out, failed or was left ambiguous may be what people see, so nothing is skipped).
        var sql = ClaimSql(database.ForUpdateSkipLocked);
        var rows = await database.QueryWriteAsync<OutboxRow>(sql, new
        {
            owner,
            max,
            now = DbTime.ToText(now),
            leaseUntil = DbTime.ToText(leaseUntil),
        }, cancellationToken);
        return [.. rows.OrderBy(r => r.Id).Select(r => new OutboxItem(
            r.Id,
            new OutboundMessage(
                r.RunId,
                JsonSerializer.Deserialize(r.ConversationJson, CoreJsonContext.Default.ConversationKey)!,
                r.Kind switch { "post" => OutboundKind.Post, "update" => OutboundKind.Update, _ => OutboundKind.Progress },
                r.MessageKey,
                JsonSerializer.Deserialize(r.ViewJson, CoreJsonContext.Default.OutboundView)!),
            r.Attempts,
            r.TargetActivityId,
            r.LastSentFingerprint,
            r.MayHaveArrived != 0))];
    }

    public Task MarkSentAsync(long id, string? activityId, string? fingerprint, DateTimeOffset now, CancellationToken cancellationToken) =>
        FinishAsync(id, "sent", activityId, fingerprint, null, now, cancellationToken);

    public Task MarkAmbiguousAsync(long id, string error, DateTimeOffset now, CancellationToken cancellationToken) =>
        FinishAsync(id, "ambiguous", null, null, error, now, cancellationToken);

    public Task MarkFailedAsync(long id, string error, DateTimeOffset now, CancellationToken cancellationToken) =>
        FinishAsync(id, "failed", null, null, error, now, cancellationToken);

    public Task SendAgainAsync(long id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken) =>
        database.ExecuteWriteAsync("""
            UPDATE outbox SET status = 'pending', attempts = attempts + 1, due_at = @dueAt, error = @error, may_have_arrived = 1,
                              lease_owner = NULL, lease_until = NULL
            WHERE id = @id;
            """, new { id, dueAt = DbTime.ToText(dueAt), error }, cancellationToken);

    public async Task RetryLaterAsync(long id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE outbox SET status = 'pending', attempts = attempts + 1, due_at = @dueAt, error = @error, lease_owner = NULL, lease_until = NULL
            WHERE id = @id;
            """;
        await database.ExecuteWriteAsync(sql, new { id, dueAt = DbTime.ToText(dueAt), error }, cancellationToken);
    }

    public async Task DeferAsync(long id, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE outbox SET status = 'pending', due_at = @dueAt, lease_owner = NULL, lease_until = NULL WHERE id = @id AND status = 'sending';";
        await database.ExecuteWriteAsync(sql, new { id, dueAt = DbTime.ToText(dueAt) }, cancellationToken);
    }

    // A plan card, a decision card or a goal's answer (Reporter.MustArrive, by its key) is the one post sent again when it may have
    // arrived: without it the person who asked sees nothing (IOutbox.SendAgainAsync).
    internal const string RecoverSql = """
        UPDATE outbox SET
            status = CASE WHEN kind = 'update' THEN 'pending' WHEN kind = 'progress' THEN 'failed'
                          WHEN message_key LIKE @cardKeys OR message_key LIKE @decisionKeys OR message_key LIKE @answerKeys THEN 'pending' ELSE 'ambiguous' END,
            error = CASE WHEN kind = 'update' THEN error WHEN kind = 'progress' THEN 'the sender stopped: a passing hint is not sent again'
                         WHEN message_key LIKE @cardKeys OR message_key LIKE @decisionKeys OR message_key LIKE @answerKeys THEN 'the sender stopped while posting: sent again'
                         ELSE 'the sender stopped while posting: it may or may not have been delivered' END,
            may_have_arrived = CASE WHEN kind = 'post' AND (message_key LIKE @cardKeys OR message_key LIKE @decisionKeys OR message_key LIKE @answerKeys) THEN 1 ELSE may_have_arrived END,
            lease_owner = NULL,
            lease_until = NULL
        WHERE status IN ('pending', 'sending') AND status = 'sending' AND (@all OR lease_until < @now);
        """;

    public async Task<int> RecoverAsync(DateTimeOffset now, bool all, CancellationToken cancellationToken)
    {
        // The IN (…) term, ix_outbox_open's condition, keeps this on the open messages: without it SQLite scanned every
        // message ever sent, every second, in the writer (1.6 s a time at 2.6 million rows; the grown-store benchmark found it).
        return await database.ExecuteWriteAsync(RecoverSql, new { now = DbTime.ToText(now), all, cardKeys = Reporter.CardKeyPrefix + "%", decisionKeys = Reporter.DecisionKeyPrefix + "%", answerKeys = Reporter.AnswerKeyPrefix + "%" }, cancellationToken);
    }

    public async Task<long> CountBacklogAsync(CancellationToken cancellationToken)
    {
        // Walks the open-messages index (ix_outbox_open), not the delivered history.
        const string sql = "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending');";
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: cancellationToken));
    }

    private async Task FinishAsync(long id, string status, string? activityId, string? fingerprint, string? error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE outbox SET status = @status, activity_id = COALESCE(@activityId, activity_id), fingerprint = @fingerprint, error = @error,
                              attempts = attempts + 1, sent_at = @now, lease_owner = NULL, lease_until = NULL
            WHERE id = @id;
            """;
        await database.ExecuteWriteAsync(sql, new { id, status, activityId, fingerprint, error, now = DbTime.ToText(now) }, cancellationToken);
    }

    private sealed class OutboxRow
    {
        public long Id { get; set; }
        public string Kind { get; set; } = "";
        public string? MessageKey { get; set; }
        public string ConversationJson { get; set; } = "";
        public string ViewJson { get; set; } = "";
        public string? RunId { get; set; }
        public int Attempts { get; set; }
        public string? TargetActivityId { get; set; }
        public string? LastSentFingerprint { get; set; }
        public long MayHaveArrived { get; set; }
    }
}
