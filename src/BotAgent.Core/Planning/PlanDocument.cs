using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BotAgent.Core.Serialization;

namespace BotAgent.Core.Planning;

/// <summary>The plan's JSON form (camelCase, as in ARCHITECTURE.md) and its version hash.</summary>
public static class PlanDocument
{
    public static string ToJson(Plan plan) => JsonSerializer.Serialize(plan, CoreJsonContext.Default.Plan);

    public static Plan FromJson(string json) =>
        JsonSerializer.Deserialize(json, CoreJsonContext.Default.Plan)
        ?? throw new JsonException("The plan JSON is null.");

    /// <summary>
    /// A short hash of the plan's canonical JSON. Cards carry it so that a click on a card showing an
    /// older plan can be told apart from a click on the current one.
    /// </summary>
    public static string Hash(Plan plan)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(ToJson(plan)));
        return Convert.ToHexStringLower(bytes.AsSpan(0, 8));
    }
}
