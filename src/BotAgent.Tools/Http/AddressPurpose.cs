namespace BotAgent.Tools.Http;

/// <summary>What a special-purpose address is for (a noun phrase, "a documentation address") and where that is defined.</summary>
internal sealed record AddressPurpose(string Description, string Reference)
{
    public override string ToString() => $"{Description} ({Reference})";
}
