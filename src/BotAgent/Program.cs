using BotAgent;

if (await BotAgentCommands.TryRunAsync(args) is { } exitCode)
    return exitCode;

var app = BotAgentApp.Create(args);
await app.RunBotAsync();
return 0;
