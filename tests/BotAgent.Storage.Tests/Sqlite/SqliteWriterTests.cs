using BotAgent.Storage.Sqlite;
using Dapper;
using Microsoft.Data.Sqlite;
using BotAgent.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Storage.Tests.Sqlite;

/// <summary>
/// The SQLite writer: concurrent writes share transactions (group commit), yet each caller sees only its
/// own outcome, and an answer means the write is committed.
/// </summary>
public sealed class SqliteWriterTests : StoreTest
{
    private const string InsertEvent = "INSERT INTO planning_events (run_id, type, at) VALUES (@runId, 'test', '2026-11-25T10:00:00.0000000Z');";

    private Task<int> InsertEventAsync(string runId, CancellationToken cancellationToken = default) =>
        Store.Database.ExecuteWriteAsync(InsertEvent, new { runId }, cancellationToken);

    private Task<long> CountEventsAsync(string runId) =>
        Store.ScalarAsync<long>("SELECT COUNT(*) FROM planning_events WHERE run_id = @runId;", new { runId });

    [Fact]
    public async Task Concurrent_writes_all_commit_and_each_caller_gets_its_own_result()
    {
        await UseAsync(StoreProvider.Sqlite);

        var events = Enumerable.Range(0, 500).Select(_ => Task.Run(() => InsertEventAsync("r1")));
        // Every key twice, at once: exactly one of each pair is accepted.
        var accepts = Enumerable.Range(0, 400).Select(i => Task.Run(() =>
            Store.Inbox.TryAcceptAsync("test", $"key-{i % 200}", "conv", "{}", Now, processed: false, None)));
        var counts = await Task.WhenAll(events);
        var accepted = await Task.WhenAll(accepts);

        Assert.All(counts, c => Assert.Equal(1, c));
        Assert.Equal(200, accepted.Count(a => a));
        Assert.Equal(500, await CountEventsAsync("r1"));
        Assert.Equal(200, await Store.ScalarAsync<long>("SELECT COUNT(*) FROM inbox;"));
    }

    [Fact]
    public async Task A_failing_statement_fails_only_its_caller()
    {
        await UseAsync(StoreProvider.Sqlite);

        var good = Enumerable.Range(0, 200).Select(_ => Task.Run(() => InsertEventAsync("r1"))).ToList();
        // NOT NULL on run_id: this statement fails, in the middle of the others' transactions.
        var bad = Task.Run(() => InsertEventAsync(null!));
        good.AddRange(Enumerable.Range(0, 200).Select(_ => Task.Run(() => InsertEventAsync("r1"))));

        var error = await Assert.ThrowsAsync<SqliteException>(() => bad);
        Assert.Contains("NOT NULL", error.Message, StringComparison.Ordinal);
        await Task.WhenAll(good);
        Assert.Equal(400, await CountEventsAsync("r1"));
    }

