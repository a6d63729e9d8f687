namespace BotAgent.Tools.Sql;

/// <summary>
/// Finds the function calls in a PostgreSQL statement: a name, optionally schema-qualified, followed by a parenthesis.
/// It errs towards seeing a call: only where PostgreSQL's grammar cannot call anything is <c>name(</c> taken for
/// something else, namely a grammar word (<see cref="PostgresGrammarWords"/>), a type modifier or column list after
/// <c>AS</c> or <c>::</c> (<c>CAST(x AS numeric(10,2))</c>, <c>f() AS t(a, b)</c>), a table's column list after
/// <c>INTO</c>, <c>TABLE</c> or <c>REFERENCES</c> (statements the read-only transaction refuses, with a clearer
/// message), a TABLESAMPLE method, and a CTE's column list (<c>WITH t(a, b) AS (SELECT …)</c>). A name right after a
/// closing parenthesis is a call too: <c>DISTINCT ON (1) f(x)</c> and <c>OPERATOR(pg_catalog.||) f(x)</c> call f. So
/// a bare alias with column names (<c>FROM orders o(a, b)</c>, <c>generate_series(1, 3) g(n)</c>) counts as a call of
/// <c>o</c> or <c>g</c>; written with AS (<c>AS g(n)</c>) it does not.
/// </summary>
internal static class PostgresCalls
{
    private static readonly string[] CteBodies = ["select", "values", "with", "table"];

    // After these the grammar wants a type, an alias, a table or a sampling method, never a function to call:
    // CAST(x AS numeric(10,2)), f() AS t(a, b), INSERT INTO t (a, b), CREATE TABLE t (…), REFERENCES t (id),
    // TABLESAMPLE system (10).
    private static readonly string[] NamesNoFunction = ["as", "into", "table", "references", "tablesample"];

    public static IEnumerable<FunctionCall> Find(IReadOnlyList<SqlToken> tokens)
    {
        for (var open = 1; open < tokens.Count; open++)
        {
            if (!tokens[open].IsSymbol("(") || !tokens[open - 1].IsName)
                continue;
            var first = open - 1;
            while (first >= 2 && tokens[first - 1].IsSymbol(".") && tokens[first - 2].IsName)
                first -= 2;
            var parts = new List<SqlToken>();
            for (var i = first; i < open; i += 2)
                parts.Add(tokens[i]);
            SqlToken? before = first > 0 ? tokens[first - 1] : null;
            if (IsCall(tokens, parts, before, open))
                yield return new FunctionCall([.. parts.Select(Resolve)], string.Join('.', parts.Select(p => p.Kind == SqlTokenKind.QuotedName ? $"\"{p.Text}\"" : p.Text)));
        }
    }

    private static bool IsCall(IReadOnlyList<SqlToken> tokens, List<SqlToken> parts, SqlToken? before, int open)
    {
        var single = parts.Count == 1;
        if (single && parts[0].Kind == SqlTokenKind.Word && PostgresGrammarWords.All.Contains(Fold(parts[0].Text)))
            return false;
        if (before is { } b && (NamesNoFunction.Any(b.IsWord) || b.IsSymbol("::")))
            return false;
        return !(single && before is { } w && (w.IsWord("with") || w.IsWord("recursive") || w.IsSymbol(",")) && IsCteColumnList(tokens, open));
    }

    // WITH name(a, b) AS [NOT] [MATERIALIZED] (SELECT|VALUES|WITH|TABLE …: only names and commas inside, and a query
    // after, which a function's column definition list (f(x) AS (a int), f(x) AS materialized(a int)) never has.
    private static bool IsCteColumnList(IReadOnlyList<SqlToken> tokens, int open)
    {
        var i = open + 1;
        while (i < tokens.Count && (tokens[i].IsName || tokens[i].IsSymbol(",")))
            i++;
        if (i == open + 1 || i >= tokens.Count || !tokens[i].IsSymbol(")") || !At(tokens, ++i).IsWord("as"))
            return false;
        i++;
        if (At(tokens, i).IsWord("not"))
            i++;
        if (At(tokens, i).IsWord("materialized"))
            i++;
        return At(tokens, i).IsSymbol("(") && CteBodies.Any(At(tokens, i + 1).IsWord);
    }

    private static SqlToken At(IReadOnlyList<SqlToken> tokens, int i) => i < tokens.Count ? tokens[i] : new SqlToken(SqlTokenKind.Symbol, "");

    private static string Resolve(SqlToken part) => part.Kind == SqlTokenKind.QuotedName ? part.Text : Fold(part.Text);

    /// <summary>An unquoted name as PostgreSQL stores it: folded to lower case, in ASCII only (as in UTF-8 databases).</summary>
    public static string Fold(string name) => string.Create(name.Length, name, (span, source) =>
    {
        for (var i = 0; i < span.Length; i++)
            span[i] = char.IsAsciiLetterUpper(source[i]) ? (char)(source[i] + 32) : source[i];
    });
}
