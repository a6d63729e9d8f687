using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using BotAgent.Channels.BotFramework;
using BotAgent.Core.Reporting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BotAgent.Channels.DirectLine;

/// <summary>
/// Direct Line 3.0 as Azure Bot Service serves it, hosted by the bot: start a conversation, reconnect to it, post an
/// activity, get activities after a watermark, a WebSocket stream of them (<see cref="DirectLineStream"/>), and tokens
/// (generate with the secret, refresh with a token). Who may do what is <see cref="DirectLineGuard"/>'s call.
/// </summary>
public static class DirectLineEndpoints
{
    public const string BasePath = "/v3/directline";
    private const int MaxActivitiesPerRead = 100;

    public static IEndpointRouteBuilder MapDirectLine(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetService<IOptions<DirectLineOptions>>()?.Value.Enabled != true)
            return endpoints;
        var group = endpoints.MapGroup(BasePath).ExcludeFromDescription().DisableAntiforgery();
        group.MapGet("/conversations/{id}/stream", DirectLineStream.HandleAsync);
        var guarded = group.MapGroup("").AddEndpointFilter<DirectLineGuard>();
        guarded.MapPost("/tokens/generate", GenerateAsync);
        guarded.MapPost("/tokens/refresh", Refresh);
        guarded.MapPost("/conversations", StartAsync);
        guarded.MapGet("/conversations/{id}", ReconnectAsync);
        guarded.MapPost("/conversations/{id}/activities", PostAsync);
        guarded.MapGet("/conversations/{id}/activities", GetAsync);
        return endpoints;
    }

    private static async Task<IResult> GenerateAsync(HttpContext context, DirectLineTokens tokens, IConversationLog log, DirectLineLimits limits, TimeProvider time)
    {
        var caller = DirectLineGuard.Of(context);
        if (!caller.IsTrusted)
            return Problem(StatusCodes.Status403Forbidden, "A token cannot mint tokens", "Generate tokens with the Direct Line secret; refresh a token with /tokens/refresh.");
        if (!limits.MayStart(ClientOf(context)))
            return TooMany();
        var (user, refusal) = await ReadUserAsync(context);
        if (refusal is not null)
            return refusal;
        var conversationId = NewConversationId();
        await log.StartAsync(conversationId, time.GetUtcNow(), context.RequestAborted);
        var (token, issued) = tokens.Issue(conversationId, user?.Id, user?.Name, signedIn: false);
        return Results.Json(new DirectLineConversation(conversationId, token, tokens.SecondsLeft(issued), null), DirectLineJsonContext.Default.DirectLineConversation);
    }

    private static IResult Refresh(HttpContext context, DirectLineTokens tokens)
    {
        var caller = DirectLineGuard.Of(context);
        if (caller.Grant is not { } grant)
            return Problem(StatusCodes.Status400BadRequest, "Nothing to refresh", "Refresh a token, not the secret.");
        // The new token ends with the session the first one began: refreshing never stands in for signing in again.
        var (token, refreshed) = tokens.Refresh(grant);
        return Results.Json(new DirectLineConversation(grant.ConversationId, token, tokens.SecondsLeft(refreshed), null), DirectLineJsonContext.Default.DirectLineConversation);
    }

    private static async Task<IResult> StartAsync(HttpContext context, DirectLineTokens tokens, IConversationLog log, DirectLineIntake intake, DirectLineLimits limits, TimeProvider time)
    {
        var caller = DirectLineGuard.Of(context);
        var (user, refusal) = await ReadUserAsync(context);
        if (refusal is not null)
            return refusal;
        string conversationId;
        string token;
        DirectLineGrant issued;
        if (caller.Grant is { } grant)
        {
            (conversationId, token, issued) = (grant.ConversationId, caller.Token!, grant);
            user = grant.UserId is null ? user : new ChannelAccount { Id = grant.UserId, Name = grant.UserName };
        }
        else
        {
            if (!limits.MayStart(ClientOf(context)))
                return TooMany();
            conversationId = NewConversationId();
            (token, issued) = tokens.Issue(conversationId, user?.Id, user?.Name, signedIn: false);
        }
        var created = await log.StartAsync(conversationId, time.GetUtcNow(), context.RequestAborted);
        await intake.JoinedAsync(conversationId, user, time.GetUtcNow(), context.RequestAborted);
        var answer = new DirectLineConversation(conversationId, token, tokens.SecondsLeft(issued), StreamUrl(context, tokens, caller, conversationId, null));
        return created
            ? Results.Json(answer, DirectLineJsonContext.Default.DirectLineConversation, statusCode: StatusCodes.Status201Created)
            : Results.Json(answer, DirectLineJsonContext.Default.DirectLineConversation);
    }

    private static async Task<IResult> ReconnectAsync(HttpContext context, string id, string? watermark, DirectLineTokens tokens, IConversationLog log)
    {
        var caller = DirectLineGuard.Of(context);
        if (await ConversationRefusalAsync(caller, id, log, context) is { } refused)
            return refused;
        if (ParseWatermark(watermark) is not { } after)
            return BadWatermark();
        var (token, issued) = caller is { Token: { } own, Grant: { } grant } ? (own, grant) : tokens.Issue(id, null, null, signedIn: false);
        var answer = new DirectLineConversation(id, token, tokens.SecondsLeft(issued), StreamUrl(context, tokens, caller, id, after));
        return Results.Json(answer, DirectLineJsonContext.Default.DirectLineConversation);
    }

    private static async Task<IResult> PostAsync(
        HttpContext context, string id, IConversationLog log, DirectLineIntake intake, DirectLineLimits limits, IOptions<DirectLineOptions> options, TimeProvider time)
    {
        var caller = DirectLineGuard.Of(context);
        if (await ConversationRefusalAsync(caller, id, log, context) is { } refused)
            return refused;
        var (activity, problem) = await ReadActivityAsync(context, options.Value.MaxRequestBytes);
        if (problem is not null)
            return problem;
        if (activity!.Type != ActivityTypes.Message)
        {
            // Typing and events are acknowledged as Direct Line does; the bot acts on messages only.
            return Results.Json(new ResourceResponse { Id = $"{id}|{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}" }, DirectLineJsonContext.Default.ResourceResponse);
        }
        activity.From ??= new ChannelAccount();
        if (caller.BoundUser is { } bound)
        {
            if (!string.IsNullOrEmpty(activity.From.Id) && !string.Equals(activity.From.Id, bound, StringComparison.Ordinal))
                return Problem(StatusCodes.Status403Forbidden, "Not your user id", "This token was issued for another user id: post as the user the token names.");
            activity.From.Id = bound;
            activity.From.Name = caller.Grant!.UserName ?? activity.From.Name;
        }
        else if (string.IsNullOrWhiteSpace(activity.From.Id) || activity.From.Id.Length > 200)
            return Problem(StatusCodes.Status400BadRequest, "Bad activity", "The activity needs 'from.id' (at most 200 characters).");
        activity.From.AadObjectId = null;
        if (!limits.MayPost(id, activity.From.Id))
            return TooMany();
        var voucher = VoucherOf(caller, options.Value);
        var activityId = await intake.PostAsync(id, activity, voucher, time.GetUtcNow(), context.RequestAborted);
        return Results.Json(new ResourceResponse { Id = activityId }, DirectLineJsonContext.Default.ResourceResponse);
    }

    private static async Task<IResult> GetAsync(HttpContext context, string id, string? watermark, IConversationLog log, DirectLineViews views)
    {
        var caller = DirectLineGuard.Of(context);
        if (await ConversationRefusalAsync(caller, id, log, context) is { } refused)
            return refused;
        if (ParseWatermark(watermark) is not { } after)
            return BadWatermark();
        var entries = await log.ReadAsync(id, after, MaxActivitiesPerRead, context.RequestAborted);
        var shown = await views.ForViewerAsync(entries, DirectLineViews.ViewerOf(caller.Grant), context.RequestAborted);
        return Results.Text(ActivitySet(shown, entries.Count > 0 ? entries[^1].Sequence : after), "application/json");
    }

    /// <summary>
    /// How far the sender's id is believed: the secret's holder and, in local mode, this machine vouch for whoever they
    /// post as; a token for one person, for that person; a token for nobody in particular, for nobody.
    /// </summary>
    private static string VoucherOf(DirectLineCaller caller, DirectLineOptions options) => caller.Grant switch
    {
        { SignedIn: true } => InboundVoucher.DirectLineSignIn,
        { UserId: null } when !options.IsLocalMode => InboundVoucher.DirectLineClaimed,
        _ => InboundVoucher.DirectLine,
    };

    /// <summary><c>{"activities": [...], "watermark": "n"}</c>, the activities as stored (they are JSON already).</summary>
    public static string ActivitySet(IReadOnlyList<string> activities, long watermark)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("activities");
            foreach (var activity in activities)
                writer.WriteRawValue(activity, skipInputValidation: true);
            writer.WriteEndArray();
            writer.WriteString("watermark", watermark.ToString(CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>An absent or empty watermark is the start; anything but a number is refused (null).</summary>
    public static long? ParseWatermark(string? watermark) =>
        string.IsNullOrEmpty(watermark) ? 0
        : long.TryParse(watermark, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : null;

    private static async Task<IResult?> ConversationRefusalAsync(DirectLineCaller caller, string id, IConversationLog log, HttpContext context)
    {
        if (!caller.MayUse(id))
            return Problem(StatusCodes.Status403Forbidden, "Not this conversation", "This token was issued for another conversation.");
        return await log.ExistsAsync(id, context.RequestAborted)
            ? null
            : Problem(StatusCodes.Status404NotFound, "Unknown conversation", "There is no such conversation: start one with POST /v3/directline/conversations.");
    }

    private static string StreamUrl(HttpContext context, DirectLineTokens tokens, DirectLineCaller caller, string conversationId, long? watermark)
    {
        var (token, _) = caller.Grant is { } grant
            ? tokens.Refresh(grant, DirectLineGrant.Stream)
            : tokens.Issue(conversationId, null, null, signedIn: false, DirectLineGrant.Stream);
        var request = context.Request;
        var origin = context.RequestServices.GetRequiredService<IOptions<DirectLineOptions>>().Value.OwnOrigin(request);
        // http → ws, https → wss.
        var socket = "ws" + origin["http".Length..];
        var mark = watermark is { } w ? "watermark=" + w.ToString(CultureInfo.InvariantCulture) + "&" : "";
        return $"{socket}{request.PathBase}{BasePath}/conversations/{Uri.EscapeDataString(conversationId)}/stream?{mark}t={Uri.EscapeDataString(token)}";
    }

    private static async Task<(ChannelAccount? User, IResult? Refusal)> ReadUserAsync(HttpContext context)
    {
        if (context.Request.ContentLength is null or 0 && context.Request.Headers.TransferEncoding.Count == 0)
            return (null, null);
        if (!DirectLineBody.IsJson(context.Request.ContentType))
            return (null, DirectLineBody.UnsupportedMediaType());
        var (request, problem) = await DirectLineBody.ReadAsync(context, 16 * 1024, DirectLineJsonContext.Default.DirectLineTokenRequest);
        if (problem is not null)
            return (null, problem);
        var user = request?.User;
        if (user?.Id is { } userId && (string.IsNullOrWhiteSpace(userId) || userId.Length > 200))
            return (null, Problem(StatusCodes.Status400BadRequest, "Bad user", "user.id must be 1 to 200 characters."));
        return (user?.Id is null ? null : new ChannelAccount { Id = user.Id, Name = user.Name }, null);
    }

    private static async Task<(Activity? Activity, IResult? Problem)> ReadActivityAsync(HttpContext context, int maxBytes)
    {
        if (!DirectLineBody.IsJson(context.Request.ContentType))
            return (null, DirectLineBody.UnsupportedMediaType());
        var (activity, problem) = await DirectLineBody.ReadAsync(context, maxBytes, BotFrameworkJsonContext.Default.Activity);
        if (problem is not null)
            return (null, problem);
        if (activity is null || string.IsNullOrWhiteSpace(activity.Type))
            return (null, Problem(StatusCodes.Status400BadRequest, "Bad activity", "The activity has no 'type'."));
        return (activity, null);
    }

    private static string NewConversationId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');

    private static string ClientOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "-";

    private static IResult BadWatermark() => Problem(StatusCodes.Status400BadRequest, "Bad watermark", "The watermark is the number a previous answer gave.");

    private static IResult TooMany() => Problem(StatusCodes.Status429TooManyRequests, "Too many requests", "Slow down: this client has sent too many requests in the last minute.");

    internal static IResult Problem(int status, string title, string detail) => Results.Problem(statusCode: status, title: title, detail: detail);
}
