using System.ComponentModel;
using ModelContextProtocol.Client;

namespace BotAgent.Tools.Mcp;

/// <summary>Short, human reasons for a lost or failed connection, for cards and logs.</summary>
internal static class McpFailures
{
    public static string Describe(ClientCompletionDetails details) => details switch
    {
        StdioClientCompletionDetails stdio => "the server process exited"
            + (stdio.ExitCode is { } code ? $" with code {code}" : "")
            + (LastLine(stdio.StandardErrorTail) is { } line ? $"; its last words on stderr: {line}" : ""),
        HttpClientCompletionDetails { HttpStatusCode: { } status } => $"the session ended with HTTP {(int)status} {status}",
        { Exception: { } ex } => ex.Message,
        _ => "the session ended",
    };

    /// <summary>The most telling exception in the chain: the SDK wraps the cause in its own ("Failed to connect transport.").</summary>
    /// <param name="command">The stdio server's program, to name it when it cannot be started.</param>
    public static string Describe(Exception exception, string? command = null)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case ClientTransportClosedException closed:
                    return Describe(closed.Details);
                case Win32Exception start:
                    // Its Message names the working directory too; the OS's words for the error code are enough.
                    return $"{(command is null ? "the server program" : $"'{command}'")} could not be started: {new Win32Exception(start.NativeErrorCode).Message}";
                case HttpRequestException http:
                    return $"the server could not be reached: {http.Message}";
                case TimeoutException timeout:
                    return timeout.Message;
            }
        }
        return exception.Message;
    }

    private static string? LastLine(IEnumerable<string>? lines) =>
        lines?.Select(l => l.Trim()).LastOrDefault(l => l.Length > 0);
}
