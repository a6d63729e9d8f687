using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Net.Sockets;
using BotAgent.Core.Reporting;

namespace BotAgent.Channels.BotFramework;

/// <summary>
/// The Connector REST calls BotAgent makes (reply, send, update). It maps HTTP results to
/// <see cref="SendOutcome"/>: creating a message is not idempotent, so only an answer that proves the
/// channel did not take it (429, a refused connection) is retried; a timeout or 5xx is ambiguous.
/// </summary>
public sealed class ConnectorClient(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "BotFramework.Connector";

    public Task<SendOutcome> ReplyAsync(string serviceUrl, string conversationId, string? replyToId, Activity activity, CancellationToken cancellationToken)
    {
        var path = replyToId is null
            ? $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities"
            : $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/{Uri.EscapeDataString(replyToId)}";
        return SendAsync(HttpMethod.Post, serviceUrl, path, activity, isCreate: true, cancellationToken);
    }

    public Task<SendOutcome> UpdateAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken)
    {
        // The Emulator refuses an update whose body id differs from the URL's.
        activity.Id = activityId;
        var path = $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/{Uri.EscapeDataString(activityId)}";
        return SendAsync(HttpMethod.Put, serviceUrl, path, activity, isCreate: false, cancellationToken);
    }

    /// <summary>A new message at the end of the conversation (no reply-to), as Teams streaming requires.</summary>
    public Task<SendOutcome> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, serviceUrl, $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities", activity, isCreate: true, cancellationToken);

    /// <summary>
    /// A proactive 1:1 message: creates (or, in Teams, finds) the conversation with <paramref name="memberId"/>,
    /// then sends. The app must be installed for that person; Teams answers 403 otherwise.
    /// </summary>
    public async Task<SendOutcome> SendDirectAsync(Core.Intake.ConversationKey conversation, string memberId, Activity activity, CancellationToken cancellationToken)
    {
        var tenant = BotFrameworkAddress.TenantOf(conversation);
        var serviceUrl = BotFrameworkAddress.ServiceUrlOf(conversation)!;
        var parameters = new System.Text.Json.Nodes.JsonObject
        {
            ["isGroup"] = false,
            ["bot"] = conversation.Bot is { } bot ? new System.Text.Json.Nodes.JsonObject { ["id"] = bot.Id, ["name"] = bot.Name } : null,
            ["members"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["id"] = memberId }),
            ["tenantId"] = tenant,
            ["channelData"] = tenant is null ? null : new System.Text.Json.Nodes.JsonObject { ["tenant"] = new System.Text.Json.Nodes.JsonObject { ["id"] = tenant } },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint(serviceUrl, "v3/conversations"))
        {
            Content = new StringContent(parameters.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        string? conversationId;
        try
        {
            var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
                return await InterpretAsync(response, isCreate: false, cancellationToken);
            var created = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(cancellationToken);
            conversationId = created?["id"]?.GetValue<string>();
        }
        catch (HttpRequestException ex)
        {
            // Creating (finding) a 1:1 conversation changes nothing people see: safe to try again.
            return SendOutcome.Later(null, "creating the 1:1 conversation failed: " + ex.Message);
        }
        if (string.IsNullOrEmpty(conversationId))
            return SendOutcome.Failure("The channel created no 1:1 conversation.");
        activity.Conversation = new ConversationAccount { Id = conversationId };
        return await ReplyAsync(serviceUrl, conversationId, null, activity, cancellationToken);
    }

    /// <summary>The typing indicator; best effort, so failures are only reported back.</summary>
    public Task<SendOutcome> SendTypingAsync(string serviceUrl, string conversationId, Activity typing, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, serviceUrl, $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities", typing, isCreate: true, cancellationToken);

    /// <summary>
    /// The Connector's HTTP handler: connecting has its own, shorter timeout, so that a connection never made fails as a
    /// connection error (certain non-delivery) instead of the whole request's timeout (which may follow a delivery).
    /// </summary>
    public static SocketsHttpHandler CreateHandler(TimeSpan connectTimeout) => new()
    {
        // Not SocketsHttpHandler.ConnectTimeout: it ends as the same TaskCanceledException as the request's timeout.
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connecting.CancelAfter(connectTimeout);
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, connecting.Token);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                throw new SocketException((int)SocketError.TimedOut);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>Joins a serviceUrl and a relative path: Teams URLs end in '/', the Emulator's and Playground's do not.</summary>
    public static Uri Endpoint(string serviceUrl, string relativePath) =>
        new(new Uri(serviceUrl.EndsWith('/') ? serviceUrl : serviceUrl + "/", UriKind.Absolute), relativePath);

    private async Task<SendOutcome> SendAsync(HttpMethod method, string serviceUrl, string path, Activity activity, bool isCreate, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, Endpoint(serviceUrl, path))
        {
            // Buffered with a Content-Length: some channel front ends mishandle chunked request bodies.
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(activity, BotFrameworkJsonContext.Wire.Activity))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } },
            },
        };
        try
        {
            var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return await InterpretAsync(response, isCreate, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused }
            || ex.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError)
        {
            // No connection was made (refused, unreachable, or the connect timed out: a full accept queue drops it),
            // so nothing was sent: certain non-delivery, safe to try again.
            return SendOutcome.Later(null, "no connection: " + ex.Message);
        }
        catch (HttpRequestException ex)
        {
            // The request may have reached the channel before the connection broke.
            return isCreate ? SendOutcome.Unsure("connection failed: " + ex.Message) : SendOutcome.Later(null, "connection failed: " + ex.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return isCreate ? SendOutcome.Unsure("timed out") : SendOutcome.Later(null, "timed out");
        }
    }

    private static async Task<SendOutcome> InterpretAsync(HttpResponseMessage response, bool isCreate, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            var body = response.Content.Headers.ContentLength == 0
                ? null
                : await ReadResourceAsync(response, cancellationToken);
            return SendOutcome.Delivered(body?.Id);
        }

        var status = (int)response.StatusCode;
        var error = $"HTTP {status} {await ErrorTextAsync(response, cancellationToken)}".Trim();
        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => SendOutcome.Later(RetryAfter.Of(response), error),
            // Teams answers 412 for concurrent operations on one conversation: nothing was done.
            HttpStatusCode.PreconditionFailed => SendOutcome.Later(RetryAfter.Of(response), error),
            _ when status >= 500 => isCreate ? SendOutcome.Unsure(error) : SendOutcome.Later(RetryAfter.Of(response), error),
            _ => SendOutcome.Failure(error),
        };
    }

    private static async Task<ResourceResponse?> ReadResourceAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(BotFrameworkJsonContext.Default.ResourceResponse, cancellationToken);
        }
        catch (JsonException)
        {
            return null; // Delivered; the channel just did not say under which id.
        }
    }

    private static async Task<string> ErrorTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Length > 300 ? text[..300] : text;
    }
}
