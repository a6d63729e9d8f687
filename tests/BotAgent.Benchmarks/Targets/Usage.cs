namespace BotAgent.Benchmarks.Targets;

/// <param name="Cores">CPU seconds per wall second: 1.0 is one core busy all the time.</param>
internal readonly record struct Usage(double Cores, double PeakRssMb, int PeakThreads, TimeSpan Cpu);
