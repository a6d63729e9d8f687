using BotAgent.Core.Intake;

namespace BotAgent.Core.Limits;

/// <summary>One person for counting: the same id proven by another channel (or by none) is someone else.</summary>
public static class PersonKey
{
    public static string Of(Member member) => $"{member.ProvenBy ?? "unproven"}/{member.Id}";
}
