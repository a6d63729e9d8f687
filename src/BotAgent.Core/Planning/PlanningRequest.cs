using BotAgent.Core.Intake;
using BotAgent.Core.Tools;

namespace BotAgent.Core.Planning;

public sealed record PlanningRequest(
    string RunId,
    string Goal,
    Member Requester,
    IReadOnlyList<ToolDescriptor> Tools);
