namespace BotAgent.Tools.Sql;

/// <summary>One database <c>sql.query</c> may read (<c>Tools:Sql:Connections:{name}</c>).</summary>
public sealed class SqlConnectionOptions
{
    /// <summary>
    /// <c>Sqlite</c> (default) or <c>Postgres</c>. A string, checked at start: the configuration binder silently drops
    /// a dictionary entry whose enum value does not parse, and the connection would just be missing.
    /// </summary>
    public string Provider { get; set; } = nameof(SqlProvider.Sqlite);

    /// <summary>
    /// A Microsoft.Data.Sqlite or Npgsql connection string. A secret when it holds a password: keep it in a secret
    /// store; the password is redacted from tool results. SQLite is always opened read-only whatever this says.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The provider; valid once the options validator has passed.</summary>
    internal SqlProvider Kind => TryParseProvider(Provider, out var kind) ? kind : SqlProvider.Sqlite;

    internal static bool TryParseProvider(string? text, out SqlProvider provider) =>
        Enum.TryParse(text, ignoreCase: true, out provider) && Enum.IsDefined(provider) && !char.IsAsciiDigit(text![0]);
}
