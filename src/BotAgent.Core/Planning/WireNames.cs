using System.Reflection;
using System.Text.Json.Serialization;

namespace BotAgent.Core.Planning;

/// <summary>
/// An enum's names on the wire, read from its <see cref="JsonStringEnumMemberNameAttribute"/>s: the names the plan
/// document is written and read with, so the answer schemas list exactly what the reader accepts.
/// </summary>
internal static class WireNames
{
    public static IReadOnlyList<string> Of<T>() where T : struct, Enum => [.. Enum.GetValues<T>().Select(Of)];

    public static string Of<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        return typeof(T).GetField(name)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? name;
    }

    public static bool TryParse<T>(string? wire, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Of(candidate), wire, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }
}
