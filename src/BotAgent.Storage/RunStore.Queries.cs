using BotAgent.Core.Runs;
using Dapper;

namespace BotAgent.Storage;

public sealed partial class RunStore
{
    public async Task<IReadOnlyList<Run>> ListByConversationAsync(string conversationKey, int limit, bool activeOnly, CancellationToken cancellationToken)
    {
        var filter = activeOnly ? " AND status IN ('planning', 'awaiting_approval', 'approved', 'running', 'awaiting_decision')" : "";
        var sql = $"SELECT {RunColumns} FROM runs WHERE conversation_key = @conversationKey{filter} ORDER BY created_at DESC LIMIT @limit;";
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RunRow>(new CommandDefinition(sql, new { conversationKey, limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRun())];
    }

    public async Task<bool> RequestCancelAsync(string runId, string requestedBy, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE runs SET cancel_requested_by = @requestedBy WHERE id = @runId AND status = 'running';";
        return await database.ExecuteWriteAsync(sql, new { runId, requestedBy }, cancellationToken) == 1;
    }

    public async Task<IReadOnlyDictionary<string, string>> GetCancelRequestsAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken)
    {
        if (runIds.Count == 0)
            return new Dictionary<string, string>();
        var sql = $"SELECT id, cancel_requested_by FROM runs WHERE {database.InList("id", "@ids")} AND status = 'running' AND cancel_requested_by IS NOT NULL;";
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Id, string By)>(new CommandDefinition(sql, new { ids = runIds.ToArray() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Id, r => r.By, StringComparer.Ordinal);
    }
}
