using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Channels.BotFramework;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;

namespace BotAgent.Traces;

/// <summary>
/// Writes a run's conversation as a Bot Framework <c>.transcript</c> file: a JSON array of activities, oldest first, which
/// the Emulator opens with <i>Open Transcript</i>. Inbound activities are the payloads as the channel sent them (from the
/// inbox; Slack's as message activities carrying Slack's payload in <c>channelData</c>), outbound ones the messages the
/// channel took (from the outbox), each showing its final state: a plan card rendered from the store now, a decision
/// card as last updated. Secrets are redacted as in every export.
/// </summary>
public sealed class TranscriptExport(IRunStore runs, IConversationRecord record, PlanCardViewBuilder cards, TraceRedactor redactor)
{
    /// <returns>False for an unknown run (nothing written).</returns>
    public async Task<bool> WriteAsync(string runId, Stream output, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken);
        if (run is null)
            return false;
        var key = run.Conversation.OrderingKey;
        var inbound = (await record.InboundForRunAsync(key, run.Id, run.SourceKey, cancellationToken))
            .Select(i => (At: i.ReceivedAt, Order: 0, Id: i.Id, Activity: TranscriptInbound.Activity(i, run)));
        var outbound = new List<(DateTimeOffset At, int Order, long Id, JsonObject Activity)>();
        foreach (var message in await record.OutboundForRunAsync(key, run.Id, cancellationToken))
        {
            if (await OutboundAsync(message, run, cancellationToken) is { } activity)
                outbound.Add((message.SentAt, 1, message.Id, activity));
        }

        // Received before sent at the same instant: a message is answered after it arrives.
        var transcript = new JsonArray([.. inbound.Concat(outbound)
            .OrderBy(a => a.At).ThenBy(a => a.Order).ThenBy(a => a.Id)
            .Select(a => JsonNode.Parse(redactor.Json(a.Activity.ToJsonString())!))]);
        await using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true }))
        {
            transcript.WriteTo(writer);
        }
        await output.FlushAsync(cancellationToken);
        return true;
    }

    /// <summary>The message as people see it now, as the Bot Framework activity that carries it.</summary>
    private async Task<JsonObject?> OutboundAsync(DeliveredMessage message, Run run, CancellationToken cancellationToken)
    {
        var view = message.LastUpdate ?? message.Post.View;
        view = view switch
        {
            PlanCardReference reference => await cards.BuildAsync(reference.RunId, cancellationToken, reference.PlanVersion),
            PlanCardView stored => await cards.BuildAsync(stored.RunId, cancellationToken, stored.PlanVersion) ?? stored,
            _ => view,
        };
        if (view is null)
            return null;
        var conversation = message.Post.Conversation;
        var card = AdaptiveCardRenderer.Render(view, AdaptiveCardRenderer.StyleFor(conversation.ChannelId));
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["id"] = message.MessageId ?? "botagent-" + message.Id.ToString(CultureInfo.InvariantCulture),
            ["timestamp"] = Timestamp(message.SentAt),
            ["channelId"] = conversation.ChannelId,
            ["from"] = Account(conversation.Bot?.Id ?? "botagent", conversation.Bot?.Name ?? "BotAgent", "bot"),
            ["recipient"] = Account(run.Requester.Id, run.Requester.Name, "user"),
            ["conversation"] = new JsonObject { ["id"] = conversation.ConversationId },
            ["summary"] = view.FallbackText.Length > 200 ? view.FallbackText[..200] : view.FallbackText,
            ["attachments"] = new JsonArray(new JsonObject { ["contentType"] = ActivityTypes.AdaptiveCardContentType, ["content"] = card }),
        };
        if (conversation.ThreadId is { } thread)
            activity["replyToId"] = thread;
        return activity;
    }

    public static JsonObject Account(string id, string name, string role) => new() { ["id"] = id, ["name"] = name, ["role"] = role };

    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
