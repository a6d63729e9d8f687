namespace BotAgent.Playground.Tests;

/// <summary>Needs only Debian's Chromium (no Node.js, no Playground); skipped without it unless the Playground tests are required.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!Prerequisites.Required && !File.Exists(Prerequisites.ChromiumPath))
            Skip = $"No Chromium at {Prerequisites.ChromiumPath}. {Prerequisites.HowToGet}";
    }
}
