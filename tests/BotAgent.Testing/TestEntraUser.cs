namespace BotAgent.Testing;

/// <summary>The person the <see cref="TestEntraServer"/> signs in next, or puts in a token: who, and which groups and app roles.</summary>
public sealed record TestEntraUser(string Name, string UserName, string ObjectId, IReadOnlyList<string> Groups, IReadOnlyList<string>? Roles = null)
{
    public static TestEntraUser Alice(params string[] groups) =>
        new("Alice Example", "alice@contoso.example", "00000000-0000-0000-0000-0000000a11ce", groups);

    public static TestEntraUser Mallory(params string[] groups) =>
        new("Mallory Example", "mallory@contoso.example", "00000000-0000-0000-0000-00000000ba11", groups);
}
