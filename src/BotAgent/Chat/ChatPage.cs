using System.Text;
using System.Text.Encodings.Web;

namespace BotAgent.Chat;

/// <summary>
/// The /chat page: a line to pick a name and a room (local mode) or to say who is signed in, and the Web Chat control.
/// Its policy allows only the bot's own scripts, styles with this page's nonce (Web Chat's style sheets carry it),
/// and connections to the bot itself.
/// </summary>
internal static class ChatPage
{
    /// <summary>
    /// The hash of an empty <c>style</c> attribute, which Web Chat sets on an element: with <c>'unsafe-hashes'</c> it lets
    /// exactly that through, and no other inline style.
    /// </summary>
    private const string EmptyStyle = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    public static void AddHeaders(HttpContext context, string nonce, string ownOrigin)
    {
        // http → ws, https → wss: the stream's address.
        var socket = "ws" + ownOrigin["http".Length..];
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'self'; style-src 'self' 'nonce-{nonce}' 'unsafe-hashes' '{EmptyStyle}'; img-src 'self' data: blob:; font-src 'self' data:; "
            + $"connect-src 'self' {socket}; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
    }

    /// <param name="person">The signed-in person; null in local mode, where the page asks for a name.</param>
    public static IResult Render(HttpContext context, string nonce, ChatPerson? person)
    {
        var encode = HtmlEncoder.Default;
        var basePath = encode.Encode(context.Request.PathBase.Value ?? "");
        var who = person is null
            ? """<label>Your name <input id="name" name="name" required maxlength="60" autocomplete="nickname" placeholder="Alice"></label>"""
            : $"""<span>Signed in as <strong>{encode.Encode(person.Name)}</strong> ({encode.Encode(person.Id)})</span>""";
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>BotAgent chat</title>
            <link rel="stylesheet" href="{basePath}/chat/chat.css">
            <script src="{basePath}/chat/{ChatAssets.WebChatBundle}" defer></script>
            <script src="{basePath}/chat/chat.js" defer></script>
            </head>
            <body data-mode="{(person is null ? "local" : "signed-in")}" data-nonce="{encode.Encode(nonce)}" data-token-url="{basePath}/chat/token">
            <header>
            <strong>BotAgent</strong>
            <form id="join">{who}
            <label>Room <input id="room" name="room" value="lobby" maxlength="40"></label>
            <button type="submit">{(person is null ? "Join" : "Open")}</button>
            </form>
            <span id="status" role="status"></span>
            </header>
            <main id="webchat"></main>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
    }

    public static IResult Refusal(int status, string message) =>
        Results.Content($"<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>BotAgent chat</title><p>{HtmlEncoder.Default.Encode(message)}</p></html>",
            "text/html; charset=utf-8", Encoding.UTF8, status);
}
