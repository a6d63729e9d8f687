using BotAgent.Core.Approvals;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;

namespace BotAgent.Channels.BotFramework;

/// <summary>
/// Translates Approve/Reject and decision-card clicks from both routes Teams has, Action.Submit messages (through the
/// inbox) and Action.Execute invokes (answered inline), into one core decision; only how the clicker is answered
/// differs: in the thread for a Submit, in the invoke response for an Execute.
/// </summary>
public sealed class CardClickHandler(IChatEvents chat)
{
    private const string UnknownRun = "This card refers to a run I do not know.";

    /// <summary>A click from an Action.Submit message: feedback goes to the thread.</summary>
    public async Task HandleSubmitAsync(Activity activity, CancellationToken cancellationToken)
    {
        var click = await DecideAsync(activity, cancellationToken);
        if (click.Unreadable is { } notice)
            await chat.NoticeAsync(ActivityTranslator.ConversationOf(activity), notice, cancellationToken);
        else if (!click.Result!.ChangedRun)
            await chat.AnswerUnchangedAsync(click.Result, ActivityTranslator.ConversationOf(activity), cancellationToken);
    }

    /// <summary>A click from an Action.Execute invoke: the answer is the invoke response body.</summary>
    public async Task<InvokeResponseBody> HandleInvokeAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (ActivityTranslator.VerbOf(activity) == AdaptiveCardRenderer.RefreshVerb)
            return await RefreshAsync(activity, cancellationToken);
        var click = await DecideAsync(activity, cancellationToken);
        if (click.Unreadable is not null)
            return InvokeResponses.Error(400, "BadRequest", click.Problem!);
        var result = click.Result!;
        // Everyone's decision card is updated through the outbox; the clicker gets the outcome in words.
        if (click.IsStep || result.Run is null)
            return InvokeResponses.Message(result.Message);
        var card = await CardForAsync(result.Run.Id, activity, cancellationToken);
        return card is null
            ? InvokeResponses.Message(result.Message)
            : InvokeResponses.Card(AdaptiveCardRenderer.Render(card.View, AdaptiveCardRenderer.StyleFor(activity.ChannelId), result.ChangedRun ? null : result.Message));
    }

    /// <summary>The card as it stands now, for a redelivered invoke that must not decide twice.</summary>
    public async Task<InvokeResponseBody> ReplayAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (IsStepDecision(activity))
        {
            // The decision card itself is updated for everyone through the outbox; the first answer said what happened.
            return ActivityTranslator.ReadStepDecision(activity, out var stepProblem) is null
                ? InvokeResponses.Error(400, "BadRequest", stepProblem!)
                : InvokeResponses.Message("This click was already received; the decision card shows where the run stands.");
        }
        var action = ActivityTranslator.ReadCardAction(activity, out var problem);
        if (action is null)
            return InvokeResponses.Error(400, "BadRequest", problem!);
        var card = await CardForAsync(action.RunId, activity, cancellationToken);
        return card is null
            ? InvokeResponses.Message(UnknownRun)
            : InvokeResponses.Card(AdaptiveCardRenderer.Render(card.View, AdaptiveCardRenderer.StyleFor(activity.ChannelId)));
    }

    /// <summary>The card as this viewer should see it: buttons for those who may decide, a read-only status for others.</summary>
    private async Task<InvokeResponseBody> RefreshAsync(Activity activity, CancellationToken cancellationToken)
    {
        var card = ActivityTranslator.ReadRunId(activity) is { } runId ? await CardForAsync(runId, activity, cancellationToken) : null;
        if (card is null)
            return InvokeResponses.Error(400, "BadRequest", UnknownRun);
        return InvokeResponses.Card(AdaptiveCardRenderer.Render(card.View, AdaptiveCardRenderer.StyleFor(activity.ChannelId),
            viewer: new ViewerRights(card.MayDecide, card.WhyNot)));
    }

    private Task<ViewerCard?> CardForAsync(string runId, Activity activity, CancellationToken cancellationToken) =>
        chat.CardForAsync(runId, ActivityTranslator.MemberOf(activity), ActivityTranslator.ConversationOf(activity), cancellationToken);

    /// <summary>Both routes: read the click, then one core decision.</summary>
    private async Task<Click> DecideAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (IsStepDecision(activity))
        {
            var step = ActivityTranslator.ReadStepDecision(activity, out var stepProblem);
            return step is null
                ? new Click(null, true, stepProblem, new NoticeView(stepProblem!, [], NoticeTone.Warning))
                : new Click(await chat.StepDecidedAsync(step, cancellationToken), true, null, null);
        }
        var plan = ActivityTranslator.ReadCardAction(activity, out var problem);
        return plan is null
            ? new Click(null, false, problem, new NoticeView("I could not read that button click.", [problem!], NoticeTone.Warning))
            : new Click(await chat.PlanDecidedAsync(plan, cancellationToken), false, null, null);
    }

    private static bool IsStepDecision(Activity activity) =>
        ActivityTranslator.VerbOf(activity)?.StartsWith(ActivityTranslator.ResolvePrefix, StringComparison.Ordinal) == true;

    /// <summary>A click as decided, or why it could not be read (and the notice that says so).</summary>
    private sealed record Click(DecisionResult? Result, bool IsStep, string? Problem, NoticeView? Unreadable);
}
