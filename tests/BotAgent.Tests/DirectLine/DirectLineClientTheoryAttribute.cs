namespace BotAgent.Tests.DirectLine;

/// <summary>
/// Needs Node.js and the pinned official Direct Line client (<c>npm ci --prefix tests/directline-client</c>, which
/// <c>.ci/run</c> does). Skipped with instructions when missing, unless <c>BOTAGENT_TEST_REQUIRE_PLAYGROUND=1</c> (CI)
/// makes that a failure, as for the browser tests.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class DirectLineClientTheoryAttribute : TheoryAttribute
{
    public DirectLineClientTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable("BOTAGENT_TEST_REQUIRE_PLAYGROUND") != "1" && DirectLineClientPrerequisites.Missing() is { } missing)
            Skip = missing;
    }
}
