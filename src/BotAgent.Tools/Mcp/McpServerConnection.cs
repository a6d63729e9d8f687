using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using BotAgent.Core.Resilience;
using Json.Schema;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Polly;
using Polly.Retry;

namespace BotAgent.Tools.Mcp;

/// <summary>
/// One configured server: keeps a session open (connect, list tools, wait for the session to end, reconnect with
/// backoff), publishes its state for the tool source, and makes the calls of its tools.
/// </summary>
internal sealed partial class McpServerConnection
{
    // A session that lasted this long was healthy: the backoff starts over when it ends.
    private static readonly TimeSpan StableSession = TimeSpan.FromSeconds(30);
    private static readonly IReadOnlyDictionary<string, McpTool> NoTools = new Dictionary<string, McpTool>();
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
    private static readonly EvaluationOptions SchemaCheck = new() { OutputFormat = OutputFormat.Flag };

    private readonly McpServerOptions _settings;
    private readonly McpOptions _options;
    private readonly McpTransports _transports;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly McpServerState _initial = new(McpServerStatus.Connecting, NoTools, "it has not connected yet");
    private McpServerState _state;

    public McpServerConnection(string name, McpOptions options, McpTransports transports, TimeProvider time, ILoggerFactory loggerFactory)
    {
        Name = name;
        _settings = options.Servers[name];
        _options = options;
        _transports = transports;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<McpServerConnection>();
        _state = _initial;
    }

    public string Name { get; }

    public McpServerState State => Volatile.Read(ref _state);

    /// <summary>Completes when the first connection attempt has succeeded or failed.</summary>
    public Task FirstAttempt => _initial.Replaced.Task;

    public TimeSpan Timeout => _settings.Timeout;

