using System.Text.Json;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;
using BotAgent.Core.Serialization;

namespace BotAgent.Core.Tests.Serialization;

public sealed class WireNamesTests
{
    [Fact]
    public void Wire_names_are_the_ones_the_serializer_writes()
    {
        AssertSerializerNames<RiskLevel>();
        AssertSerializerNames<GoalStatus>();
        AssertSerializerNames<ObserveDecision>();
        Assert.Equal(["read_only", "write", "high"], WireNames.Of<RiskLevel>());
        Assert.Equal("not_met", new GoalVerdict(GoalStatus.NotMet, "", []).Wire);
        Assert.Equal("read_only", RiskLevel.ReadOnly.ToWire());
    }

    [Theory]
    [InlineData("read_only", RiskLevel.ReadOnly)]
    [InlineData("read-only", RiskLevel.ReadOnly)]
    [InlineData(" readonly ", RiskLevel.ReadOnly)]
    [InlineData("Read only", RiskLevel.ReadOnly)]
    [InlineData("HIGH", RiskLevel.High)]
    public void A_risk_level_is_read_in_the_spellings_people_and_models_use(string text, RiskLevel expected)
    {
        Assert.True(RiskLevels.TryParse(text, out var level));
        Assert.Equal(expected, level);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("dangerous")]
    [InlineData("read")]
    public void Anything_else_is_not_a_risk_level(string? text)
    {
        Assert.False(RiskLevels.TryParse(text, out _));
        Assert.Throws<FormatException>(() => RiskLevels.Parse(text ?? ""));
    }

    [Theory]
    [InlineData("not_met", GoalStatus.NotMet)]
    [InlineData("not met", GoalStatus.NotMet)]
    [InlineData("Not-Met", GoalStatus.NotMet)]
    [InlineData("met", GoalStatus.Met)]
    public void A_goal_verdict_is_read_in_the_spellings_models_use(string text, GoalStatus expected)
    {
        Assert.True(GoalVerdict.TryParse(text, out var status));
        Assert.Equal(expected, status);
    }

    [Fact]
    public void The_exact_parse_takes_only_the_wire_name()
    {
        Assert.True(WireNames.TryParse<ObserveDecision>("revise", out var decision));
        Assert.Equal(ObserveDecision.Revise, decision);
        Assert.False(WireNames.TryParse<ObserveDecision>("Revise", out _));
        Assert.False(WireNames.TryParse<RiskLevel>("read-only", out _));
    }

    private static void AssertSerializerNames<T>() where T : struct, Enum =>
        Assert.Equal(Enum.GetValues<T>().Select(v => JsonSerializer.Serialize(v).Trim('"')), WireNames.Of<T>());
}
