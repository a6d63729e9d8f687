using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace BotAgent.Testing;

/// <summary>
/// One Socket Mode connection the bot opened to the test Slack server: the test sends envelopes through
/// it as Slack would and sees the bot's acknowledgements.
/// </summary>
public sealed class SlackSocket
{
    private readonly WebSocket _socket;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly ConcurrentQueue<JsonObject> _received = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal SlackSocket(int index, WebSocket socket)
    {
        Index = index;
        _socket = socket;
    }

    /// <summary>1 for the first connection the bot opened, 2 for the next, …</summary>
    public int Index { get; }

    /// <summary>Everything the bot sent over this connection (acknowledgements).</summary>
    public IReadOnlyList<JsonObject> Received => [.. _received];

    /// <summary>Completes when the connection is gone, closed by either side or broken.</summary>
    public Task Closed => _closed.Task;

    public async Task SendAsync(JsonObject message)
    {
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Delivers an Events API body (<c>event_callback</c>) in an <c>events_api</c> envelope; returns the envelope id.</summary>
    public Task<string> SendEventAsync(JsonObject eventCallback, int retryAttempt = 0) => SendEnvelopeAsync("events_api", eventCallback, retryAttempt);

    /// <summary>Delivers a click (<c>block_actions</c>) in an <c>interactive</c> envelope; returns the envelope id.</summary>
    public Task<string> SendInteractionAsync(JsonObject blockActions) => SendEnvelopeAsync("interactive", blockActions, 0);

    /// <summary>Delivers a slash command (its form fields as a JSON object) in a <c>slash_commands</c> envelope; returns the envelope id.</summary>
    public Task<string> SendCommandAsync(IReadOnlyList<KeyValuePair<string, string>> form) =>
        SendEnvelopeAsync("slash_commands", new JsonObject([.. form.Select(f => new KeyValuePair<string, JsonNode?>(f.Key, f.Value))]), 0);

    /// <summary>Slack's request to reconnect elsewhere (<c>refresh_requested</c> when a connection is recycled).</summary>
    public Task DisconnectAsync(string reason = "refresh_requested") =>
        SendAsync(new JsonObject { ["type"] = "disconnect", ["reason"] = reason, ["debug_info"] = new JsonObject { ["host"] = "test" } });

    /// <summary>Closes the connection politely, as Slack does when it recycles one.</summary>
    public async Task CloseAsync()
    {
        await _sending.WaitAsync();
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closing", CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Breaks the connection without a close handshake, as a network failure would.</summary>
    public void Abort() => _socket.Abort();

    public Task<JsonObject> WaitForAckAsync(string envelopeId, TimeSpan? timeout = null) =>
        Eventually.GetAsync(
            () => Task.FromResult(_received.FirstOrDefault(m => m["envelope_id"]?.GetValue<string>() == envelopeId)),
            $"the bot to acknowledge envelope {envelopeId}",
            timeout);

    private async Task<string> SendEnvelopeAsync(string type, JsonObject payload, int retryAttempt)
    {
        var id = Guid.NewGuid().ToString();
        var envelope = new JsonObject
        {
            ["envelope_id"] = id,
            ["type"] = type,
            ["payload"] = payload.DeepClone(),
            ["accepts_response_payload"] = false,
        };
        if (retryAttempt > 0)
        {
            envelope["retry_attempt"] = retryAttempt;
            envelope["retry_reason"] = "timeout";
        }
        await SendAsync(envelope);
        return id;
    }

    /// <summary>Reads what the bot sends until the connection ends (the server's request stays open meanwhile).</summary>
    internal async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            using var message = new MemoryStream();
            while (_socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                    continue;
                if (JsonNode.Parse(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length)) is JsonObject received)
                    _received.Enqueue(received);
                message.SetLength(0);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Aborted by the test or the bot: the connection is simply over.
        }
        finally
        {
            _closed.TrySetResult();
        }
    }
}
