using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Console;

namespace BotAgent;

/// <summary>
/// The bot starts from <see cref="WebApplication.CreateSlimBuilder(WebApplicationOptions)"/>: the same configuration
/// sources, host filtering, forwarded headers and service-provider validation as <c>CreateBuilder</c>, without loading
/// what an always-on bot on Linux never uses (IIS integration, HTTP/3 over QUIC, the Debug logger, the regex route
/// constraint). This puts back what users of <c>CreateBuilder</c> rely on.
/// </summary>
internal static class SlimHostDefaults
{
    public static void AddFullBuilderDefaults(this WebApplicationBuilder builder)
    {
        // HTTPS endpoints from --urls, Kestrel:Endpoints or Kestrel:Certificates, as CreateBuilder allows.
        builder.WebHost.UseKestrelHttpsConfiguration();
        // The slim builder pins the simple console formatter; keep Logging:Console:FormatterName (json, systemd) working.
        if (builder.Configuration["Logging:Console:FormatterName"] is { Length: > 0 } formatter)
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = formatter);
        // Logs for dotnet-trace and dotnet-monitor (the Microsoft-Extensions-Logging event source).
        builder.Logging.AddEventSourceLogger();
        if (OperatingSystem.IsWindows())
            AddIis(builder);
    }

    // Its own method: compiling a call to UseIIS loads the IIS assemblies, which only Windows needs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddIis(WebApplicationBuilder builder)
    {
        builder.WebHost.UseIIS();
        builder.WebHost.UseIISIntegration();
    }
}
