using System.Text.Json.Nodes;
using BotAgent.Testing;

namespace BotAgent.Channels.Tests.BotFramework;

/// <summary>Negative controls: the schema validator the card tests rely on does reject bad cards.</summary>
public sealed class AdaptiveCardSchemaTests
{
    private static JsonObject Card(JsonArray body, JsonArray? actions = null)
    {
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["body"] = body,
        };
        if (actions is not null)
            card["actions"] = actions;
        return card;
    }

    private static JsonObject Execute() => new()
    {
        ["type"] = "Action.Execute",
        ["title"] = "Approve",
        ["verb"] = "approve",
        ["data"] = new JsonObject { ["runId"] = "r", ["planHash"] = "h" },
    };

    [Fact]
    public void Well_formed_card_is_valid()
    {
        var card = Card(
            [new JsonObject { ["type"] = "TextBlock", ["text"] = "hello", ["wrap"] = true },
             new JsonObject { ["type"] = "FactSet", ["facts"] = new JsonArray(new JsonObject { ["title"] = "Risk", ["value"] = "write" }) }],
            [Execute()]);

        Assert.Empty(AdaptiveCardSchema.Validate(card));
        AdaptiveCardSchema.AssertValid(card);
    }

    [Fact]
    public void Unknown_element_type_is_rejected()
    {
        var card = Card([new JsonObject { ["type"] = "Marquee", ["text"] = "hello" }]);

        Assert.NotEmpty(AdaptiveCardSchema.Validate(card));
        Assert.Throws<InvalidOperationException>(() => AdaptiveCardSchema.AssertValid(card));
    }

    [Fact]
    public void Unknown_property_on_Action_Execute_is_rejected()
    {
        var action = Execute();
        action["runId"] = "misplaced";
        var card = Card([new JsonObject { ["type"] = "TextBlock", ["text"] = "hello" }], [action]);

        Assert.NotEmpty(AdaptiveCardSchema.Validate(card));
    }

    [Fact]
    public void Fact_without_a_value_is_rejected()
    {
        var card = Card([new JsonObject { ["type"] = "FactSet", ["facts"] = new JsonArray(new JsonObject { ["title"] = "Risk" }) }]);

        Assert.NotEmpty(AdaptiveCardSchema.Validate(card));
    }

    [Fact]
    public void Misspelt_enum_value_is_rejected()
    {
        var card = Card([new JsonObject { ["type"] = "TextBlock", ["text"] = "hello", ["weight"] = "Heavy" }]);

        Assert.NotEmpty(AdaptiveCardSchema.Validate(card));
    }

    [Fact]
    public void Card_of_the_wrong_type_is_rejected()
    {
        var card = Card([new JsonObject { ["type"] = "TextBlock", ["text"] = "hello" }]);
        card["type"] = "HeroCard";

        Assert.NotEmpty(AdaptiveCardSchema.Validate(card));
    }
}
