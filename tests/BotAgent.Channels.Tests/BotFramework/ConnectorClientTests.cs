using System.Net;
using System.Net.Sockets;
using BotAgent.Channels.BotFramework;
using BotAgent.Core.Reporting;
using BotAgent.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BotAgent.Channels.Tests.BotFramework;

/// <summary>The Connector client against a real loopback channel speaking the Connector REST API.</summary>
public sealed class ConnectorClientTests : IAsyncLifetime
{
    private const string ConversationId = "conv-1";
    private ServiceProvider _services = null!;
    private TestChannelServer _channel = null!;
    private ConnectorClient _client = null!;

    public async Task InitializeAsync()
    {
        _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        _client = new ConnectorClient(_services.GetRequiredService<IHttpClientFactory>());
        _channel = await TestChannelServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _services.DisposeAsync();
    }

    private static Activity Message(string text) => new()
    {
        Type = ActivityTypes.Message,
        From = new ChannelAccount { Id = "bot-1", Name = "BotAgent" },
        Conversation = new ConversationAccount { Id = ConversationId },
        Text = text,
    };

    private Task<SendOutcome> ReplyAsync(string text = "hello", string? replyToId = "in-1", string? serviceUrl = null) =>
        _client.ReplyAsync(serviceUrl ?? _channel.ServiceUrl, ConversationId, replyToId, Message(text), CancellationToken.None);

    private async Task<string> PostedIdAsync()
    {
        var posted = await ReplyAsync("original");
        Assert.Equal(SendStatus.Delivered, posted.Status);
        return posted.MessageId!;
    }

