using System.Diagnostics;
using System.Net;
using System.Threading.Channels;

namespace BotAgent.Benchmarks.Load;

/// <summary>
/// Sends POSTs over a fixed number of keep-alive connections, bounded in count and time. Closed loop: every
/// connection sends its next request when the last is answered (the most a target can take). Open loop:
/// requests are due at a fixed rate and latency counts from when each was due, so a target that falls
/// behind is charged for the queue (no coordinated omission).
/// </summary>
internal static class LoadGenerator
{
    /// <param name="sentAt">If given, <c>sentAt[index]</c> gets each request's Stopwatch timestamp (when it was sent or due).</param>
    public static async Task<LoadResult> ClosedAsync(
        IPEndPoint endpoint, IRequestSource requests, int connections, long maxRequests, TimeSpan maxDuration,
        long[]? sentAt, CancellationToken cancellationToken)
    {
        var state = new RunState();
        var next = -1L;
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(maxDuration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var scratch = new byte[requests.MaxLength];
            HttpConnection? connection = null;
            try
            {
                long index;
                while (Stopwatch.GetTimestamp() < deadline && (index = Interlocked.Increment(ref next)) < maxRequests)
                {
                    var at = Stopwatch.GetTimestamp();
                    if (sentAt is not null)
                        sentAt[index] = at;
                    connection = await SendOneAsync(endpoint, connection, requests.Build(index, scratch), at, state, cancellationToken);
                }
            }
            finally
            {
                connection?.Dispose();
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(workers);
        return state.Result(Stopwatch.GetElapsedTime(start));
    }

    public static async Task<LoadResult> OpenAsync(
        IPEndPoint endpoint, IRequestSource requests, int connections, double perSecond, long count,
        long[]? sentAt, CancellationToken cancellationToken)
    {
        var state = new RunState();
        var due = Channel.CreateUnbounded<(long Index, long At)>(new UnboundedChannelOptions { SingleWriter = true });
        var start = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var scratch = new byte[requests.MaxLength];
            HttpConnection? connection = null;
            try
            {
                await foreach (var (index, at) in due.Reader.ReadAllAsync(cancellationToken))
                    connection = await SendOneAsync(endpoint, connection, requests.Build(index, scratch), at, state, cancellationToken);
            }
            finally
            {
                connection?.Dispose();
            }
        }, cancellationToken)).ToList();

        for (long i = 0; i < count; i++)
        {
            var at = start + (long)(i * Stopwatch.Frequency / perSecond);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), at);
            if (wait > TimeSpan.FromMilliseconds(1))
                await Task.Delay(wait, cancellationToken);
            if (sentAt is not null)
                sentAt[i] = at;
            due.Writer.TryWrite((i, at));
        }
        due.Writer.Complete();
        await Task.WhenAll(workers);
        return state.Result(Stopwatch.GetElapsedTime(start));
    }

    /// <summary>Tries a fresh connection until the target answers 2xx: the time a process takes to start serving.</summary>
    public static async Task<TimeSpan> FirstOkAsync(IPEndPoint endpoint, IRequestSource request, long started, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var scratch = new byte[request.MaxLength];
        for (long attempt = 0; Stopwatch.GetElapsedTime(started) < timeout; attempt++)
        {
            try
            {
                using var connection = await HttpConnection.ConnectAsync(endpoint, cancellationToken);
                if (await connection.SendAsync(request.Build(attempt, scratch), cancellationToken) is >= 200 and < 300)
                    return Stopwatch.GetElapsedTime(started);
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException)
            {
            }
            await Task.Delay(5, cancellationToken);
        }
        throw new TimeoutException($"No 2xx from {endpoint} within {timeout}.");
    }

    private static async Task<HttpConnection?> SendOneAsync(
        IPEndPoint endpoint, HttpConnection? connection, ReadOnlyMemory<byte> request, long at, RunState state, CancellationToken cancellationToken)
    {
        try
        {
            connection ??= await HttpConnection.ConnectAsync(endpoint, cancellationToken);
            var status = await connection.SendAsync(request, cancellationToken);
            state.Latency.RecordTicks(Stopwatch.GetTimestamp() - at);
            if (status is >= 200 and < 300)
                Interlocked.Increment(ref state.Ok);
            else
                state.Fail($"HTTP {status}");
            if (!connection.IsReusable)
            {
                connection.Dispose();
                connection = null;
            }
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException)
        {
            state.Fail(ex.GetType().Name + ": " + ex.Message);
            connection?.Dispose();
            connection = null;
            await Task.Delay(10, cancellationToken);
        }
        return connection;
    }

    private sealed class RunState
    {
        public long Ok;
        private long _errors;
        private string? _firstError;

        public LatencyHistogram Latency { get; } = new();

        public void Fail(string error)
        {
            Interlocked.Increment(ref _errors);
            Interlocked.CompareExchange(ref _firstError, error, null);
        }

        public LoadResult Result(TimeSpan elapsed) => new(Interlocked.Read(ref Ok), Interlocked.Read(ref _errors), elapsed, Latency, _firstError);
    }
}
