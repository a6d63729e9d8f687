namespace BotAgent.Tools.Http;

/// <summary>The secret values inside configured header values, for the <see cref="Core.Tools.SecretRedactor"/>.</summary>
internal static class HeaderSecrets
{
    /// <summary>
    /// The whole value and, for <c>Bearer abc…</c> or <c>Token abc…</c>, the credential alone: a target that
    /// echoes only the token back must not show it either.
    /// </summary>
    public static IEnumerable<string> Of(IEnumerable<string?> values)
    {
        foreach (var raw in values)
        {
            var value = raw?.Trim();
            if (string.IsNullOrEmpty(value))
                continue;
            yield return value;
            var space = value.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && space < value.Length - 1)
                yield return value[(space + 1)..].Trim();
        }
    }
}
