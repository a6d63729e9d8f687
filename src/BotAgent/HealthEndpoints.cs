using BotAgent.Storage;

namespace BotAgent;

public static class HealthEndpoints
{
    /// <summary><c>/healthz</c>: the process is up. <c>/readyz</c>: the store is reachable and migrated.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok"));
        endpoints.MapGet("/readyz", async (IStoreMigrator migrator, CancellationToken cancellationToken) =>
        {
            try
            {
                return await migrator.IsCurrentAsync(cancellationToken)
                    ? Results.Text("ready")
                    : Results.Problem(title: "Not ready", detail: "Database migrations are not applied.", statusCode: 503);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return Results.Problem(title: "Not ready", detail: "The store is not reachable.", statusCode: 503);
            }
        });
        return endpoints;
    }
}
