namespace BotAgent.Tools;

/// <summary>
/// The values of configured environment variables that hold credentials, for the
/// <see cref="Core.Tools.SecretRedactor"/>: a program that prints its environment must not put a token on a card.
/// </summary>
/// <remarks>
/// Decided by the variable's name: registering every value would redact <c>/usr/bin</c> or <c>en_US.UTF-8</c>
/// from every output, and the names people give credentials say what they are.
/// </remarks>
internal static class EnvironmentSecrets
{
    // A variable is a credential when one of the words of its name is, or ends with, one of these (APIKEY,
    // DBPASSWORD, OAUTH), or when it names a connection string.
    private static readonly string[] Markers = ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY", "CREDENTIAL", "CREDENTIALS", "AUTH", "PAT", "COOKIE"];

    public static IEnumerable<string?> Of(IEnumerable<KeyValuePair<string, string?>> variables) =>
        variables.Where(v => IsSecretName(v.Key)).Select(v => v.Value);

    public static bool IsSecretName(string name)
    {
        var upper = name.ToUpperInvariant();
        if (upper.Replace("_", "", StringComparison.Ordinal).Contains("CONNECTIONSTRING", StringComparison.Ordinal))
            return true;
        var words = upper.Split(['_', '-', '.', ':'], StringSplitOptions.RemoveEmptyEntries);
        return words.Any(w => Markers.Any(m => w.EndsWith(m, StringComparison.Ordinal)));
    }
}
