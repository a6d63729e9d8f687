using BotAgent.Core.Planning;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Tests.Reporting;

public sealed class EnvelopeTextTests
{
    private const string AsksAgain = "If results call for a different plan, BotAgent asks here again before running anything new.";

    [Fact]
    public void Without_an_envelope_every_new_step_is_asked_about()
    {
        Assert.Equal(AsksAgain, EnvelopeText.Describe(null));
    }

    [Fact]
    public void An_envelope_with_no_extra_steps_says_every_new_step_is_asked_about()
    {
        Assert.Equal(AsksAgain, EnvelopeText.Describe(new Envelope(["http.get"], ["https://status.example"], RiskLevel.ReadOnly, 0)));
    }

    [Fact]
    public void An_envelope_with_no_tools_says_every_new_step_is_asked_about()
    {
        Assert.Equal(AsksAgain, EnvelopeText.Describe(new Envelope([], ["https://status.example"], RiskLevel.ReadOnly, 3)));
    }

    [Fact]
    public void A_read_only_envelope_names_its_steps_tools_and_targets()
    {
        var text = EnvelopeText.Describe(new Envelope(["http.get", "logs.search"], ["https://status.example", "logs:/var/log"], RiskLevel.ReadOnly, 3));

        Assert.Equal(
            "If results call for it, BotAgent may add up to 3 read-only steps using http.get, logs.search on https://status.example, logs:/var/log "
            + "without asking again; anything beyond that comes back here for approval.",
            text);
    }

    [Fact]
    public void One_extra_step_is_a_step()
    {
        var text = EnvelopeText.Describe(new Envelope(["http.get"], ["https://status.example"], RiskLevel.ReadOnly, 1));

        Assert.Contains("up to 1 read-only step using http.get on https://status.example without", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_write_envelope_says_read_only_or_write()
    {
        var text = EnvelopeText.Describe(new Envelope(["files.write"], [], RiskLevel.Write, 2));

        Assert.Equal(
            "If results call for it, BotAgent may add up to 2 read-only or write steps using files.write "
            + "without asking again; anything beyond that comes back here for approval.",
            text);
    }

    [Fact]
    public void A_high_risk_envelope_says_so()
    {
        Assert.Contains("up to 2 read-only, write or high-risk steps", EnvelopeText.Describe(new Envelope(["x.y"], [], RiskLevel.High, 2)), StringComparison.Ordinal);
    }

    [Fact]
    public void Many_targets_name_the_first_six_and_count_the_rest()
    {
        var targets = Enumerable.Range(1, 9).Select(i => $"https://h{i}.example").ToList();

        var text = EnvelopeText.Describe(new Envelope(["http.get"], targets, RiskLevel.ReadOnly, 2));

        Assert.Contains(
            " on https://h1.example, https://h2.example, https://h3.example, https://h4.example, https://h5.example, https://h6.example and 3 more without",
            text,
            StringComparison.Ordinal);
        Assert.DoesNotContain("h7", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Exactly_six_targets_are_all_named()
    {
        var targets = Enumerable.Range(1, 6).Select(i => $"sql:db{i}").ToList();

        var text = EnvelopeText.Describe(new Envelope(["sql.query"], targets, RiskLevel.ReadOnly, 2));

        Assert.Contains("on sql:db1, sql:db2, sql:db3, sql:db4, sql:db5, sql:db6 without", text, StringComparison.Ordinal);
    }
}
