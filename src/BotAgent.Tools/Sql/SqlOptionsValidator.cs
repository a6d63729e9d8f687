using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BotAgent.Tools.Sql;

/// <summary>Checks <c>Tools:Sql</c> at start when the tool is enabled, naming the key that is wrong (never the connection string).</summary>
internal sealed partial class SqlOptionsValidator : IValidateOptions<SqlOptions>
{
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionName();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_$]{0,62}(\.[A-Za-z_][A-Za-z0-9_$]{0,62})?$", RegexOptions.CultureInvariant)]
    private static partial Regex FunctionName();

    public ValidateOptionsResult Validate(string? name, SqlOptions options)
    {
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        var problems = new List<string>();
        if (options.Connections.Count == 0)
            problems.Add($"{SqlOptions.Section}:Connections: configure at least one connection (Provider and ConnectionString) when sql.query is enabled.");
        foreach (var (connection, settings) in options.Connections)
        {
            var key = $"{SqlOptions.Section}:Connections:{connection}";
            if (!ConnectionName().IsMatch(connection))
                problems.Add($"{key}: a connection name is 1 to 64 letters, digits, '_' or '-'.");
            if (!SqlConnectionOptions.TryParseProvider(settings.Provider, out _))
                problems.Add($"{key}:Provider: '{settings.Provider}' is not a provider (Sqlite or Postgres).");
            else if (string.IsNullOrWhiteSpace(settings.ConnectionString))
                problems.Add($"{key}:ConnectionString: is empty.");
            else if (Parse(settings) is { } problem)
                problems.Add($"{key}:ConnectionString: not a valid {settings.Kind} connection string ({problem}).");
        }
        for (var i = 0; i < options.AllowedFunctions.Count; i++)
        {
            if (!FunctionName().IsMatch(options.AllowedFunctions[i].Trim()))
                problems.Add($"{SqlOptions.Section}:AllowedFunctions:{i}: '{options.AllowedFunctions[i]}' is not a function name (name or schema.name, as written unquoted in SQL, without parentheses).");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static string? Parse(SqlConnectionOptions settings)
    {
        try
        {
            _ = settings.Kind == SqlProvider.Postgres
                ? new NpgsqlConnectionStringBuilder(settings.ConnectionString).ConnectionString
                : new SqliteConnectionStringBuilder(settings.ConnectionString).ConnectionString;
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            return ex.Message;
        }
    }
}
