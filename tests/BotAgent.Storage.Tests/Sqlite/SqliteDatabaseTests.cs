using System.Data.Common;
using BotAgent.Core.Runs;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BotAgent.Storage.Tests.Sqlite;

/// <summary>What only the SQLite provider does: a file in a folder it creates, WAL, and online backups.</summary>
public sealed class SqliteDatabaseTests : StoreTest
{
    private static SqliteConnection OpenCopy(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>Inserts a run row on <paramref name="connection"/>, inside <paramref name="transaction"/>.</summary>
    private Task InsertRunAsync(DbConnection connection, DbTransaction transaction, Run run) =>
        connection.ExecuteAsync("""
            INSERT INTO runs (id, status, goal, requester_id, requester_json, conversation_key, conversation_json, created_at, updated_at)
            VALUES (@Id, 'planning', @Goal, 'u', '{"id":"u","name":"U"}', 'k', '{}', @At, @At);
            """, new { run.Id, run.Goal, At = DbTime.ToText(run.CreatedAt) }, transaction);

    [Fact]
    public async Task Migration_creates_the_folder_and_the_database_file()
    {
        await UseAsync(StoreProvider.Sqlite, migrate: false);
        Assert.False(Directory.Exists(Path.GetDirectoryName(Store.DatabasePath)));

        await Store.Migrator.MigrateAsync(None);

        Assert.True(File.Exists(Store.DatabasePath));
    }

    [Fact]
    public async Task Migration_puts_the_database_in_wal_mode()
    {
        await UseAsync(StoreProvider.Sqlite);

        Assert.Equal("wal", await Store.ScalarAsync<string>("PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task Connections_enforce_foreign_keys()
    {
        await UseAsync(StoreProvider.Sqlite);

        Assert.Equal(1L, await Store.ScalarAsync<long>("PRAGMA foreign_keys;"));
    }

    [Fact]
    public async Task Backup_is_a_readable_copy_with_the_runs_while_another_connection_is_writing()
    {
        await UseAsync(StoreProvider.Sqlite);
        var committed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var run = Samples.NewRun(Now, goal: $"goal {i}");
            await Store.Runs.CreateAsync(run, None);
            committed.Add(run.Id);
        }
        var backup = Path.Combine(Store.Directory!, "backups", "botagent-backup.db");
        var inFlight = Samples.NewRun(Now, goal: "written during the backup");

        // A writer holds the write lock, uncommitted, for the whole backup: the backup must neither wait for it nor see its row.
        await using (var writer = await Store.Database.OpenAsync(None))
        {
            await using var transaction = await writer.BeginTransactionAsync(None);
            await InsertRunAsync(writer, transaction, inFlight);

            await Store.Sqlite.BackupAsync(backup, None).WaitAsync(TimeSpan.FromSeconds(20));

            await transaction.CommitAsync(None);
        }

        await using (var copy = OpenCopy(backup))
        {
            Assert.Equal("ok", await copy.ExecuteScalarAsync<string>("PRAGMA integrity_check;"));
            Assert.Equal(committed.Order(StringComparer.Ordinal), (await copy.QueryAsync<string>("SELECT id FROM runs ORDER BY id;")));
            Assert.Equal("goal 1", await copy.ExecuteScalarAsync<string>("SELECT goal FROM runs WHERE id = @id;", new { id = committed[1] }));
            Assert.Equal(await Store.ScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations;"), await copy.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations;"));
        }
        Assert.NotNull(await Store.Runs.GetAsync(inFlight.Id, None));
    }

    [Fact]
    public async Task Backup_keeps_up_with_a_writer_that_does_not_stop()
    {
        await UseAsync(StoreProvider.Sqlite);
        var first = Samples.NewRun(Now);
        await Store.Runs.CreateAsync(first, None);
        var backup = Path.Combine(Store.Directory!, "busy-backup.db");
        using var stop = new CancellationTokenSource();

        var writer = Task.Run(async () =>
        {
            var written = 0;
            while (!stop.IsCancellationRequested)
            {
                await Store.Runs.CreateAsync(Samples.NewRun(Now), None);
                written++;
            }
            return written;
        });
        await Store.Sqlite.BackupAsync(backup, None).WaitAsync(TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        var written = await writer;

        await using var copy = OpenCopy(backup);
        Assert.Equal("ok", await copy.ExecuteScalarAsync<string>("PRAGMA integrity_check;"));
        var copied = await copy.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM runs;");
        Assert.InRange(copied, 1, 1 + written);
        Assert.Equal(1L, await copy.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM runs WHERE id = @id;", new { id = first.Id }));
    }

    [Fact]
    public async Task Backup_refuses_to_overwrite_an_existing_file()
    {
        await UseAsync(StoreProvider.Sqlite);
        var backup = Path.Combine(Store.Directory!, "existing.db");
        await File.WriteAllTextAsync(backup, "keep me");

        await Assert.ThrowsAsync<IOException>(() => Store.Sqlite.BackupAsync(backup, None));

        Assert.Equal("keep me", await File.ReadAllTextAsync(backup));
    }
}
