using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Tests.Sql;

/// <summary><c>Tools:Sql</c>: off unless enabled, bad settings fail at start naming the key, passwords are redacted.</summary>
public sealed class SqlOptionsTests
{
    private static ToolHost Host(params (string Key, string Value)[] settings) =>
        ToolHost.Create(settings.ToDictionary(s => s.Key, s => (string?)s.Value));

    [Fact]
    public void The_tool_is_not_registered_unless_enabled()
    {
        using var host = Host(("Tools:Sql:Connections:a:ConnectionString", "Data Source=a.db"));

        Assert.DoesNotContain(host.Tools, t => t.Descriptor.Name == "sql.query");
    }

    [Fact]
    public void Enabled_without_connections_fails_at_start_naming_the_key()
    {
        using var host = Host(("Tools:Sql:Enabled", "true"));

        var error = Assert.Throws<OptionsValidationException>(host.ValidateAtStart);

        Assert.Contains("Tools:Sql:Connections", error.Message);
    }

    [Fact]
    public void A_bad_connection_string_fails_at_start_naming_the_key_without_showing_the_password()
    {
        using var host = Host(
            ("Tools:Sql:Enabled", "true"),
            ("Tools:Sql:Connections:shop:Provider", "Postgres"),
            ("Tools:Sql:Connections:shop:ConnectionString", "Host=db;Password=hunter2-secret;Flavour=vanilla"));

        var error = Assert.Throws<OptionsValidationException>(host.ValidateAtStart);

        Assert.Contains("Tools:Sql:Connections:shop:ConnectionString", error.Message);
        Assert.DoesNotContain("hunter2-secret", error.Message);
    }

    [Fact]
    public void An_unknown_provider_fails_naming_the_key()
    {
        using var host = Host(("Tools:Sql:Enabled", "true"), ("Tools:Sql:Connections:shop:Provider", "Oracle"), ("Tools:Sql:Connections:shop:ConnectionString", "x"));

        var error = Assert.Throws<OptionsValidationException>(host.ValidateAtStart);

        Assert.Contains("Tools:Sql:Connections:shop:Provider: 'Oracle' is not a provider (Sqlite or Postgres)", error.Message);
    }

    [Fact]
    public void A_malformed_allowed_function_fails_at_start_naming_the_key()
    {
        using var host = Host(
            ("Tools:Sql:Enabled", "true"),
            ("Tools:Sql:Connections:shop:Provider", "Postgres"),
            ("Tools:Sql:Connections:shop:ConnectionString", "Host=db.internal;Username=reader"),
            ("Tools:Sql:AllowedFunctions:0", "pg_database_size"),
            ("Tools:Sql:AllowedFunctions:1", "pg_sleep()"),
            ("Tools:Sql:AllowedFunctions:2", "reports.order_total"),
            ("Tools:Sql:AllowedFunctions:3", "a.b.c"));

        var error = Assert.Throws<OptionsValidationException>(host.ValidateAtStart);

        Assert.Contains("Tools:Sql:AllowedFunctions:1: 'pg_sleep()' is not a function name", error.Message);
        Assert.Contains("Tools:Sql:AllowedFunctions:3: 'a.b.c' is not a function name", error.Message);
        Assert.DoesNotContain("AllowedFunctions:0", error.Message);
        Assert.DoesNotContain("AllowedFunctions:2", error.Message);
    }

    [Fact]
    public void Allowed_functions_are_matched_as_postgres_folds_unquoted_names()
    {
        using var host = Host(
            ("Tools:Sql:Enabled", "true"),
            ("Tools:Sql:Connections:shop:Provider", "Postgres"),
            ("Tools:Sql:Connections:shop:ConnectionString", "Host=db.internal;Username=reader"),
            ("Tools:Sql:AllowedFunctions:0", "PG_Database_Size"));
        var tool = host.Tool("sql.query");

        host.ValidateAtStart();
        Assert.Empty(tool.CheckArguments(ToolHost.Args(new { sql = "SELECT pg_database_size(current_database())" })));
        Assert.Empty(tool.CheckArguments(ToolHost.Args(new { sql = "SELECT PG_DATABASE_SIZE('shop')" })));
        Assert.NotEmpty(tool.CheckArguments(ToolHost.Args(new { sql = "SELECT \"PG_Database_Size\"('shop')" })));
    }

    [Fact]
    public void A_configured_password_is_redacted_from_results()
    {
        using var host = Host(
            ("Tools:Sql:Enabled", "true"),
            ("Tools:Sql:Connections:shop:Provider", "Postgres"),
            ("Tools:Sql:Connections:shop:ConnectionString", "Host=db.internal;Username=reader;Password=s3cret-pw"));

        _ = host.Tool("sql.query");

        Assert.Equal("login as reader/[redacted] failed", host.Redactor.Redact("login as reader/s3cret-pw failed"));
    }

    [Fact]
    public void With_several_connections_a_step_must_name_one()
    {
        using var host = Host(
            ("Tools:Sql:Enabled", "true"),
            ("Tools:Sql:Connections:a:ConnectionString", "Data Source=a.db"),
            ("Tools:Sql:Connections:b:ConnectionString", "Data Source=b.db"));
        var tool = host.Tool("sql.query");

        Assert.Contains(tool.CheckArguments(ToolHost.Args(new { sql = "SELECT 1" })), r => r.Contains("name the database", StringComparison.Ordinal));
        Assert.Equal(["connection", "sql"], tool.Descriptor.ArgumentSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void With_several_connections_targets_need_a_named_connection_and_the_descriptor_lists_them_all()
    {
        using var host = Host(
            ("Tools:Sql:Enabled", "true"),
            ("Tools:Sql:Connections:reports:ConnectionString", "Data Source=reports.db"),
            ("Tools:Sql:Connections:billing:ConnectionString", "Data Source=billing.db"));
        var tool = host.Tool("sql.query");

        Assert.Empty(tool.Targets(ToolHost.Args(new { sql = "SELECT 1" })));
        Assert.Equal(["sql:reports"], tool.Targets(ToolHost.Args(new { connection = "reports", sql = "SELECT 1" })));
        Assert.Equal(["sql:billing", "sql:reports"], tool.Descriptor.Targets);
    }
}
