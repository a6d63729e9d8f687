using System.ComponentModel.DataAnnotations;

namespace BotAgent.Tools.Webhook;

/// <summary>Configuration section <c>Tools:Webhook</c> (the <c>webhook.post</c> tool).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Tools:Webhook";

    public bool Enabled { get; set; }

    /// <summary>The targets, by the name a step gives as <c>target</c>.</summary>
    public Dictionary<string, WebhookTargetOptions> Targets { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Bytes of the target's answer kept.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 64 * 1024;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
}
