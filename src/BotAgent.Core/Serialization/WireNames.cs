using System.Reflection;
using System.Text.Json.Serialization;

namespace BotAgent.Core.Serialization;

/// <summary>
/// An enum's names on the wire, read from its <see cref="JsonStringEnumMemberNameAttribute"/>s: the names plans, cards,
/// traces and storage write, and the names the answer schemas list, so that each is defined once, on the enum.
/// </summary>
internal static class WireNames
{
    public static IReadOnlyList<string> Of<T>() where T : struct, Enum => Names<T>.All;

    public static string Of<T>(T value) where T : struct, Enum =>
        Names<T>.ByValue.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, null);

    public static bool TryParse<T>(string? wire, out T value) where T : struct, Enum =>
        Names<T>.ByName.TryGetValue(wire ?? "", out value);

    /// <summary>
    /// The value whose wire name has the same letters and digits, case aside: <c>read-only</c>, <c>Read only</c> and
    /// <c>readonly</c> are <c>read_only</c>, <c>not met</c> is <c>not_met</c>. For what people and models write.
    /// </summary>
    public static bool TryRead<T>(string? text, out T value) where T : struct, Enum =>
        Names<T>.ByKey.TryGetValue(Key(text ?? ""), out value);

    /// <summary>A name reduced to its letters and digits in lower case, for comparing spellings.</summary>
    public static string Key(string text) => string.Concat(text.Where(char.IsLetterOrDigit)).ToLowerInvariant();

    // Read once per enum: ToWire runs on every step's telemetry.
    private static class Names<T> where T : struct, Enum
    {
        public static readonly Dictionary<T, string> ByValue = Enum.GetValues<T>().ToDictionary(v => v, Name);
        public static readonly IReadOnlyList<string> All = [.. Enum.GetValues<T>().Select(v => ByValue[v])];
        public static readonly Dictionary<string, T> ByName = ByValue.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        public static readonly Dictionary<string, T> ByKey = ByValue.ToDictionary(p => Key(p.Value), p => p.Key, StringComparer.Ordinal);

        private static string Name(T value)
        {
            var name = value.ToString();
            return typeof(T).GetField(name)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? name;
        }
    }
}