    [Fact]
    public async Task A_unit_that_fails_midway_leaves_none_of_its_statements_and_the_others_commit()
    {
        await UseAsync(StoreProvider.Sqlite);

        var others = Enumerable.Range(0, 100).Select(_ => Task.Run(() => InsertEventAsync("other"))).ToList();
        var unit = Store.Database.WriteAsync<int>(async (connection, transaction, ct) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertEvent, new { runId = "unit" }, transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(InsertEvent, new { runId = "unit" }, transaction, cancellationToken: ct));
            throw new InvalidOperationException("the unit gives up after two inserts");
        }, None);
        others.AddRange(Enumerable.Range(0, 100).Select(_ => Task.Run(() => InsertEventAsync("other"))));

        await Assert.ThrowsAsync<InvalidOperationException>(() => unit);
        await Task.WhenAll(others);
        Assert.Equal(0, await CountEventsAsync("unit"));
        Assert.Equal(200, await CountEventsAsync("other"));
    }

    [Fact]
    public async Task A_write_whose_caller_gave_up_before_it_started_is_not_made()
    {
        await UseAsync(StoreProvider.Sqlite);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => InsertEventAsync("r1", cancelled.Token));

        Assert.Equal(1, await InsertEventAsync("r2"));
        Assert.Equal(0, await CountEventsAsync("r1"));
    }

    [Fact]
    public async Task Disposing_the_database_finishes_the_writes_already_accepted()
    {
        await UseAsync(StoreProvider.Sqlite);
        var database = new SqliteDatabase(Options.Create(new StorageOptions { ConnectionString = $"Data Source={Store.DatabasePath}" }));

        var writes = Enumerable.Range(0, 1000).Select(_ => database.ExecuteWriteAsync(InsertEvent, new { runId = "r1" }, None)).ToList();
        await database.DisposeAsync();

        Assert.All(writes, w => Assert.True(w.IsCompletedSuccessfully));
        Assert.Equal(1000, await CountEventsAsync("r1"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => database.ExecuteWriteAsync(InsertEvent, new { runId = "r1" }, None));
    }

    [Fact]
    public async Task A_write_waits_for_another_process_holding_the_lock_instead_of_failing()
    {
        await UseAsync(StoreProvider.Sqlite);
        await using var other = new SqliteConnection($"Data Source={Store.DatabasePath};Pooling=False");
        await other.OpenAsync();
        await using var held = (SqliteTransaction)await other.BeginTransactionAsync();
        await other.ExecuteAsync(InsertEvent, new { runId = "other" }, held);

        var write = InsertEventAsync("r1");
        await Task.Delay(300);
        Assert.False(write.IsCompleted); // still waiting for the lock, not failed
        await held.CommitAsync();

        Assert.Equal(1, await write);
        Assert.Equal(1, await CountEventsAsync("r1"));
        Assert.Equal(30000L, await Store.ScalarAsync<long>("PRAGMA busy_timeout;"));
    }

    [Fact]
    public async Task Appended_events_are_committed_no_later_than_the_next_awaited_write()
    {
        await UseAsync(StoreProvider.Sqlite);
        var database = (SqliteDatabase)Store.Database;

        // Past the bound of pending appends the callers wait for their own commit: nothing is dropped.
        var appended = Enumerable.Range(0, SqliteDatabase.MaxAppendsPending * 2)
            .Select(i => database.AppendAsync(InsertEvent, new { runId = i % 2 == 0 ? "r1" : "r2" }, None)).ToList();
        var state = database.ExecuteWriteAsync(InsertEvent, new { runId = "state" }, None);
        Assert.Same(Task.CompletedTask, appended[0]); // returned before its commit
        await state;

        // Read on another connection: whatever the awaited write's commit made durable.
        Assert.Equal(SqliteDatabase.MaxAppendsPending, await CountEventsAsync("r1"));
        Assert.Equal(SqliteDatabase.MaxAppendsPending, await CountEventsAsync("r2"));
        Assert.Equal(0, database.AppendsPending);
        await Task.WhenAll(appended);
    }

    [Fact]
    public async Task An_append_that_fails_is_logged_and_the_writes_around_it_commit()
    {
        await UseAsync(StoreProvider.Sqlite);
        using var logs = new InMemoryLoggerProvider();
        await using var database = new SqliteDatabase(Options.Create(new StorageOptions { ConnectionString = $"Data Source={Store.DatabasePath}" }),
            new LoggerFactory([logs]).CreateLogger<SqliteDatabase>());

        await database.AppendAsync(InsertEvent, new { runId = "r1" }, None);
        await database.AppendAsync(InsertEvent, new { runId = (string?)null }, None); // NOT NULL: fails alone
        await database.AppendAsync(InsertEvent, new { runId = "r1" }, None);
        Assert.Equal(1, await database.ExecuteWriteAsync(InsertEvent, new { runId = "r1" }, None));

        Assert.Equal(3, await CountEventsAsync("r1"));
        var line = Assert.Single(logs.Lines, l => l.Level == LogLevel.Error);
        Assert.Contains("trace event could not be written", line.Message, StringComparison.Ordinal);
        Assert.Equal(0, database.AppendsPending);
    }

    [Fact]
    public async Task A_cancelled_caller_appends_nothing()
    {
        await UseAsync(StoreProvider.Sqlite);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.Database.AppendAsync(InsertEvent, new { runId = "r1" }, cancelled.Token));
        Assert.Equal(1, await InsertEventAsync("r2"));
        Assert.Equal(0, await CountEventsAsync("r1"));
    }

    [Fact]
    public async Task The_log_is_copied_back_into_the_file_beside_the_writer_not_at_its_threshold()
    {
        await UseAsync(StoreProvider.Sqlite);
        var before = new FileInfo(Store.DatabasePath).Length;

        // About 300 pages of log: below SQLite's default threshold (1,000) and far below the writer's own (16,384).
        var data = new string('x', 2000);
        await Task.WhenAll(Enumerable.Range(0, 600).Select(i => Store.Database.ExecuteWriteAsync(
            "INSERT INTO planning_events (run_id, type, at, data_json) VALUES (@runId, 'test', '2026-11-25T10:00:00.0000000Z', @data);",
            new { runId = "r" + i, data }, None)));

        await Eventually.TrueAsync(() => new FileInfo(Store.DatabasePath).Length > before + 600 * 2000,
            "the rows to be checkpointed into the database file", TimeSpan.FromSeconds(10));
    }
}
