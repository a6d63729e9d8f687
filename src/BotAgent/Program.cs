using BotAgent;

var app = BotAgentApp.Create(args);
await app.RunBotAsync();
