using BotAgent.Core.Intake;

namespace BotAgent.Core.Approvals;

/// <summary>
/// A configured approver or role member, and the only place that decides whether a person is that entry. Typed
/// entries say what they are and where they hold: <c>teams:&lt;Entra object id or 29:… user id&gt;</c> (only from
/// Teams), <c>slack:&lt;team&gt;/&lt;user&gt;</c> (only from that workspace), <c>email:&lt;address&gt;</c> (only an address the
/// channel vouched for). The older bare form still works where it can only mean one thing (an e-mail address, an
/// Entra object id, a Teams or Slack user id); any other bare id matches that id on any channel that vouches for
/// ids, which is why the bot warns about it at start. Nobody a channel does not vouch for matches anything.
/// </summary>
public sealed record ApproverEntry(ApproverKind Kind, string Value, string? Team = null)
{
    /// <summary>The proof a <c>teams:</c> entry needs: the channel under which Teams' own service vouches for a person.</summary>
    private const string ProvenByTeams = "msteams";
    private const string ProvenByDirectLine = "directline";

    public static ApproverEntry Parse(string entry)
    {
        var text = entry.Trim();
        if (text.StartsWith("teams:", StringComparison.OrdinalIgnoreCase))
            return new(ApproverKind.Teams, text[6..]);
        if (text.StartsWith("email:", StringComparison.OrdinalIgnoreCase))
            return new(ApproverKind.Email, text[6..]);
        if (text.StartsWith("slack:", StringComparison.OrdinalIgnoreCase))
        {
            var slash = text.IndexOf('/', 6);
            return slash > 6 ? new(ApproverKind.Slack, text[(slash + 1)..], text[6..slash]) : new(ApproverKind.Slack, text[6..]);
        }
        if (text.Contains('@', StringComparison.Ordinal))
            return new(ApproverKind.Email, text);
        if (Guid.TryParse(text, out _) || text.StartsWith("29:", StringComparison.Ordinal) || text.StartsWith("8:orgid:", StringComparison.Ordinal))
            return new(ApproverKind.Teams, text);
        return new(ApproverKind.Bare, text);
    }

    /// <summary>What is wrong with a configured entry (an empty id, a Slack entry missing its user, a space), or null.</summary>
    public static string? Problem(string entry)
    {
        var parsed = Parse(entry);
        if (parsed.Value.Length == 0)
            return "the entry names nobody (write teams:<id>, slack:<team>/<user>, email:<address>)";
        if (parsed.Value.Any(char.IsWhiteSpace) || parsed.Team?.Any(char.IsWhiteSpace) == true)
            return "an id has no spaces in it";
        if (parsed.Kind == ApproverKind.Slack && parsed.Value.Contains('/', StringComparison.Ordinal))
            return "write a Slack person as slack:<team id>/<user id>";
        return null;
    }

    /// <summary>True when the entry names one person without doubt (a warning at start says which do not).</summary>
    public bool IsUnambiguous => Kind is ApproverKind.Teams or ApproverKind.Email || (Kind == ApproverKind.Slack && Team is not null);

    public bool Matches(Member member)
    {
        if (member.ProvenBy is not { } provenBy)
            return false;
        return Kind switch
        {
            ApproverKind.Teams => provenBy == ProvenByTeams && (Same(member.AadObjectId, Value) || Same(member.Id, Value)),
            ApproverKind.Slack => provenBy.StartsWith("slack:", StringComparison.Ordinal) && Same(member.Id, Value)
                && (Team is null || string.Equals(provenBy, "slack:" + Team, StringComparison.OrdinalIgnoreCase)),
            ApproverKind.Email => Same(member.Email, Value),
            // Direct Line ids are whatever the secret's holder or a local-mode /chat visitor typed: a bare id there is a
            // name anyone can take. Its signed-in people match by email: entries.
            _ => provenBy != ProvenByDirectLine && (Same(member.Id, Value) || (provenBy == ProvenByTeams && Same(member.AadObjectId, Value))),
        };
    }

    /// <summary>The id to open a 1:1 chat with this person on <paramref name="adapter"/>, or null when the entry is not a person there.</summary>
    public string? DirectAddress(string adapter) => (Kind, adapter) switch
    {
        (ApproverKind.Teams, "botframework") or (ApproverKind.Bare, _) => Value,
        (ApproverKind.Slack, "slack") => Value,
        _ => null,
    };

    private static bool Same(string? a, string b) => a is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
