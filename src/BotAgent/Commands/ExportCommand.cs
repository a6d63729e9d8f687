using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using BotAgent.Storage;
using BotAgent.Storage.Sqlite;
using BotAgent.Traces;

namespace BotAgent.Commands;

/// <summary>
/// <c>export --run &lt;id&gt;</c> or <c>export [--from &lt;time&gt;] [--to &lt;time&gt;]</c>, JSON lines to stdout or <c>--out</c>;
/// <c>export --run &lt;id&gt; --format transcript</c>, the run's conversation as a Bot Framework transcript.
/// </summary>
internal static class ExportCommand
{
    private const string TimeForm = "an ISO 8601 date or time (2026-11-25, 2026-11-25T10:00:00Z); without an offset it is UTC";

    public static Command Create(CommandSettings settings)
    {
        var run = new Option<string>("--run") { Description = "The run to export.", HelpName = "id" };
        var from = new Option<DateTimeOffset?>("--from") { Description = $"Runs created at or after this time: {TimeForm}.", HelpName = "time", CustomParser = Time };
        var to = new Option<DateTimeOffset?>("--to") { Description = $"Runs created before this time: {TimeForm}.", HelpName = "time", CustomParser = Time };
        var output = new Option<string>("--out") { Description = "The file to write (default: standard output).", HelpName = "file.jsonl" };
        var format = new Option<string>("--format")
        {
            Description = "ledger: the runs' ledgers as JSON lines (the default). transcript: one run's conversation as a Bot Framework "
                + ".transcript file (a JSON array of activities), which the Bot Framework Emulator opens with Open Transcript.",
            HelpName = "ledger|transcript",
            DefaultValueFactory = _ => Ledger,
        };
        format.AcceptOnlyFromAmong(Ledger, Transcript);
        var command = new Command(
            "export",
            "Write runs' whole ledgers (plans, decisions, tool calls, trace events; secrets redacted) as JSON lines, one run "
            + "per line, newest first: one run (--run), or the runs created in [--from, --to); or, with --format transcript, one run's "
            + "conversation as a Bot Framework transcript. " + CommandSettings.Note) { run, from, to, output, format };
        command.Validators.Add(result =>
        {
            var hasRange = result.GetResult(from) is not null || result.GetResult(to) is not null;
            if ((result.GetResult(run) is not null) == hasRange)
                result.AddError("export needs either --run <id> or a time range (--from and/or --to).");
            else if (result.GetValue(format) == Transcript && hasRange)
                result.AddError("export --format transcript writes one run's conversation: give --run <id>, not a time range.");
        });
        command.SetAction((result, cancellationToken) => RunAsync(
            new Request(result.GetValue(run), result.GetValue(from), result.GetValue(to), result.GetValue(output), result.GetValue(format) == Transcript),
            settings, cancellationToken));
        return command;
    }

    private const string Ledger = "ledger";
    private const string Transcript = "transcript";

    private sealed record Request(string? RunId, DateTimeOffset? From, DateTimeOffset? To, string? Path, bool AsTranscript);

    private static DateTimeOffset? Time(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            return parsed;
        // The value is not repeated: a misplaced value may be a secret.
        result.AddError($"The value given is not a time: export --from and --to take {TimeForm}.");
        return null;
    }

    private static async Task<int> RunAsync(Request request, CommandSettings settings, CancellationToken cancellationToken)
    {
        var builder = settings.CreateBuilder();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddBotAgentStorage(builder.Configuration);
        builder.Services.AddTraceViewer(builder.Configuration);
        // The transcript renders plan cards from the store, as the bot does when it sends them.
        builder.Services.AddSingleton<Core.Reporting.PlanCardViewBuilder>();
        using var host = builder.Build();
        // Opening a missing SQLite file would create an empty database where the user expected theirs.
        if (host.Services.GetRequiredService<Database>() is SqliteDatabase sqlite && sqlite.DataSource != ":memory:" && !File.Exists(sqlite.DataSource))
        {
            await Console.Error.WriteLineAsync($"There is no database at {Path.GetFullPath(sqlite.DataSource)} (ConnectionStrings:BotAgent).");
            return 2;
        }
        if (!await host.Services.GetRequiredService<IStoreMigrator>().IsCurrentAsync(cancellationToken))
        {
            await Console.Error.WriteLineAsync($"The database {host.Services.GetRequiredService<Database>().Describe()} is not at this version's schema; start the bot once to migrate it.");
            return 2;
        }

        if (request.AsTranscript)
            return await WriteTranscriptAsync(host.Services.GetRequiredService<TranscriptExport>(), request, cancellationToken);
        var export = host.Services.GetRequiredService<LedgerExport>();
        await using var output = request.Path is null ? Console.OpenStandardOutput() : File.Create(request.Path);
        var count = request.RunId is not null
            ? await export.WriteRunAsync(request.RunId, output, cancellationToken)
            : await export.WriteRangeAsync(request.From, request.To, output, cancellationToken);
        if (request.RunId is not null && count == 0)
        {
            await Console.Error.WriteLineAsync($"There is no run '{request.RunId}'.");
            return 1;
        }
        // The summary goes to stderr so that stdout stays pure JSON lines.
        await Console.Error.WriteLineAsync($"Exported {count} run(s){(request.Path is null ? "" : " to " + Path.GetFullPath(request.Path))}.");
        return 0;
    }

    private static async Task<int> WriteTranscriptAsync(TranscriptExport export, Request request, CancellationToken cancellationToken)
    {
        // Into memory first: an unknown run must not leave an empty file behind.
        using var buffer = new MemoryStream();
        if (!await export.WriteAsync(request.RunId!, buffer, cancellationToken))
        {
            await Console.Error.WriteLineAsync($"There is no run '{request.RunId}'.");
            return 1;
        }
        await using (var output = request.Path is null ? Console.OpenStandardOutput() : File.Create(request.Path))
        {
            buffer.Position = 0;
            await buffer.CopyToAsync(output, cancellationToken);
        }
        await Console.Error.WriteLineAsync($"Exported the conversation of run {request.RunId}{(request.Path is null ? "" : " to " + Path.GetFullPath(request.Path))}.");
        return 0;
    }
}
