using Microsoft.Data.Sqlite;

namespace BotAgent.Benchmarks.Store;

/// <summary>
/// One table of the bot's SQLite schema as the clones are written into it: its columns as the migrations left them,
/// less an <c>INTEGER PRIMARY KEY</c> id (SQLite numbers new rows itself). Read from the file, so a migration that adds
/// a column is copied without a change here.
/// </summary>
internal sealed record StoreTable(string Name, IReadOnlyList<string> Columns)
{
    public bool Has(string column) => Columns.Contains(column, StringComparer.Ordinal);

    public string Select => $"SELECT {string.Join(", ", Columns)} FROM {Name}";

    public string Insert => $"INSERT INTO {Name} ({string.Join(", ", Columns)}) VALUES ({string.Join(", ", Columns.Select((_, i) => "$p" + i))});";

    /// <summary>The tables that hold what happened to runs: those keyed by a run or a conversation's ordering key.</summary>
    public static IReadOnlyList<StoreTable> ReadAll(SqliteConnection connection)
    {
        var names = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
                names.Add(reader.GetString(0));
        }
        var tables = new List<StoreTable>();
        foreach (var name in names)
        {
            var columns = new List<(string Name, string Type, int Key)>();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = $"SELECT name, type, pk FROM pragma_table_info('{name}') ORDER BY cid;";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                    columns.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
            }
            // Only a lone INTEGER primary key is the rowid.
            var keys = columns.Where(c => c.Key > 0).ToList();
            var rowid = keys.Count == 1 && keys[0].Type.Equals("INTEGER", StringComparison.OrdinalIgnoreCase) ? keys[0].Name : null;
            var table = new StoreTable(name, [.. columns.Where(c => c.Name != rowid).Select(c => c.Name)]);
            if (name == "runs" || table.Has("run_id") || table.Has("ordering_key"))
                tables.Add(table);
        }
        return tables;
    }
}
