namespace BotAgent.Tools.Sql;

/// <summary>
/// Splits a statement into tokens the way PostgreSQL's (or SQLite's) lexer does, so a check can tell a function call
/// from text inside a string, a quoted name or a comment. Where the two lexers could disagree the statement is
/// refused rather than guessed at: an unterminated string, quoted name or (on PostgreSQL) comment is reported.
/// PostgreSQL is lexed with standard_conforming_strings on, which <see cref="PostgresQuery"/> sets for the statement.
/// </summary>
internal sealed class SqlLexer
{
    private readonly string _sql;
    private readonly bool _postgres;
    private readonly List<SqlToken> _tokens = [];
    private int _at;

    private SqlLexer(string sql, SqlProvider provider)
    {
        _sql = sql;
        _postgres = provider == SqlProvider.Postgres;
    }

    /// <summary>The tokens, or null and what was left open (a string, a quoted name, a comment).</summary>
    public static (IReadOnlyList<SqlToken>? Tokens, string? Unterminated) Tokenize(string sql, SqlProvider provider)
    {
        var lexer = new SqlLexer(sql, provider);
        var unterminated = lexer.Run();
        return unterminated is null ? (lexer._tokens, null) : (null, unterminated);
    }

    private char At(int offset) => _at + offset < _sql.Length ? _sql[_at + offset] : '\0';

    private string? Run()
    {
        while (_at < _sql.Length)
        {
            var c = At(0);
            if (c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
                _at++; // only these: both lexers read any other character from U+0080 up as part of a name
            else if (c == '-' && At(1) == '-')
                SkipLineComment();
            else if (c == '/' && At(1) == '*')
            {
                if (!SkipBlockComment())
                    return "comment";
            }
            else if (ReadQuoted() is { } open)
            {
                if (open.Length > 0)
                    return open;
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(At(1))))
                ReadNumber();
            else if (IsNameStart(c))
                ReadWord();
            else if (!ReadParameter())
                ReadSymbol();
        }
        return null;
    }

    private void SkipLineComment()
    {
        while (_at < _sql.Length && _sql[_at] is not ('\n' or '\r'))
            _at++;
    }

    // PostgreSQL nests block comments; SQLite does not, and ends an unterminated one at the end of the text.
    private bool SkipBlockComment()
    {
        var depth = 0;
        while (_at < _sql.Length)
        {
            if (At(0) == '/' && At(1) == '*' && (_postgres || depth == 0))
            {
                depth++;
                _at += 2;
            }
            else if (At(0) == '*' && At(1) == '/')
            {
                _at += 2;
                if (--depth == 0)
                    return true;
            }
            else
                _at++;
        }
        return !_postgres;
    }

    /// <summary>Null when no quoted token starts here; "" when one was read; otherwise what was left open.</summary>
    private string? ReadQuoted()
    {
        var c = At(0);
        var prefix = 0;
        if (_postgres && c is 'e' or 'E' && At(1) == '\'')
            return Quoted(1, '\'', SqlTokenKind.String, backslashEscapes: true);
        if (_postgres && c is 'u' or 'U' && At(1) == '&' && At(2) is '\'' or '"')
            prefix = 2;
        else if (c is 'b' or 'B' or 'x' or 'X' or 'n' or 'N' && At(1) == '\'' && (_postgres || c is 'x' or 'X'))
            prefix = 1;
        var quote = At(prefix);
        if (quote == '\'')
            return Quoted(prefix, '\'', SqlTokenKind.String, backslashEscapes: false);
        if (quote == '"')
            return Quoted(prefix, '"', SqlTokenKind.QuotedName, backslashEscapes: false);
        if (!_postgres && c == '`')
            return Quoted(0, '`', SqlTokenKind.QuotedName, backslashEscapes: false);
        if (!_postgres && c == '[')
            return Bracketed();
        if (_postgres && c == '$' && DollarTag() is { } tag)
            return DollarQuoted(tag);
        return null;
    }

