using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Channels.BotFramework;
using BotAgent.Core.Approvals;
using BotAgent.Core.Intake;
using BotAgent.Core.Runs;
using BotAgent.Testing;

namespace BotAgent.Channels.Tests.BotFramework;

public sealed class ActivityTranslatorTests
{
    private static readonly JsonObject Bob = Activities.User("29:bob", "Bob", "aad-bob");
    private readonly Activities _activities = new("https://smba.example/emea/", "msteams", "19:abc@thread.tacv2;messageid=17000");

    private static Activity Parse(JsonObject json) =>
        JsonSerializer.Deserialize(json.ToJsonString(), BotFrameworkJsonContext.Default.Activity)!;

    private static JsonObject Mention(string id, string name, string? text = null)
    {
        var mention = new JsonObject { ["type"] = "mention", ["mentioned"] = new JsonObject { ["id"] = id, ["name"] = name } };
        if (text is not null)
            mention["text"] = text;
        return mention;
    }

    private JsonObject MessageWithEntities(string text, params JsonObject[] entities)
    {
        var message = _activities.Message(Bob, text);
        message["entities"] = new JsonArray([.. entities]);
        return message;
    }

    private static JsonObject ButtonData(CardActionStyle style, int index)
    {
        var card = AdaptiveCardRenderer.Render(SampleViews.Plan(RunStatus.AwaitingApproval, acceptsDecisions: true), style);
        return (JsonObject)CardTexts.Actions(card)[index]["data"]!.DeepClone();
    }

    [Fact]
    public void Teams_bot_mention_is_stripped_from_the_goal()
    {
        var activity = Parse(MessageWithEntities("\r\n<at>BotAgent</at> check https://example.com/health\r\n", Mention("bot-1", "BotAgent", "<at>BotAgent</at>")));

        Assert.Equal("check https://example.com/health", ActivityTranslator.GoalText(activity));
    }

    [Fact]
    public void Only_the_bots_mention_is_stripped_and_other_mentions_are_kept()
    {
        var activity = Parse(MessageWithEntities(
            "<at>BotAgent</at> ask <at>Alice</at> about the logs",
            Mention("29:alice", "Alice", "<at>Alice</at>"),
            Mention("bot-1", "BotAgent", "<at>BotAgent</at>")));

        Assert.Equal("ask <at>Alice</at> about the logs", ActivityTranslator.GoalText(activity));
    }

    [Fact]
    public void Bot_mention_without_text_is_found_by_the_mentioned_name()
    {
        var activity = Parse(MessageWithEntities("<at>BotAgent</at> search logs for timeout", Mention("bot-1", "BotAgent")));

        Assert.Equal("search logs for timeout", ActivityTranslator.GoalText(activity));
    }

    [Fact]
    public void Mention_markup_without_a_mention_entity_is_left_alone()
    {
        var activity = Parse(_activities.Message(Bob, "<at>BotAgent</at> hello"));

        Assert.Equal("<at>BotAgent</at> hello", ActivityTranslator.GoalText(activity));
    }

    [Fact]
    public void Non_mention_entities_and_nbsp_do_not_disturb_the_goal()
    {
        var activity = Parse(MessageWithEntities(
            "<at>BotAgent</at>&nbsp;check https://example.com",
            new JsonObject { ["type"] = "clientInfo", ["locale"] = "en-GB" },
            Mention("bot-1", "BotAgent", "<at>BotAgent</at>")));

        Assert.Equal("check https://example.com", ActivityTranslator.GoalText(activity));
    }

    [Theory]
    [InlineData(0, ApprovalVerb.Approve)]
    [InlineData(1, ApprovalVerb.Reject)]
    public void Card_action_is_read_from_an_Action_Submit_value(int button, ApprovalVerb verb)
    {
        var activity = Parse(_activities.Submit(Bob, ButtonData(CardActionStyle.Submit, button), "card-1"));

        Assert.True(ActivityTranslator.IsCardAction(activity));
        var action = ActivityTranslator.ReadCardAction(activity, out var problem);

        Assert.Null(problem);
        Assert.NotNull(action);
        Assert.Equal((SampleViews.RunId, SampleViews.PlanHash, verb), (action.RunId, action.PlanHash, action.Verb));
        Assert.Equal(new Member("29:bob", "Bob", "aad-bob", ProvenBy: "msteams"), action.Actor);
        Assert.Equal("botframework", action.Conversation.Adapter);
        Assert.Equal("19:abc@thread.tacv2;messageid=17000", action.Conversation.ConversationId);
        Assert.Equal("https://smba.example/emea/", BotFrameworkAddress.ServiceUrlOf(action.Conversation));
    }

