namespace BotAgent.Benchmarks.Load;

/// <summary>Makes the bytes of request number <c>index</c>.</summary>
internal interface IRequestSource
{
    /// <summary>The size of the scratch buffer each connection gives <see cref="Build"/>.</summary>
    int MaxLength { get; }

    ReadOnlyMemory<byte> Build(long index, byte[] scratch);
}
