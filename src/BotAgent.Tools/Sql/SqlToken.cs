namespace BotAgent.Tools.Sql;

/// <summary>One token of a statement as the database's own lexer would see it; comments and white space are dropped.</summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, string Text)
{
    public bool IsWord(string word) => Kind == SqlTokenKind.Word && Text.Equals(word, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string symbol) => Kind == SqlTokenKind.Symbol && Text == symbol;

    public bool IsName => Kind is SqlTokenKind.Word or SqlTokenKind.QuotedName;
}
