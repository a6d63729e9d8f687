using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Channels.BotFramework;
using BotAgent.Testing;

namespace BotAgent.Channels.Tests.BotFramework;

public sealed class ActivityValidatorTests
{
    private static readonly JsonObject Rita = Activities.User("u-rita", "Rita");
    private readonly Activities _activities = new("http://127.0.0.1:5005");

    private static Activity Parse(JsonObject json) =>
        JsonSerializer.Deserialize(json.ToJsonString(), BotFrameworkJsonContext.Default.Activity)!;

    [Fact]
    public void Complete_message_and_invoke_are_valid()
    {
        Assert.Null(ActivityValidator.Problem(Parse(_activities.Message(Rita, "check https://example.com"))));
        Assert.Null(ActivityValidator.Problem(Parse(_activities.Execute(Rita, "approve", new JsonObject { ["runId"] = "r" }, "card-1"))));
    }

    [Fact]
    public void Activity_without_a_type_is_refused()
    {
        var message = _activities.Message(Rita, "hi");
        message.Remove("type");

        Assert.Equal("The activity has no 'type'.", ActivityValidator.Problem(Parse(message)));
    }

    [Theory]
    [InlineData("serviceUrl")]
    [InlineData("channelId")]
    [InlineData("conversation.id")]
    [InlineData("from.id")]
    public void Message_missing_a_required_field_is_refused_naming_it(string field)
    {
        var message = _activities.Message(Rita, "hi");
        var parts = field.Split('.');
        var parent = parts.Length == 1 ? message : (JsonObject)message[parts[0]]!;
        parent.Remove(parts[^1]);

        var problem = ActivityValidator.Problem(Parse(message));

        Assert.NotNull(problem);
        Assert.Contains(field, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_missing_field_is_named_at_once()
    {
        var problem = ActivityValidator.Problem(Parse(new JsonObject { ["type"] = "message", ["text"] = "hi" }));

        Assert.Equal("The message activity is missing required field(s): serviceUrl, conversation.id, channelId, from.id.", problem);
    }

    [Fact]
    public void Invoke_without_a_name_is_refused_naming_it()
    {
        var invoke = _activities.Execute(Rita, "approve", new JsonObject(), "card-1");
        invoke.Remove("name");

        Assert.Contains("name", ActivityValidator.Problem(Parse(invoke)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("ftp://files.example/")]
    public void Service_url_that_is_not_absolute_http_is_refused(string serviceUrl)
    {
        var message = _activities.Message(Rita, "hi");
        message["serviceUrl"] = serviceUrl;

        Assert.Contains("serviceUrl", ActivityValidator.Problem(Parse(message)), StringComparison.Ordinal);
    }

    [Fact]
    public void Conversation_update_needs_no_sender()
    {
        var update = _activities.Message(Rita, "");
        update["type"] = "conversationUpdate";
        update.Remove("from");
        update.Remove("text");
        update["membersAdded"] = new JsonArray(Activities.Bot.DeepClone());

        Assert.Null(ActivityValidator.Problem(Parse(update)));
    }

    [Theory]
    [InlineData("typing")]
    [InlineData("event")]
    [InlineData("messageReaction")]
    [InlineData("someFutureType")]
    public void Unknown_or_unused_activity_types_are_accepted_even_when_incomplete(string type)
    {
        Assert.Null(ActivityValidator.Problem(Parse(new JsonObject { ["type"] = type })));
    }
}
