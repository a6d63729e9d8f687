using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BotAgent.Channels.Slack;

namespace BotAgent.Tests.Slack;

/// <summary>
/// manifest/slack-app-manifest.json: what Slack's app manifest format requires (Slack publishes no JSON
/// schema for it; these are the documented fields and limits) and exactly what the bot needs.
/// </summary>
public sealed class SlackManifestTests
{
    private static readonly JsonObject Manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "manifest", "slack-app-manifest.json")))!.AsObject();

    [Fact]
    public void Display_information_keeps_to_the_manifest_format()
    {
        var display = Manifest["display_information"]!;
        Assert.Equal(1, (int?)Manifest["_metadata"]!["major_version"]);
        Assert.InRange(((string?)display["name"])!.Length, 1, 35);
        Assert.InRange(((string?)display["description"])!.Length, 1, 140);
        Assert.InRange(((string?)display["long_description"])!.Length, 175, 4000);
        Assert.Matches(new Regex("^#[0-9a-fA-F]{6}$"), (string?)display["background_color"]);
        Assert.InRange(((string?)Manifest["features"]!["bot_user"]!["display_name"])!.Length, 1, 80);
        Assert.True((bool?)Manifest["features"]!["app_home"]!["messages_tab_enabled"], "people must be able to message the bot directly");
    }

    [Fact]
    public void Scopes_and_events_are_exactly_what_the_bot_uses()
    {
        Assert.Equal(
            // channels:read and groups:read deliver member_joined_channel (the welcome); commands is /botagent.
            ["app_mentions:read", "channels:read", "chat:write", "commands", "groups:read", "im:history", "users:read", "users:read.email"],
            Manifest["oauth_config"]!["scopes"]!["bot"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(["app_home_opened", "app_mention", "member_joined_channel", "message.im"],
            Manifest["settings"]!["event_subscriptions"]!["bot_events"]!.AsArray().Select(s => (string?)s));
    }

    [Fact]
    public void The_slash_command_is_botagent_and_posts_to_the_commands_endpoint()
    {
        var command = Manifest["features"]!["slash_commands"]!.AsArray().Single()!;
        Assert.Equal("/botagent", (string?)command["command"]);
        Assert.EndsWith(SlackEndpoints.CommandsPath, (string?)command["url"]);
        Assert.StartsWith("https://", (string?)command["url"]);
        // Slack's limits for a command's description and usage hint.
        Assert.InRange(((string?)command["description"])!.Length, 1, 2000);
        Assert.InRange(((string?)command["usage_hint"])!.Length, 1, 1000);
        Assert.False((bool?)command["should_escape"]);
    }

    [Fact]
    public void Request_urls_point_at_the_bots_endpoints_and_Socket_Mode_is_a_switch()
    {
        var settings = Manifest["settings"]!;
        Assert.EndsWith(SlackEndpoints.EventsPath, (string?)settings["event_subscriptions"]!["request_url"]);
        Assert.EndsWith(SlackEndpoints.InteractionsPath, (string?)settings["interactivity"]!["request_url"]);
        Assert.StartsWith("https://", (string?)settings["interactivity"]!["request_url"]);
        Assert.True((bool?)settings["interactivity"]!["is_enabled"]);
        Assert.False((bool?)settings["socket_mode_enabled"]);
        Assert.False((bool?)settings["token_rotation_enabled"]);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BotAgent.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (BotAgent.sln) above " + AppContext.BaseDirectory);
    }
}
