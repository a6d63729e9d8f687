using System.Net.Sockets;
using Npgsql;

namespace BotAgent.Storage.Tests;

/// <summary>What the start waits out (the database not reachable yet) and what ends it at once (anything else).</summary>
public sealed class StoreStartupTests
{
    [Theory]
    [InlineData("57P01")] // admin_shutdown: the server is going down (a restart)
    [InlineData("57P03")] // cannot_connect_now: the server is starting
    [InlineData("08006")] // connection_failure
    public void A_database_shutting_down_or_starting_is_unavailable(string sqlState) =>
        Assert.True(StoreStartup.IsUnavailable(new PostgresException("terminating connection", "FATAL", "FATAL", sqlState)));

    [Theory]
    [InlineData("42P01")] // undefined_table: a broken migration or schema
    [InlineData("42501")] // insufficient_privilege: the configured user may not do this
    [InlineData("57014")] // query_canceled: a statement timeout, not an outage (57, but not 57P)
    public void A_database_refusing_what_was_asked_is_not_unavailable(string sqlState) =>
        Assert.False(StoreStartup.IsUnavailable(new PostgresException("relation does not exist", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void A_refused_connection_is_unavailable() =>
        Assert.True(StoreStartup.IsUnavailable(new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused))));
}
