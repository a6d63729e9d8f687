namespace BotAgent.Traces;

/// <summary>
/// Puts each label on the first of a few text rows where it does not run into the previous one, so events
/// a few pixels apart stay readable (or, when every row is taken, on the row that overlaps least).
/// </summary>
internal sealed class LabelRows(params double[] rows)
{
    private const double CharWidth = 6.3, Spacing = 6;
    private readonly double[] _rightEdges = [.. rows.Select(_ => double.MinValue)];

    /// <returns>The y of the row the label goes on.</returns>
    public double Place(double x, string label)
    {
        var row = Array.FindIndex(_rightEdges, edge => x >= edge + Spacing);
        if (row < 0)
            row = Array.IndexOf(_rightEdges, _rightEdges.Min());
        _rightEdges[row] = x + label.Length * CharWidth;
        return rows[row];
    }
}
