using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BotAgent.Channels.Slack;

/// <summary>
/// Slack's request signing (v0): HMAC-SHA256 keyed with the signing secret over
/// <c>v0:{timestamp}:{raw body}</c>, compared in constant time, with the timestamp within five minutes
/// of now either way (a replayed old request is refused even with a valid signature).
/// </summary>
internal static class SlackSignatureVerifier
{
    public const string SignatureHeader = "X-Slack-Signature";
    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private const string Version = "v0";

    /// <returns>Null when the request is Slack's; otherwise why not (for the log only, never the caller).</returns>
    public static string? Problem(string? timestamp, string? signature, ReadOnlySpan<byte> body, string signingSecret, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timestamp))
            return $"no {TimestampHeader} header";
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return $"malformed {TimestampHeader} header";
        // Compared in seconds so no timestamp, however large, can overflow a DateTimeOffset.
        if (Math.Abs(now.ToUnixTimeSeconds() - (decimal)seconds) > (decimal)Tolerance.TotalSeconds)
            return "the request timestamp is more than 5 minutes from now";
        if (string.IsNullOrEmpty(signature))
            return $"no {SignatureHeader} header";
        if (!signature.StartsWith(Version + "=", StringComparison.Ordinal))
            return "unknown signature version";

        byte[] given;
        try
        {
            given = Convert.FromHexString(signature.AsSpan(Version.Length + 1));
        }
        catch (FormatException)
        {
            return "malformed signature";
        }
        var expected = Compute(signingSecret, timestamp, body);
        // FixedTimeEquals also answers false, in constant time, for a length mismatch.
        return CryptographicOperations.FixedTimeEquals(expected, given) ? null : "signature mismatch";
    }

    /// <summary>The raw HMAC over <c>v0:{timestamp}:{body}</c>.</summary>
    public static byte[] Compute(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(signingSecret));
        hmac.AppendData(Encoding.UTF8.GetBytes($"{Version}:{timestamp}:"));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
