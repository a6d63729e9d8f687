namespace BotAgent.Core.Reporting;

/// <summary>What the bot is doing for a run right now ("Looking at the results of step 2…"), shown as typing.</summary>
public sealed record ProgressView(string RunId, string Text) : OutboundView
{
    public override string FallbackText => Text;
}
