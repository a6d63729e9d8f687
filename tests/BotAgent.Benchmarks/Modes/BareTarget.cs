using System.Net.Http.Headers;
using System.Text.Json;

namespace BotAgent.Benchmarks.Modes;

/// <summary>
/// The ceiling: a bare ASP.NET Core endpoint that reads the activity JSON and answers 200. With
/// <c>--echo</c> it is the smallest .NET echo bot instead: it replies through the activity's serviceUrl
/// (Connector API) before answering, as the JS SDK's echo bot does. Runs as its own process. <c>--full-builder</c>
/// starts it from <c>WebApplication.CreateBuilder</c> instead, to see what the framework's defaults cost.
/// </summary>
internal static class BareTarget
{
    private static readonly HttpClient Connector = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) });

    /// <param name="fullBuilder">WebApplication.CreateBuilder (as the bot) instead of CreateSlimBuilder: what the defaults cost.</param>
    public static async Task<int> RunAsync(int port, bool echo, bool fullBuilder = false)
    {
        var builder = fullBuilder ? WebApplication.CreateBuilder() : WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapPost("/api/messages", echo ? EchoAsync : AcceptAsync);
        await app.RunAsync();
        return 0;
    }

    private static async Task<IResult> AcceptAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var activity = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        return activity.RootElement.TryGetProperty("type", out _) ? Results.Ok() : Results.BadRequest();
    }

    private static async Task<IResult> EchoAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var activity = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        var root = activity.RootElement;
        var id = root.GetProperty("id").GetString();
        var conversation = root.GetProperty("conversation").GetProperty("id").GetString()!;
        var text = "Echo: " + root.GetProperty("text").GetString();
        var reply = new Dictionary<string, object?>
        {
            ["type"] = "message",
            ["text"] = text,
            ["replyToId"] = id,
            ["from"] = root.GetProperty("recipient"),
            ["recipient"] = root.GetProperty("from"),
            ["conversation"] = root.GetProperty("conversation"),
            ["channelId"] = root.GetProperty("channelId").GetString(),
        };
        var url = $"{root.GetProperty("serviceUrl").GetString()!.TrimEnd('/')}/v3/conversations/{Uri.EscapeDataString(conversation)}/activities/{Uri.EscapeDataString(id!)}";
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(reply, ReplyJson.Default.DictionaryStringObject));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Connector.PostAsync(url, content, cancellationToken);
        return response.IsSuccessStatusCode ? Results.Ok() : Results.StatusCode(502);
    }
}
