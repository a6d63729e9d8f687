using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace BotAgent.Core.Tools;

/// <summary>
/// Keeps configured secrets (API keys, header tokens, passwords) out of what tools return. Tools register
/// the secret values they are configured with when they are built; every <see cref="ToolOutcome"/> passes
/// through <see cref="Redact(ToolOutcome)"/> before it is stored, traced or shown, so a target that echoes a
/// credential back does not put it on a card.
/// </summary>
public sealed class SecretRedactor
{
    public const string Replacement = "[redacted]";

    /// <summary>
    /// Shorter values are not registered: replacing "1" or "on" everywhere would garble every output and hide
    /// nothing worth hiding.
    /// </summary>
    public const int MinLength = 4;

    private readonly Lock _gate = new();

    // Longest first, so a secret that contains another is replaced whole. Replaced (never mutated) under the
    // lock, read without it: registration happens at start, redaction on every step.
    private string[] _secrets = [];

    public int Count => Volatile.Read(ref _secrets).Length;

    /// <summary>Registers a secret, and the forms it takes inside JSON and URLs.</summary>
    public void Add(string? secret)
    {
        var value = secret?.Trim();
        if (value is null || value.Length < MinLength)
            return;
        string[] forms =
        [
            value,
            JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(),
            JsonEncodedText.Encode(value).ToString(),
            Uri.EscapeDataString(value),
        ];
        lock (_gate)
        {
            _secrets = [.. _secrets.Union(forms, StringComparer.Ordinal).OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal)];
        }
    }

    public void AddRange(IEnumerable<string?> secrets)
    {
        foreach (var secret in secrets)
            Add(secret);
    }

    [return: NotNullIfNotNull(nameof(text))]
    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text;
        foreach (var secret in Volatile.Read(ref _secrets))
        {
            if (text.Contains(secret, StringComparison.Ordinal))
                text = text.Replace(secret, Replacement, StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>The outcome with every registered secret replaced in its summary, output, error and facts.</summary>
    public ToolOutcome Redact(ToolOutcome outcome)
    {
        if (Count == 0)
            return outcome;
        return outcome with
        {
            Summary = Redact(outcome.Summary),
            Output = Redact(outcome.Output),
            Error = Redact(outcome.Error),
            Facts = outcome.Facts is null ? null : [.. outcome.Facts.Select(f => new KeyValuePair<string, string>(Redact(f.Key), Redact(f.Value)))],
        };
    }
}
