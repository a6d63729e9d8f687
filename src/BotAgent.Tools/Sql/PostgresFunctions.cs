using System.Collections.Frozen;

namespace BotAgent.Tools.Sql;

/// <summary>
/// The PostgreSQL functions <c>sql.query</c> calls without being told to: built-in functions that only compute a value
/// from their arguments (or read the clock, the session's settings or the random generator), so a statement that uses
/// them can do nothing but read. Left out on purpose, among others: functions that signal or affect other sessions
/// (pg_terminate_backend, pg_cancel_backend), change settings or server state (set_config, pg_reload_conf,
/// pg_rotate_logfile, pg_switch_wal, pg_promote, pg_backup_*, pg_create_*/pg_drop_*, replication and logical decoding),
/// read files (pg_read_file, pg_ls_dir, pg_stat_file, lo_import, lo_export and every lo_*), reach other servers (dblink*),
/// hold locks beyond the statement (pg_advisory_*), notify (pg_notify), use sequences or transaction ids (nextval, setval,
/// txid_*), sleep (pg_sleep*), and run SQL given as text (query_to_xml, cursor_to_xml, ts_stat, ts_rewrite).
/// <c>Tools:Sql:AllowedFunctions</c> adds to this list.
/// </summary>
internal static class PostgresFunctions
{
    private static readonly string[] Aggregates =
    [
        "count", "sum", "avg", "min", "max", "array_agg", "string_agg", "json_agg", "jsonb_agg", "json_agg_strict",
        "jsonb_agg_strict", "json_object_agg", "jsonb_object_agg", "json_object_agg_strict", "jsonb_object_agg_strict",
        "json_object_agg_unique", "jsonb_object_agg_unique", "json_object_agg_unique_strict",
        "jsonb_object_agg_unique_strict", "bool_and", "bool_or", "every", "bit_and", "bit_or", "bit_xor", "stddev",
        "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp", "corr", "covar_pop", "covar_samp", "regr_avgx",
        "regr_avgy", "regr_count", "regr_intercept", "regr_r2", "regr_slope", "regr_sxx", "regr_sxy", "regr_syy",
        "percentile_cont", "percentile_disc", "mode", "any_value", "range_agg", "range_intersect_agg",
    ];

    private static readonly string[] Windows =
    [
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value",
        "last_value", "nth_value",
    ];

    private static readonly string[] Math =
    [
        "abs", "cbrt", "ceil", "ceiling", "degrees", "div", "exp", "factorial", "floor", "gcd", "lcm", "ln", "log",
        "log10", "min_scale", "mod", "pi", "power", "radians", "round", "scale", "sign", "sqrt", "trim_scale", "trunc",
        "width_bucket", "random", "random_normal", "acos", "acosd", "asin", "asind", "atan", "atand", "atan2", "atan2d",
        "cos", "cosd", "cot", "cotd", "sin", "sind", "tan", "tand", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
        "erf", "erfc",
    ];

    private static readonly string[] Strings =
    [
        "ascii", "bit_length", "btrim", "char_length", "character_length", "chr", "concat", "concat_ws", "format",
        "initcap", "length", "lower", "lpad", "ltrim", "md5", "octet_length", "quote_ident", "quote_literal",
        "quote_nullable", "regexp_count", "regexp_instr", "regexp_like", "regexp_match", "regexp_matches",
        "regexp_replace", "regexp_split_to_array", "regexp_split_to_table", "regexp_substr", "repeat", "replace",
        "reverse", "rpad", "rtrim", "split_part", "starts_with", "string_to_array", "string_to_table", "strpos", "substr",
        "to_ascii", "to_bin", "to_hex", "to_oct", "translate", "unistr", "upper", "sha224", "sha256", "sha384", "sha512",
        "encode", "decode", "convert", "convert_from", "convert_to", "get_bit", "get_byte", "bit_count",
        "to_char", "to_number", "to_date", "to_timestamp",
    ];

    private static readonly string[] DatesAndTimes =
    [
        "age", "clock_timestamp", "date_add", "date_bin", "date_part", "date_subtract", "date_trunc", "isfinite",
        "justify_days", "justify_hours", "justify_interval", "make_date", "make_interval", "make_time", "make_timestamp",
        "make_timestamptz", "now", "statement_timestamp", "timeofday", "transaction_timestamp", "timezone",
    ];

    private static readonly string[] ArraysAndSets =
    [
        "array_append", "array_cat", "array_dims", "array_fill", "array_length", "array_lower", "array_ndims",
        "array_position", "array_positions", "array_prepend", "array_remove", "array_replace", "array_sample",
        "array_shuffle", "array_to_string", "array_upper", "cardinality", "trim_array", "unnest", "generate_series",
        "generate_subscripts", "num_nonnulls", "num_nulls",
    ];

    private static readonly string[] Json =
    [
        "to_json", "to_jsonb", "array_to_json", "row_to_json", "json_build_array", "jsonb_build_array",
        "json_build_object", "jsonb_build_object", "jsonb_object", "json_array_length", "jsonb_array_length",
        "json_each", "jsonb_each", "json_each_text", "jsonb_each_text", "json_extract_path", "jsonb_extract_path",
        "json_extract_path_text", "jsonb_extract_path_text", "json_object_keys", "jsonb_object_keys",
        "json_array_elements", "jsonb_array_elements", "json_array_elements_text", "jsonb_array_elements_text",
        "json_populate_record", "jsonb_populate_record", "json_populate_recordset", "jsonb_populate_recordset",
        "json_to_record", "jsonb_to_record", "json_to_recordset", "jsonb_to_recordset", "json_strip_nulls",
        "jsonb_strip_nulls", "json_typeof", "jsonb_typeof", "jsonb_set", "jsonb_set_lax", "jsonb_insert", "jsonb_pretty",
        "jsonb_path_exists", "jsonb_path_match", "jsonb_path_query", "jsonb_path_query_array", "jsonb_path_query_first",
        "jsonb_path_exists_tz", "jsonb_path_match_tz", "jsonb_path_query_tz", "jsonb_path_query_array_tz",
        "jsonb_path_query_first_tz",
    ];

    private static readonly string[] RangesNetworksAndText =
    [
        "isempty", "lower_inc", "upper_inc", "lower_inf", "upper_inf", "range_merge", "int4range", "int8range",
        "numrange", "tsrange", "tstzrange", "daterange", "host", "hostmask", "masklen", "netmask", "network",
        "broadcast", "family", "abbrev", "inet_same_family", "inet_merge", "set_masklen", "to_tsvector", "to_tsquery",
        "plainto_tsquery", "phraseto_tsquery", "websearch_to_tsquery", "ts_rank", "ts_rank_cd", "ts_headline",
        "setweight", "numnode", "querytree", "tsvector_to_array", "array_to_tsvector", "gen_random_uuid",
    ];

    // Casts written as calls (int4(x), text(x), date(ts)) and facts about the session.
    private static readonly string[] CastsAndSession =
    [
        "bool", "int2", "int4", "int8", "float4", "float8", "text", "date", "timestamptz", "cidr",
        "current_database", "current_schemas", "current_setting", "version", "pg_typeof", "pg_size_pretty",
        "pg_size_bytes",
    ];

    public static readonly FrozenSet<string> AllowedByDefault = FrozenSet.Create(StringComparer.Ordinal,
        [.. Aggregates, .. Windows, .. Math, .. Strings, .. DatesAndTimes, .. ArraysAndSets, .. Json, .. RangesNetworksAndText, .. CastsAndSession]);
}
