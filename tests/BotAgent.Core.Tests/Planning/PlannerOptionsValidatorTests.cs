using BotAgent.Core.Planning;

namespace BotAgent.Core.Tests.Planning;

public sealed class PlannerOptionsValidatorTests
{
    private static PlannerOptions WithExpectation(Expectation expect) => new()
    {
        Playbooks =
        [
            new PlaybookOptions { Name = "first", Steps = [new PlaybookStepOptions { Tool = "http.get" }] },
            new PlaybookOptions { Name = "second", Steps = [new PlaybookStepOptions { Tool = "http.get" }, new PlaybookStepOptions { Tool = "http.get", Expect = expect }] },
        ],
    };

    [Fact]
    public void A_playbook_expectation_that_can_never_hold_fails_at_start_naming_its_key()
    {
        var result = new PlannerOptionsValidator().Validate(null, WithExpectation(new Expectation(Status: "OK")));

        Assert.True(result.Failed);
        Assert.Equal(["Planner:Playbooks:1:Steps:1:Expect: expect.status 'OK' must be 2xx or a 2xx code such as 204 (any other status fails the step before it is observed)."],
            result.Failures);
    }

    [Fact]
    public void Playbooks_with_sound_expectations_or_none_pass()
    {
        Assert.True(new PlannerOptionsValidator().Validate(null, WithExpectation(new Expectation(Status: "2xx", MinCount: 1))).Succeeded);
        Assert.True(new PlannerOptionsValidator().Validate(null, new PlannerOptions()).Succeeded);
    }
}
