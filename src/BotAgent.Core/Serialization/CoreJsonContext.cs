using System.Text.Json.Serialization;
using BotAgent.Core.Approvals;
using BotAgent.Core.Intake;
using BotAgent.Core.Planning;
using BotAgent.Core.Reporting;

namespace BotAgent.Core.Serialization;

/// <summary>Source-generated JSON for everything the core persists: no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(Plan))]
[JsonSerializable(typeof(ConversationKey))]
[JsonSerializable(typeof(Member))]
[JsonSerializable(typeof(ApprovalRequirement))]
[JsonSerializable(typeof(Runs.GoalVerdict))]
[JsonSerializable(typeof(Tools.ToolMeasures))]
[JsonSerializable(typeof(Expectation))]
[JsonSerializable(typeof(OutboundView))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
public sealed partial class CoreJsonContext : JsonSerializerContext;
