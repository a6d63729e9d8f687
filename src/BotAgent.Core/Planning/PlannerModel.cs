namespace BotAgent.Core.Planning;

/// <summary>Which model the LLM planner talks to, for traces (never credentials).</summary>
/// <param name="Provider"><c>AzureOpenAI</c> or <c>OpenAI</c>.</param>
/// <param name="Model">The model or deployment name.</param>
public sealed record PlannerModel(string Provider, string Model);