    public bool IsDisabled(string tool) => _settings.Tools.TryGetValue(tool, out var configured) && !configured.Enabled;

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex ToolNameRule();

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var reconnect = ReconnectPipeline();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A healthy session ends a pass, so the backoff starts over; null is the bot stopping.
                if (await reconnect.ExecuteAsync(ConnectAndServeAsync, stoppingToken) is null)
                    return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>After a failed connection or a short session, connects again, waiting longer each time.</summary>
    private ResiliencePipeline<SessionEnd?> ReconnectPipeline()
    {
        var backoff = new Backoff(_options.ReconnectDelay, _options.MaxReconnectDelay, jitter: 0);
        return new ResiliencePipelineBuilder<SessionEnd?> { TimeProvider = _time }.AddRetry(new RetryStrategyOptions<SessionEnd?>
        {
            ShouldHandle = args => new(args.Outcome.Result is { Healthy: false }),
            MaxRetryAttempts = int.MaxValue,
            DelayGenerator = args => new(backoff.Delay(args.AttemptNumber)),
            OnRetry = args =>
            {
                if (args.Outcome.Result?.Failure is { } reason)
                {
                    Publish(new McpServerState(McpServerStatus.Unavailable, State.Tools, reason));
                    _logger.McpUnavailable(Name, reason, (long)args.RetryDelay.TotalMilliseconds);
                }
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    /// <returns>How the connection or its session ended; null when the bot is stopping.</returns>
    private async ValueTask<SessionEnd?> ConnectAndServeAsync(CancellationToken stoppingToken)
    {
        var toolsChanged = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        McpServerState session;
        try
        {
            session = await ConnectAsync(toolsChanged, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            return new SessionEnd(Healthy: false, McpFailures.Describe(ex, _settings.Command));
        }

        var started = _time.GetTimestamp();
        if (await ServeAsync(session, toolsChanged, stoppingToken) is null)
            return null;
        return new SessionEnd(Healthy: _time.GetElapsedTime(started) >= StableSession, Failure: null);
    }

    private async Task<McpServerState> ConnectAsync(Channel<bool> toolsChanged, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        var transport = _transports.Create(Name, _settings, line => _logger.McpStandardError(Name, line));
        McpClient? client = null;
        try
        {
            client = await McpClient.CreateAsync(transport, ClientOptions(toolsChanged), _loggerFactory, attempt.Token);
            var tools = await ListToolsAsync(client, attempt.Token);
            return new McpServerState(McpServerStatus.Connected, tools, null, client, new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        catch (Exception ex)
        {
            if (client is not null)
                await client.DisposeAsync();
            if (ex is OperationCanceledException && timeout.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
                throw new TimeoutException($"no answer within {_options.ConnectTimeout.TotalSeconds:0.#} s", ex);
            throw;
        }
    }

    /// <summary>Offers the session until it ends; returns why it ended, or null when the bot is stopping.</summary>
    private async Task<string?> ServeAsync(McpServerState session, Channel<bool> toolsChanged, CancellationToken stoppingToken)
    {
        var client = session.Client!;
        // Ends the session's pending wait for a tool-list change, so nothing of it stays tied to the stopping token.
        using var sessionEnded = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await using (client)
        {
            Publish(session);
            _logger.McpConnected(Name, session.Tools.Count);
            var current = session;
            while (true)
            {
                var changed = toolsChanged.Reader.ReadAsync(sessionEnded.Token).AsTask();
                var ended = await Task.WhenAny(client.Completion, session.Broken!.Task, changed);
                if (stoppingToken.IsCancellationRequested)
                    return null;
                string reason;
                if (ended == changed)
                {
                    try
                    {
                        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
                        using var relist = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
                        var relisted = new McpServerState(McpServerStatus.Connected, await ListToolsAsync(client, relist.Token), null, client, session.Broken);
                        if (TryReplace(current, relisted))
                            current = relisted;
                        continue;
                    }
                    catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                    {
                        return null;
                    }
                    catch (Exception ex)
                    {
                        reason = McpFailures.Describe(ex);
                    }
                }
                else
                {
                    reason = ended == client.Completion ? McpFailures.Describe(await client.Completion) : await session.Broken.Task;
                }
                Publish(new McpServerState(McpServerStatus.Reconnecting, current.Tools, reason));
                _logger.McpSessionLost(Name, reason);
                await sessionEnded.CancelAsync();
                return reason;
            }
        }
    }

    private async Task<IReadOnlyDictionary<string, McpTool>> ListToolsAsync(McpClient client, CancellationToken cancellationToken)
    {
        var tools = new Dictionary<string, McpTool>(StringComparer.OrdinalIgnoreCase);
        foreach (var listed in await client.ListToolsAsync(cancellationToken: cancellationToken))
        {
            var protocolTool = listed.ProtocolTool;
            if (!ToolNameRule().IsMatch(protocolTool.Name))
                _logger.McpToolSkipped(Name, protocolTool.Name, "the name is not 1 to 128 letters, digits, '_', '-' or '.'");
            else if (IsDisabled(protocolTool.Name))
                continue;
            else if (SchemaProblem(protocolTool.InputSchema) is { } problem)
                _logger.McpToolSkipped(Name, protocolTool.Name, "its input schema cannot be used: " + problem);
            else if (!tools.TryAdd(McpToolName.Of(Name, protocolTool.Name), new McpTool(this, protocolTool, _settings)))
                _logger.McpToolSkipped(Name, protocolTool.Name, "another tool has the same name");
        }
        return tools;
    }

    /// <summary>Policy validates every step against the schema; one it cannot read would fail each plan that names the tool.</summary>
    private static string? SchemaProblem(JsonElement schema)
    {
        try
        {
            JsonSchema.FromText(schema.GetRawText()).Evaluate(EmptyObject, SchemaCheck);
            return null;
        }
        catch (Exception ex)
        {
            // Whatever the schema library throws at a server's schema is the server's problem, not the bot's.
            return ex.Message;
        }
    }

    private static McpClientOptions ClientOptions(Channel<bool> toolsChanged) => new()
    {
        ClientInfo = new Implementation { Name = "BotAgent", Version = typeof(McpServerConnection).Assembly.GetName().Version?.ToString(3) ?? "1.0.0" },
        Handlers = new McpClientHandlers
        {
            NotificationHandlers =
            [
                new(NotificationMethods.ToolListChangedNotification, (_, _) =>
                {
                    toolsChanged.Writer.TryWrite(true);
                    return ValueTask.CompletedTask;
                }),
            ],
        },
    };

    private void Publish(McpServerState next) => Interlocked.Exchange(ref _state, next).Replaced.TrySetResult();

    private bool TryReplace(McpServerState expected, McpServerState next)
    {
        if (!ReferenceEquals(Interlocked.CompareExchange(ref _state, next, expected), expected))
            return false;
        expected.Replaced.TrySetResult();
        return true;
    }

    /// <param name="Healthy">The session lasted long enough to count as working.</param>
    /// <param name="Failure">Why no session could be opened; null when one was.</param>
    private sealed record SessionEnd(bool Healthy, string? Failure);
}
