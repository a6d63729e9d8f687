using BotAgent.Core.Planning;

namespace BotAgent.Core.Tests.Fakes;

/// <summary>The playbooks src/BotAgent/appsettings.json ships with, configured in code.</summary>
internal static class TestPlaybooks
{
    public static PlannerOptions Options() => new()
    {
        Playbooks =
        [
            new PlaybookOptions
            {
                Name = "check-url",
                Usage = "check <url>",
                Description = "GET the URL and report its status, latency and the start of the body.",
                Pattern = @"^(?:please\s+)?check\s+(?<url>https?://\S+?)[.!]?$",
                SuccessCriteria = "{url} answers with a 2xx status.",
                Steps = [new PlaybookStepOptions { Title = "GET {url}", Tool = "http.get", Args = new() { ["url"] = "{url}" } }],
            },
            new PlaybookOptions
            {
                Name = "search-logs",
                Usage = "search logs for <text>",
                Description = "Search the configured log files for the text, newest first.",
                Pattern = @"^search\s+(?:the\s+)?logs\s+for\s+(?<text>.+?)$",
                SuccessCriteria = "Matching log lines for \"{text}\" are found and shown.",
                Steps = [new PlaybookStepOptions { Title = "Search logs for \"{text}\"", Tool = "logs.search", Args = new() { ["pattern"] = "{text}" } }],
            },
        ],
    };
}
