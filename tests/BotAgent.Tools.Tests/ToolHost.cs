using System.Text.Json;
using BotAgent.Core.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Tests;

/// <summary>The built-in tools composed the way the host composes them, from in-memory configuration.</summary>
internal sealed class ToolHost : IDisposable
{
    private readonly ServiceProvider _services;

    private ToolHost(ServiceProvider services) => _services = services;

    public IServiceProvider Services => _services;

    public SecretRedactor Redactor => _services.GetRequiredService<SecretRedactor>();

    /// <summary>Every tool that configuration enabled.</summary>
    public IReadOnlyList<ITool> Tools => [.. _services.GetServices<ITool>()];

    public static ToolHost Create(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddBotAgentTools(configuration);
        return new ToolHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    public ITool Tool(string name) => Assert.Single(Tools, t => t.Descriptor.Name == name);

    /// <summary>What the host runs when it starts (ValidateOnStart); throws <see cref="OptionsValidationException"/>.</summary>
    public void ValidateAtStart() => _services.GetRequiredService<IStartupValidator>().Validate();

    public static JsonElement Args(object args) => JsonSerializer.SerializeToElement(args);

    /// <summary>A call as the executor makes it: the key stays the same across attempts of one step.</summary>
    public static ToolCall Call(object args, int attempt = 1) => new("run-1", "s1", attempt, Args(args), "run-1:1:s1");

    public void Dispose() => _services.Dispose();
}
