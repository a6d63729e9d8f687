using BotAgent.Core.Runs;

namespace BotAgent.Core.Tests.Runs;

public sealed class RunStatusesTests
{
    public static TheoryData<RunStatus, RunStatus> Legal => new()
    {
        { RunStatus.Planning, RunStatus.AwaitingApproval },
        { RunStatus.Planning, RunStatus.PolicyDenied },
        { RunStatus.Planning, RunStatus.Failed },
        { RunStatus.Planning, RunStatus.Cancelled },
        { RunStatus.AwaitingApproval, RunStatus.Approved },
        { RunStatus.AwaitingApproval, RunStatus.Rejected },
        { RunStatus.AwaitingApproval, RunStatus.Expired },
        { RunStatus.AwaitingApproval, RunStatus.Cancelled },
        { RunStatus.Approved, RunStatus.Running },
        { RunStatus.Approved, RunStatus.Cancelled },
        { RunStatus.Running, RunStatus.Succeeded },
        { RunStatus.Running, RunStatus.Failed },
        { RunStatus.Running, RunStatus.Cancelled },
        { RunStatus.Running, RunStatus.AwaitingApproval },
        { RunStatus.Running, RunStatus.AwaitingDecision },
        { RunStatus.AwaitingDecision, RunStatus.Approved },
        { RunStatus.AwaitingDecision, RunStatus.Cancelled },
    };

    private static readonly RunStatus[] Finished =
        [RunStatus.Succeeded, RunStatus.Failed, RunStatus.Cancelled, RunStatus.Rejected, RunStatus.Expired, RunStatus.PolicyDenied];

    [Theory]
    [MemberData(nameof(Legal))]
    public void Transitions_of_the_documented_state_machine_are_allowed(RunStatus from, RunStatus to)
    {
        Assert.True(from.CanMoveTo(to));
        from.EnsureCanMoveTo(to);
    }

    [Fact]
    public void Every_other_transition_is_illegal_and_throws()
    {
        var legal = Legal.Select(row => ((RunStatus)row[0], (RunStatus)row[1])).ToHashSet();
        foreach (var from in Enum.GetValues<RunStatus>())
        {
            foreach (var to in Enum.GetValues<RunStatus>())
            {
                if (legal.Contains((from, to)))
                    continue;
                Assert.False(from.CanMoveTo(to), $"{from} -> {to} should be illegal");
                var error = Assert.Throws<InvalidOperationException>(() => from.EnsureCanMoveTo(to));
                Assert.Contains($"'{from.ToWire()}'", error.Message, StringComparison.Ordinal);
                Assert.Contains($"'{to.ToWire()}'", error.Message, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData(RunStatus.AwaitingApproval, RunStatus.Running)]
    [InlineData(RunStatus.Planning, RunStatus.Approved)]
    [InlineData(RunStatus.Succeeded, RunStatus.Running)]
    [InlineData(RunStatus.Expired, RunStatus.Approved)]
    [InlineData(RunStatus.Rejected, RunStatus.Approved)]
    public void Skipping_approval_or_reviving_a_finished_run_throws(RunStatus from, RunStatus to)
    {
        Assert.Throws<InvalidOperationException>(() => from.EnsureCanMoveTo(to));
    }

    [Fact]
    public void Only_end_states_are_finished()
    {
        foreach (var status in Enum.GetValues<RunStatus>())
            Assert.Equal(Finished.Contains(status), status.IsFinished());
    }

    [Fact]
    public void Moving_a_run_to_its_own_status_is_illegal()
    {
        foreach (var status in Enum.GetValues<RunStatus>())
            Assert.False(status.CanMoveTo(status));
    }

    [Fact]
    public void Wire_names_round_trip_for_every_status()
    {
        foreach (var status in Enum.GetValues<RunStatus>())
            Assert.Equal(status, RunStatuses.Parse(status.ToWire()));
        Assert.Equal("awaiting_approval", RunStatus.AwaitingApproval.ToWire());
        Assert.Equal("policy_denied", RunStatus.PolicyDenied.ToWire());
    }

    [Fact]
    public void Unknown_wire_name_is_rejected()
    {
        Assert.Throws<FormatException>(() => RunStatuses.Parse("done"));
    }
}
