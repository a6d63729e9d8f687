using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BotAgent.Tools.Sql;

/// <summary>
/// <c>sql.query</c>: one statement on a configured database, read-only by construction (SQLite opened read-only,
/// PostgreSQL in a read-only transaction, and on both the statement checked first by <see cref="SqlStatementPolicy"/>),
/// bounded in rows and time; the result as a small text table.
/// </summary>
internal sealed class SqlQueryTool : ITool
{
    public const string OneStatement = "sql.query runs one statement per step; split the statements into separate steps";

    private readonly SqlOptions _options;
    private readonly TimeProvider _time;
    private readonly SqlStatementPolicy _statements;

    public SqlQueryTool(IOptions<SqlOptions> options, TimeProvider time, SecretRedactor secrets)
    {
        _options = options.Value;
        _time = time;
        _statements = new SqlStatementPolicy(_options.AllowedFunctions);
        secrets.AddRange(_options.Connections.Values.Select(Password));
        var names = _options.Connections.Keys.Order(StringComparer.Ordinal).ToArray();
        Descriptor = new ToolDescriptor(
            "sql.query",
            $"Run one read-only SQL statement (SELECT …) on a configured database ({string.Join(", ", names.Select(n => $"{n}: {_options.Connections[n].Kind}"))}); returns up to {_options.MaxRows} rows as a table.",
            Schema(names),
            RiskLevel.ReadOnly,
            Idempotent: true,
            // A little longer than the statement's own limit, so the clearer "statement timed out" answer wins.
            _options.Timeout + TimeSpan.FromSeconds(5),
            PrimaryArgument: "sql",
            Targets: [.. names.Select(ToolTargets.Sql)]);
    }

    public ToolDescriptor Descriptor { get; }

    public IReadOnlyList<string> CheckArguments(JsonElement args)
    {
        if (args.ValueKind != JsonValueKind.Object || !args.TryGetProperty("sql", out var sql) || sql.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(sql.GetString()))
            return ["sql.query needs 'sql' (one read-only statement)"];
        if (ConnectionName(args) is not { } name)
            return [$"name the database: 'connection' is one of {string.Join(", ", _options.Connections.Keys)}"];
        if (!_options.Connections.TryGetValue(name, out var connection))
            return [$"there is no connection '{name}' (Tools:Sql:Connections has {string.Join(", ", _options.Connections.Keys)})"];
        // Checked again when the step runs (InvokeAsync), against the same text.
        return _statements.Check(sql.GetString()!, connection.Kind);
    }

    public IReadOnlyList<string> Targets(JsonElement args) =>
        args.ValueKind == JsonValueKind.Object && ConnectionName(args) is { } name && ConfiguredName(name) is { } configured
            ? [ToolTargets.Sql(configured)]
            : [];

