using System.Runtime.CompilerServices;
using BotAgent.Core.Execution;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Traces;

/// <summary>Assembles a run's whole ledger from the store's ports, for the trace viewer and the export.</summary>
public sealed class RunLedgerReader(IRunStore runs, IRunQueries queries, IStepAttemptStore attempts, ITraceReader traces)
{
    /// <summary>Runs read per query while exporting: enough to be quick, few enough to keep memory flat.</summary>
    public const int ExportPageSize = 100;

    /// <returns>Null when there is no such run.</returns>
    public async Task<RunLedger?> ReadAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken);
        return run is null ? null : await ReadAsync(run, cancellationToken);
    }

    public async Task<RunLedger> ReadAsync(Run run, CancellationToken cancellationToken)
    {
        var plans = new List<PlanVersion>(run.PlanVersion);
        for (var version = 1; version <= run.PlanVersion; version++)
        {
            if (await runs.GetPlanAsync(run.Id, version, cancellationToken) is { } plan)
                plans.Add(plan);
        }
        return new RunLedger(
            run,
            plans,
            await runs.GetDecisionsAsync(run.Id, cancellationToken),
            await attempts.ListAsync(run.Id, cancellationToken),
            await runs.GetResolutionsAsync(run.Id, cancellationToken),
            await traces.ListAsync(run.Id, cancellationToken));
    }

    /// <summary>The ledgers of every run created in [<paramref name="from"/>, <paramref name="to"/>), newest first, a page at a time.</summary>
    public async IAsyncEnumerable<RunLedger> ReadAllAsync(DateTimeOffset? from, DateTimeOffset? to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = new RunQuery(From: from, To: to, Limit: ExportPageSize);
        while (true)
        {
            var page = await queries.ListRunsAsync(query, cancellationToken);
            foreach (var run in page)
                yield return await ReadAsync(run, cancellationToken);
            if (page.Count < query.Limit)
                yield break;
            // Later pages end at the first page's newest run: runs created while exporting would otherwise
            // push the pages back and a run would be written twice. (Creation times are stored to the tick.)
            if (query.Offset == 0)
            {
                var newest = page[0].CreatedAt.AddTicks(1);
                query = query with { To = to is { } end && end < newest ? end : newest };
            }
            query = query with { Offset = query.Offset + page.Count };
        }
    }
}