    [Theory]
    [InlineData(0, ApprovalVerb.Approve)]
    [InlineData(1, ApprovalVerb.Reject)]
    public void Card_action_is_read_from_an_invoke_value_action(int button, ApprovalVerb verb)
    {
        var card = AdaptiveCardRenderer.Render(SampleViews.Plan(RunStatus.AwaitingApproval, acceptsDecisions: true), CardActionStyle.Execute);
        var execute = CardTexts.Actions(card)[button];
        var activity = Parse(_activities.Execute(Bob, execute["verb"]!.GetValue<string>(), (JsonObject)execute["data"]!, "card-1"));

        Assert.True(ActivityTranslator.IsCardAction(activity));
        var action = ActivityTranslator.ReadCardAction(activity, out var problem);

        Assert.Null(problem);
        Assert.NotNull(action);
        Assert.Equal((SampleViews.RunId, SampleViews.PlanHash, verb), (action.RunId, action.PlanHash, action.Verb));
        Assert.Equal("29:bob", action.Actor.Id);
    }

    [Fact]
    public void Ordinary_message_with_a_value_is_not_a_card_action()
    {
        var message = _activities.Message(Bob, "");
        message["value"] = new JsonObject { ["verb"] = "approve", ["runId"] = "r", ["planHash"] = "h" };

        Assert.False(ActivityTranslator.IsCardAction(Parse(message)));
    }

    public static TheoryData<string, string> MalformedInvokes => new()
    {
        { "no value", """null""" },
        { "no action", """{"trigger":"manual"}""" },
        { "other action type", """{"action":{"type":"Action.Submit","verb":"approve","data":{"runId":"r","planHash":"h"}}}""" },
        { "no run id", """{"action":{"type":"Action.Execute","verb":"approve","data":{"planHash":"h"}}}""" },
        { "no plan hash", """{"action":{"type":"Action.Execute","verb":"approve","data":{"runId":"r"}}}""" },
        { "blank run id", """{"action":{"type":"Action.Execute","verb":"approve","data":{"runId":" ","planHash":"h"}}}""" },
        { "numeric run id", """{"action":{"type":"Action.Execute","verb":"approve","data":{"runId":7,"planHash":"h"}}}""" },
        { "unknown verb", """{"action":{"type":"Action.Execute","verb":"delete","data":{"runId":"r","planHash":"h"}}}""" },
        { "no verb", """{"action":{"type":"Action.Execute","data":{"runId":"r","planHash":"h"}}}""" },
        { "no data", """{"action":{"type":"Action.Execute","verb":"approve"}}""" },
        { "action is a string", """{"action":"approve"}""" },
        { "value is an array", """[1,2]""" },
        { "value is a string", "\"approve\"" },
        { "verb is a number", """{"action":{"type":"Action.Execute","verb":1,"data":{"runId":"r","planHash":"h"}}}""" },
        { "type is an object", """{"action":{"type":{},"verb":"approve","data":{"runId":"r","planHash":"h"}}}""" },
        { "data is a string", """{"action":{"type":"Action.Execute","verb":"approve","data":"runId=r"}}""" },
        { "data is an array", """{"action":{"type":"Action.Execute","verb":"approve","data":["r","h"]}}""" },
    };

    [Theory]
    [MemberData(nameof(MalformedInvokes))]
    public void Malformed_invoke_gives_a_problem_not_an_exception(string what, string value)
    {
        var invoke = _activities.Execute(Bob, "approve", new JsonObject(), "card-1");
        invoke["value"] = JsonNode.Parse(value);
        var activity = Parse(invoke);

        var action = ActivityTranslator.ReadCardAction(activity, out var problem);

        Assert.Null(action);
        Assert.False(string.IsNullOrWhiteSpace(problem), what);
    }

