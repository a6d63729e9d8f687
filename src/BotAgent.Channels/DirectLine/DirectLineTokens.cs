using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace BotAgent.Channels.DirectLine;

/// <summary>
/// Issues and checks Direct Line tokens: a grant (<see cref="DirectLineGrant"/>) signed with a key derived from
/// <c>DirectLine:Secret</c>, so any instance that has the secret accepts them, and a restart does not end anyone's
/// session. In local mode the key is made at start (a restart asks the page to be reloaded).
/// </summary>
public sealed class DirectLineTokens
{
    private const string Prefix = "dl1.";
    private readonly byte[] _key;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly TimeSpan _sessionLifetime;

    public DirectLineTokens(IOptions<DirectLineOptions> options, TimeProvider time)
    {
        var secret = options.Value.Secret;
        _key = string.IsNullOrEmpty(secret)
            ? RandomNumberGenerator.GetBytes(32)
            : HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: "BotAgent Direct Line tokens v1"u8.ToArray());
        _time = time;
        _lifetime = options.Value.TokenLifetime;
        _sessionLifetime = options.Value.SessionLifetime;
    }

    /// <summary>Why <see cref="Read"/> refused a token whose session has run its whole lifetime (not just its own).</summary>
    public const string SessionEnded = "the session has reached its absolute lifetime";

    /// <summary>A new token for the same person and conversation, ending no later than the session it continues.</summary>
    public (string Token, DirectLineGrant Grant) Refresh(DirectLineGrant grant, string purpose = DirectLineGrant.Conversation) =>
        Issue(grant.ConversationId, grant.UserId, grant.UserName, grant.SignedIn, purpose, grant.NotAfter);

    /// <summary>Whole seconds until <paramref name="grant"/> expires, as Direct Line's <c>expires_in</c>.</summary>
    public int SecondsLeft(DirectLineGrant grant) => Math.Max(0, (int)Math.Ceiling((grant.ExpiresAt - _time.GetUtcNow()).TotalSeconds));

    /// <summary>A stream URL's token lives only long enough to open the socket: URLs end up in logs and histories.</summary>
    public static readonly TimeSpan StreamLifetime = TimeSpan.FromMinutes(2);

    /// <summary>A token that begins a session (or, with <paramref name="notAfter"/>, goes on with one and ends with it).</summary>
    public (string Token, DirectLineGrant Grant) Issue(
        string conversationId, string? userId, string? userName, bool signedIn, string purpose = DirectLineGrant.Conversation, DateTimeOffset? notAfter = null)
    {
        var now = _time.GetUtcNow();
        var end = notAfter ?? now + _sessionLifetime;
        var lifetime = purpose == DirectLineGrant.Stream ? StreamLifetime : _lifetime;
        var expiresAt = now + lifetime < end ? now + lifetime : end;
        var grant = new DirectLineGrant(conversationId, userId, userName, signedIn, expiresAt, purpose, end);
        var body = JsonSerializer.SerializeToUtf8Bytes(grant, DirectLineJsonContext.Default.DirectLineGrant);
        return (Prefix + Base64Url(body) + "." + Base64Url(HMACSHA256.HashData(_key, body)), grant);
    }

    /// <summary>The grant a token carries, or null with why not (never the token itself).</summary>
    public DirectLineGrant? Read(string token, string purpose, out string? problem)
    {
        problem = "the token is malformed";
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 4096)
            return null;
        var parts = token[Prefix.Length..].Split('.');
        if (parts.Length != 2 || !TryBase64Url(parts[0], out var body) || !TryBase64Url(parts[1], out var mac))
            return null;
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, body), mac))
        {
            problem = "the token's signature does not match";
            return null;
        }
        DirectLineGrant? grant;
        try
        {
            grant = JsonSerializer.Deserialize(body, DirectLineJsonContext.Default.DirectLineGrant);
        }
        catch (JsonException)
        {
            return null;
        }
        if (grant is null || grant.Purpose != purpose)
        {
            problem = "the token is not for this use";
            return null;
        }
        if (grant.ExpiresAt <= _time.GetUtcNow())
        {
            problem = grant.ExpiresAt >= grant.NotAfter ? SessionEnded : "the token has expired";
            return null;
        }
        problem = null;
        return grant;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryBase64Url(string text, out byte[] bytes)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        bytes = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, bytes, out var written) && (bytes = bytes[..written]).Length > 0;
    }
}