    public async Task<ToolOutcome> InvokeAsync(ToolCall call, CancellationToken cancellationToken)
    {
        if (CheckArguments(call.Args) is [var refusal, ..])
            return ToolOutcome.Failure("Refused: " + refusal, refusal);
        var name = ConnectionName(call.Args)!;
        var connection = _options.Connections[name];
        var sql = call.Args.GetProperty("sql").GetString()!;

        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var rows = connection.Kind == SqlProvider.Postgres
                ? await PostgresQuery.RunAsync(connection.ConnectionString, sql, _options.Timeout, _options.MaxRows, _options.MaxCellChars, linked.Token)
                : await SqliteQuery.RunAsync(connection.ConnectionString, sql, _options.MaxRows, _options.MaxCellChars, linked.Token);
            return Success(name, connection.Kind, rows);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or SqlRefusedException or OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested(); // the step was cancelled: not an outcome of the query
            return Failure(ex, timeout.IsCancellationRequested);
        }
    }

    private static ToolOutcome Success(string name, SqlProvider provider, SqlRows rows)
    {
        var columns = rows.Columns.Count <= 6 ? string.Join(", ", rows.Columns) : string.Join(", ", rows.Columns.Take(6)) + ", …";
        var summary = rows.More
            ? $"first {rows.Rows.Count} rows ({columns}); more not shown (Tools:Sql:MaxRows)"
            : $"{rows.Rows.Count} {(rows.Rows.Count == 1 ? "row" : "rows")} ({columns})";
        List<KeyValuePair<string, string>> facts =
        [
            new("Connection", $"{name} ({provider})"),
            new("Rows", rows.Rows.Count.ToString(CultureInfo.InvariantCulture) + (rows.More ? "+" : "")),
            new("Columns", rows.Columns.Count.ToString(CultureInfo.InvariantCulture)),
        ];
        // The rows read, at most MaxRows: when the statement had more (rows.More) the count stops there, as the table does.
        return ToolOutcome.Success(summary, rows.ToTable(), facts) with { Measures = new ToolMeasures(Count: rows.Rows.Count) };
    }

    private ToolOutcome Failure(Exception ex, bool timedOut)
    {
        var limit = $"the statement ran longer than {_options.Timeout.TotalSeconds:0.###} s (Tools:Sql:Timeout)";
        switch (ex)
        {
            case SqlRefusedException refused:
                return Refused(refused.Message);
            case SqliteException { SqliteErrorCode: 1 } sqlite when sqlite.Message.Contains("too many attached databases", StringComparison.Ordinal):
                return Refused("sql.query reads only the configured database: ATTACH and VACUUM INTO are not allowed");
            case OperationCanceledException:
            case SqliteException { SqliteErrorCode: SqliteQuery.InterruptedError }:
            case PostgresException { SqlState: PostgresQuery.QueryCanceled }:
                return ToolOutcome.Failure("Timed out: " + limit, timedOut ? limit : ex.Message);
            case SqliteException { SqliteErrorCode: SqliteQuery.TooBigError } sqlite:
                return ToolOutcome.Failure($"The statement built or read a value longer than {SqliteQuery.MaxValueBytes / (1024 * 1024)} MB, more than sql.query holds in memory",
                    sqlite.Message);
            case SqliteException { SqliteErrorCode: SqliteQuery.ReadOnlyError } sqlite:
                return ReadOnly(sqlite.Message);
            case PostgresException { SqlState: PostgresQuery.ReadOnlyTransaction or PostgresQuery.ReadWriteTooLate } pg:
                return ReadOnly(pg.MessageText);
            case PostgresException { SqlState: PostgresQuery.SyntaxError } pg when pg.MessageText.Contains("multiple commands", StringComparison.Ordinal):
                return Refused(OneStatement);
            case PostgresException { SqlState: PostgresQuery.TransactionTermination } pg:
                return Refused($"sql.query runs inside a read-only transaction that the statement may not end ({pg.MessageText})");
            case PostgresException pg:
                return ToolOutcome.Failure($"PostgreSQL error {pg.SqlState}: {pg.MessageText}", pg.Message, pg.IsTransient);
            case NpgsqlException npgsql:
                return ToolOutcome.Failure($"PostgreSQL is unreachable: {npgsql.Message}", npgsql.Message, npgsql.IsTransient);
            case SqliteException sqlite:
                var busy = sqlite.SqliteErrorCode is SqliteQuery.BusyError or SqliteQuery.LockedError;
                return ToolOutcome.Failure($"SQLite error {sqlite.SqliteErrorCode}: {sqlite.Message}", sqlite.Message, busy);
            default:
                return ToolOutcome.Failure("The query failed: " + ex.Message, ex.Message);
        }
    }

    private static ToolOutcome ReadOnly(string driverMessage) =>
        Refused($"sql.query is read-only and the statement tried to write ({driverMessage})");

    private static ToolOutcome Refused(string error) => ToolOutcome.Failure("Refused: " + error, error);

    private string? ConnectionName(JsonElement args) =>
        args.TryGetProperty("connection", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()
        : _options.Connections.Count == 1 ? _options.Connections.Keys.Single() : null;

    // A step may spell a name in another case (the lookup ignores case); its target is spelt as configured, so it
    // compares equal to the descriptor's.
    private string? ConfiguredName(string name) =>
        _options.Connections.Keys.FirstOrDefault(key => _options.Connections.Comparer.Equals(key, name));

    private static string? Password(SqlConnectionOptions connection)
    {
        try
        {
            return connection.Kind == SqlProvider.Postgres
                ? new NpgsqlConnectionStringBuilder(connection.ConnectionString).Password
                : new SqliteConnectionStringBuilder(connection.ConnectionString).Password;
        }
        catch (ArgumentException)
        {
            return null; // the options validator has already said what is wrong with it
        }
    }

    private static JsonElement Schema(string[] names)
    {
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["connection"] = new JsonObject
                {
                    ["type"] = "string",
                    ["enum"] = new JsonArray([.. names.Select(n => (JsonNode)n)]),
                    ["description"] = "The configured database to query" + (names.Length == 1 ? $" (default {names[0]})." : "."),
                },
                ["sql"] = new JsonObject
                {
                    ["type"] = "string",
                    ["minLength"] = 1,
                    ["maxLength"] = 20_000,
                    ["description"] = "One read-only SQL statement, e.g. SELECT … LIMIT 20.",
                },
            },
            ["required"] = names.Length == 1 ? new JsonArray("sql") : new JsonArray("connection", "sql"),
            ["additionalProperties"] = false,
        };
        return JsonSerializer.SerializeToElement(schema);
    }
}
