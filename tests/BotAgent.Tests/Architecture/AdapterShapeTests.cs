using System.Reflection;
using System.Text.RegularExpressions;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;

namespace BotAgent.Tests.Architecture;

/// <summary>
/// The one shape of the pipeline (docs/design.md): the core knows no wire; every adapter has the same four parts and
/// reaches the core through one port.
/// </summary>
public sealed partial class AdapterShapeTests
{
    private static readonly Assembly CoreAssembly = typeof(Core.Runs.Run).Assembly;
    private static readonly Assembly ChannelsAssembly = typeof(Channels.BotFramework.Activity).Assembly;

    /// <summary>
    /// Bot Framework and Teams wire concepts. "Activity" in the sense of "what a run is doing" is English, so only the
    /// wire's activity id is on the list.
    /// </summary>
    private static readonly string[] WireWords =
        ["ServiceUrl", "Tenant", "ConversationType", "ActivityId", "BotFramework", "AdaptiveCard", "Connector", "Personal", "Teams", "Aad"];

    /// <summary>
    /// Identity, not wire: who may approve is configured as <c>teams:&lt;Entra object id or user id&gt;</c> entries, and
    /// a person proven by Teams carries their Entra object id. The core must compare those, so it names them; each
    /// such name is listed here, so that a new one is a visible choice.
    /// </summary>
    private static readonly string[] IdentityNames =
        ["Member.AadObjectId", "Member.get_AadObjectId", "Member.<AadObjectId>k__BackingField", "ApproverKind.Teams",
         "Member..ctor(AadObjectId)", "Member.Deconstruct(AadObjectId)", "Member.set_AadObjectId(value)", "CoreJsonContext.PropName_aadObjectId", "ApproverEntry.ProvenByTeams"];

    [Fact]
    public void No_core_type_or_member_names_a_bot_framework_or_teams_concept()
    {
        var names = CoreAssembly.GetTypes()
            .Where(t => !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false))
            .SelectMany(t => new[] { t.Name }
                .Concat(t.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                    .Where(m => !m.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false))
                    .Select(m => $"{t.Name}.{m.Name}"))
                .Concat(t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                    .SelectMany(m => m.GetParameters().Select(p => $"{t.Name}.{m.Name}({p.Name})"))))
            .ToList();

        var offending = names.Where(n => WireWords.Any(w => n.Contains(w, StringComparison.OrdinalIgnoreCase)) && !IdentityNames.Contains(n)).ToList();

        Assert.True(names.Count > 1000, "the scan found the core's members");
        Assert.Empty(offending);
    }

    [Fact]
    public void No_core_code_spells_a_teams_wire_value()
    {
        // Comments may explain a channel's behaviour; code may not depend on its wire values.
        var offending = CoreSources()
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Code: CodeOf(line))))
            // The one identity proof the core names, defined once where approver entries are matched.
            .Where(l => WireValue().IsMatch(l.Code) && !l.Code.Contains("const string ProvenByTeams = \"msteams\"", StringComparison.Ordinal))
            .Select(l => $"{l.File}:{l.Line}: {l.Code.Trim()}")
            .ToList();

        Assert.NotEmpty(CoreSources());
        Assert.Empty(offending);
    }

    [Fact]
    public void Every_adapter_has_an_intake_a_click_handler_a_sender_and_a_renderer()
    {
        var types = ChannelsAssembly.GetTypes().Where(t => t.Namespace is not null).ToList();
        string[] parts = ["Intake", "ClickHandler", "Sender", "Renderer"];

        foreach (var adapter in new[] { "BotFramework", "Slack" })
        {
            var mine = types.Where(t => t.Namespace!.EndsWith("." + adapter, StringComparison.Ordinal)).Select(t => t.Name).ToList();
            var missing = parts.Where(p => !mine.Any(n => n.EndsWith(p, StringComparison.Ordinal))).ToList();
            Assert.True(missing.Count == 0, $"{adapter} has no {string.Join(", ", missing)}");
        }
        // The bot's own Direct Line carries Bot Framework activities: an intake and a sender of its own (no Connector:
        // the conversation's log), the Bot Framework's click handler and Adaptive Card renderer.
        var directLine = types.Where(t => t.Namespace!.EndsWith(".DirectLine", StringComparison.Ordinal)).Select(t => t.Name).ToList();
        Assert.Contains(directLine, n => n.EndsWith("Intake", StringComparison.Ordinal));
        Assert.Contains(directLine, n => n.EndsWith("Sender", StringComparison.Ordinal));
        Assert.Equal(3, types.Count(t => typeof(IChannelSender).IsAssignableFrom(t) && !t.IsInterface));
        Assert.Equal(3, types.Count(t => typeof(IInboundHandler).IsAssignableFrom(t) && !t.IsInterface));
    }

    [Fact]
    public void Adapters_reach_the_core_only_through_its_chat_port()
    {
        // Core types an adapter may take in a constructor: the port, the inbox it writes to, the log of the conversations
        // it hosts itself (Direct Line, whose clients read it), and plumbing.
        Type[] allowed = [typeof(IChatEvents), typeof(IInbox), typeof(IConversationLog), typeof(Core.WorkSignals)];

        var taken = ChannelsAssembly.GetTypes()
            .Where(t => t.GetMethod("<Clone>$") is null) // records carry values, they take no services
            .SelectMany(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .SelectMany(c => c.GetParameters())
                .Select(p => (Type: t, Parameter: p.ParameterType)))
            .Where(x => x.Parameter.Assembly == CoreAssembly && !allowed.Contains(x.Parameter))
            .Select(x => $"{x.Type.Name} takes {x.Parameter.Name}")
            .Distinct()
            .ToList();

        Assert.Empty(taken);
    }

    private static string[] CoreSources()
    {
        var root = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(root, "src", "BotAgent.Core")))
            root = Path.GetDirectoryName(root) ?? throw new DirectoryNotFoundException("src/BotAgent.Core not found above the test's directory");
        return Directory.GetFiles(Path.Combine(root, "src", "BotAgent.Core"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToArray();
    }

    private static string CodeOf(string line)
    {
        var comment = line.IndexOf("//", StringComparison.Ordinal);
        return comment < 0 ? line : line[..comment];
    }

    [GeneratedRegex("\"personal\"|;messageid|serviceUrl|\"channelData\"|\"groupChat\"|smba\\.|\"msteams\"", RegexOptions.IgnoreCase)]
    private static partial Regex WireValue();
}
