using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace BotAgent.Benchmarks.Connector;

/// <summary>
/// A lean loopback Connector API (create, reply, update, delete activities; each answered with an id) and
/// the HTTP service the bot's steps call (<c>GET /health</c>). It keeps no history beyond the round logs:
/// the test channel of the functional tests records every call and would be measured along with the bot.
/// </summary>
internal sealed class BenchChannel : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RoundLog> _rounds = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private long _sequence;
    private long _calls;

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The serviceUrl to put in activities.</summary>
    public string ServiceUrl => BaseUri.ToString().TrimEnd('/');

    public long Calls => Interlocked.Read(ref _calls);

    public static async Task<BenchChannel> StartAsync()
    {
        var channel = new BenchChannel();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        channel._app = builder.Build();
        channel._app.Run(channel.HandleAsync);
        await channel._app.StartAsync();
        var address = channel._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        channel.BaseUri = new Uri(address.TrimEnd('/') + "/");
        return channel;
    }

    public RoundLog Track(string tag, int capacity)
    {
        var log = new RoundLog(tag, capacity);
        _rounds[tag] = log;
        return log;
    }

    public void Forget(RoundLog log) => _rounds.TryRemove(log.Tag, out _);

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _calls);
        var request = context.Request;
        var path = request.Path.Value ?? "";
        if (HttpMethods.IsGet(request.Method) && path == "/health")
        {
            if (Find(request.Query["g"].ToString()) is var (log, index))
                log.OnStep(index);
            await context.Response.WriteAsync("{\"status\":\"healthy\"}");
            return;
        }

        // /v3/conversations/{conversationId}/activities[/{activityId}]
        var segments = path.Split('/');
        if (segments.Length < 5 || segments[1] != "v3" || segments[2] != "conversations" || segments[4] != "activities")
        {
            context.Response.StatusCode = 404;
            return;
        }
        var activityId = segments.Length > 5 ? Uri.UnescapeDataString(segments[5]) : null;
        var body = await ReadBodyAsync(request);
        string id;
        if (HttpMethods.IsPost(request.Method))
        {
            id = "m" + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);
            if (activityId is not null && Find(activityId) is var (log, index))
                log.OnReply(index, body, id);
        }
        else
            id = activityId ?? "";
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{\"id\":\"" + id + "\"}");
    }

    private (RoundLog Log, int Index)? Find(string id)
    {
        if (id.Length != 3 + RoundLog.IndexDigits || !_rounds.TryGetValue(id[..3], out var log))
            return null;
        return int.TryParse(id.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < log.Capacity
            ? (log, index)
            : null;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is { } length)
        {
            var buffer = new byte[length];
            await request.Body.ReadExactlyAsync(buffer);
            return buffer;
        }
        using var stream = new MemoryStream();
        await request.Body.CopyToAsync(stream);
        return stream.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
