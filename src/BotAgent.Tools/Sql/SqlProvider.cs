namespace BotAgent.Tools.Sql;

public enum SqlProvider
{
    Sqlite,
    Postgres,
}
