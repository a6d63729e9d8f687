using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BotAgent.Core.Tools;

/// <summary>
/// The one rule for which settings hold secrets, used wherever values are kept out of sight: the trace pages and
/// the export (every configuration key), tools' environments (MCP servers, <c>shell.run</c>) and the tools' own
/// redactor. A setting is secret when a word of its name (the last segment of a configuration key, or an
/// environment variable's name) is or ends with a credential word (token, secret, password, pass, pwd, key,
/// credential, auth, cookie, dsn, pat…), when it is a header value, or for the password inside a connection string
/// or a URL. Decided by name because the names people give credentials say what they are; registering every value
/// would redact <c>/usr/bin</c> or <c>true</c> from every output.
/// </summary>
public static partial class SecretSettings
{
    private static readonly string[] Markers =
    [
        "TOKEN", "TOKENS", "SECRET", "SECRETS", "PASSWORD", "PASSWORDS", "PASSWD", "PASS", "PWD", "PASSPHRASE",
        "KEY", "KEYS", "APIKEY", "CREDENTIAL", "CREDENTIALS", "AUTH", "PAT", "COOKIE", "DSN",
    ];

    // Words that name nothing but a credential: a number or a path under such a name is still the credential.
    private static readonly string[] Strong = ["SECRET", "SECRETS", "PASSWORD", "PASSWORDS", "PASSWD", "PASS", "PWD", "PASSPHRASE"];

    // Values that are settings, not credentials, whatever the setting is called.
    private static readonly HashSet<string> Flags = new(["true", "false", "yes", "no", "on", "off"], StringComparer.OrdinalIgnoreCase);

    /// <summary>True for a name (a configuration key's last segment, an environment variable) that says it holds a credential.</summary>
    public static bool IsSecretName(string name)
    {
        if (name.Replace("_", "", StringComparison.Ordinal).Contains("CONNECTIONSTRING", StringComparison.OrdinalIgnoreCase))
            return true;
        return Words().Matches(name).Select(m => m.Value.ToUpperInvariant()).Any(w => Markers.Any(m => w.EndsWith(m, StringComparison.Ordinal)));
    }

    /// <summary>
    /// The secret values among <paramref name="settings"/> (configuration keys with <c>:</c>, or environment variable
    /// names): what a redactor should register. Plain settings (flags, numbers, durations, paths, URLs without a
    /// password) are never secrets, whatever their names.
    /// </summary>
    public static IEnumerable<string> ValuesOf(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        foreach (var (key, value) in settings)
        {
            if (string.IsNullOrWhiteSpace(value))
                continue;
            var segments = key.Split(':', StringSplitOptions.RemoveEmptyEntries);
            var name = segments.Length == 0 ? key : segments[^1];
            var isHeader = segments.SkipLast(1).Any(s => s.EndsWith("Headers", StringComparison.OrdinalIgnoreCase));
            if (segments.Length > 0 && segments[0].Equals("ConnectionStrings", StringComparison.OrdinalIgnoreCase)
                || name.Equals("ConnectionString", StringComparison.OrdinalIgnoreCase))
            {
                if (PasswordIn(value) is { } password)
                    yield return password;
            }
            else if (isHeader || (IsSecretName(name) && !IsPlainSetting(name, value)))
            {
                yield return value.Trim();
                // "Bearer abc…", "Token abc…": the credential alone may be echoed too.
                if (value.Trim().IndexOf(' ', StringComparison.Ordinal) is > 0 and var space)
                    yield return value.Trim()[(space + 1)..];
            }
            // postgres://user:password@host/db and https://…?api_key=…, whatever the setting is called.
            if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri))
            {
                if (uri.UserInfo.Split(':', 2) is [_, var secret] && secret.Length > 0)
                {
                    yield return Uri.UnescapeDataString(secret);
                    yield return uri.UserInfo;
                }
                foreach (var parameter in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (parameter.Split('=', 2) is [var parameterName, var secret2] && secret2.Length > 0 && IsSecretQueryParameter(Uri.UnescapeDataString(parameterName)))
                    {
                        yield return secret2;
                        yield return Uri.UnescapeDataString(secret2);
                    }
                }
            }
            // AccountKey=…;SharedAccessKey=… in a connection string kept under any name (Storage:Blob, Bus).
            else if (value.Contains('=', StringComparison.Ordinal) && value.Contains(';', StringComparison.Ordinal))
            {
                foreach (var secret in SecretsIn(value))
                    yield return secret;
            }
        }
    }

    // An Azure SAS signature (sig=) and a Functions key (code=) are credentials in a URL's query, whatever their name says.
    private static bool IsSecretQueryParameter(string name) =>
        IsSecretName(name) || name.Equals("sig", StringComparison.OrdinalIgnoreCase) || name.Equals("code", StringComparison.OrdinalIgnoreCase);

    /// <summary>The values of a connection string's credential-named keys (<c>Password</c>, <c>AccountKey</c>, <c>SharedAccessKey</c>…).</summary>
    private static IEnumerable<string> SecretsIn(string connectionString)
    {
        DbConnectionStringBuilder builder;
        try
        {
            builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        }
        catch (ArgumentException)
        {
            yield break;
        }
        foreach (string key in builder.Keys)
        {
            if (IsSecretName(key) && builder[key]?.ToString() is { Length: > 0 } secret)
                yield return secret;
        }
    }

    /// <summary>The password in a connection string (<c>Password=</c> or <c>Pwd=</c>), or null.</summary>
    public static string? PasswordIn(string connectionString)
    {
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
            return builder.TryGetValue("Password", out var password) || builder.TryGetValue("Pwd", out password) ? password?.ToString() : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    // A flag, a number, a duration, a path or a URL without a password is a setting whatever the name says
    // (AUTH_ENABLED=true, TOKEN_LIMIT=4096, SSH_AUTH_SOCK=/run/…, TokenEndpoint=https://…): redacting it would garble
    // every output that mentions it. But a password of digits is still a password: under a name that can only mean a credential nothing but a flag is
    // plain. Base64 may start with "/": a path with '+' or '=' in it is one only if it exists.
    private static bool IsPlainSetting(string name, string value)
    {
        var v = value.Trim();
        if (v.Length == 0 || Flags.Contains(v))
            return true;
        if (Words().Matches(name).Any(w => Strong.Any(s => w.Value.ToUpperInvariant().EndsWith(s, StringComparison.Ordinal))))
            return false;
        return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            || TimeSpan.TryParse(v, CultureInfo.InvariantCulture, out _)
            || (v.StartsWith('/') && !v.Contains(' ', StringComparison.Ordinal) && (Path.Exists(v) || v.IndexOfAny(['+', '=']) < 0))
            || (Uri.TryCreate(v, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.UserInfo.Length == 0
                && !uri.Query.Contains('=', StringComparison.Ordinal));
    }

    // Words of a name: runs of capitals, capitalised words and lower-case words (clientSecretValue → client,
    // Secret, Value; DB_PASSWORD → DB, PASSWORD; SigningSecret → Signing, Secret).
    [GeneratedRegex("[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")]
    private static partial Regex Words();
}
