using System.Net.Http.Headers;

namespace BotAgent.Channels.BotFramework.Authentication;

/// <summary>Attaches the bot's token to every Connector call (when the bot has an app id).</summary>
public sealed class ConnectorAuthHandler(BotTokenProvider tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (await tokens.GetTokenAsync(cancellationToken) is { } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken);
    }
}
