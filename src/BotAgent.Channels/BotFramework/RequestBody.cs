using System.Text;
using Microsoft.AspNetCore.Http;

namespace BotAgent.Channels.BotFramework;

/// <summary>Reads a request body as UTF-8 text with a size cap.</summary>
internal readonly record struct RequestBody(string? Text, string? Problem, int Status)
{
    public static async Task<RequestBody> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
            return new(null, $"The request body is larger than {maxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                return new(null, $"The request body is larger than {maxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
            return new(null, "The request body is empty.", StatusCodes.Status400BadRequest);
        try
        {
            return new(new UTF8Encoding(false, true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null, 200);
        }
        catch (DecoderFallbackException)
        {
            return new(null, "The request body is not valid UTF-8.", StatusCodes.Status400BadRequest);
        }
    }
}
