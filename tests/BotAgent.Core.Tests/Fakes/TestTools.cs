using System.Text.Json;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;

namespace BotAgent.Core.Tests.Fakes;

/// <summary>Tool descriptors shaped like the built-in ones, one per risk level.</summary>
internal static class TestTools
{
    public static readonly ToolDescriptor HttpGet = Describe(
        "http.get",
        RiskLevel.ReadOnly,
        """
        {
          "type": "object",
          "properties": {
            "url": { "type": "string", "minLength": 1, "maxLength": 2048 },
            "headers": { "type": "object", "additionalProperties": { "type": "string" } }
          },
          "required": ["url"],
          "additionalProperties": false
        }
        """,
        idempotent: true,
        primaryArgument: "url");

    public static readonly ToolDescriptor LogsSearch = Describe(
        "logs.search",
        RiskLevel.ReadOnly,
        """
        {
          "type": "object",
          "properties": {
            "pattern": { "type": "string", "minLength": 1 },
            "since": { "type": "string" }
          },
          "required": ["pattern"],
          "additionalProperties": false
        }
        """,
        idempotent: true,
        primaryArgument: "pattern");

    public static readonly ToolDescriptor FilesWrite = Describe(
        "files.write",
        RiskLevel.Write,
        """
        {
          "type": "object",
          "properties": { "path": { "type": "string" }, "content": { "type": "string" } },
          "required": ["path", "content"],
          "additionalProperties": false
        }
        """,
        idempotent: true,
        primaryArgument: "path");

    public static readonly ToolDescriptor PaymentsRefund = Describe(
        "payments.refund",
        RiskLevel.High,
        """
        {
          "type": "object",
          "properties": { "orderId": { "type": "string" }, "amount": { "type": "number", "exclusiveMinimum": 0 } },
          "required": ["orderId", "amount"],
          "additionalProperties": false
        }
        """,
        idempotent: false,
        primaryArgument: "orderId");

    public static IReadOnlyList<ToolDescriptor> All => [HttpGet, LogsSearch, FilesWrite, PaymentsRefund];

    public static ToolDescriptor Describe(string name, RiskLevel risk, string schema, bool idempotent = true, string? primaryArgument = null) =>
        new(name, $"Test tool {name}.", JsonDocument.Parse(schema).RootElement.Clone(), risk, idempotent, TimeSpan.FromSeconds(10), primaryArgument);
}
