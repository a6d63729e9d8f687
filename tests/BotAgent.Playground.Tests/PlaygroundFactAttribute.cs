namespace BotAgent.Playground.Tests;

/// <summary>
/// A test that drives the Agents Playground in headless Chromium. Skipped, with instructions, when Chromium,
/// Node.js or the Playground package is missing, unless <c>BOTAGENT_TEST_REQUIRE_PLAYGROUND=1</c> (CI) makes
/// that a failure.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PlaygroundFactAttribute : FactAttribute
{
    public PlaygroundFactAttribute()
    {
        if (Prerequisites.Required)
            return;
        var missing = Prerequisites.Missing();
        if (missing.Count > 0)
            Skip = $"{string.Join("; ", missing)}. {Prerequisites.HowToGet}";
    }
}
