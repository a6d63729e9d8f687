using BotAgent.Channels.Slack;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BotAgent.Channels.Tests.Slack;

/// <summary><c>Slack</c>: off without settings, on with them, and a partial setup fails naming the key.</summary>
public sealed class SlackOptionsTests
{
    private static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return new ServiceCollection().AddSlackChannel(configuration).BuildServiceProvider();
    }

    private static string Failure(params (string Key, string Value)[] settings)
    {
        using var services = Services(settings);
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SlackOptions>>().Value).Message;
    }

    [Fact]
    public void Without_settings_nothing_is_registered()
    {
        var services = new ServiceCollection().AddSlackChannel(new ConfigurationBuilder().Build());

        Assert.Empty(services);
    }

    [Fact]
    public void Http_mode_registers_the_adapter_and_no_socket()
    {
        var services = new ServiceCollection().AddSlackChannel(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = "xoxb-1",
            ["Slack:SigningSecret"] = "s",
        }).Build());

        Assert.Contains(services, d => d.ServiceType == typeof(IChannelSender) && d.ImplementationType == typeof(SlackSender));
        Assert.Contains(services, d => d.ServiceType == typeof(IInboundHandler) && d.ImplementationType == typeof(SlackInboundHandler));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IHostedService));
    }

    [Fact]
    public void An_app_token_turns_Socket_Mode_on()
    {
        var services = new ServiceCollection().AddSlackChannel(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = "xoxb-1",
            ["Slack:AppToken"] = "xapp-1",
        }).Build());

        Assert.Contains(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(SlackSocketModeService));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<SlackOptions>>().Value;
        Assert.True(options.IsSocketMode);
        Assert.False(options.IsHttpMode);
        Assert.Equal(new Uri("https://slack.com/api/chat.update"), options.MethodUri("chat.update"));
    }

    [Fact]
    public void A_signing_secret_without_a_bot_token_fails_naming_the_key()
    {
        Assert.Contains("Slack:BotToken", Failure(("Slack:SigningSecret", "s")));
    }

    [Fact]
    public void A_bot_token_alone_fails_naming_both_ways_to_receive()
    {
        var message = Failure(("Slack:BotToken", "xoxb-secret-value"));

        Assert.Contains("Slack:SigningSecret", message);
        Assert.Contains("Slack:AppToken", message);
        Assert.DoesNotContain("xoxb-secret-value", message);
    }

    [Fact]
    public void A_bot_token_in_place_of_the_app_token_is_refused()
    {
        var message = Failure(("Slack:BotToken", "xoxb-1"), ("Slack:AppToken", "xoxb-secret-value"));

        Assert.Contains("Slack:AppToken must be an app-level token", message);
        Assert.DoesNotContain("xoxb-secret-value", message);
    }

    [Fact]
    public void An_api_base_that_is_not_a_url_fails()
    {
        Assert.Contains("ApiBaseUrl", Failure(("Slack:BotToken", "xoxb-1"), ("Slack:SigningSecret", "s"), ("Slack:ApiBaseUrl", "not a url")));
    }
}
