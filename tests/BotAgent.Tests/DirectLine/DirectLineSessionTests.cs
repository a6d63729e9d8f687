using System.Net;
using BotAgent.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BotAgent.Tests.DirectLine;

/// <summary>
/// A Direct Line session ends when its absolute lifetime does (<c>DirectLine:SessionLifetime</c>), however often its
/// token was refreshed: a stolen or long-kept token cannot be kept alive by refreshing it.
/// </summary>
public sealed class DirectLineSessionTests
{
    [Fact]
    public async Task A_token_refreshed_again_and_again_stops_at_the_session_lifetime_and_is_then_refused_with_a_clear_403()
    {
        var clock = new MovableClock();
        await using var bot = await BotUnderTest.StartAsync(
            DirectLineConversationTests.Settings(("DirectLine:TokenLifetime", "01:00:00"), ("DirectLine:SessionLifetime", "02:00:00")),
            builder => builder.Services.AddSingleton<TimeProvider>(clock));
        using var client = new DirectLineClient(bot.BaseUri);
        var start = await client.StartAsync(DirectLineConversationTests.Secret, "alice", "Alice");

        clock.Advance(TimeSpan.FromMinutes(50));
        var first = await DirectLineClient.ReadOkAsync(await client.SendAsync(HttpMethod.Post, "tokens/refresh", start.Token));
        Assert.InRange(first["expires_in"]!.GetValue<int>(), 3590, 3600);
        clock.Advance(TimeSpan.FromMinutes(50));
        var second = await DirectLineClient.ReadOkAsync(await client.SendAsync(HttpMethod.Post, "tokens/refresh", first["token"]!.GetValue<string>()));
        // Twenty minutes are left of the session, and a refreshed token gets no more.
        Assert.InRange(second["expires_in"]!.GetValue<int>(), 19 * 60, 20 * 60);
        var last = second["token"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, $"conversations/{start.ConversationId}/activities", last)).StatusCode);

        clock.Advance(TimeSpan.FromMinutes(21));
        using var refused = await client.SendAsync(HttpMethod.Post, "tokens/refresh", last);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("session has ended", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Get, $"conversations/{start.ConversationId}/activities", last)).StatusCode);
    }

    private sealed class MovableClock : TimeProvider
    {
        private TimeSpan _ahead;

        public void Advance(TimeSpan by) => _ahead += by;

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _ahead;
    }
}