    public static TheoryData<string, string> MalformedSubmits => new()
    {
        { "no run id", """{"botagent":1,"verb":"approve","planHash":"h"}""" },
        { "no plan hash", """{"botagent":1,"verb":"approve","runId":"r"}""" },
        { "unknown verb", """{"botagent":1,"verb":"launch","runId":"r","planHash":"h"}""" },
        { "verb is a number", """{"botagent":1,"verb":2,"runId":"r","planHash":"h"}""" },
        { "verb is an object", """{"botagent":1,"verb":{},"runId":"r","planHash":"h"}""" },
        { "value is an array", """[{"verb":"approve"}]""" },
        { "value is a number", """42""" },
    };

    [Theory]
    [MemberData(nameof(MalformedSubmits))]
    public void Malformed_submit_gives_a_problem_not_an_exception(string what, string value)
    {
        var submit = _activities.Submit(Bob, new JsonObject(), "card-1");
        submit["value"] = JsonNode.Parse(value);
        var activity = Parse(submit);

        var action = ActivityTranslator.ReadCardAction(activity, out var problem);

        Assert.Null(action);
        Assert.False(string.IsNullOrWhiteSpace(problem), what);
    }

    [Fact]
    public void Conversation_reference_keeps_what_is_needed_to_reply_later()
    {
        var message = _activities.Message(Bob, "hi", id: "in-77");
        message["conversation"]!["tenantId"] = "tenant-1";
        message["conversation"]!["conversationType"] = "channel";

        var reference = ActivityTranslator.ConversationOf(Parse(message));

        Assert.Equal(
            new ConversationKey("botframework", "msteams", "19:abc@thread.tacv2;messageid=17000", "in-77", new Member("bot-1", "BotAgent"), Space: "19:abc@thread.tacv2")
                .WithAddress(("serviceUrl", "https://smba.example/emea/"), ("tenantId", "tenant-1"), ("conversationType", "channel")),
            reference);
    }

    [Fact]
    public void Tenant_is_taken_from_channel_data_when_the_conversation_has_none()
    {
        var message = _activities.Message(Bob, "hi");
        message["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "tenant-2" } };

        Assert.Equal("tenant-2", BotFrameworkAddress.TenantOf(ActivityTranslator.ConversationOf(Parse(message))));
    }

    [Fact]
    public void Member_without_a_name_is_named_by_id()
    {
        Assert.Equal(new Member("29:x", "29:x", ProvenBy: "msteams"), ActivityTranslator.MemberOf(new Activity { ChannelId = "msteams", From = new ChannelAccount { Id = "29:x", Name = " " } }));
    }

    [Fact]
    public void The_entra_object_id_is_trusted_only_from_teams()
    {
        var from = new ChannelAccount { Id = "u-1", Name = "Una", AadObjectId = "aad-1" };

        Assert.Equal("aad-1", ActivityTranslator.MemberOf(new Activity { ChannelId = "msteams", From = from }).AadObjectId);
        Assert.Null(ActivityTranslator.MemberOf(new Activity { ChannelId = "webchat", From = from }).AadObjectId);
    }

    [Theory]
    [InlineData("msteams", InboundVoucher.Channel, "msteams", "aad-1", "tenant-a")]
    [InlineData("msteams", InboundVoucher.Local, "msteams", "aad-1", "tenant-a")]
    [InlineData("msteams", InboundVoucher.Entra, "emulator", null, null)] // the bot's own credentials: not Teams' word
    [InlineData("webchat", InboundVoucher.Entra, "emulator", null, null)]
    [InlineData("emulator", InboundVoucher.Local, "emulator", null, null)]
    [InlineData("webchat", InboundVoucher.Channel, null, null, null)]
    [InlineData("directline", InboundVoucher.Local, null, null, null)]
    public void Who_vouched_for_the_activity_decides_what_its_sender_is(string channelId, string vouchedBy, string? provenBy, string? aadObjectId, string? tenant)
    {
        var activity = new Activity
        {
            ChannelId = channelId,
            VouchedBy = vouchedBy,
            From = new ChannelAccount { Id = "29:u", Name = "Una", AadObjectId = "aad-1" },
            Conversation = new ConversationAccount { Id = "c", TenantId = "tenant-a" },
        };

        var member = ActivityTranslator.MemberOf(activity);

        Assert.Equal(provenBy, member.ProvenBy);
        Assert.Equal(aadObjectId, member.AadObjectId);
        Assert.Equal(tenant, ActivityTranslator.TrustedTenantOf(activity));
    }
}
