using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Core.Tools;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace BotAgent.Tools.Mcp;

/// <summary>The calls of the server's tools, made through whatever session is current.</summary>
internal sealed partial class McpServerConnection
{
    /// <summary>Sent in each call's <c>_meta</c>: the same for every attempt of a step, so a server can make a write land once.</summary>
    public const string IdempotencyKeyMeta = "botagent/idempotencyKey";

    public async Task<ToolOutcome> CallAsync(McpTool tool, ToolCall call, CancellationToken cancellationToken)
    {
        var retrySafe = ((ITool)tool).Assess(call.Args).IsRetrySafe;
        for (var attempt = 1; ; attempt++)
        {
            var state = await WaitForSessionAsync(cancellationToken);
            if (state.Client is null)
                return ToolOutcome.Failure($"MCP server '{Name}' is unavailable: {state.Reason}", state.Reason ?? "unavailable");

            var started = _time.GetTimestamp();
            try
            {
                var result = await state.Client.CallToolAsync(Request(tool, call), cancellationToken);
                return McpOutcomes.From(Name, result, _time.GetElapsedTime(started));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (McpProtocolException ex)
            {
                // A JSON-RPC error: the server is up and refused this call (an unknown tool, arguments it will not take).
                return ToolOutcome.Failure($"MCP server '{Name}' refused the call: {ex.Message}", ex.Message);
            }
            catch (Exception ex)
            {
                var reason = await DescribeLostCallAsync(state, ex);
                ReportBroken(state, reason);
                // The session is gone (the process was killed a moment ago, say): a call that is safe to repeat goes
                // once more on the next session; a write may or may not have happened, so it is for a person to say.
                if (retrySafe && attempt == 1)
                    continue;
                var unknown = retrySafe ? "" : " (what it changes may or may not have happened)";
                return ToolOutcome.Failure($"MCP server '{Name}' failed during the call{unknown}: {reason}", reason, transient: retrySafe) with { MayHaveHappened = !retrySafe };
            }
        }
    }

    /// <summary>A call cut short by the end of its session (a pending request is cancelled) is explained by how the session ended.</summary>
    private async Task<string> DescribeLostCallAsync(McpServerState state, Exception exception)
    {
        var completion = state.Client!.Completion;
        if (exception is OperationCanceledException)
            await Task.WhenAny(completion, Task.Delay(TimeSpan.FromSeconds(1), _time));
        return completion.IsCompleted ? McpFailures.Describe(await completion) : McpFailures.Describe(exception);
    }

    private static CallToolRequestParams Request(McpTool tool, ToolCall call) => new()
    {
        Name = tool.ServerToolName,
        Arguments = call.Args.ValueKind == JsonValueKind.Object
            ? call.Args.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)
            : new Dictionary<string, JsonElement>(),
        Meta = new JsonObject { [IdempotencyKeyMeta] = call.IdempotencyKey },
    };

    /// <summary>Waits a little for a session that is being made; a server that is down answers at once.</summary>
    private async Task<McpServerState> WaitForSessionAsync(CancellationToken cancellationToken)
    {
        var state = State;
        if (state.Status is not (McpServerStatus.Connecting or McpServerStatus.Reconnecting))
            return state;
        using var wait = new CancellationTokenSource(_options.CallWaitForReconnect, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wait.Token);
        while (state.Status is McpServerStatus.Connecting or McpServerStatus.Reconnecting)
        {
            try
            {
                await state.Replaced.Task.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var waited = $"{_options.CallWaitForReconnect.TotalSeconds:0.#} s";
                return new McpServerState(McpServerStatus.Unavailable, state.Tools, state.Status == McpServerStatus.Connecting
                    ? $"it has not connected yet (waited {waited})"
                    : $"it lost its session ({state.Reason}) and has not come back within {waited}");
            }
            state = State;
        }
        return state;
    }

    private void ReportBroken(McpServerState used, string reason)
    {
        used.Broken?.TrySetResult(reason);
        var current = State;
        if (current.Status == McpServerStatus.Connected && ReferenceEquals(current.Client, used.Client))
            TryReplace(current, new McpServerState(McpServerStatus.Reconnecting, current.Tools, reason));
    }
}
