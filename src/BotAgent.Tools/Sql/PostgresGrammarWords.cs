using System.Collections.Frozen;

namespace BotAgent.Tools.Sql;

/// <summary>
/// Words that PostgreSQL's grammar puts before a parenthesis without calling a function of that name, so
/// <c>word(</c> is not a call when the word is written unquoted: <c>IN (</c>, <c>EXISTS (</c>, <c>CAST(</c>,
/// <c>numeric(10,2)</c>, <c>OVER (</c>, <c>FILTER (</c>, <c>GROUPING SETS (</c>.
/// </summary>
internal static class PostgresGrammarWords
{
    /// <summary>
    /// pg_get_keywords() categories R (reserved), C (cannot be a function or type name) and T (reserved, but may name a
    /// function: the pg_catalog ones, left, right, like, ilike, overlaps and current_schema, only compute), from
    /// PostgreSQL 15 to 17. Unquoted, these are grammar wherever they stand.
    /// </summary>
    private static readonly string[] Keywords =
    [
        // R
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast", "check",
        "collate", "column", "constraint", "create", "current_catalog", "current_date", "current_role", "current_time",
        "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except",
        "false", "fetch", "for", "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into",
        "lateral", "leading", "limit", "localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or",
        "order", "placing", "primary", "references", "returning", "select", "session_user", "some", "symmetric",
        "system_user", "table", "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "when",
        "where", "window", "with",
        // C
        "between", "bigint", "bit", "boolean", "char", "character", "coalesce", "dec", "decimal", "exists", "extract",
        "float", "greatest", "grouping", "inout", "int", "integer", "interval", "json", "json_array", "json_arrayagg",
        "json_exists", "json_object", "json_objectagg", "json_query", "json_scalar", "json_serialize", "json_table",
        "json_value", "least", "merge_action", "national", "nchar", "none", "normalize", "nullif", "numeric", "out",
        "overlay", "position", "precision", "real", "row", "setof", "smallint", "substring", "time", "timestamp",
        "treat", "trim", "values", "varchar", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest",
        "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable",
        // T
        "authorization", "binary", "collation", "concurrently", "cross", "current_schema", "freeze", "full", "ilike",
        "inner", "is", "isnull", "join", "left", "like", "natural", "notnull", "outer", "overlaps", "right", "similar",
        "tablesample", "verbose",
    ];

    /// <summary>Unreserved keywords that the grammar follows with a parenthesis in a query (no built-in function has these names).</summary>
    private static readonly string[] Clauses =
    [
        "filter",       // count(*) FILTER (WHERE …)
        "over",         // rank() OVER (PARTITION BY …)
        "rollup",       // GROUP BY ROLLUP (a, b)
        "cube",         // GROUP BY CUBE (a, b)
        "sets",         // GROUPING SETS ((a), (b))
        "columns",      // JSON_TABLE(… COLUMNS (…))
        "repeatable",   // TABLESAMPLE … REPEATABLE (seed)
        "second",       // INTERVAL '1' DAY TO SECOND (3)
        "varying",      // character varying(20), bit varying(8)
        "operator",     // a OPERATOR(pg_catalog.+) b
        "explain",      // EXPLAIN (ANALYZE, FORMAT JSON) SELECT …
        "materialized", // WITH t AS NOT MATERIALIZED (…)
    ];

    public static readonly FrozenSet<string> All = FrozenSet.Create(StringComparer.Ordinal, [.. Keywords, .. Clauses]);
}
