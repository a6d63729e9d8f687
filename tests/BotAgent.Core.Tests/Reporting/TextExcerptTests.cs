using System.Text.Json;
using BotAgent.Core.Reporting;

namespace BotAgent.Core.Tests.Reporting;

public sealed class TextExcerptTests
{
    private static void AssertNoLoneSurrogates(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                Assert.True(i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]), $"lone high surrogate at {i} in '{text}'");
                i++;
            }
            else
            {
                Assert.False(char.IsLowSurrogate(text[i]), $"lone low surrogate at {i} in '{text}'");
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("exactly10!")]
    public void Text_within_the_limit_is_unchanged(string text)
    {
        Assert.Same(text, TextExcerpt.Truncate(text, 10));
    }

    [Fact]
    public void Long_text_is_cut_to_the_limit_with_an_ellipsis()
    {
        var excerpt = TextExcerpt.Truncate("abcdefghijklmnop", 10);

        Assert.Equal("abcdefghi…", excerpt);
        Assert.Equal(10, excerpt.Length);
    }

    [Fact]
    public void Cut_falling_inside_a_surrogate_pair_drops_the_whole_pair()
    {
        // a b c d [😀 high, low] x y z: a limit of 6 keeps 5 chars, which would end on the high surrogate.
        var excerpt = TextExcerpt.Truncate("abcd😀xyz", 6);

        Assert.Equal("abcd…", excerpt);
    }

    [Fact]
    public void Cut_right_after_a_surrogate_pair_keeps_the_pair()
    {
        var excerpt = TextExcerpt.Truncate("abcd😀xyz", 7);

        Assert.Equal("abcd😀…", excerpt);
    }

    [Fact]
    public void No_limit_ever_splits_a_surrogate_pair_or_exceeds_the_limit()
    {
        var text = string.Concat(Enumerable.Repeat("a😀bb🎉", 20));
        for (var limit = 1; limit <= text.Length + 1; limit++)
        {
            var excerpt = TextExcerpt.Truncate(text, limit);
            Assert.True(excerpt.Length <= limit, $"limit {limit}: length {excerpt.Length}");
            AssertNoLoneSurrogates(excerpt);
        }
    }

    [Fact]
    public void Arguments_are_summarised_on_one_line()
    {
        var args = JsonDocument.Parse("""{"url":"https://example.com","headers":{"Accept":"x"},"tags":[1,2],"retries":3,"dry":true}""").RootElement;

        Assert.Equal("url=https://example.com · headers={1} · tags=[2] · retries=3 · dry=true", TextExcerpt.Arguments(args));
    }

    [Fact]
    public void Long_arguments_summary_is_truncated()
    {
        var args = JsonDocument.Parse($$"""{"pattern":"{{new string('x', 1000)}}"}""").RootElement;

        var summary = TextExcerpt.Arguments(args, maxChars: 50);

        Assert.Equal(50, summary.Length);
        Assert.EndsWith("…", summary, StringComparison.Ordinal);
    }
}
