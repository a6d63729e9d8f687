using BotAgent.Core.Approvals;
using BotAgent.Core.Reporting;
using BotAgent.Core.Policy;
using BotAgent.Core.Runs;

namespace BotAgent.Channels.BotFramework;

/// <summary>
/// Handles Approve/Reject clicks from both routes: Action.Submit messages (through the inbox) and
/// Action.Execute invokes (answered inline). Either way, the decision goes through the approval gate,
/// everyone's card is refreshed when something changed, and the clicker is told why when nothing did.
/// </summary>
public sealed class CardClickHandler(
    ApprovalGate gate,
    StepDecisionGate decisions,
    Reporter reporter,
    PlanCardViewBuilder cards,
    IRunStore runs,
    Permissions permissions)
{
    /// <summary>A click from an Action.Submit message: feedback goes to the thread.</summary>
    public async Task HandleSubmitAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (IsStepDecision(activity))
        {
            var (decided, problem) = await DecideStepAsync(activity, cancellationToken);
            if (decided is null || !decided.ChangedRun)
            {
                await reporter.PostNoticeAsync(decided?.Run?.Conversation ?? ActivityTranslator.ReferenceOf(activity),
                    new NoticeView(decided?.Message ?? problem!, [], NoticeTone.Warning, decided?.Run?.Id), cancellationToken);
            }
            return;
        }

        var action = ActivityTranslator.ReadCardAction(activity, out var readProblem);
        if (action is null)
        {
            await reporter.PostNoticeAsync(ActivityTranslator.ReferenceOf(activity),
                new NoticeView("I could not read that button click.", [readProblem!], NoticeTone.Warning), cancellationToken);
            return;
        }

        var result = await DecideAsync(action, cancellationToken);
        if (!result.ChangedRun)
        {
            // Feedback goes next to the card in the run's thread when the click came from there; a click from anywhere
            // else is answered where it came from (a stranger's click does not post into someone else's thread).
            var here = result.Run is { } run && ApprovalGate.SameConversation(run.Conversation, action.Conversation) ? run.Conversation : action.Conversation;
            await reporter.PostNoticeAsync(here, new NoticeView(result.Message, [], NoticeTone.Warning, result.Run?.Id), cancellationToken);
        }
    }

    /// <summary>A click from an Action.Execute invoke: the answer is the invoke response body.</summary>
    public async Task<InvokeResponseBody> HandleInvokeAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (ActivityTranslator.VerbOf(activity) == AdaptiveCardRenderer.RefreshVerb)
            return await RefreshAsync(activity, cancellationToken);
        if (IsStepDecision(activity))
        {
            // Everyone's decision card is updated through the outbox; the clicker gets the outcome in words.
            var (decided, stepProblem) = await DecideStepAsync(activity, cancellationToken);
            return decided is null ? InvokeResponses.Error(400, "BadRequest", stepProblem!) : InvokeResponses.Message(decided.Message);
        }

        var action = ActivityTranslator.ReadCardAction(activity, out var problem);
        if (action is null)
            return InvokeResponses.Error(400, "BadRequest", problem!);

        var result = await DecideAsync(action, cancellationToken);
        if (result.Run is null || !MayView(result.Run, activity))
            return InvokeResponses.Message(result.Message);
        return await CurrentCardAsync(action.RunId, result.ChangedRun ? null : result.Message, activity.ChannelId, cancellationToken)
            ?? InvokeResponses.Message(result.Message);
    }

    /// <summary>
    /// The plan (goal, arguments, who asked) is shown only in its own conversation, or to a named approver
    /// in the 1:1 chat the bot opened: a card id from elsewhere reveals nothing.
    /// </summary>
    private static bool MayView(Run run, Activity activity) =>
        ApprovalGate.SameConversation(run.Conversation, ActivityTranslator.ReferenceOf(activity))
        || ApprovalGate.IsNamedApproversDirectChat(run, ActivityTranslator.MemberOf(activity), ActivityTranslator.ReferenceOf(activity));

    /// <summary>The card as it stands now, for a redelivered invoke that must not decide twice.</summary>
    public async Task<InvokeResponseBody> ReplayAsync(Activity activity, CancellationToken cancellationToken)
    {
        var action = ActivityTranslator.ReadCardAction(activity, out var problem);
        if (action is null)
            return InvokeResponses.Error(400, "BadRequest", problem!);
        var run = await runs.GetAsync(action.RunId, cancellationToken);
        if (run is null || !MayView(run, activity))
            return InvokeResponses.Message("This card refers to a run I do not know.");
        return await CurrentCardAsync(action.RunId, null, activity.ChannelId, cancellationToken)
            ?? InvokeResponses.Message("This card refers to a run I do not know.");
    }

    /// <summary>The card as this viewer should see it: buttons for those who may decide, a read-only status for others.</summary>
    private async Task<InvokeResponseBody> RefreshAsync(Activity activity, CancellationToken cancellationToken)
    {
        var runId = ActivityTranslator.ReadRunId(activity);
        var run = runId is null ? null : await runs.GetAsync(runId, cancellationToken);
        var view = run is null || !MayView(run, activity) ? null : await cards.BuildAsync(run.Id, cancellationToken);
        if (run is null || view is null)
            return InvokeResponses.Error(400, "BadRequest", "This card refers to a run I do not know.");
        var viewer = ActivityTranslator.MemberOf(activity);
        var reason = run.Approval is null
            ? "nobody may approve it"
            : ApprovalRules.WhyNotApprover(run.Approval, run.Requester, viewer) ?? permissions.WhyNotApprove(viewer, run.Approval.Risk);
        return InvokeResponses.Card(AdaptiveCardRenderer.Render(view, AdaptiveCardRenderer.StyleFor(activity.ChannelId), viewer: new ViewerRights(reason is null, reason)));
    }

    private static bool IsStepDecision(Activity activity) =>
        ActivityTranslator.VerbOf(activity)?.StartsWith(ActivityTranslator.ResolvePrefix, StringComparison.Ordinal) == true;

    private async Task<(ApprovalResult? Result, string? Problem)> DecideStepAsync(Activity activity, CancellationToken cancellationToken)
    {
        var action = ActivityTranslator.ReadStepDecision(activity, out var problem);
        if (action is null)
            return (null, problem);
        var result = await decisions.DecideAsync(action, cancellationToken);
        if (result.ChangedRun && result.Run is not null)
            await reporter.RefreshCardAsync(result.Run, cancellationToken);
        return (result, null);
    }

    private async Task<ApprovalResult> DecideAsync(CardAction action, CancellationToken cancellationToken)
    {
        var result = await gate.DecideAsync(action, cancellationToken);
        // A stale card is refreshed too, so the people looking at it see the current plan.
        if (result.Run is not null && (result.ChangedRun || result.Kind == ApprovalResultKind.Stale))
            await reporter.RefreshCardAsync(result.Run, cancellationToken);
        return result;
    }

    private async Task<InvokeResponseBody?> CurrentCardAsync(string runId, string? notice, string? channelId, CancellationToken cancellationToken)
    {
        var view = await cards.BuildAsync(runId, cancellationToken);
        return view is null ? null : InvokeResponses.Card(AdaptiveCardRenderer.Render(view, AdaptiveCardRenderer.StyleFor(channelId), notice));
    }
}
