using System.Data.Common;
using System.Globalization;
using System.Text;

namespace BotAgent.Tools.Sql;

/// <summary>The first result of a statement as text, at most <c>MaxRows</c> rows; <see cref="More"/> when rows were left unread.</summary>
internal sealed record SqlRows(IReadOnlyList<string> Columns, IReadOnlyList<string[]> Rows, bool More)
{
    /// <param name="sequential">
    /// The reader was opened for sequential access: text and binary cells are read only as far as they are shown, so a
    /// huge value is never buffered whole. (SQLite has built the value in memory already; its length limit bounds it.)
    /// </param>
    public static async Task<SqlRows> ReadAsync(DbDataReader reader, int maxRows, int maxCellChars, bool sequential, CancellationToken cancellationToken)
    {
        var columns = Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetName(i) is { Length: > 0 } n ? n : "?column?").ToArray();
        var rows = new List<string[]>();
        var more = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (rows.Count == maxRows)
            {
                more = true;
                break;
            }
            var row = new string[columns.Length];
            for (var i = 0; i < row.Length; i++)
                row[i] = Shorten(Cell(reader, i, sequential ? maxCellChars : null), maxCellChars);
            rows.Add(row);
        }
        return new SqlRows(columns, rows, more);
    }

    /// <summary>A plain text table: a header, a rule, one line per row.</summary>
    public string ToTable()
    {
        if (Columns.Count == 0)
            return "(the statement returned no columns)";
        var widths = Columns.Select((c, i) => Rows.Select(r => r[i].Length).Append(c.Length).Max()).ToArray();
        var table = new StringBuilder();
        Line(table, Columns, widths);
        table.AppendJoin("-+-", widths.Select(w => new string('-', w))).AppendLine();
        foreach (var row in Rows)
            Line(table, row, widths);
        return table.ToString().TrimEnd();
    }

    private static void Line(StringBuilder table, IReadOnlyList<string> cells, int[] widths) =>
        table.AppendLine(string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());

    /// <param name="maxChars">
    /// Set for a sequential reader: text and binary values are read only as far as they are shown (this + 1
    /// characters, 33 bytes). Columns are read once, in order, as sequential access requires.
    /// </param>
    private static string Cell(DbDataReader reader, int i, int? maxChars)
    {
        if (reader.IsDBNull(i))
            return "NULL";
        object? value; // null for a void result (SELECT pg_sleep(0)): Npgsql reads it as neither DBNull nor a value
        try
        {
            var type = maxChars is null ? null : reader.GetFieldType(i);
            if (type == typeof(string))
            {
                var chars = new char[maxChars!.Value + 1];
                return new string(chars, 0, (int)reader.GetChars(i, 0, chars, 0, chars.Length));
            }
            if (type == typeof(byte[]))
            {
                var bytes = new byte[33];
                var read = (int)reader.GetBytes(i, 0, bytes, 0, bytes.Length);
                return "0x" + Convert.ToHexString(bytes.AsSpan(0, Math.Min(read, 32))) + (read > 32 ? "…" : "");
            }
            value = reader.GetValue(i);
        }
        catch (Exception ex) when (ex is InvalidCastException or NotSupportedException or OverflowException or InvalidOperationException)
        {
            // A type the driver cannot map to .NET (some PostgreSQL extension types): say what it is.
            return $"<{reader.GetDataTypeName(i)}>";
        }
        return value switch
        {
            null => "",
            byte[] bytes => "0x" + Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 32))) + (bytes.Length > 32 ? "…" : ""),
            DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
            DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
            bool flag => flag ? "true" : "false",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            Array array => "{" + string.Join(",", array.Cast<object?>().Select(x => x is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : x?.ToString() ?? "NULL")) + "}",
            _ => value.ToString() ?? "",
        };
    }

    // One row per line: line breaks and tabs inside values would break the table.
    private static string Shorten(string text, int maxChars)
    {
        var flat = text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' ');
        return flat.Length <= maxChars ? flat : string.Concat(flat.AsSpan(0, maxChars - 1), "…");
    }
}
