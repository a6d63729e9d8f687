using System.Text.Json;
using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using Microsoft.Extensions.Logging;

namespace BotAgent.Channels.Slack;

/// <summary>
/// Translates clicks on Block Kit buttons into the core's decisions (Approve/Reject on a plan, a choice on a
/// decision card); the core brings everyone's message up to date. When nothing changed, only the clicker is
/// told why, in a message only they see.
/// </summary>
internal sealed class SlackClickHandler(IChatEvents chat, SlackWebApiClient api, ILogger<SlackClickHandler> logger)
{
    public async Task HandleAsync(SlackInteraction interaction, Member actor, ConversationKey conversation, CancellationToken cancellationToken)
    {
        foreach (var action in interaction.Actions ?? [])
        {
            if (!SlackBlockRenderer.IsDecision(action.ActionId))
                continue;
            var value = ReadValue(action.Value);
            if (value?.RunId is null || (value.PlanHash is null && value.AttemptId is null))
            {
                await TellClickerAsync(conversation, actor, new NoticeView("I could not read that button click.", ["The button carries no run or plan."], NoticeTone.Warning), cancellationToken);
                continue;
            }
            var result = action.ActionId is SlackBlockRenderer.Approve or SlackBlockRenderer.Reject
                ? await DecidePlanAsync(action.ActionId, value, actor, conversation, cancellationToken)
                : await DecideStepAsync(action.ActionId!, value, actor, conversation, cancellationToken);
            if (!result.ChangedRun)
                await TellClickerAsync(conversation, actor, new NoticeView(result.Message, [], NoticeTone.Warning, result.Run?.Id), cancellationToken);
        }
    }

    private async Task<DecisionResult> DecidePlanAsync(string actionId, SlackButtonValue value, Member actor, ConversationKey conversation, CancellationToken cancellationToken)
    {
        if (value.PlanHash is null)
            return new DecisionResult(DecisionResultKind.UnknownRun, "This button carries no plan version.", null);
        var verb = actionId == SlackBlockRenderer.Approve ? ApprovalVerb.Approve : ApprovalVerb.Reject;
        return await chat.PlanDecidedAsync(new PlanDecision(value.RunId!, value.PlanHash, verb, actor, conversation), cancellationToken);
    }

    private async Task<DecisionResult> DecideStepAsync(string actionId, SlackButtonValue value, Member actor, ConversationKey conversation, CancellationToken cancellationToken)
    {
        if (value.AttemptId is not { } attemptId)
            return new DecisionResult(DecisionResultKind.UnknownRun, "This button carries no step attempt.", null);
        var kind = actionId switch
        {
            SlackBlockRenderer.ResolveDone => StepResolutionKind.Done,
            SlackBlockRenderer.ResolveRetry => StepResolutionKind.Retry,
            _ => StepResolutionKind.Stop,
        };
        return await chat.StepDecidedAsync(new StepDecision(value.RunId!, attemptId, kind, actor, conversation), cancellationToken);
    }

    /// <summary>
    /// An ephemeral message to the clicker, next to the message they clicked. Slack may refuse it (the
    /// clicker left the channel, a rate limit): then the notice goes to the thread through the outbox,
    /// which retries, rather than being lost.
    /// </summary>
    private async Task TellClickerAsync(ConversationKey conversation, Member actor, NoticeView notice, CancellationToken cancellationToken)
    {
        var outcome = await api.PostEphemeralAsync(conversation.ConversationId, actor.Id, conversation.ThreadId, SlackBlockRenderer.Render(notice), cancellationToken);
        if (outcome.Status == SendStatus.Delivered)
            return;
        logger.SlackEphemeralFailed(outcome.Error);
        await chat.NoticeAsync(conversation, notice, cancellationToken);
    }

    private static SlackButtonValue? ReadValue(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return null;
        try
        {
            return JsonSerializer.Deserialize(value, SlackButtonContext.Default.SlackButtonValue);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
