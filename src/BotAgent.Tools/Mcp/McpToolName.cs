namespace BotAgent.Tools.Mcp;

/// <summary>Our name for a server's tool: <c>mcp.{server}.{tool}</c> (server names have no dots; tool names may).</summary>
internal static class McpToolName
{
    public const string Prefix = "mcp.";

    public static string Of(string server, string tool) => Prefix + server + "." + tool;

    public static bool TryParse(string name, out string server, out string tool)
    {
        server = tool = "";
        if (!name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            return false;
        var dot = name.IndexOf('.', Prefix.Length);
        if (dot <= Prefix.Length || dot == name.Length - 1)
            return false;
        server = name[Prefix.Length..dot];
        tool = name[(dot + 1)..];
        return true;
    }
}
