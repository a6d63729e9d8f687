using System.Data.Common;
using BotAgent.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace BotAgent;

/// <summary>
/// A request that needed the store while the database could not be reached (a PostgreSQL restart, a dropped
/// connection) is answered 503 with Retry-After, which channels retry, and logged as a warning: the bot is waiting for
/// its database, not failing. Whatever the request managed to store before the failure is de-duplicated when the
/// channel sends it again (the inbox's dedupe key), so nothing is lost or taken twice; any other exception stays an
/// error (500).
/// </summary>
internal sealed class StoreUnavailableHandler(ILogger<StoreUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not DbException db || !StoreStartup.IsUnavailable(db) || context.Response.HasStarted)
            return false;
        logger.StoreUnavailable(context.Request.Path, db.Message);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "1";
        await context.Response.WriteAsJsonAsync(new { error = "The bot's database is not reachable right now; try again shortly." }, cancellationToken);
        return true;
    }
}
