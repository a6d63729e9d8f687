namespace BotAgent.Traces;

/// <summary>
/// Maps instants of a run onto the chart's x axis. Linear, except that idle stretches longer than
/// <see cref="BreakAfter"/> (a plan waiting hours for approval) are squeezed into a short marked break, so
/// the seconds of work on either side stay wide enough to read.
/// </summary>
internal sealed class TimeScale
{
    public static readonly TimeSpan BreakAfter = TimeSpan.FromMinutes(1);

    private readonly DateTimeOffset[] _points;
    private readonly double[] _positions; // effective seconds from the start, one per point
    private readonly double _left;
    private readonly double _width;

    private TimeScale(DateTimeOffset[] points, double[] positions, double left, double width, IReadOnlyList<(DateTimeOffset, DateTimeOffset)> breaks)
    {
        _points = points;
        _positions = positions;
        _left = left;
        _width = width;
        Breaks = breaks;
    }

    public DateTimeOffset Start => _points[0];

    public DateTimeOffset End => _points[^1];

    /// <summary>The squeezed idle stretches, in time order.</summary>
    public IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Breaks { get; }

    public static TimeScale Create(DateTimeOffset start, DateTimeOffset end, IEnumerable<DateTimeOffset> moments, double left, double width)
    {
        if (end <= start)
            end = start.AddMilliseconds(1);
        var points = moments.Where(m => m > start && m < end).Append(start).Append(end).Distinct().Order().ToArray();
        var gaps = points.Zip(points.Skip(1), (a, b) => (b - a).TotalSeconds).ToArray();
        var busy = gaps.Where(g => g <= BreakAfter.TotalSeconds).Sum();
        // A break gets a fixed share of the busy time (or of one unit when all the time is idle).
        var breakLength = busy > 0 ? busy * 0.06 : 1;
        var positions = new double[points.Length];
        var breaks = new List<(DateTimeOffset, DateTimeOffset)>();
        for (var i = 0; i < gaps.Length; i++)
        {
            var squeezed = gaps[i] > BreakAfter.TotalSeconds;
            positions[i + 1] = positions[i] + (squeezed ? breakLength : gaps[i]);
            if (squeezed)
                breaks.Add((points[i], points[i + 1]));
        }
        return new TimeScale(points, positions, left, width, breaks);
    }

    public double X(DateTimeOffset at)
    {
        if (at <= Start)
            return _left;
        if (at >= End)
            return _left + _width;
        var i = Array.BinarySearch(_points, at);
        double position;
        if (i >= 0)
        {
            position = _positions[i];
        }
        else
        {
            var next = ~i;
            var fraction = (at - _points[next - 1]).TotalSeconds / (_points[next] - _points[next - 1]).TotalSeconds;
            position = _positions[next - 1] + fraction * (_positions[next] - _positions[next - 1]);
        }
        return _left + position / _positions[^1] * _width;
    }

    /// <summary>Evenly spaced ticks along the axis, each with the real time since the start it stands for.</summary>
    public IEnumerable<(double X, TimeSpan SinceStart)> Ticks(int count)
    {
        for (var k = 0; k <= count; k++)
        {
            var position = _positions[^1] * k / count;
            var i = Array.FindLastIndex(_positions, p => p <= position);
            var at = i >= _points.Length - 1
                ? End
                : _points[i] + (_points[i + 1] - _points[i]) * ((position - _positions[i]) / (_positions[i + 1] - _positions[i]));
            yield return (_left + _width * k / count, at - Start);
        }
    }
}
