namespace BotAgent.Chat;

/// <summary>
/// The page's files, embedded in the bot so that <c>dotnet run</c> alone serves them: the official Web Chat bundle
/// (unmodified, with its licence and notices), the page's script and style. Versioned names are cached for good.
/// </summary>
internal static class ChatAssets
{
    public const string WebChatBundle = "webchat-4.18.1.js";

    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        [WebChatBundle] = "text/javascript; charset=utf-8",
        ["chat.js"] = "text/javascript; charset=utf-8",
        ["chat.css"] = "text/css; charset=utf-8",
        ["webchat-LICENSE.txt"] = "text/plain; charset=utf-8",
        [WebChatBundle + ".LICENSE.txt"] = "text/plain; charset=utf-8",
    };

    public static IResult Serve(HttpContext context, string file)
    {
        if (!Types.TryGetValue(file, out var type) || typeof(ChatAssets).Assembly.GetManifestResourceStream("chat/" + file) is not { } stream)
            return Results.NotFound();
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = file == WebChatBundle ? "public, max-age=31536000, immutable" : "no-cache";
        return Results.Stream(stream, type);
    }
}
