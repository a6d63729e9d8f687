using BotAgent.Core.Execution;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Tests.Execution;

/// <summary>Lease checks compare instance ids: no two processes may share one, whatever their configuration says.</summary>
public sealed class BotInstanceTests
{
    [Fact]
    public void Two_processes_configured_with_one_name_get_different_ids_that_start_with_it()
    {
        var options = Options.Create(new ExecutionOptions { InstanceId = "one" });

        var first = new BotInstance(options).Id;
        var second = new BotInstance(options).Id;

        Assert.NotEqual(first, second);
        Assert.StartsWith("one:", first, StringComparison.Ordinal);
        Assert.StartsWith("one:", second, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")] // Execution__InstanceId= in the environment
    [InlineData("  ")]
    public void Without_a_name_the_id_says_which_machine_and_process(string? configured)
    {
        var id = new BotInstance(Options.Create(new ExecutionOptions { InstanceId = configured })).Id;

        Assert.StartsWith($"{Environment.MachineName}:{Environment.ProcessId}:", id, StringComparison.Ordinal);
    }
}
