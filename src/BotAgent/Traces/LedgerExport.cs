using System.Text.Json;
using BotAgent.Core.Traces;

namespace BotAgent.Traces;

/// <summary>Writes run ledgers as JSON lines (one run per line, redacted), the format of the <c>export</c> verb.</summary>
public sealed class LedgerExport(RunLedgerReader reader, TraceRedactor redactor)
{
    /// <returns>How many runs were written; 0 for an unknown <paramref name="runId"/>.</returns>
    public async Task<int> WriteRunAsync(string runId, Stream output, CancellationToken cancellationToken)
    {
        var ledger = await reader.ReadAsync(runId, cancellationToken);
        if (ledger is null)
            return 0;
        await WriteLineAsync(ledger, output, cancellationToken);
        return 1;
    }

    /// <summary>Every run created in [<paramref name="from"/>, <paramref name="to"/>), newest first.</summary>
    public async Task<int> WriteRangeAsync(DateTimeOffset? from, DateTimeOffset? to, Stream output, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var ledger in reader.ReadAllAsync(from, to, cancellationToken))
        {
            await WriteLineAsync(ledger, output, cancellationToken);
            count++;
        }
        return count;
    }

    private async Task WriteLineAsync(RunLedger ledger, Stream output, CancellationToken cancellationToken)
    {
        await JsonSerializer.SerializeAsync(output, RunLedgerDocument.From(redactor.Ledger(ledger)), TraceJsonContext.Default.RunLedgerDocument, cancellationToken);
        output.WriteByte((byte)'\n');
        await output.FlushAsync(cancellationToken);
    }
}
