namespace BotAgent.Tools.Sql;

/// <summary>
/// A function a statement calls: its name parts as the database resolves them (unquoted parts folded to lower case,
/// quoted ones as written), <c>["pg_catalog", "count"]</c>, and the name as written, for a refusal.
/// </summary>
internal sealed record FunctionCall(IReadOnlyList<string> Parts, string Written)
{
    public string Name => Parts[^1];

    public string QualifiedName => string.Join('.', Parts);
}
