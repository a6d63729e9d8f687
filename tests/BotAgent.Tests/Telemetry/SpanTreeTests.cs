using System.Diagnostics;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace BotAgent.Tests.Telemetry;

/// <summary>The spans of one run, seen by an in-memory OpenTelemetry exporter.</summary>
public sealed class SpanTreeTests
{
    [Fact]
    public async Task One_run_produces_the_expected_span_tree_with_the_run_id_on_every_span()
    {
        var spans = new List<Activity>();
        await using var s = await BotScenario.StartAsync(configure: builder =>
            builder.Services.AddOpenTelemetry().WithTracing(t => t.AddSource(Core.Telemetry.Name).AddInMemoryExporter(spans)));
        s.Target.Respond("/a", new TargetResponse(200, "a"));

        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/a")}");
        await s.SubmitAsync(BotScenario.Bob, card, "approve");
        await s.WaitForReplyAsync(card, "Run succeeded");
        await s.WaitForCardAsync(card, "Plan succeeded");

        string runId;
        using (var db = s.Bot.OpenDatabase())
            runId = Dapper.SqlMapper.QuerySingle<string>(db, "SELECT id FROM runs");
        List<Activity> mine;
        lock (spans)
            mine = [.. spans.Where(a => (a.GetTagItem(Core.Telemetry.RunIdTag) as string) == runId)];

        var names = mine.Select(a => a.OperationName).ToHashSet();
        foreach (var expected in new[] { "botagent.inbound.process", "botagent.plan", "botagent.planner", "botagent.policy", "botagent.approval", "botagent.run", "botagent.step", "botagent.tool", "botagent.outbound" })
            Assert.Contains(expected, names);
        Assert.Equal(Span("botagent.plan").SpanId, Span("botagent.planner").ParentSpanId);
        Assert.Equal(Span("botagent.plan").SpanId, Span("botagent.policy").ParentSpanId);
        Assert.Equal(Span("botagent.inbound.process").SpanId, Span("botagent.plan").ParentSpanId);
        Assert.Equal(Span("botagent.run").SpanId, Span("botagent.step").ParentSpanId);
        Assert.Equal(Span("botagent.step").SpanId, Span("botagent.tool").ParentSpanId);
        Assert.All(mine, a => Assert.Equal(s.Activities.ConversationId, a.GetTagItem(Core.Telemetry.ConversationIdTag) as string));
        Assert.Equal("http.get", Span("botagent.tool").GetTagItem(Core.Telemetry.ToolTag));
        // No personal data or content in tags: names and goals never appear.
        Assert.DoesNotContain(mine.SelectMany(a => a.TagObjects), t => t.Value is string v && (v.Contains("Alice", StringComparison.Ordinal) || v.Contains("/a", StringComparison.Ordinal)));

        Activity Span(string name) => mine.First(a => a.OperationName == name);
    }

}
