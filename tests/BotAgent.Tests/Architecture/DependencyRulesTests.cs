using System.Reflection;

namespace BotAgent.Tests.Architecture;

/// <summary>The layering STYLE.md sets: the core knows no web, database or wire format; adapters know only the core.</summary>
public sealed class DependencyRulesTests
{
    private static readonly string[] ForbiddenInCore = ["Microsoft.AspNetCore", "Dapper", "Microsoft.Data", "Npgsql", "BotAgent.Channels", "BotAgent.Storage", "BotAgent.Tools"];

    [Fact]
    public void Core_references_no_web_database_wire_or_adapter_assembly()
    {
        var references = typeof(Core.Runs.Run).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        var offending = references.Where(r => ForbiddenInCore.Any(f => r.StartsWith(f, StringComparison.Ordinal))).ToList();

        Assert.Empty(offending);
    }

    [Theory]
    [InlineData(typeof(Channels.BotFramework.Activity))]
    [InlineData(typeof(Storage.RunStore))]
    [InlineData(typeof(Tools.Http.HttpGetTool))]
    public void Adapters_reference_only_the_core_among_our_projects(Type adapterType)
    {
        var ours = adapterType.Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("BotAgent", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(["BotAgent.Core"], ours);
    }

    [Fact]
    public void No_type_is_named_manager_helper_util_or_processor()
    {
        var assemblies = new[]
        {
            typeof(Core.Runs.Run).Assembly, typeof(Channels.BotFramework.Activity).Assembly,
            typeof(Storage.RunStore).Assembly, typeof(Tools.Http.HttpGetTool).Assembly, typeof(BotAgentApp).Assembly,
        };
        string[] banned = ["Manager", "Helper", "Helpers", "Util", "Utils", "Processor"];

        var offending = assemblies.SelectMany(a => a.GetTypes())
            .Where(t => !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false))
            .Select(t => t.Name)
            .Where(n => banned.Any(b => n.EndsWith(b, StringComparison.Ordinal)))
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void Only_the_run_journal_moves_runs_between_states()
    {
        // Every move of a run is traced, logged, counted and shown by RunJournal: nothing else may take the port that moves runs.
        var assemblies = new[] { typeof(Core.Runs.Run).Assembly, typeof(Channels.BotFramework.Activity).Assembly, typeof(Storage.RunStore).Assembly, typeof(Tools.Http.HttpGetTool).Assembly, typeof(BotAgentApp).Assembly };

        var takers = assemblies.SelectMany(a => a.GetTypes())
            .Where(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(Core.Runs.IRunTransitions))))
            .Select(t => t.FullName)
            .ToList();

        Assert.Equal(["BotAgent.Core.Runs.RunJournal"], takers);
    }
}
