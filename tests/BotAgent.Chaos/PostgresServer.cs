using System.Diagnostics;
using System.Text.RegularExpressions;
using BotAgent.Testing;
using Npgsql;

namespace BotAgent.Chaos;

/// <summary>
/// The harness's own throwaway PostgreSQL cluster (started with <c>.ci/postgres</c> on its own port and folder, so a
/// restart mid-run disturbs nobody else), and one fresh database on it for the run.
/// </summary>
internal sealed partial class PostgresServer : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly SemaphoreSlim _restarting = new(1, 1);

    private PostgresServer(Dictionary<string, string> environment, string connectionString)
    {
        _environment = environment;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public int Restarts { get; private set; }

    [GeneratedRegex("BOTAGENT_TEST_POSTGRES='(?<cs>[^']+)'")]
    private static partial Regex ExportLine();

    public static async Task<PostgresServer> StartAsync()
    {
        // A free port unless one is named: two runs at once (a soak beside CI) must not share, and wipe, one cluster.
        var port = Environment.GetEnvironmentVariable("BOTAGENT_CHAOS_PG_PORT") ?? FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string>
        {
            ["BOTAGENT_PG_PORT"] = port,
            ["BOTAGENT_PG_DIR"] = Path.Combine(Path.GetTempPath(), "botagent-chaos-pg-" + port),
        };
        var output = await ScriptAsync(environment);
        var server = ExportLine().Match(output) is { Success: true } match ? match.Groups["cs"].Value
            : throw new InvalidOperationException(".ci/postgres printed no connection string:\n" + output);
        var database = "botagent_chaos_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database};", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new PostgresServer(environment, new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString);
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>
    /// A fast shutdown and start on the same data: every open connection is cut. One at a time: faults are not awaited
    /// by the schedule, and a second restart that began while the first had the server down found no server to stop.
    /// </summary>
    public async Task RestartAsync()
    {
        await _restarting.WaitAsync();
        try
        {
            Restarts++;
            await ScriptAsync(_environment, "--restart");
        }
        finally
        {
            _restarting.Release();
        }
    }

    private static async Task<string> ScriptAsync(Dictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(BotProcess.RepositoryRoot(), ".ci", "postgres"));
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await stdout
            : throw new InvalidOperationException($".ci/postgres {string.Join(' ', args)} failed ({process.ExitCode}):\n{await stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ScriptAsync(_environment, "--stop");
    }
}
