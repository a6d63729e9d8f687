using System.Text;
using System.Text.Json;
using BotAgent.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Channels.Slack;

public static class SlackEndpoints
{
    public const string EventsPath = "/api/slack/events";
    public const string InteractionsPath = "/api/slack/interactions";
    public const string CommandsPath = "/api/slack/commands";

    /// <summary>
    /// <c>POST /api/slack/events</c>, <c>/api/slack/interactions</c> and <c>/api/slack/commands</c>, when Slack runs in HTTP mode
    /// (a signing secret is set): verify the signature, store in the inbox (de-duplicated), answer at once.
    /// </summary>
    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetService<IOptions<SlackOptions>>();
        if (endpoints.ServiceProvider.GetService<SlackIntake>() is null || options?.Value.IsHttpMode != true)
            return endpoints;
        endpoints.MapPost(EventsPath, HandleEventsAsync).DisableAntiforgery();
        endpoints.MapPost(InteractionsPath, HandleInteractionsAsync).DisableAntiforgery();
        endpoints.MapPost(CommandsPath, HandleCommandAsync).DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> HandleEventsAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var (body, refusal) = await ReadVerifiedAsync(context, cancellationToken);
        if (refusal is not null)
            return refusal;

        SlackEventEnvelope? envelope;
        var json = Encoding.UTF8.GetString(body!);
        try
        {
            envelope = JsonSerializer.Deserialize(json, SlackJsonContext.Default.SlackEventEnvelope);
        }
        catch (JsonException ex)
        {
            return Results.Problem(title: "Malformed JSON", detail: $"The request body is not a Slack event: {ex.Message}", statusCode: 400);
        }
        if (envelope is null)
            return Results.Problem(title: "Bad event", detail: "The request body is null.", statusCode: 400);
        // Asked once, when the Request URL is saved in the app's settings (after the signature check, as Slack signs it too).
        if (envelope.Type == SlackTranslator.UrlVerification)
            return Results.Json(new Dictionary<string, string?> { ["challenge"] = envelope.Challenge });

        using var span = Telemetry.Start("botagent.inbound", null, envelope.Event?.Channel, System.Diagnostics.ActivityKind.Server);
        span?.SetTag("botagent.slack.event", envelope.Event?.Type);
        if (context.Request.Headers["X-Slack-Retry-Num"].FirstOrDefault() is { } retry)
            Logger(context).SlackRetry(envelope.EventId ?? "-", retry, context.Request.Headers["X-Slack-Retry-Reason"].FirstOrDefault());
        await context.RequestServices.GetRequiredService<SlackIntake>().AcceptEventAsync(json, envelope, cancellationToken);
        return Results.Ok();
    }

    private static async Task<IResult> HandleInteractionsAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var (body, refusal) = await ReadVerifiedAsync(context, cancellationToken);
        if (refusal is not null)
            return refusal;

        // The form is parsed from the verified bytes, not by the framework: what is read is what was signed.
        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body!));
        if (!form.TryGetValue("payload", out var payloads) || payloads.FirstOrDefault() is not { Length: > 0 } payload)
            return Results.Problem(title: "Bad interaction", detail: "The form has no payload field.", statusCode: 400);
        SlackInteraction? interaction;
        try
        {
            interaction = JsonSerializer.Deserialize(payload, SlackJsonContext.Default.SlackInteraction);
        }
        catch (JsonException ex)
        {
            return Results.Problem(title: "Malformed JSON", detail: $"The payload is not a Slack interaction: {ex.Message}", statusCode: 400);
        }
        if (interaction is null)
            return Results.Problem(title: "Bad interaction", detail: "The payload is null.", statusCode: 400);

        using var span = Telemetry.Start("botagent.inbound", null, interaction.Channel?.Id, System.Diagnostics.ActivityKind.Server);
        span?.SetTag("botagent.slack.interaction", interaction.Type);
        await context.RequestServices.GetRequiredService<SlackIntake>().AcceptInteractionAsync(payload, interaction, cancellationToken);
        // An empty 200 acknowledges the click; the message itself is updated through chat.update.
        return Results.Ok();
    }

    /// <summary>
    /// A slash command: verified like every Slack request, stored in the inbox (a replay is stored once), and answered at
    /// once with a note only the person who typed it sees; the answer itself comes through the outbox.
    /// </summary>
    private static async Task<IResult> HandleCommandAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var (body, refusal) = await ReadVerifiedAsync(context, cancellationToken);
        if (refusal is not null)
            return refusal;

        var command = SlackCommand.FromForm(QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body!)));
        if (command.Problem() is { } problem)
            return Results.Problem(title: "Bad command", detail: problem, statusCode: 400);

        using var span = Telemetry.Start("botagent.inbound", null, command.ChannelId, System.Diagnostics.ActivityKind.Server);
        span?.SetTag("botagent.slack.command", command.Command);
        var result = await context.RequestServices.GetRequiredService<SlackIntake>().AcceptCommandAsync(command, cancellationToken);
        var note = result switch
        {
            SlackIntakeResult.Accepted => "On it: my answer comes in this conversation (if I am not in it, invite me or write to me directly).",
            SlackIntakeResult.Duplicate => "I already have this command; it is answered once.",
            _ => "This workspace is not one this bot serves.",
        };
        return Results.Json(new Dictionary<string, string> { ["response_type"] = "ephemeral", ["text"] = note });
    }

    /// <summary>The raw body, once its signature and timestamp check out; otherwise the refusal to send.</summary>
    private static async Task<(byte[]? Body, IResult? Refusal)> ReadVerifiedAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<SlackOptions>>().Value;
        var request = context.Request;
        if (request.ContentLength > options.MaxRequestBytes)
            return (null, TooLarge(options.MaxRequestBytes));

        // The signature covers the bytes exactly as sent, so they are read before any parsing.
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > options.MaxRequestBytes)
                return (null, TooLarge(options.MaxRequestBytes));
            buffer.Write(chunk, 0, read);
        }
        var body = buffer.ToArray();

        var problem = SlackSignatureVerifier.Problem(
            request.Headers[SlackSignatureVerifier.TimestampHeader].FirstOrDefault(),
            request.Headers[SlackSignatureVerifier.SignatureHeader].FirstOrDefault(),
            body,
            options.SigningSecret!,
            services.GetRequiredService<TimeProvider>().GetUtcNow());
        if (problem is null)
            return (body, null);
        // 401 with nothing about why: the reason goes to the log only.
        Logger(context).SlackUnauthenticated(request.Path, problem);
        return (null, Results.Problem(title: "Unauthorized", statusCode: StatusCodes.Status401Unauthorized));
    }

    private static IResult TooLarge(int max) =>
        Results.Problem(title: "Too large", detail: $"The request body is larger than {max} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("BotAgent.Channels.Slack");
}
