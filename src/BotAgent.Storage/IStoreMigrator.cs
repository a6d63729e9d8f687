namespace BotAgent.Storage;

/// <summary>Brings the database schema up to date. The host runs it before it accepts traffic.</summary>
public interface IStoreMigrator
{
    Task MigrateAsync(CancellationToken cancellationToken);

    Task<bool> IsCurrentAsync(CancellationToken cancellationToken);
}
