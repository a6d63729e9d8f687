using System.Net.WebSockets;
using System.Text;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Channels.DirectLine;

/// <summary>
/// The WebSocket of <c>streamUrl</c>: sends <c>{"activities": [...], "watermark": "n"}</c> for everything after the
/// watermark it was opened with, then for each new entry of the log. The URL's own short-lived token (a browser cannot
/// set headers on a WebSocket) names the conversation and the person. What the client sends (DirectLineJS pings with
/// empty messages) is read and dropped.
/// </summary>
internal static class DirectLineStream
{
    private const int MaxPerFrame = 100;

    /// <summary>How often a stream looks at the log itself, for what another instance appended.</summary>
    private static readonly TimeSpan LookAgain = TimeSpan.FromSeconds(2);

    public static async Task<IResult> HandleAsync(HttpContext context, string id, string? watermark, string? t, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DirectLineOptions>>().Value;
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("BotAgent.Channels.DirectLine");
        if (DirectLineGuard.Refusal(context, options, log) is { } refused)
            return refused;
        if (!context.WebSockets.IsWebSocketRequest)
            return DirectLineEndpoints.Problem(StatusCodes.Status400BadRequest, "Not a WebSocket request", "Open the streamUrl as a WebSocket.");
        var grant = services.GetRequiredService<DirectLineTokens>().Read(t ?? "", DirectLineGrant.Stream, out var problem);
        if (grant is null || grant.ConversationId != id)
            return DirectLineGuard.Refuse(context, log, StatusCodes.Status403Forbidden, problem ?? "a stream token of another conversation",
                "The stream's token is not valid for this conversation: reconnect (GET /v3/directline/conversations/{id}) for a new streamUrl.");
        var conversations = services.GetRequiredService<IConversationLog>();
        if (!await conversations.ExistsAsync(id, context.RequestAborted))
            return DirectLineEndpoints.Problem(StatusCodes.Status404NotFound, "Unknown conversation", "There is no such conversation.");
        if (DirectLineEndpoints.ParseWatermark(watermark) is not { } after)
            return DirectLineEndpoints.Problem(StatusCodes.Status400BadRequest, "Bad watermark", "The watermark is the number a previous answer gave.");
        // Every open stream polls the store, so one person cannot hold an unbounded number of them on a conversation.
        using var place = services.GetRequiredService<DirectLineLimits>().OpenStream(id, grant.UserId);
        if (place is null)
            return DirectLineEndpoints.Problem(StatusCodes.Status429TooManyRequests, "Too many streams",
                "This conversation already has as many open streams for this person as allowed: close one first.");

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var reading = DrainAsync(socket, closed);
        try
        {
            await SendAsync(socket, id, after, grant, services, closed.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The client went away.
        }
        await closed.CancelAsync();
        await reading;
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        return Results.Empty;
    }

    private static async Task SendAsync(WebSocket socket, string id, long after, DirectLineGrant grant, IServiceProvider services, CancellationToken cancellationToken)
    {
        var viewer = DirectLineViews.ViewerOf(grant);
        var time = services.GetRequiredService<TimeProvider>();
        var conversations = services.GetRequiredService<IConversationLog>();
        var views = services.GetRequiredService<DirectLineViews>();
        var feed = services.GetRequiredService<DirectLineFeed>();
        // An open socket ends with the session it belongs to, as its tokens do.
        while (!cancellationToken.IsCancellationRequested && time.GetUtcNow() < grant.NotAfter)
        {
            var entries = await conversations.ReadAsync(id, after, MaxPerFrame, cancellationToken);
            if (entries.Count == 0)
            {
                await feed.WaitAsync(id, LookAgain, cancellationToken);
                continue;
            }
            after = entries[^1].Sequence;
            var shown = await views.ForViewerAsync(entries, viewer, cancellationToken);
            var frame = Encoding.UTF8.GetBytes(DirectLineEndpoints.ActivitySet(shown, after));
            await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
    }

    /// <summary>Reads until the client closes (or breaks) the socket, then ends the stream.</summary>
    private static async Task DrainAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[4096];
        try
        {
            while (!closed.IsCancellationRequested)
            {
                var received = await socket.ReceiveAsync(buffer, closed.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                    break;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Closed either way.
        }
        await closed.CancelAsync();
    }
}
