using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Channels.Slack;

/// <summary>
/// Who a Slack user id is: events carry only the id, but cards show names and roles may name people by
/// e-mail. Looked up with <c>users.info</c> and kept for an hour; without the scope (or on any failure)
/// the id stands in for the name, and authorisation still goes by the id.
/// </summary>
internal sealed class SlackUserDirectory(SlackWebApiClient api, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackUserDirectory> logger)
{
    private const int MaxEntries = 10_000;
    private static readonly TimeSpan KeepFound = TimeSpan.FromHours(1);
    private static readonly TimeSpan KeepMissing = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (Member Member, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <param name="knownName">A name the payload gave (interactivity payloads carry a username), used when the lookup fails.</param>
    /// <param name="teamId">The workspace the (signed) payload came from: a Slack user id holds only there.</param>
    public async Task<Member> MemberAsync(string userId, string? knownName, string? teamId, CancellationToken cancellationToken)
    {
        var provenBy = "slack:" + teamId;
        var fallback = new Member(userId, string.IsNullOrWhiteSpace(knownName) ? userId : knownName, null, null, provenBy);
        if (!options.Value.LookUpUsers)
            return fallback;
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(provenBy + "/" + userId, out var cached) && cached.Until > now)
            return cached.Member;

        var (user, outcome) = await api.GetUserAsync(userId, cancellationToken);
        var profile = user?["profile"] as JsonObject;
        // Slack Connect: someone from another organisation's workspace in a shared channel is that workspace's user, and
        // their address is that organisation's word, not this workspace's: their own team, and no e-mail to match on.
        var home = Text(user, "team_id");
        var foreign = home is not null && !string.Equals(home, teamId, StringComparison.Ordinal);
        var member = user is null
            ? fallback
            : new Member(userId, Text(profile, "display_name") ?? Text(profile, "real_name") ?? Text(user, "real_name") ?? fallback.Name, null,
                foreign ? null : Text(profile, "email"), foreign ? "slack:" + home : provenBy);
        if (user is null)
            logger.SlackUserLookupFailed(userId, outcome.Error);
        if (_cache.Count >= MaxEntries)
            _cache.Clear();
        _cache[provenBy + "/" + userId] = (member, now + (user is null ? KeepMissing : KeepFound));
        return member;
    }

    private static string? Text(JsonObject? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? TextExcerpt.Truncate(text, 100) : null;
}
