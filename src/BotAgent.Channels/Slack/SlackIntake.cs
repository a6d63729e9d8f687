using System.Text.Json;
using BotAgent.Core;
using BotAgent.Core.Intake;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Channels.Slack;

internal enum SlackIntakeResult
{
    Accepted,
    Duplicate,
    Ignored,
}

/// <summary>
/// Puts what Slack delivered into the durable inbox, de-duplicated, for the background worker: the same
/// path for HTTP requests and Socket Mode envelopes, so both are answered within Slack's 3 seconds.
/// What is none of the bot's business (bots' messages, edits, link clicks) is not stored at all.
/// </summary>
internal sealed class SlackIntake(IInbox inbox, WorkSignals signals, TimeProvider time, IOptions<SlackOptions> options, ILogger<SlackIntake> logger)
{
    public async Task<SlackIntakeResult> AcceptEventAsync(string json, SlackEventEnvelope envelope, CancellationToken cancellationToken)
    {
        var reason = TeamRefusal(envelope.TeamId ?? envelope.Event?.Team)
            ?? SlackTranslator.WhyIgnored(envelope, SlackTranslator.BotUserId(envelope, options.Value.BotUserId))
            ?? (string.IsNullOrEmpty(envelope.EventId) ? "an event without an event_id" : null);
        if (reason is not null)
        {
            logger.SlackIgnored(envelope.EventId ?? "-", reason);
            return SlackIntakeResult.Ignored;
        }
        return await AcceptAsync(SlackTranslator.EventKey(envelope.EventId!), envelope.Event!.Channel, json, cancellationToken);
    }

    public async Task<SlackIntakeResult> AcceptInteractionAsync(string json, SlackInteraction interaction, CancellationToken cancellationToken)
    {
        var key = SlackTranslator.ActionKey(interaction);
        var reason = TeamRefusal(interaction.Team?.Id ?? interaction.User?.TeamId) is { } refusal ? refusal
            : interaction.Type != SlackTranslator.BlockActions ? $"an interaction of type '{interaction.Type}'"
            : interaction.Actions?.Any(a => SlackBlockRenderer.IsDecision(a.ActionId)) != true ? "a click on no decision button"
            : key is null ? "a click without action_ts, user or trigger_id"
            : null;
        if (reason is not null)
        {
            logger.SlackIgnored(interaction.TriggerId ?? "-", reason);
            return SlackIntakeResult.Ignored;
        }
        return await AcceptAsync(key!, interaction.Channel?.Id ?? interaction.Container?.ChannelId, WithoutCredentials(json), cancellationToken);
    }

    /// <summary>
    /// A click as stored: without its <c>response_url</c> (anyone holding it may post into the conversation for half an
    /// hour), <c>trigger_id</c> (opens a modal as the clicker) and the deprecated verification token, which the bot
    /// never reads after intake and which would otherwise travel on into traces and transcripts.
    /// </summary>
    private static string WithoutCredentials(string json)
    {
        if (System.Text.Json.Nodes.JsonNode.Parse(json) is not System.Text.Json.Nodes.JsonObject payload)
            return json;
        foreach (var key in (ReadOnlySpan<string>)["response_url", "response_urls", "trigger_id", "token"])
            payload.Remove(key);
        return payload.ToJsonString();
    }

    /// <summary>A slash command: stored as the few fields the bot reads, keyed by its trigger id (one per invocation).</summary>
    public async Task<SlackIntakeResult> AcceptCommandAsync(SlackCommand command, CancellationToken cancellationToken)
    {
        if (TeamRefusal(command.TeamId) is { } refusal)
        {
            logger.SlackIgnored(command.TriggerId ?? "-", refusal);
            return SlackIntakeResult.Ignored;
        }
        var json = JsonSerializer.Serialize(command.ToStored(), SlackJsonContext.Default.SlackCommand);
        return await AcceptAsync(SlackTranslator.CommandKey(command.TriggerId!), command.ChannelId, json, cancellationToken);
    }

    private string? TeamRefusal(string? team) =>
        options.Value.AllowedTeams.Count > 0 && !options.Value.AllowedTeams.Contains(team ?? "", StringComparer.Ordinal)
            ? $"workspace '{team ?? "(none)"}' is not in Slack:AllowedTeams"
            : null;

    private async Task<SlackIntakeResult> AcceptAsync(string dedupeKey, string? channel, string json, CancellationToken cancellationToken)
    {
        var accepted = await inbox.TryAcceptAsync(SlackTranslator.Adapter, dedupeKey, SlackTranslator.OrderingKey(channel), json, time.GetUtcNow(), processed: false, cancellationToken);
        if (!accepted)
        {
            logger.DuplicateActivity(dedupeKey);
            return SlackIntakeResult.Duplicate;
        }
        signals.Inbox.Set();
        return SlackIntakeResult.Accepted;
    }
}
