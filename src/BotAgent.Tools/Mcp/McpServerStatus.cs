namespace BotAgent.Tools.Mcp;

internal enum McpServerStatus
{
    /// <summary>The first attempt has not finished yet.</summary>
    Connecting,

    Connected,

    /// <summary>The session ended and a new one is being made at once; calls wait a little for it.</summary>
    Reconnecting,

    /// <summary>The last attempt failed; the next one comes after a backoff. Calls fail at once.</summary>
    Unavailable,
}
