using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotAgent.Benchmarks.Modes;

[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
internal sealed partial class ReplyJson : JsonSerializerContext;
