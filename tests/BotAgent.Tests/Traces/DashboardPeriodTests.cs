using System.Net;
using BotAgent.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BotAgent.Tests.Traces;

/// <summary><c>/runs?days=</c>: the dashboard's period, checked at the edge, carried by the list's links, behind the same guard.</summary>
public sealed class DashboardPeriodTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("91")]
    [InlineData("365")]
    [InlineData("-7")]
    [InlineData("7.5")]
    [InlineData("seven")]
    [InlineData("+7")]
    [InlineData(" 7")]
    [InlineData("99999999999999999999")]
    public async Task A_period_other_than_1_to_90_whole_days_is_refused_saying_what_it_may_be(string days)
    {
        await using var bot = await BotUnderTest.StartAsync();

        var response = await bot.GetAsync("/runs?days=" + Uri.EscapeDataString(days));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Unknown period", body);
        Assert.Contains("days must be a whole number of days from 1 to 90 (the page offers 7, 30, 90)", body);
    }

    [Fact]
    public async Task The_period_defaults_to_30_days_and_its_links_keep_the_lists_filters_and_the_list_keeps_the_period()
    {
        await using var bot = await BotUnderTest.StartAsync(new Dictionary<string, string?> { ["Traces:PageSize"] = "1" });

        var plain = await TracePage.GetAsync(bot, "/runs");
        Assert.Contains("""<section id="dashboard" data-days="30" """.TrimEnd(), plain.Html);
        Assert.Contains("""<a href="/runs?days=30" aria-current="page">30 days</a>""", plain.Html);
        Assert.Contains("Nothing happened in the last 30 days", plain.Text);
        Assert.DoesNotContain("name=\"days\"", plain.Html);

        var week = await TracePage.GetAsync(bot, "/runs?days=7&status=failed&q=a%26b");
        Assert.Equal(HttpStatusCode.OK, week.Status);
        Assert.Contains("""data-days="7" """.TrimEnd(), week.Html);
        Assert.Contains("""<a href="/runs?days=90&amp;status=failed&amp;q=a%26b">90 days</a>""", week.Html);
        Assert.Contains("""<input type="hidden" name="days" value="7">""", week.Html);
        Assert.Equal(HttpStatusCode.OK, (await TracePage.GetAsync(bot, "/runs?days=1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await TracePage.GetAsync(bot, "/runs?days=90")).Status);
    }

    [Fact]
    public async Task A_caller_the_trace_pages_refuse_is_refused_before_the_period_is_looked_at()
    {
        await using var bot = await BotUnderTest.StartAsync();
        using var http = new HttpClient();

        foreach (var days in new[] { "7", "bogus" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(bot.BaseUri, "runs?days=" + days));
            request.Headers.Add("X-Forwarded-For", "203.0.113.9");
            var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.DoesNotContain("dashboard", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Only_the_first_page_of_the_list_draws_the_charts_and_later_pages_link_back_to_them()
    {
        using var folder = new TempFolder("botagent-dashboard");
        var database = Path.Combine(folder.Path, "botagent.db");
        await using (var seed = await LedgerSeed.OpenAsync(database))
            await SeededRuns.WriteAsync(seed);
        await using var bot = await BotUnderTest.StartAsync(
            new Dictionary<string, string?> { ["ConnectionStrings:BotAgent"] = $"Data Source={database}", ["Traces:PageSize"] = "2" },
            builder => builder.Services.AddSingleton<TimeProvider>(new ShiftedClock(LedgerSeed.Start.AddHours(1))));

        var first = await TracePage.GetAsync(bot, "/runs?days=7&status=failed");
        Assert.Contains("""<section id="dashboard" data-days="7" """.TrimEnd(), first.Html);
        Assert.Contains("<svg", first.Html);
        Assert.DoesNotContain("dashboard-elsewhere", first.Html);

        var second = await TracePage.GetAsync(bot, "/runs?days=7&page=2");
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Contains("page 2 of 3", second.Text);
        Assert.Equal(2, second.Attribute("run", "data-run-id").Count);
        Assert.DoesNotContain("<svg", second.Html);
        Assert.DoesNotContain("id=\"dashboard\"", second.Html);
        Assert.Contains("""<a href="/runs?days=7&amp;page=1">first page</a>""", second.Html);
        Assert.Contains("""<input type="hidden" name="days" value="7">""", second.Html);
        Assert.Contains("""rel="next" href="/runs?days=7&amp;page=3" """.TrimEnd(), second.Html);
    }
}
