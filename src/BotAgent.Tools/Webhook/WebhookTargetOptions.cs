namespace BotAgent.Tools.Webhook;

/// <summary>One place <c>webhook.post</c> may post to (<c>Tools:Webhook:Targets:{name}</c>).</summary>
public sealed class WebhookTargetOptions
{
    /// <summary>
    /// Where the JSON goes. The administrator names it, so it may be a private or loopback address. Treated as a
    /// secret (incoming-webhook URLs often carry their token in the path): never shown, redacted from results.
    /// </summary>
    public Uri? Url { get; set; }

    /// <summary>Headers sent with every post (<c>Authorization</c>, an API key). Every value is a secret and redacted from results.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