    [Fact]
    public async Task Reply_is_delivered_with_the_id_the_channel_assigned()
    {
        var outcome = await ReplyAsync("hello");

        Assert.Equal(SendStatus.Delivered, outcome.Status);
        var call = Assert.Single(_channel.Calls);
        Assert.NotNull(call.AssignedId);
        Assert.Equal(call.AssignedId, outcome.MessageId);
        Assert.Equal(("POST", "/v3/conversations/conv-1/activities/in-1"), (call.Method, call.Path));
        Assert.Equal("hello", _channel.Activity(outcome.MessageId!)!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Message_that_replies_to_nothing_is_posted_to_the_conversation()
    {
        var outcome = await ReplyAsync(replyToId: null);

        Assert.Equal(SendStatus.Delivered, outcome.Status);
        Assert.Equal("/v3/conversations/conv-1/activities", Assert.Single(_channel.Calls).Path);
    }

    [Fact]
    public async Task Service_url_with_a_base_path_and_no_trailing_slash_keeps_its_path()
    {
        await using var playground = await TestChannelServer.StartAsync("/_connector");
        Assert.False(playground.ServiceUrl.EndsWith('/'));

        var outcome = await _client.ReplyAsync(playground.ServiceUrl, ConversationId, "in-1", Message("hi"), CancellationToken.None);

        Assert.Equal(SendStatus.Delivered, outcome.Status);
        Assert.Equal("/_connector/v3/conversations/conv-1/activities/in-1", Assert.Single(playground.Calls).Path);
    }

    [Fact]
    public async Task Service_url_with_a_base_path_and_a_trailing_slash_keeps_its_path()
    {
        await using var playground = await TestChannelServer.StartAsync("/_connector");

        var outcome = await _client.ReplyAsync(playground.ServiceUrl + "/", ConversationId, "in-1", Message("hi"), CancellationToken.None);

        Assert.Equal(SendStatus.Delivered, outcome.Status);
        Assert.Equal("/_connector/v3/conversations/conv-1/activities/in-1", Assert.Single(playground.Calls).Path);
    }

    [Fact]
    public async Task Teams_thread_conversation_id_reaches_the_channel_intact()
    {
        const string threadId = "19:abc@thread.tacv2;messageid=1700000000000";

        var outcome = await _client.ReplyAsync(_channel.ServiceUrl, threadId, "1700000000000", Message("hi"), CancellationToken.None);

        Assert.Equal(SendStatus.Delivered, outcome.Status);
        Assert.Equal(threadId, Assert.Single(_channel.Calls).ConversationId);
    }

    [Fact]
    public async Task Update_sends_a_body_id_equal_to_the_url_id()
    {
        var id = await PostedIdAsync();
        var changed = Message("changed");
        changed.Id = "some-other-id";

        var outcome = await _client.UpdateAsync(_channel.ServiceUrl, ConversationId, id, changed, CancellationToken.None);

        Assert.Equal(SendStatus.Delivered, outcome.Status);
        Assert.Equal(id, outcome.MessageId);
        var put = Assert.Single(_channel.Calls, c => c.IsUpdate);
        Assert.Equal(id, put.ActivityId);
        Assert.Equal(id, put.Body!["id"]!.GetValue<string>());
        Assert.Equal("changed", _channel.Activity(id)!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Too_many_requests_with_Retry_After_is_retried_later_after_that_delay()
    {
        _channel.FailNext(c => c.IsPost, new ConnectorFault(429, RetryAfter: TimeSpan.FromSeconds(7)));

        var outcome = await ReplyAsync();

        Assert.Equal(SendStatus.RetryLater, outcome.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), outcome.RetryAfter);
        Assert.Contains("429", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_requests_without_Retry_After_is_retried_later_with_our_own_backoff()
    {
        _channel.FailNext(c => c.IsPost, new ConnectorFault(429));

        var outcome = await ReplyAsync();

        Assert.Equal(SendStatus.RetryLater, outcome.Status);
        Assert.Null(outcome.RetryAfter);
    }

    [Fact]
    public async Task Server_error_on_create_is_ambiguous_because_the_message_may_exist()
    {
        _channel.FailNext(c => c.IsPost, new ConnectorFault(500));

        var outcome = await ReplyAsync();

        Assert.Equal(SendStatus.Ambiguous, outcome.Status);
        Assert.Contains("500", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_error_after_the_channel_took_the_message_is_ambiguous()
    {
        _channel.FailNext(c => c.IsPost, new ConnectorFault(502, Accept: true));

        var outcome = await ReplyAsync("taken");

        Assert.Equal(SendStatus.Ambiguous, outcome.Status);
        var call = Assert.Single(_channel.Calls);
        Assert.NotNull(_channel.Activity(call.AssignedId!));
    }

    [Fact]
    public async Task Server_error_on_update_is_retried_later()
    {
        var id = await PostedIdAsync();
        _channel.FailNext(c => c.IsUpdate, new ConnectorFault(500));

        var outcome = await _client.UpdateAsync(_channel.ServiceUrl, ConversationId, id, Message("changed"), CancellationToken.None);

        Assert.Equal(SendStatus.RetryLater, outcome.Status);
        Assert.Equal("original", _channel.Activity(id)!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Precondition_failed_for_concurrent_operations_is_retried_later()
    {
        _channel.FailNext(c => c.IsPost, new ConnectorFault(412, RetryAfter: TimeSpan.FromSeconds(1)));

        var outcome = await ReplyAsync();

        Assert.Equal(SendStatus.RetryLater, outcome.Status);
        Assert.Equal(TimeSpan.FromSeconds(1), outcome.RetryAfter);
    }

    [Fact]
    public async Task Update_of_an_unknown_activity_is_a_failure()
    {
        var outcome = await _client.UpdateAsync(_channel.ServiceUrl, ConversationId, "act-404", Message("changed"), CancellationToken.None);

        Assert.Equal(SendStatus.Failed, outcome.Status);
        Assert.Contains("404", outcome.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task Client_error_on_create_is_a_failure(int status)
    {
        _channel.FailNext(c => c.IsPost, new ConnectorFault(status));

        var outcome = await ReplyAsync();

        Assert.Equal(SendStatus.Failed, outcome.Status);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_connection_is_retried_later()
    {
        var outcome = await ReplyAsync(serviceUrl: $"http://127.0.0.1:{ClosedPort()}/");

        Assert.Equal(SendStatus.RetryLater, outcome.Status);
        Assert.Contains("refused", outcome.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_create_whose_connection_is_never_made_is_retried_later_not_ambiguous()
    {
        // A channel whose accept queue is full drops new connections: nothing was sent, so the create is certainly not
        // delivered (the kill loop of issue 16 lost plan cards by calling this "ambiguous").
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        for (var i = 0; i < 4; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _ = filler.ConnectAsync(IPAddress.Loopback, port);
            fillers.Add(filler);
        }
        await using var services = new ServiceCollection()
            .AddHttpClient(ConnectorClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5))
            .ConfigurePrimaryHttpMessageHandler(() => ConnectorClient.CreateHandler(TimeSpan.FromMilliseconds(300))).Services
            .BuildServiceProvider();
        var client = new ConnectorClient(services.GetRequiredService<IHttpClientFactory>());
        try
        {
            var create = await client.ReplyAsync($"http://127.0.0.1:{port}/", ConversationId, "in-1", Message("card"), CancellationToken.None);

            Assert.Equal(SendStatus.RetryLater, create.Status);
            Assert.Contains("no connection", create.Error, StringComparison.Ordinal);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public async Task Timeout_on_create_is_ambiguous_and_on_update_is_retried_later()
    {
        await using var services = new ServiceCollection()
            .AddHttpClient(ConnectorClient.HttpClientName, c => c.Timeout = TimeSpan.FromMilliseconds(300)).Services
            .BuildServiceProvider();
        var client = new ConnectorClient(services.GetRequiredService<IHttpClientFactory>());
        var id = await PostedIdAsync();
        _channel.FailNext(c => c.IsPost, new ConnectorFault(201, Delay: TimeSpan.FromSeconds(30)));
        _channel.FailNext(c => c.IsUpdate, new ConnectorFault(200, Delay: TimeSpan.FromSeconds(30)));

        var create = await client.ReplyAsync(_channel.ServiceUrl, ConversationId, "in-1", Message("slow"), CancellationToken.None);
        var update = await client.UpdateAsync(_channel.ServiceUrl, ConversationId, id, Message("slow"), CancellationToken.None);

        Assert.Equal(SendStatus.Ambiguous, create.Status);
        Assert.Equal(SendStatus.RetryLater, update.Status);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_turned_into_an_outcome()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _client.ReplyAsync(_channel.ServiceUrl, ConversationId, "in-1", Message("hi"), cancel.Token));
    }

    /// <summary>A loopback port nothing listens on: bound by us, then released.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
