using BotAgent.Core.Intake;

namespace BotAgent.Core.Limits;

/// <summary>
/// One person for counting: the same id proven by another channel is someone else. People no channel vouches for
/// (Web Chat, Direct Line: the client writes its own id) are counted as one, since a fresh id costs them nothing and
/// would otherwise be a fresh allowance.
/// </summary>
public static class PersonKey
{
    public const string Unproven = "unproven";

    public static string Of(Member member) => member.ProvenBy is { } provenBy ? $"{provenBy}/{member.Id}" : Unproven;
}
