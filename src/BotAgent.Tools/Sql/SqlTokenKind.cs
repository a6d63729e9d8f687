namespace BotAgent.Tools.Sql;

internal enum SqlTokenKind
{
    /// <summary>An unquoted identifier or keyword, as written.</summary>
    Word,

    /// <summary>A quoted identifier (<c>"Name"</c>, and on SQLite <c>[name]</c> or <c>`name`</c>); the text is the name inside.</summary>
    QuotedName,

    /// <summary>A string literal of any form (standard, E'', U&amp;'', bit, dollar-quoted); the text is left out.</summary>
    String,

    Number,

    /// <summary>A positional or named parameter (<c>$1</c>, <c>?</c>, <c>:name</c>).</summary>
    Parameter,

    /// <summary>One character of punctuation or an operator, or <c>::</c>.</summary>
    Symbol,
}
