using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace BotAgent.Benchmarks.Targets;

/// <summary>
/// The live managed heap of a .NET process: an EventPipe session with the GCHeapCollect keyword makes
/// the runtime do a full blocking GC (as dotnet-gcdump does), and the GCHeapStats event after it gives
/// the size of every generation. Unlike RSS, this does not count the free space server GC keeps.
/// </summary>
internal static class LiveHeap
{
    /// <returns>Bytes in the managed heap after the induced full GC.</returns>
    public static async Task<long> MeasureAsync(int pid, TimeSpan timeout)
    {
        var client = new DiagnosticsClient(pid);
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        using var session = await client.StartEventPipeSessionAsync(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, keywords)], requestRundown: false, circularBufferMB: 64, CancellationToken.None);
        using var source = new EventPipeEventSource(session.EventStream);
        var induced = false;
        var result = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Clr.GCStart += data => induced |= data.Depth == 2 && data.Reason is GCReason.Induced or GCReason.InducedNotForced or GCReason.InducedCompacting;
        source.Clr.GCHeapStats += data =>
        {
            if (induced)
                result.TrySetResult(data.GenerationSize0 + data.GenerationSize1 + data.GenerationSize2 + data.GenerationSize3 + data.GenerationSize4);
        };
        var processing = Task.Run(source.Process);
        try
        {
            return await result.Task.WaitAsync(timeout);
        }
        finally
        {
            await session.StopAsync(CancellationToken.None);
            await processing;
        }
    }
}
