using BotAgent.Core.Tools;

namespace BotAgent.Tools;

/// <summary>
/// The values of configured environment variables that hold credentials (MCP servers, <c>shell.run</c>), for the
/// <see cref="SecretRedactor"/>: a program that prints its environment must not put a token on a card. Decided by
/// <see cref="SecretSettings"/>, the same rule the trace pages use for the bot's own configuration.
/// </summary>
internal static class EnvironmentSecrets
{
    public static IEnumerable<string?> Of(IEnumerable<KeyValuePair<string, string?>> variables) => SecretSettings.ValuesOf(variables);

    public static bool IsSecretName(string name) => SecretSettings.IsSecretName(name);
}
