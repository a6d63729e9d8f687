using System.Text.Json.Nodes;
using BotAgent.Testing;

namespace BotAgent.Tests.EndToEnd;

/// <summary>Named approvers who may not be in the conversation get the plan card in a 1:1 chat.</summary>
public sealed class ProactiveApproverTests
{
    [Fact]
    public async Task A_named_approver_gets_the_card_in_a_one_to_one_chat_and_can_approve_from_there()
    {
        await using var s = await BotScenario.StartAsync("msteams", new Dictionary<string, string?>
        {
            ["Tools:Shell:Enabled"] = "true",
            ["Tools:Shell:AllowedExecutables:0"] = "/bin/echo",
            ["Approvals:HighRiskApprovers:0"] = "29:dana",
        });
        var goal = s.Activities.Message(BotScenario.Alice, "1. shell.run {\"executable\": \"/bin/echo\", \"args\": [\"hello\"]}");
        goal["conversation"] = new JsonObject { ["id"] = "19:group@thread.v2", ["conversationType"] = "groupChat", ["tenantId"] = "tenant-1" };
        await s.Bot.PostActivityAsync(goal);

        var create = (await s.Channel.WaitForAsync(c => c.Path.EndsWith("/v3/conversations", StringComparison.Ordinal), what: "the 1:1 conversation")).Single();
        Assert.Equal("29:dana", create.Body!["members"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("tenant-1", create.Body!["tenantId"]!.GetValue<string>());
        var direct = (await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ConversationId == "a:direct-29:dana" && c.Card is not null, what: "the card in the 1:1 chat")).Single();
        Assert.Contains("Plan awaiting approval", direct.CardText);
        AdaptiveCardSchema.AssertValid(direct.Card!);

        var approve = CardTexts.Actions(direct.Card!).Single(a => a["verb"]?.GetValue<string>() == "approve");
        var invoke = new Activities(s.Channel.ServiceUrl, "msteams", "a:direct-29:dana")
            .Execute(Activities.User("29:dana", "Dana"), "approve", approve["data"]!.AsObject(), direct.AssignedId!);
        invoke["conversation"]!["conversationType"] = "personal";
        var answer = JsonNode.Parse(await (await s.Bot.PostActivityAsync(invoke)).Content.ReadAsStringAsync())!;
        Assert.Contains("Approved by Dana", CardTexts.Of(answer["value"]));

        await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.CardText.Contains("Run succeeded", StringComparison.Ordinal), what: "the summary");
    }
}
