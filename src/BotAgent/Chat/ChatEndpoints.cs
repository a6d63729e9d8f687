using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using BotAgent.Channels.DirectLine;
using BotAgent.Traces;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BotAgent.Chat;

/// <summary>
/// <c>/chat</c>: the official Web Chat, served by the bot (its bundle ships inside the bot), talking to the bot's own
/// Direct Line. <c>POST /chat/token</c> gives the page a Direct Line token for the person <see cref="ChatAccess"/> says it
/// is, in a room (a conversation everyone in it shares, as a Teams channel is shared).
/// </summary>
public static class ChatEndpoints
{
    public const string Path = "/chat";
    private const string DefaultRoom = "lobby";

    public static IEndpointRouteBuilder MapChat(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetService<IOptions<DirectLineOptions>>()?.Value.Enabled != true)
            return endpoints;
        endpoints.MapGet(Path, PageAsync).ExcludeFromDescription();
        endpoints.MapPost(Path + "/token", TokenAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapGet(Path + "/{file}", ChatAssets.Serve).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> PageAsync(HttpContext context, ChatAccess access, IOptions<DirectLineOptions> options)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        ChatPage.AddHeaders(context, nonce, options.Value.OwnOrigin(context.Request));
        if (access.IsLocalMode)
        {
            return LoopbackCaller.IsLocal(context)
                ? ChatPage.Render(context, nonce, null)
                : ChatPage.Refusal(StatusCodes.Status403Forbidden, "This bot's chat runs in local mode (no DirectLine:Secret) and opens only on this machine, at http://localhost.");
        }
        if (!access.CanSignIn)
            return ChatPage.Refusal(StatusCodes.Status403Forbidden, "With DirectLine:Secret set, /chat needs Entra ID sign-in (Traces:Entra) to know who you are.");
        if (await access.SignedInAsync(context) is { } person)
            return ChatPage.Render(context, nonce, person);
        return (await context.AuthenticateAsync(TraceAuthentication.CookieScheme)).Succeeded
            ? ChatPage.Refusal(StatusCodes.Status403Forbidden, "You are signed in, but not in a group or app role allowed here (Traces:Entra:AllowedGroups, AllowedRoles).")
            : Results.Challenge(new AuthenticationProperties { RedirectUri = $"{context.Request.PathBase}{Path}" }, [TraceAuthentication.SignInScheme]);
    }

    private static async Task<IResult> TokenAsync(HttpContext context, ChatAccess access, DirectLineTokens tokens, IOptions<DirectLineOptions> options)
    {
        context.Response.Headers.CacheControl = "no-store";
        var request = context.Request;
        var own = options.Value.OwnOrigin(request);
        // Only the page itself asks: a page of another site cannot send a same-origin Origin, nor JSON without asking first.
        if (!options.Value.IsOwnOrigin(request, request.Headers.Origin.ToString()))
            return Problem(StatusCodes.Status403Forbidden, "Not from the chat page", "Tokens are given to the bot's own /chat page only.");
        if (request.ContentType?.Split(';')[0].Trim() is not "application/json" || request.ContentLength is null or > 4096)
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported request", "Send a small JSON body.");
        ChatTokenRequest? asked;
        try
        {
            asked = await JsonSerializer.DeserializeAsync(request.Body, ChatJsonContext.Default.ChatTokenRequest, context.RequestAborted);
        }
        catch (JsonException)
        {
            return Problem(StatusCodes.Status400BadRequest, "Malformed JSON", "The body is not valid JSON.");
        }

        ChatPerson? person;
        if (access.IsLocalMode)
        {
            if (!LoopbackCaller.IsLocal(context))
                return Problem(StatusCodes.Status403Forbidden, "Local mode", "This bot's chat runs in local mode and answers only on this machine.");
            person = ChatAccess.Picked(asked?.Name);
            if (person is null)
                return Problem(StatusCodes.Status400BadRequest, "Pick a name", "Your name needs a letter or digit and at most 60 characters.");
        }
        else
        {
            person = await access.SignedInAsync(context);
            if (person is null)
                return Problem(StatusCodes.Status401Unauthorized, "Sign in", "Sign in (open /chat again) to chat.");
        }
        var room = ChatAccess.Slug(string.IsNullOrWhiteSpace(asked?.Room) ? DefaultRoom : asked.Room);
        if (room is null)
            return Problem(StatusCodes.Status400BadRequest, "Bad room", "A room's name needs a letter or digit and at most 40 characters.");

        var conversationId = "room." + room;
        var (token, _) = tokens.Issue(conversationId, person.Id, person.Name, person.SignedIn);
        var answer = new ChatToken(token, conversationId, person.Id, person.Name, room, $"{own}{request.PathBase}{DirectLineEndpoints.BasePath}");
        return Results.Json(answer, ChatJsonContext.Default.ChatToken);
    }

    private static IResult Problem(int status, string title, string detail) => Results.Problem(statusCode: status, title: title, detail: detail);
}

internal sealed record ChatTokenRequest(string? Name, string? Room);

internal sealed record ChatToken(string Token, string ConversationId, string UserId, string UserName, string Room, string Domain);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ChatTokenRequest))]
[JsonSerializable(typeof(ChatToken))]
internal sealed partial class ChatJsonContext : JsonSerializerContext;
