using System.Text.Json;

namespace BotAgent.Core.Tools;

/// <param name="IdempotencyKey">Stays the same across retries of one step, so a write lands once.</param>
public sealed record ToolCall(string RunId, string StepId, int Attempt, JsonElement Args, string IdempotencyKey);
