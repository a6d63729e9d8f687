using BotAgent.Core.Runs;
using BotAgent.Tools.Mcp;
using ModelContextProtocol.Protocol;

namespace BotAgent.Tools.Tests.Mcp;

/// <summary>Risk from annotations with the MCP defaults; configuration wins.</summary>
public sealed class McpToolRiskTests
{
    [Fact]
    public void No_annotations_mean_destructive_so_high_and_not_retry_safe()
    {
        var traits = McpToolRisk.Of(null, null);

        Assert.Equal(RiskLevel.High, traits.Risk);
        Assert.False(traits.IsRetrySafe);
    }

    [Fact]
    public void Read_only_hint_is_read_only_and_retry_safe()
    {
        var traits = McpToolRisk.Of(new ToolAnnotations { ReadOnlyHint = true }, null);

        Assert.Equal(RiskLevel.ReadOnly, traits.Risk);
        Assert.True(traits.IsRetrySafe);
    }

    [Fact]
    public void Read_only_wins_over_a_destructive_hint()
    {
        Assert.Equal(RiskLevel.ReadOnly, McpToolRisk.Of(new ToolAnnotations { ReadOnlyHint = true, DestructiveHint = true }, null).Risk);
    }

    [Fact]
    public void Not_destructive_is_a_write_and_idempotent_hint_makes_it_retry_safe()
    {
        var plain = McpToolRisk.Of(new ToolAnnotations { DestructiveHint = false }, null);
        var idempotent = McpToolRisk.Of(new ToolAnnotations { DestructiveHint = false, IdempotentHint = true }, null);

        Assert.Equal((RiskLevel.Write, false), (plain.Risk, plain.IsRetrySafe));
        Assert.Equal((RiskLevel.Write, true), (idempotent.Risk, idempotent.IsRetrySafe));
    }

    [Fact]
    public void Annotations_without_a_destructive_hint_default_to_destructive()
    {
        Assert.Equal(RiskLevel.High, McpToolRisk.Of(new ToolAnnotations { ReadOnlyHint = false, IdempotentHint = true }, null).Risk);
    }

    [Theory]
    [InlineData("read_only", RiskLevel.ReadOnly)]
    [InlineData("write", RiskLevel.Write)]
    [InlineData("high", RiskLevel.High)]
    public void Configured_risk_overrides_the_annotations_either_way(string configured, RiskLevel expected)
    {
        Assert.Equal(expected, McpToolRisk.Of(new ToolAnnotations { ReadOnlyHint = true }, new McpToolOptions { Risk = configured }).Risk);
        Assert.Equal(expected, McpToolRisk.Of(null, new McpToolOptions { Risk = configured }).Risk);
    }

    [Fact]
    public void Configured_idempotence_overrides_the_hint()
    {
        var annotations = new ToolAnnotations { DestructiveHint = false, IdempotentHint = true };

        Assert.False(McpToolRisk.Of(annotations, new McpToolOptions { Idempotent = false }).Idempotent);
        Assert.True(McpToolRisk.Of(new ToolAnnotations { DestructiveHint = false }, new McpToolOptions { Idempotent = true }).Idempotent);
    }
}
