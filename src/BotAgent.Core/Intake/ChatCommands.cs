using System.Globalization;
using BotAgent.Core.Approvals;
using BotAgent.Core.Planning;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Intake;

/// <summary>
/// The chat commands: <c>help</c>, <c>status</c> (runs in this conversation), <c>cancel</c> (the latest
/// active run, or one named by its id prefix), <c>history</c> and <c>explain</c> (<c>pending</c> is <see cref="PendingCommand"/>).
/// Anything else is a goal.
/// </summary>
public sealed class ChatCommands(
    IRunQueries runs,
    Traces.RunExplainer explainer,
    ToolCatalogue tools,
    Policy.Permissions permissions,
    Reporter reporter,
    RunCancellation cancellation,
    IOptions<PlannerOptions> planner)
{
    private const int HistorySize = 10;

    /// <returns>True when the text was a command (and has been answered).</returns>
    public async Task<bool> TryHandleAsync(GoalPosted message, CancellationToken cancellationToken)
    {
        var words = message.Text.Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
            return false;
        var argument = words.Length > 1 ? words[1].Trim() : null;
        NoticeView? answer = words[0].ToLowerInvariant() switch
        {
            "help" or "/help" when argument is null => Help(message.Requester),
            "status" or "/status" when argument is null => await StatusAsync(message, cancellationToken),
            "history" or "/history" when argument is null => await HistoryAsync(message, cancellationToken),
            "explain" or "/explain" when argument is null || !argument.Contains(' ', StringComparison.Ordinal) => await ExplainAsync(message, argument, cancellationToken),
            "cancel" or "/cancel" when argument is null || !argument.Contains(' ', StringComparison.Ordinal) => await CancelAsync(message, argument, cancellationToken),
            _ => null,
        };
        if (answer is null)
            return false;
        await reporter.PostNoticeAsync(message.Conversation, answer, cancellationToken);
        return true;
    }

    /// <summary>What this bot can do (for <paramref name="member"/>, when known), for help and the welcome message.</summary>
    public NoticeView Help(Member? member = null)
    {
        var lines = new List<string> { "Tell me a goal and I'll propose a plan; nothing runs until someone allowed approves it." };
        foreach (var playbook in planner.Value.Playbooks)
            lines.Add($"`{playbook.Usage}`: {playbook.Description}");
        lines.Add("Numbered steps, one per line: `1. http.get https://example.com/health`");
        var descriptors = tools.Descriptors.Where(t => member is null || permissions.WhyNotTool(member, t.Name) is null).ToList();
        if (descriptors.Count > 0)
            lines.Add("Tools: " + string.Join(", ", descriptors.Select(t => $"`{t.Name}` ({t.Risk.ToWire()})")));
        lines.Add("Commands: `status` (runs in this conversation), `cancel` (the latest active run), `history` (recent runs), `explain` (how the latest run went), `pending` (what waits for your approval), `help`.");
        return new NoticeView("Hi, I'm BotAgent.", lines, NoticeTone.Info);
    }

    private async Task<NoticeView> StatusAsync(GoalPosted message, CancellationToken cancellationToken)
    {
        var active = await runs.ListByConversationAsync(message.Conversation.OrderingKey, HistorySize, activeOnly: true, cancellationToken);
        return active.Count == 0
            ? new NoticeView("Nothing is waiting or running in this conversation.", [], NoticeTone.Info)
            : new NoticeView($"{active.Count} run(s) in progress here:", [.. active.Select(Line)], NoticeTone.Info);
    }

    private async Task<NoticeView> HistoryAsync(GoalPosted message, CancellationToken cancellationToken)
    {
        var recent = await runs.ListByConversationAsync(message.Conversation.OrderingKey, HistorySize, activeOnly: false, cancellationToken);
        return recent.Count == 0
            ? new NoticeView("No runs in this conversation yet.", [], NoticeTone.Info)
            : new NoticeView($"The last {recent.Count} run(s) here:", [.. recent.Select(Line)], NoticeTone.Info);
    }

    /// <summary>The run of this thread (or the one named by its id prefix), with its verdict and key facts.</summary>
    private async Task<NoticeView> ExplainAsync(GoalPosted message, string? idPrefix, CancellationToken cancellationToken)
    {
        var recent = await runs.ListByConversationAsync(message.Conversation.OrderingKey, 50, activeOnly: false, cancellationToken);
        var run = idPrefix is null ? (recent.Count > 0 ? recent[0] : null) : recent.FirstOrDefault(r => r.Id.StartsWith(idPrefix, StringComparison.OrdinalIgnoreCase));
        if (run is null)
            return new NoticeView(idPrefix is null ? "There is no run in this conversation to explain." : $"No run here starts with '{idPrefix}'.", [], NoticeTone.Info);
        return await explainer.ExplainAsync(run.Id, cancellationToken)
            ?? new NoticeView("That run no longer exists (retention may have removed it).", [], NoticeTone.Info);
    }

    private async Task<NoticeView> CancelAsync(GoalPosted message, string? idPrefix, CancellationToken cancellationToken)
    {
        var active = await runs.ListByConversationAsync(message.Conversation.OrderingKey, 50, activeOnly: true, cancellationToken);
        var run = idPrefix is null ? (active.Count > 0 ? active[0] : null) : active.FirstOrDefault(r => r.Id.StartsWith(idPrefix, StringComparison.OrdinalIgnoreCase));
        if (run is null)
            return new NoticeView(idPrefix is null ? "There is no active run here to cancel." : $"No active run here starts with '{idPrefix}'.", [], NoticeTone.Warning);

        var who = message.Requester;
        if (run.Approval is { } requirement && ApprovalRules.WhyNotRejecter(requirement, run.Requester, who) is { } refusal)
            return new NoticeView($"{who.Name}, you may not cancel this run: {refusal}.", [Line(run)], NoticeTone.Warning, run.Id);

        return await cancellation.CancelAsync(run, who.Name, cancellationToken) switch
        {
            CancellationResult.Requested => new NoticeView($"Cancelling \"{Short(run.Goal)}\": the step in flight is stopped and nothing after it runs.", [], NoticeTone.Info, run.Id),
            CancellationResult.AlreadyFinished => new NoticeView("That run has just finished; nothing to cancel.", [Line(run)], NoticeTone.Info, run.Id),
            CancellationResult.Moved => new NoticeView("That run changed state just now; say `status` to see where it is.", [], NoticeTone.Warning, run.Id),
            _ => new NoticeView($"Cancelled \"{Short(run.Goal)}\". Nothing more will run.", [], NoticeTone.Info, run.Id),
        };
    }

    private static string Line(Run run) =>
        $"• {Short(run.Goal)} — {run.Status.ToWire().Replace('_', ' ')}, {run.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)} (run {run.Id[..12]})";

    private static string Short(string goal) => TextExcerpt.Truncate(goal.ReplaceLineEndings(" "), 80);
}
