namespace BotAgent.Core.Reporting;

public enum NoticeTone
{
    Info,
    Warning,
    Error,
}

/// <summary>A short message: a refusal with its reasons, help, or feedback to someone who clicked.</summary>
public sealed record NoticeView(string Title, IReadOnlyList<string> Lines, NoticeTone Tone, string? RunId = null) : OutboundView
{
    public override string FallbackText => Lines.Count == 0 ? Title : Title + "\n" + string.Join("\n", Lines);
}
