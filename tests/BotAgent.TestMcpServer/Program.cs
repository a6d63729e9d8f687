using BotAgent.TestMcpServer;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// stdio (the default): MCP on standard input and output, so nothing else may write to standard output.
// --http [--urls=http://127.0.0.1:0]: streamable HTTP at /mcp; prints "LISTENING <url>" once it listens.
if (!args.Contains("--http"))
{
    // Its own folder as content root: the working directory it inherits may hold someone else's appsettings.json.
    var stdio = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
    stdio.Logging.ClearProviders();
    stdio.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    stdio.Logging.SetMinimumLevel(LogLevel.Warning);
    stdio.Services.AddMcpServer(TestTools.Configure).WithStdioServerTransport();
    Console.Error.WriteLine($"test MCP server (stdio) started, pid {Environment.ProcessId}");
    await stdio.Build().RunAsync();
    return;
}

var web = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. args.Where(a => a != "--http")], ContentRootPath = AppContext.BaseDirectory });
web.Logging.ClearProviders();
web.Services.AddMcpServer(TestTools.Configure).WithHttpTransport();
var app = web.Build();
app.MapMcp("/mcp");
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.WriteLine($"LISTENING {address.TrimEnd('/')}/mcp");
await app.WaitForShutdownAsync();
