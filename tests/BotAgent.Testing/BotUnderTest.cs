using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BotAgent.Testing;

/// <summary>
/// The real bot, composed exactly as <c>Program.cs</c> composes it, on Kestrel on a loopback port, with
/// its SQLite file in a fresh temporary folder. Tests talk to it over HTTP only.
/// </summary>
public sealed class BotUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http = new();

    private BotUnderTest(WebApplication app, string directory, string databasePath)
    {
        _app = app;
        Directory = directory;
        DatabasePath = databasePath;
    }

    public string Directory { get; }

    public string DatabasePath { get; }

    public Uri BaseUri { get; private set; } = null!;

    public Uri MessagesUri => new(BaseUri, "api/messages");

    public IServiceProvider Services => _app.Services;

    /// <param name="settings">Configuration overrides (keys like <c>Tools:Http:AllowedHosts:0</c>).</param>
    public static async Task<BotUnderTest> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "botagent-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var databasePath = Path.Combine(directory, "botagent.db");

        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--ConnectionStrings:BotAgent=Data Source={databasePath}",
            "--Logging:LogLevel:Default=Warning",
            "--Outbox:RetryBaseDelay=00:00:00.050",
            "--Execution:RetryBaseDelay=00:00:00.020",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            args.Add($"--{key}={value}");

        var app = BotAgentApp.Create([.. args], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddDebug();
            configure?.Invoke(builder);
        });
        var bot = new BotUnderTest(app, directory, databasePath);
        await app.StartBotAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        bot.BaseUri = new Uri(address.TrimEnd('/') + "/");
        return bot;
    }

    public Task<HttpResponseMessage> PostActivityAsync(JsonObject activity) =>
        _http.PostAsJsonAsync(MessagesUri, activity);

    /// <summary>Posts with an <c>Authorization</c> header, as a channel does.</summary>
    public Task<HttpResponseMessage> PostActivityAsync(JsonObject activity, string authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, MessagesUri) { Content = JsonContent.Create(activity) };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return _http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostRawAsync(string body, string contentType = "application/json") =>
        _http.PostAsync(MessagesUri, new StringContent(body, System.Text.Encoding.UTF8, contentType));

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(new Uri(BaseUri, path.TrimStart('/')));

    /// <summary>A read-only connection to the bot's SQLite file, for asserting what was persisted.</summary>
    public SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow shutdown; the temp folder is cleaned by the OS eventually.
        }
    }
}
