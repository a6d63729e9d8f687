using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BotAgent.Channels.BotFramework;
using Microsoft.AspNetCore.Http;

namespace BotAgent.Channels.DirectLine;

/// <summary>Reads a Direct Line request body: JSON only (a page of another site can post only text/plain without asking), capped.</summary>
internal static class DirectLineBody
{
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext context, int maxBytes, JsonTypeInfo<T> type)
    {
        var body = await RequestBody.ReadAsync(context.Request, maxBytes, context.RequestAborted);
        if (body.Problem is not null)
            return (default, DirectLineEndpoints.Problem(body.Status, "Bad request", body.Problem));
        try
        {
            return (JsonSerializer.Deserialize(body.Text!, type), null);
        }
        catch (JsonException)
        {
            return (default, DirectLineEndpoints.Problem(StatusCodes.Status400BadRequest, "Malformed JSON", "The request body is not valid JSON of the expected shape."));
        }
    }

    public static bool IsJson(string? contentType) =>
        contentType is not null
        && contentType.Split(';')[0].Trim() is var media
        && (string.Equals(media, "application/json", StringComparison.OrdinalIgnoreCase)
            || (media.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));

    public static IResult UnsupportedMediaType() =>
        DirectLineEndpoints.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Direct Line bodies are JSON: send Content-Type: application/json.");
}
