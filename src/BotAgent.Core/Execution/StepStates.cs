namespace BotAgent.Core.Execution;

public static class StepStates
{
    public static string ToWire(this StepState state) => state switch
    {
        StepState.Pending => "pending",
        StepState.Running => "running",
        StepState.Succeeded => "succeeded",
        StepState.Failed => "failed",
        StepState.TimedOut => "timed_out",
        StepState.Cancelled => "cancelled",
        StepState.OutcomeUnknown => "outcome_unknown",
        StepState.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static StepState Parse(string wire) => wire switch
    {
        "pending" => StepState.Pending,
        "running" => StepState.Running,
        "succeeded" => StepState.Succeeded,
        "failed" => StepState.Failed,
        "timed_out" => StepState.TimedOut,
        "cancelled" => StepState.Cancelled,
        "outcome_unknown" => StepState.OutcomeUnknown,
        "skipped" => StepState.Skipped,
        _ => throw new FormatException($"Unknown step state '{wire}'."),
    };
}