    private string Quoted(int prefix, char quote, SqlTokenKind kind, bool backslashEscapes)
    {
        var text = new System.Text.StringBuilder();
        var i = _at + prefix + 1;
        while (i < _sql.Length)
        {
            var c = _sql[i];
            if (backslashEscapes && c == '\\')
            {
                i += 2;
                continue;
            }
            if (c == quote)
            {
                if (i + 1 < _sql.Length && _sql[i + 1] == quote)
                {
                    text.Append(quote);
                    i += 2;
                    continue;
                }
                _tokens.Add(new SqlToken(kind, kind == SqlTokenKind.QuotedName ? text.ToString() : ""));
                _at = i + 1;
                return "";
            }
            text.Append(c);
            i++;
        }
        return kind == SqlTokenKind.QuotedName ? "quoted name" : "string";
    }

    private string Bracketed()
    {
        var end = _sql.IndexOf(']', _at + 1);
        if (end < 0)
            return "quoted name";
        _tokens.Add(new SqlToken(SqlTokenKind.QuotedName, _sql[(_at + 1)..end]));
        _at = end + 1;
        return "";
    }

    // $tag$ … $tag$, where the tag is empty or an identifier that does not start with a digit ($1 is a parameter).
    private string? DollarTag()
    {
        var i = _at + 1;
        if (i < _sql.Length && IsNameStart(_sql[i]))
        {
            while (i < _sql.Length && IsNamePart(_sql[i]) && _sql[i] != '$')
                i++;
        }
        return i < _sql.Length && _sql[i] == '$' ? _sql[_at..(i + 1)] : null;
    }

    private string DollarQuoted(string tag)
    {
        var end = _sql.IndexOf(tag, _at + tag.Length, StringComparison.Ordinal);
        if (end < 0)
            return "dollar-quoted string";
        _tokens.Add(new SqlToken(SqlTokenKind.String, ""));
        _at = end + tag.Length;
        return "";
    }

    private void ReadNumber()
    {
        var start = _at;
        if (At(0) == '0' && At(1) is 'x' or 'X' or 'o' or 'O' or 'b' or 'B' && char.IsAsciiHexDigit(At(2)))
        {
            _at += 2;
            while (char.IsAsciiHexDigit(At(0)) || At(0) == '_')
                _at++;
        }
        else
        {
            while (char.IsAsciiDigit(At(0)) || At(0) == '_')
                _at++;
            if (At(0) == '.')
                _at++;
            while (char.IsAsciiDigit(At(0)) || At(0) == '_')
                _at++;
            if (At(0) is 'e' or 'E' && (char.IsAsciiDigit(At(1)) || (At(1) is '+' or '-' && char.IsAsciiDigit(At(2)))))
            {
                _at += 2;
                while (char.IsAsciiDigit(At(0)))
                    _at++;
            }
        }
        _tokens.Add(new SqlToken(SqlTokenKind.Number, _sql[start.._at]));
    }

    private void ReadWord()
    {
        var start = _at;
        while (_at < _sql.Length && IsNamePart(_sql[_at]))
            _at++;
        _tokens.Add(new SqlToken(SqlTokenKind.Word, _sql[start.._at]));
    }

    // PostgreSQL: $1. SQLite: ?, ?1, :name, @name, $name.
    private bool ReadParameter()
    {
        var c = At(0);
        var postgres = _postgres && c == '$' && char.IsAsciiDigit(At(1));
        var sqlite = !_postgres && (c == '?' || (c is ':' or '@' or '$' && IsNameStart(At(1))));
        if (!postgres && !sqlite)
            return false;
        var start = _at++;
        while (_at < _sql.Length && IsNamePart(_sql[_at]))
            _at++;
        _tokens.Add(new SqlToken(SqlTokenKind.Parameter, _sql[start.._at]));
        return true;
    }

    private void ReadSymbol()
    {
        var length = _postgres && At(0) == ':' && At(1) == ':' ? 2 : 1;
        _tokens.Add(new SqlToken(SqlTokenKind.Symbol, _sql.Substring(_at, length)));
        _at += length;
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= '\u0080';

    private static bool IsNamePart(char c) => IsNameStart(c) || char.IsAsciiDigit(c) || c == '$';
}
