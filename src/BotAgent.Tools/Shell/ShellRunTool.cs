using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Shell;

/// <summary>
/// <c>shell.run</c>: start an allow-listed program with an argument list (no shell: nothing in an argument is
/// interpreted), in the configured folder and environment, with output capped and a timeout that kills the whole
/// process tree. High risk and not idempotent: a program may do anything, so it is never repeated on its own.
/// </summary>
internal sealed class ShellRunTool : ITool
{
    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "executable": { "type": "string", "minLength": 1, "maxLength": 1024, "description": "An allowed program, by absolute path or file name." },
            "args": { "type": "array", "items": { "type": "string", "maxLength": 8192 }, "maxItems": 256, "description": "Arguments, each passed as it is (no shell: quotes, ';', '|', '$' and globs mean nothing)." }
          },
          "required": ["executable"],
          "additionalProperties": false
        }
        """;

    // How long to wait for the output pipes to close once the program has exited or been killed: a background
    // process it left behind (or one that escaped the tree) may hold them open, and the step must not hang on it.
    private static readonly TimeSpan DrainAfterKill = TimeSpan.FromSeconds(2);

    private readonly AllowedExecutables _allowed;
    private readonly ShellOptions _options;
    private readonly TimeProvider _time;

    public ShellRunTool(AllowedExecutables allowed, IOptions<ShellOptions> options, TimeProvider time, SecretRedactor secrets)
    {
        _allowed = allowed;
        _options = options.Value;
        _time = time;
        secrets.AddRange(EnvironmentSecrets.Of(_options.Environment!));
        Descriptor = new ToolDescriptor(
            "shell.run",
            $"Run an allowed program ({allowed.Describe()}) with arguments, no shell; reports the exit code and output.",
            JsonDocument.Parse(Schema).RootElement.Clone(),
            RiskLevel.High,
            Idempotent: false,
            // A little longer than the program's own limit, so the tool's kill and its clearer answer come first.
            _options.Timeout + TimeSpan.FromSeconds(5),
            PrimaryArgument: "executable",
            Targets: [.. allowed.Paths.Select(ToolTargets.Executable)]);
    }

    public ToolDescriptor Descriptor { get; }

    public IReadOnlyList<string> CheckArguments(JsonElement args)
    {
        if (args.ValueKind != JsonValueKind.Object || !args.TryGetProperty("executable", out var executable) || executable.ValueKind != JsonValueKind.String)
            return ["shell.run needs an 'executable'"];
        if (_allowed.Resolve(executable.GetString()!) is null)
            return [$"executable '{executable.GetString()}' is not allowed (Tools:Shell:AllowedExecutables: {_allowed.Describe()})"];
        if (args.TryGetProperty("args", out var list) && (list.ValueKind != JsonValueKind.Array || list.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String)))
            return ["'args' must be an array of strings"];
        return [];
    }

    // The program by the path it runs from, however the step named it.
    public IReadOnlyList<string> Targets(JsonElement args) =>
        args.ValueKind == JsonValueKind.Object && args.TryGetProperty("executable", out var executable) && executable.ValueKind == JsonValueKind.String
            && _allowed.Resolve(executable.GetString()!) is { } path
            ? [ToolTargets.Executable(path)]
            : [];

    public async Task<ToolOutcome> InvokeAsync(ToolCall call, CancellationToken cancellationToken)
    {
        if (CheckArguments(call.Args) is [var refusal, ..])
            return ToolOutcome.Failure("Refused: " + refusal, refusal);
        var path = _allowed.Resolve(call.Args.GetProperty("executable").GetString()!)!;
        var started = _time.GetTimestamp();
        using var process = new Process { StartInfo = StartInfo(path, call.Args) };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            return ToolOutcome.Failure($"Could not start {path}: {ex.Message}", ex.Message);
        }
        process.StandardInput.Close(); // nothing to read: a program waiting for input ends at once instead of timing out

        var stdout = CappedOutput.Start(process.StandardOutput.BaseStream, _options.MaxOutputBytes);
        var stderr = CappedOutput.Start(process.StandardError.BaseStream, _options.MaxOutputBytes);
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            await Drain(stdout, stderr);
            cancellationToken.ThrowIfCancellationRequested(); // the step was cancelled: the tree is gone, say nothing more
            var limit = $"{path} ran longer than {_options.Timeout.TotalSeconds:0.###} s (Tools:Shell:Timeout); it and the processes it started were killed";
            return ToolOutcome.Failure("Timed out: " + limit, limit, output: Output(stdout.Snapshot(), stderr.Snapshot()));
        }

        // The program has exited; its output ends when every process that inherited the pipes has too.
        await Drain(stdout, stderr);
        return Exited(path, process.ExitCode, _time.GetElapsedTime(started), stdout.Snapshot(), stderr.Snapshot());
    }

    private static ToolOutcome Exited(string path, int exitCode, TimeSpan elapsed, (string Text, long Bytes, bool Cut) stdout, (string Text, long Bytes, bool Cut) stderr)
    {
        var output = Output(stdout, stderr);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"exit {exitCode} in {elapsed.TotalMilliseconds:0} ms · {stdout.Bytes + stderr.Bytes:N0} bytes of output{(stdout.Cut || stderr.Cut ? " (truncated)" : "")}");
        List<KeyValuePair<string, string>> facts =
        [
            new("Executable", path),
            new("Exit code", exitCode.ToString(CultureInfo.InvariantCulture)),
            new("Duration", string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMilliseconds:0} ms")),
        ];
        return exitCode == 0
            ? ToolOutcome.Success(summary, output, facts)
            : ToolOutcome.Failure(summary, $"{Path.GetFileName(path)} exited with code {exitCode}", output: output, facts: facts);
    }

    private ProcessStartInfo StartInfo(string path, JsonElement args)
    {
        var info = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = string.IsNullOrEmpty(_options.WorkingDirectory) ? Path.GetTempPath() : _options.WorkingDirectory,
        };
        if (args.TryGetProperty("args", out var list))
        {
            foreach (var arg in list.EnumerateArray())
                info.ArgumentList.Add(arg.GetString()!);
        }
        info.Environment.Clear();
        info.Environment["PATH"] = _options.Path;
        foreach (var (name, value) in _options.Environment)
            info.Environment[name] = value;
        return info;
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill.
        }
    }

    private static async Task Drain(CappedOutput stdout, CappedOutput stderr)
    {
        try
        {
            await Task.WhenAll(stdout.Completion, stderr.Completion).WaitAsync(DrainAfterKill);
        }
        catch (TimeoutException)
        {
            // Something outside the killed tree still holds a pipe; report what was read so far.
        }
    }

    private static string Output((string Text, long Bytes, bool Cut) stdout, (string Text, long Bytes, bool Cut) stderr)
    {
        var output = new StringBuilder(stdout.Text);
        if (stdout.Cut)
            output.AppendLine().Append(CultureInfo.InvariantCulture, $"(output cut at {stdout.Text.Length:N0} characters of {stdout.Bytes:N0} bytes)");
        if (stderr.Bytes > 0)
        {
            output.AppendLine().AppendLine("--- stderr ---").Append(stderr.Text);
            if (stderr.Cut)
                output.AppendLine().Append(CultureInfo.InvariantCulture, $"(stderr cut at {stderr.Text.Length:N0} characters of {stderr.Bytes:N0} bytes)");
        }
        return output.ToString().TrimEnd();
    }
}
