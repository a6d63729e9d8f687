using System.Collections.Frozen;

namespace BotAgent.Tools.Sql;

/// <summary>
/// What <c>sql.query</c> refuses at plan time, so nobody is asked to approve it: statements that manage the
/// transaction or the session, more than one statement, and calls of functions that can act outside the statement.
/// A read-only transaction stops writes to tables, not a function that signals another session, reads a server
/// file, changes a setting or opens a connection of its own (dblink), so on PostgreSQL only functions on an
/// allow-list (<see cref="PostgresFunctions"/> and <c>Tools:Sql:AllowedFunctions</c>) may be called. SQLite, opened
/// read-only, has few such functions; those it has are refused by name.
/// </summary>
internal sealed class SqlStatementPolicy
{
    // Transaction control (sql.query owns the transaction), and COPY, which moves whole tables to or from files.
    private static readonly FrozenSet<string> ControlWords = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE", "COPY");

    // Statements that run code, change the session, take locks, wait for or send notifications, or use cursors and
    // prepared statements: none of them reads data, and several act beyond the read-only transaction.
    private static readonly FrozenSet<string> PostgresSessionWords = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "DO", "CALL", "SET", "RESET", "LISTEN", "UNLISTEN", "NOTIFY", "LOCK", "PREPARE", "EXECUTE", "DEALLOCATE",
        "DECLARE", "FETCH", "MOVE", "CLOSE", "DISCARD", "LOAD", "CHECKPOINT", "VACUUM");

    private static readonly FrozenSet<string> ExplainOptions = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "ANALYZE", "ANALYSE", "VERBOSE");

    // Loading an extension, the sqlite3 shell's file functions (present when an application registers them), and
    // fts3_tokenizer, which hands out (and with two arguments replaces) a pointer into the process.
    private static readonly FrozenSet<string> SqliteRefusedFunctions = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "load_extension", "readfile", "writefile", "edit", "fts3_tokenizer");

    private readonly FrozenSet<string> _allowedFunctions;

    /// <param name="allowedFunctions">More PostgreSQL functions to allow, <c>name</c> or <c>schema.name</c> (Tools:Sql:AllowedFunctions).</param>
    public SqlStatementPolicy(IEnumerable<string> allowedFunctions) =>
        _allowedFunctions = FrozenSet.Create(StringComparer.Ordinal,
            [.. PostgresFunctions.AllowedByDefault, .. allowedFunctions.Select(f => PostgresCalls.Fold(f.Trim()))]);

    /// <summary>Why the statement may not run on a database of this kind; empty when it may.</summary>
    public IReadOnlyList<string> Check(string sql, SqlProvider provider)
    {
        var (tokens, unterminated) = SqlLexer.Tokenize(sql, provider);
        if (tokens is null)
            return [$"the statement has an unterminated {unterminated}; sql.query does not guess where it ends"];
        var refusals = new List<string>();
        if (FirstWord(tokens, provider) is { } word
            && (ControlWords.Contains(word) || (provider == SqlProvider.Postgres && PostgresSessionWords.Contains(word))))
            refusals.Add($"'{word.ToUpperInvariant()}' is not allowed: sql.query runs one read-only statement in a transaction of its own");
        if (HasSecondStatement(tokens))
            refusals.Add(SqlQueryTool.OneStatement);
        refusals.AddRange(provider == SqlProvider.Postgres ? RefusedPostgresCalls(tokens) : RefusedSqliteCalls(tokens));
        return refusals;
    }

    private IEnumerable<string> RefusedPostgresCalls(IReadOnlyList<SqlToken> tokens) =>
        PostgresCalls.Find(tokens)
            .Where(call => !IsAllowed(call))
            .DistinctBy(call => call.QualifiedName)
            .Select(call => $"function {call.Written}() is not allowed: sql.query calls only functions on its allow-list of "
                + "functions that cannot act outside the statement; an operator who knows it only reads can add it to Tools:Sql:AllowedFunctions");

    // Unqualified and pg_catalog names by the allow-list's plain names; other schemas only as configured (schema.name).
    private bool IsAllowed(FunctionCall call) => call.Parts.Count switch
    {
        1 => _allowedFunctions.Contains(call.Name),
        2 when call.Parts[0] == "pg_catalog" => _allowedFunctions.Contains(call.Name) || _allowedFunctions.Contains(call.QualifiedName),
        _ => _allowedFunctions.Contains(call.QualifiedName),
    };

    private static IEnumerable<string> RefusedSqliteCalls(IReadOnlyList<SqlToken> tokens) =>
        tokens.Zip(tokens.Skip(1))
            .Where(pair => pair.First.IsName && pair.Second.IsSymbol("(") && SqliteRefusedFunctions.Contains(pair.First.Text))
            .Select(pair => pair.First.Text.ToLowerInvariant())
            .Distinct()
            .Select(name => $"function {name}() is not allowed: on SQLite it loads code, touches files or exposes the process's memory");

    // The statement's own first word; EXPLAIN's options are skipped, since EXPLAIN ANALYZE runs what follows them.
    private static string? FirstWord(IReadOnlyList<SqlToken> tokens, SqlProvider provider)
    {
        var i = 0;
        if (provider == SqlProvider.Postgres && i < tokens.Count && tokens[i].IsWord("explain"))
        {
            i++;
            while (i < tokens.Count && (tokens[i].IsSymbol("(") || (tokens[i].Kind == SqlTokenKind.Word && ExplainOptions.Contains(tokens[i].Text))))
                i = tokens[i].IsSymbol("(") ? AfterClosing(tokens, i) : i + 1;
        }
        return i < tokens.Count && tokens[i].Kind == SqlTokenKind.Word ? tokens[i].Text : null;
    }

    private static int AfterClosing(IReadOnlyList<SqlToken> tokens, int open)
    {
        var depth = 0;
        for (var i = open; i < tokens.Count; i++)
        {
            if (tokens[i].IsSymbol("("))
                depth++;
            else if (tokens[i].IsSymbol(")") && --depth == 0)
                return i + 1;
        }
        return tokens.Count;
    }

    // Empty statements (a leading or trailing ';') are no second statement.
    private static bool HasSecondStatement(IReadOnlyList<SqlToken> tokens)
    {
        var seenStatement = false;
        var ended = false;
        foreach (var token in tokens)
        {
            if (token.IsSymbol(";"))
                ended = seenStatement;
            else if (ended)
                return true;
            else
                seenStatement = true;
        }
        return false;
    }
}
