using BotAgent.Core.Tools;
using BotAgent.Tools.Tests.Mcp;
using Microsoft.Extensions.DependencyInjection;

namespace BotAgent.Tools.Tests.Secrets;

/// <summary>Credentials configured as environment variables of programs the tools start are kept off cards.</summary>
public sealed class EnvironmentSecretsTests
{
    [Theory]
    [InlineData("API_TOKEN")]
    [InlineData("GITHUB_PAT")]
    [InlineData("OPENAI_API_KEY")]
    [InlineData("APIKEY")]
    [InlineData("DB_PASSWORD")]
    [InlineData("PGPASSWORD")]
    [InlineData("CLIENT_SECRET")]
    [InlineData("AWS_CREDENTIALS")]
    [InlineData("OAUTH")]
    [InlineData("ConnectionStrings:Main")]
    [InlineData("SQL_CONNECTION_STRING")]
    [InlineData("DB_PASS")]
    [InlineData("MYSQL_PWD")]
    [InlineData("GPG_PASSPHRASE")]
    [InlineData("SIGNING_KEYS")]
    [InlineData("clientSecretValue")]
    [InlineData("SENTRY_DSN")]
    public void Names_that_say_credential_are_secret(string name) =>
        Assert.True(EnvironmentSecrets.IsSecretName(name));

    [Theory]
    [InlineData("PATH")]
    [InlineData("GOPATH")]
    [InlineData("HOME")]
    [InlineData("LANG")]
    [InlineData("KEYBOARD_LAYOUT")]
    [InlineData("AUTHOR")]
    [InlineData("GREETING")]
    public void Ordinary_names_are_not(string name) =>
        Assert.False(EnvironmentSecrets.IsSecretName(name));

    [Fact]
    public void Flags_numbers_and_paths_are_settings_whatever_their_name_and_passwords_in_urls_are_secrets()
    {
        var found = EnvironmentSecrets.Of(new Dictionary<string, string?>
        {
            ["AUTH_ENABLED"] = "true",
            ["TOKEN_LIMIT"] = "4096",
            ["SSH_AUTH_SOCK"] = "/run/user/1000/ssh-agent.sock",
            ["DATABASE_URL"] = "postgres://app:pa%40ss-9911@db.internal:5432/ops",
            ["API_TOKEN"] = "tok-1234-abcd",
        }).ToList();

        Assert.Equal(["pa@ss-9911", "app:pa%40ss-9911", "tok-1234-abcd"], found);
    }

    [Fact]
    public void Shell_registers_the_credentials_in_its_environment_and_nothing_else()
    {
        using var host = ToolHost.Create(new Dictionary<string, string?>
        {
            ["Tools:Http:Enabled"] = "false",
            ["Tools:Shell:Enabled"] = "true",
            ["Tools:Shell:Path"] = "/usr/bin:/bin",
            ["Tools:Shell:AllowedExecutables:0"] = "/usr/bin/env",
            ["Tools:Shell:Environment:DEPLOY_TOKEN"] = "tok-4242-secret",
            ["Tools:Shell:Environment:REGION"] = "westeurope",
        });
        _ = host.Tool("shell.run");

        Assert.Equal("DEPLOY_TOKEN=[redacted] REGION=westeurope", host.Redactor.Redact("DEPLOY_TOKEN=tok-4242-secret REGION=westeurope"));
    }

    [Fact]
    public async Task Mcp_registers_its_servers_header_and_environment_credentials()
    {
        await using var host = await McpToolHost.StartAsync(new Dictionary<string, string?>
        {
            ["Mcp:Servers:ops:Url"] = "http://127.0.0.1:9/mcp",
            ["Mcp:Servers:ops:Headers:Authorization"] = "Bearer hdr-7777-secret",
            ["Mcp:Servers:local:Command"] = "/bin/false",
            ["Mcp:Servers:local:Env:SERVICE_API_KEY"] = "env-8888-secret",
            ["Mcp:Servers:local:Env:LOG_LEVEL"] = "debug",
            ["Mcp:StartupWait"] = "00:00:00.100",
        });
        var redactor = host.Services.GetRequiredService<SecretRedactor>();

        Assert.Equal("[redacted] [redacted] debug", redactor.Redact("hdr-7777-secret env-8888-secret debug"));
    }
}
