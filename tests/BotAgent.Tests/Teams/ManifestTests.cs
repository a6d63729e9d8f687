using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using BotAgent.Testing;

namespace BotAgent.Tests.Teams;

/// <summary>The Teams app manifest in manifest/ and the <c>pack-manifest</c> verb, run as a real process.</summary>
public sealed class ManifestTests : IDisposable
{
    private const string Placeholder = "00000000-0000-0000-0000-000000000000";
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("botagent-manifest-");

    [Fact]
    public void Repository_manifest_validates_against_the_1_30_schema()
    {
        var manifest = RepositoryManifest();

        TeamsManifestSchema.AssertValid(manifest);
        Assert.Equal("1.30", (string?)manifest["manifestVersion"]);
        Assert.Equal("https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json", (string?)manifest["$schema"]);
        Assert.Equal(Placeholder, (string?)manifest["id"]);
        var bot = manifest["bots"]![0]!;
        Assert.Equal(Placeholder, (string?)bot["botId"]);
        Assert.Equal(["personal", "team", "groupChat"], bot["scopes"]!.AsArray().Select(s => (string?)s));
        Assert.False((bool?)bot["supportsFiles"]);
        foreach (var list in bot["commandLists"]!.AsArray())
            Assert.Equal(["help", "status", "cancel", "history", "explain"], list!["commands"]!.AsArray().Select(c => (string?)c!["title"]));
    }

    [Theory]
    [InlineData("manifestVersion", "\"1.23\"")]
    [InlineData("accentColor", "\"blue\"")]
    [InlineData("id", "\"not-a-guid\"")]
    [InlineData("bots", """[{ "botId": "00000000-0000-0000-0000-000000000000", "scopes": ["groupchat"] }]""")]
    [InlineData("developer", """{ "name": "BotAgent", "websiteUrl": "github.com/botagent", "privacyUrl": "https://x", "termsOfUseUrl": "https://x" }""")]
    public void Schema_rejects_a_broken_manifest(string property, string json)
    {
        var manifest = RepositoryManifest();
        manifest[property] = JsonNode.Parse(json);

        Assert.NotEmpty(TeamsManifestSchema.Validate(manifest));
    }

    [Fact]
    public void Repository_icons_have_the_sizes_Teams_requires()
    {
        var directory = Path.Combine(RepositoryRoot(), "manifest");

        AssertPng(File.ReadAllBytes(Path.Combine(directory, "color.png")), 192, alpha: false);
        AssertPng(File.ReadAllBytes(Path.Combine(directory, "outline.png")), 32, alpha: true);
    }

    [Fact]
    public async Task Pack_manifest_writes_a_zip_with_the_configured_ids_and_both_icons()
    {
        var botId = Guid.NewGuid().ToString();
        var zip = Path.Combine(_temp.FullName, "out", "app.zip");

        var (exitCode, output) = await RunAsync("pack-manifest", "--out", zip, $"--MicrosoftAppId={botId}");

        Assert.True(exitCode == 0, output);
        using var archive = ZipFile.OpenRead(zip);
        Assert.Equal(["color.png", "manifest.json", "outline.png"], archive.Entries.Select(e => e.FullName).Order());
        var manifest = JsonNode.Parse(Read(archive, "manifest.json"))!;
        Assert.Equal(botId, (string?)manifest["id"]);
        Assert.Equal(botId, (string?)manifest["bots"]![0]!["botId"]);
        TeamsManifestSchema.AssertValid(manifest);
        // Only the ids change: everything else is the repository's manifest.
        var expected = RepositoryManifest();
        expected["id"] = botId;
        expected["bots"]![0]!["botId"] = botId;
        Assert.True(JsonNode.DeepEquals(expected, manifest), manifest.ToJsonString());
        AssertPng(Read(archive, "color.png"), 192, alpha: false);
        AssertPng(Read(archive, "outline.png"), 32, alpha: true);
    }

    [Fact]
    public async Task Pack_manifest_uses_the_Teams_app_id_and_public_host_when_configured()
    {
        var botId = Guid.NewGuid().ToString();
        var appId = Guid.NewGuid().ToString();

        var (exitCode, output) = await RunAsync("pack-manifest", $"--MicrosoftAppId={botId}", $"--BotFramework:TeamsAppId={appId}", "--BotFramework:PublicBaseUrl=https://bot.example.com/");

        Assert.True(exitCode == 0, output);
        using var archive = ZipFile.OpenRead(Path.Combine(_temp.FullName, "botagent-teams-app.zip"));
        var manifest = JsonNode.Parse(Read(archive, "manifest.json"))!;
        Assert.Equal(appId, (string?)manifest["id"]);
        Assert.Equal(botId, (string?)manifest["bots"]![0]!["botId"]);
        Assert.Equal(["bot.example.com"], manifest["validDomains"]!.AsArray().Select(d => (string?)d));
        TeamsManifestSchema.AssertValid(manifest);
    }

    [Theory]
    [InlineData(null, "set MicrosoftAppId")]
    [InlineData("not-a-guid", "MicrosoftAppId must be the GUID")]
    [InlineData(Placeholder, "MicrosoftAppId must be the GUID")]
    public async Task Pack_manifest_without_a_valid_MicrosoftAppId_exits_2_and_names_the_setting(string? appId, string message)
    {
        var zip = Path.Combine(_temp.FullName, "app.zip");
        string[] args = appId is null ? ["pack-manifest", "--out", zip] : ["pack-manifest", "--out", zip, $"--MicrosoftAppId={appId}"];

        var (exitCode, output) = await RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.False(File.Exists(zip));
    }

    [Fact]
    public async Task Pack_manifest_refuses_a_public_base_url_that_is_not_https()
    {
        var (exitCode, output) = await RunAsync("pack-manifest", $"--MicrosoftAppId={Guid.NewGuid()}", "--BotFramework:PublicBaseUrl=http://bot.example.com");

        Assert.Equal(2, exitCode);
        Assert.Contains("BotFramework:PublicBaseUrl", output, StringComparison.Ordinal);
    }

    private static void AssertPng(byte[] png, int size, bool alpha)
    {
        // Signature, then the IHDR chunk: width and height big-endian at 16 and 20, colour type at 25 (6 = RGBA).
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        Assert.Equal((uint)size, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16)));
        Assert.Equal((uint)size, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20)));
        if (alpha)
            Assert.Equal(6, png[25]);
    }

    private static byte[] Read(ZipArchive archive, string name)
    {
        using var stream = archive.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var result = await Commands.BotCommand.RunAsync(_temp.FullName, info =>
        {
            // Nothing from the developer's environment or user secrets may supply the ids these tests leave out.
            info.Environment["DOTNET_ENVIRONMENT"] = "Production";
            foreach (var key in new[] { "MicrosoftAppId", "BotFramework__MicrosoftAppId", "BotFramework__TeamsAppId", "BotFramework__PublicBaseUrl" })
                info.Environment.Remove(key);
        }, args);
        return (result.ExitCode, result.Output + result.Error);
    }

    private static JsonObject RepositoryManifest() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "manifest", "manifest.json")))!.AsObject();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BotAgent.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (BotAgent.sln) above " + AppContext.BaseDirectory);
    }

    public void Dispose() => _temp.Delete(recursive: true);
}
