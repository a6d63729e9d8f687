using BotAgent.Channels.Slack;

namespace BotAgent.Channels.Tests.Slack;

public sealed class SlackTextTests
{
    [Theory]
    [InlineData("<@U0BOT> check <https://example.com/health>", "check https://example.com/health")]
    [InlineData("<@U0BOT> check <http://example.com|example.com>", "check http://example.com")]
    [InlineData("check <https://x.example/a?b=1&amp;c=2>", "check https://x.example/a?b=1&c=2")]
    [InlineData("<@U0BOT> ask <@U0ALICE> in <#C0OPS|ops>, cc <!here>", "ask @U0ALICE in #ops, cc @here")]
    [InlineData("mail <mailto:ops@example.com|ops@example.com> about <!subteam^S0X|@oncall>", "mail ops@example.com about @oncall")]
    [InlineData("1. http.get <https://a.example>\n2. http.get <https://b.example>", "1. http.get https://a.example\n2. http.get https://b.example")]
    [InlineData("if a &lt; b &amp;&amp; c &gt; d", "if a < b && c > d")]
    [InlineData("<@U0BOT>", "")]
    [InlineData("status <@U0BOT>", "status")]
    public void Slack_markup_becomes_plain_text_without_the_bots_mention(string text, string plain)
    {
        Assert.Equal(plain, SlackText.ToPlain(text, "U0BOT", leadingMentionIsBot: true));
    }

    [Fact]
    public void Without_a_known_bot_id_only_a_leading_mention_is_taken_for_the_bots()
    {
        Assert.Equal("ask @U0ALICE", SlackText.ToPlain("<@U0BOTX> ask <@U0ALICE>", null, leadingMentionIsBot: true));
        Assert.Equal("@U0BOTX ask", SlackText.ToPlain("<@U0BOTX> ask", null, leadingMentionIsBot: false));
    }

    [Fact]
    public void Escaping_covers_the_three_control_characters_and_never_leaves_half_an_entity()
    {
        Assert.Equal("a &lt;b&gt; &amp; c", SlackText.Escape("a <b> & c"));
        var cut = SlackText.Escape("abc&&&&", 6);
        Assert.Equal("abc…", cut);
        Assert.True(SlackText.Escape(new string('<', 1000), 100).Length <= 100);
    }
}
