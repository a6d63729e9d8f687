using System.Text.RegularExpressions;

namespace BotAgent.Tools;

/// <summary>
/// The values of configured environment variables that hold credentials, for the
/// <see cref="Core.Tools.SecretRedactor"/>: a program that prints its environment must not put a token on a card.
/// </summary>
/// <remarks>
/// Decided by the variable's name, and by the value for URLs with a password in them: registering every value
/// would redact <c>/usr/bin</c> or <c>en_US.UTF-8</c> from every output, and the names people give credentials
/// say what they are.
/// </remarks>
internal static partial class EnvironmentSecrets
{
    // A word of the name (DB_PASSWORD, clientSecretValue) that is or ends with one of these marks a credential.
    private static readonly string[] Markers =
    [
        "TOKEN", "TOKENS", "SECRET", "SECRETS", "PASSWORD", "PASSWORDS", "PASSWD", "PASS", "PWD", "PASSPHRASE",
        "KEY", "KEYS", "CREDENTIAL", "CREDENTIALS", "AUTH", "PAT", "COOKIE", "DSN",
    ];

    // Values that are settings, not credentials, whatever the variable is called.
    private static readonly HashSet<string> Flags = new(["true", "false", "yes", "no", "on", "off"], StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string?> Of(IEnumerable<KeyValuePair<string, string?>> variables)
    {
        foreach (var (name, value) in variables)
        {
            if (string.IsNullOrWhiteSpace(value))
                continue;
            if (IsSecretName(name) && !IsPlainSetting(value))
                yield return value;
            // postgres://user:password@host/db, whatever the variable is called.
            if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && uri.UserInfo.Split(':', 2) is [_, var password] && password.Length > 0)
            {
                yield return Uri.UnescapeDataString(password);
                yield return uri.UserInfo;
            }
        }
    }

    public static bool IsSecretName(string name)
    {
        if (name.Replace("_", "", StringComparison.Ordinal).Contains("CONNECTIONSTRING", StringComparison.OrdinalIgnoreCase))
            return true;
        return Words().Matches(name).Select(m => m.Value.ToUpperInvariant()).Any(w => Markers.Any(m => w.EndsWith(m, StringComparison.Ordinal)));
    }

    // A flag, a number or a path is a setting whatever the name says (AUTH_ENABLED=true, TOKEN_LIMIT=4096,
    // SSH_AUTH_SOCK=/run/…): redacting it would garble every output that mentions it.
    private static bool IsPlainSetting(string value)
    {
        var v = value.Trim();
        return v.Length == 0
            || Flags.Contains(v)
            || double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
            || (v.StartsWith('/') && !v.Contains(' ', StringComparison.Ordinal));
    }

    // Words of a name: runs of capitals, capitalised words and lower-case words (clientSecretValue → client,
    // Secret, Value; DB_PASSWORD → DB, PASSWORD).
    [GeneratedRegex("[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")]
    private static partial Regex Words();
}
