using BotAgent.Core.Planning;
using BotAgent.Core.Reporting;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Intake;

/// <summary>
/// Shows "typing…" in the thread while a goal is planned, but only once planning has taken long enough to be
/// noticed: the offline planner answers in microseconds, and a Connector call per goal for an indicator nobody
/// would see was a good part of a goal's work.
/// </summary>
public sealed class PlanningIndicator(IEnumerable<IChannelSender> senders, TimeProvider time, IOptions<PlannerOptions> options)
{
    private readonly Dictionary<string, IChannelSender> _senders = senders.ToDictionary(s => s.Adapter, StringComparer.Ordinal);

    /// <summary>Awaits <paramref name="planning"/>, showing the indicator in <paramref name="conversation"/> if it is slow.</summary>
    public async Task<T> WhileAsync<T>(ConversationKey conversation, Task<T> planning, CancellationToken cancellationToken)
    {
        if (planning.IsCompleted || !_senders.TryGetValue(conversation.Adapter, out var sender))
            return await planning;
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var slow = Task.Delay(options.Value.TypingAfter, time, stopWaiting.Token);
        if (await Task.WhenAny(planning, slow) == slow && !slow.IsCanceled)
        {
            try
            {
                await sender.ShowPlanningAsync(conversation, cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Only an indicator: the plan that follows is what matters, and it is still on its way.
            }
        }
        await stopWaiting.CancelAsync(); // the timer is not left running for a goal that is done
        return await planning;
    }
}
