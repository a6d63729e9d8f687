using System.Diagnostics;
using System.Text.Json.Nodes;
using BotAgent.Testing;

namespace BotAgent.Tests.DirectLine;

/// <summary>
/// The official Direct Line client (npm <c>botframework-directlinejs</c>, pinned in <c>tests/directline-client</c>) against
/// the real bot process, over WebSocket and over polling: a conversation, a disconnect, a message posted and answered
/// while nobody listens, and a reconnect from the saved watermark that gets exactly what came after it.
/// </summary>
public sealed class DirectLineJsClientTests
{
    [DirectLineClientTheory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task The_official_client_talks_to_the_bot_and_a_reconnect_from_its_watermark_loses_nothing(string mode)
    {
        DirectLineClientPrerequisites.EnsurePresent();
        using var folder = new TempFolder();
        await using var bot = await BotProcess.StartAsync(new Dictionary<string, string?>
        {
            ["DirectLine:Secret"] = DirectLineConversationTests.Secret,
            ["ConnectionStrings:BotAgent"] = $"Data Source={Path.Combine(folder.Path, "botagent.db")}",
        });

        var report = await RunClientAsync(new Uri(bot.BaseUri, "v3/directline").ToString().TrimEnd('/'), mode);

        Assert.Equal(mode, report["mode"]!.GetValue<string>());
        var first = report["first"]!.AsArray().Select(a => a!.AsObject()).ToList();
        var second = report["second"]!.AsArray().Select(a => a!.AsObject()).ToList();
        var helpId = report["helpId"]!.GetValue<string>();
        var historyId = report["historyId"]!.GetValue<string>();
        Assert.Contains(first, a => Id(a) == helpId && a["text"]!.GetValue<string>() == "help");
        Assert.Contains(first, a => a["replyToId"]?.GetValue<string>() == helpId && a["role"]!.GetValue<string>() == "bot");
        // From the watermark on: first what was posted and answered while disconnected, nothing read before, nothing twice.
        Assert.Equal(historyId, Id(second[0]));
        Assert.Equal(historyId, second[1]["replyToId"]!.GetValue<string>());
        Assert.Empty(second.Select(Id).Intersect(first.Select(Id)));
        Assert.Equal(second.Count, second.Select(Id).Distinct().Count());
        Assert.Contains(second, a => a["replyToId"]?.GetValue<string>() == report["statusId"]!.GetValue<string>());
        Assert.True(long.Parse(report["secondWatermark"]!.GetValue<string>()) > long.Parse(report["watermark"]!.GetValue<string>()));
    }

    private static string Id(JsonObject activity) => activity["id"]!.GetValue<string>();

    private static async Task<JsonObject> RunClientAsync(string domain, string mode)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = DirectLineClientPrerequisites.ClientDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "drive.js", domain, DirectLineConversationTests.Secret, mode })
            info.ArgumentList.Add(argument);
        using var node = Process.Start(info)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await node.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException("The Direct Line client did not finish: " + await errors);
        }
        Assert.True(node.ExitCode == 0, $"The Direct Line client failed ({node.ExitCode}): {await errors}");
        return JsonNode.Parse((await output).Trim().Split('\n')[^1])!.AsObject();
    }
}
