namespace BotAgent.Tools.Http;

/// <summary>Thrown from the connect callback when every resolved address of a host is refused.</summary>
public sealed class HostRefusedException(string message) : Exception(message);
