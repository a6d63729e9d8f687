namespace BotAgent.Chaos;

/// <summary>
/// What a plan card's header says for each run status, as people read it (the renderer's wording, seen from
/// outside): invariant 5 compares the card the channel holds with the store through it.
/// </summary>
internal static class CardWording
{
    private static readonly Dictionary<string, string[]> Headers = new(StringComparer.Ordinal)
    {
        ["awaiting_approval"] = ["Plan awaiting approval"],
        ["approved"] = ["Plan approved, running"],
        ["running"] = ["Plan approved, running"],
        ["succeeded"] = ["Plan succeeded", "Plan ran; goal not met"],
        ["failed"] = ["Plan failed"],
        ["rejected"] = ["Plan rejected"],
        ["expired"] = ["Plan expired"],
        ["cancelled"] = ["Plan cancelled"],
        ["policy_denied"] = ["Plan refused by policy"],
        ["awaiting_decision"] = ["Plan waiting for a decision"],
    };

    public static bool Says(string status, string cardText) =>
        Headers.TryGetValue(status, out var headers) && headers.Any(h => cardText.Contains(h, StringComparison.Ordinal));
}
