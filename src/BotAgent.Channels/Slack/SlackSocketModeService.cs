using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Core.Resilience;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace BotAgent.Channels.Slack;

/// <summary>
/// Socket Mode: Slack delivers events and clicks over a WebSocket the bot opens, so it needs no public
/// address. Each envelope is stored in the inbox exactly as an HTTP delivery would be, then acknowledged
/// by its <c>envelope_id</c> (an envelope that could not be stored is not acknowledged, so Slack sends it
/// again). When Slack asks to refresh, the bot reconnects at once with a new address; when the socket
/// breaks or cannot be opened, it retries with a growing delay.
/// </summary>
internal sealed class SlackSocketModeService(
    SlackWebApiClient api,
    SlackIntake intake,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SlackSocketModeService> logger) : BackgroundService
{
    private const int MaxMessageBytes = 4 * 1024 * 1024;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private enum SocketEnd
    {
        /// <summary>Slack asked for a new connection: reconnect now.</summary>
        Refresh,

        /// <summary>The connection worked, then closed: reconnect soon.</summary>
        Closed,

        /// <summary>No working connection: back off further.</summary>
        Failed,
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Jitter, so that instances do not reconnect in step.
        var backoff = new Backoff(options.Value.ReconnectBaseDelay, options.Value.ReconnectMaxDelay, jitter: 0.2);
        var reconnect = ReconnectPipeline(backoff);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (end, _) = await reconnect.ExecuteAsync(TryConnectOnceAsync, stoppingToken);
                if (end == SocketEnd.Closed)
                {
                    // A connection that worked starts the count of failures over.
                    var delay = backoff.Delay(0);
                    logger.SlackSocketReconnecting(delay.TotalMilliseconds);
                    await Task.Delay(delay, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Connects again after each failure, waiting longer each time, until a connection ends in a refresh or a close.</summary>
    private ResiliencePipeline<(SocketEnd End, TimeSpan? RetryAfter)> ReconnectPipeline(Backoff backoff) =>
        new ResiliencePipelineBuilder<(SocketEnd End, TimeSpan? RetryAfter)> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<(SocketEnd End, TimeSpan? RetryAfter)>
            {
                ShouldHandle = args => new(args.Outcome.Exception is null && args.Outcome.Result.End == SocketEnd.Failed),
                MaxRetryAttempts = int.MaxValue,
                // The first failure already waits twice the base: the base alone is the pause after a connection that worked.
                DelayGenerator = args => new(backoff.Delay(args.AttemptNumber + 1, args.Outcome.Result.RetryAfter)),
                OnRetry = args =>
                {
                    logger.SlackSocketReconnecting(args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            }).Build();

    private async ValueTask<(SocketEnd End, TimeSpan? RetryAfter)> TryConnectOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ConnectOnceAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.SlackSocketFailed(ex);
            return (SocketEnd.Failed, null);
        }
    }

    private async Task<(SocketEnd, TimeSpan?)> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        var (url, outcome) = await api.OpenConnectionAsync(cancellationToken);
        if (url is null)
        {
            logger.SlackSocketOpenFailed(outcome.Error);
            return (SocketEnd.Failed, outcome.RetryAfter);
        }

        using var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connecting.CancelAfter(ConnectTimeout);
            await socket.ConnectAsync(url, connecting.Token);
        }
        // The address carries a connection ticket: only its host is logged.
        logger.SlackSocketConnected(url.Host);

        return await ReadAsync(socket, cancellationToken);
    }

    /// <summary>Reads envelopes until the socket closes or Slack asks for a new connection.</summary>
    private async Task<(SocketEnd, TimeSpan?)> ReadAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var greeted = false;
        try
        {
            while (await ReceiveAsync(socket, cancellationToken) is { } message)
            {
                var node = Parse(message);
                switch (Text(node, "type"))
                {
                    case "hello":
                        greeted = true;
                        break;
                    case "disconnect":
                        var reason = Text(node, "reason") ?? "unknown";
                        logger.SlackSocketDisconnect(reason);
                        await CloseAsync(socket);
                        // link_disabled: Socket Mode was switched off in the app's settings; keep trying, slowly.
                        return (reason == "link_disabled" ? SocketEnd.Failed : SocketEnd.Refresh, null);
                    default:
                        if (Text(node, "envelope_id") is { } envelopeId)
                        {
                            await AcceptAsync(node!, envelopeId, cancellationToken);
                            await SendAsync(socket, new JsonObject { ["envelope_id"] = envelopeId }, cancellationToken);
                        }
                        break;
                }
            }
        }
        catch (WebSocketException ex)
        {
            logger.SlackSocketFailed(ex);
        }
        await CloseAsync(socket);
        return (greeted ? SocketEnd.Closed : SocketEnd.Failed, null);
    }

    private JsonObject? Parse(string message)
    {
        try
        {
            return JsonNode.Parse(message) as JsonObject;
        }
        catch (JsonException ex)
        {
            logger.SlackEnvelopeMalformed("-", ex.Message);
            return null;
        }
    }

    /// <summary>Stores the envelope's payload as HTTP mode would (events, clicks, slash commands); anything else is only acknowledged.</summary>
    private async Task AcceptAsync(JsonObject envelope, string envelopeId, CancellationToken cancellationToken)
    {
        if (envelope["payload"] is not JsonObject payload)
            return;
        var json = payload.ToJsonString(SlackJsonContext.Wire);
        try
        {
            switch (Text(envelope, "type"))
            {
                case "events_api" when JsonSerializer.Deserialize(json, SlackJsonContext.Default.SlackEventEnvelope) is { } events:
                    await intake.AcceptEventAsync(json, events, cancellationToken);
                    break;
                case "interactive" when JsonSerializer.Deserialize(json, SlackJsonContext.Default.SlackInteraction) is { } interaction:
                    await intake.AcceptInteractionAsync(json, interaction, cancellationToken);
                    break;
                case "slash_commands" when JsonSerializer.Deserialize(json, SlackJsonContext.Default.SlackCommand) is { } command:
                    if (command.Problem() is { } problem)
                        logger.SlackEnvelopeMalformed(envelopeId, problem);
                    else
                        await intake.AcceptCommandAsync(command, cancellationToken);
                    break;
            }
        }
        catch (JsonException ex)
        {
            // Sending it again would not make it readable: acknowledged and dropped.
            logger.SlackEnvelopeMalformed(envelopeId, ex.Message);
        }
    }

    /// <returns>One whole text message; null when the socket closed.</returns>
    private static async Task<string?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(buffer, 0, result.Count);
            if (message.Length > MaxMessageBytes)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "message too big", cancellationToken);
                return null;
            }
            if (result.EndOfMessage)
                return result.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length) : "";
        }
    }

    private static Task SendAsync(ClientWebSocket socket, JsonObject message, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>A polite close where the socket still allows one; a broken socket is simply dropped.</summary>
    private static async Task CloseAsync(ClientWebSocket socket)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnecting", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Already gone: nothing left to close.
        }
    }

    private static string? Text(JsonObject? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
