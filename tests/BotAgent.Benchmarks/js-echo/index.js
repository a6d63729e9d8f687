// The Bot Framework JS SDK echo bot, as the SDK's own sample (02.echo-bot) writes it: restify,
// CloudAdapter with no app id (anonymous, as for the Emulator), an ActivityHandler that echoes each
// message through the Connector API at the activity's serviceUrl. The benchmark suite starts it with
// PORT set and measures it beside BotAgent.
'use strict';

const restify = require('restify');
const {
    ActivityHandler,
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
    MessageFactory
} = require('botbuilder');

class EchoBot extends ActivityHandler {
    constructor() {
        super();
        this.onMessage(async (context, next) => {
            const replyText = `Echo: ${ context.activity.text }`;
            await context.sendActivity(MessageFactory.text(replyText, replyText));
            await next();
        });
    }
}

const auth = new ConfigurationBotFrameworkAuthentication({});
const adapter = new CloudAdapter(auth);
adapter.onTurnError = async (context, error) => {
    console.error(`[onTurnError] ${ error }`);
};
const bot = new EchoBot();

const server = restify.createServer();
server.use(restify.plugins.bodyParser());
server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
});

const port = Number(process.env.PORT || 3978);
server.listen(port, '127.0.0.1', () => {
    console.log(`js-echo listening on http://127.0.0.1:${ port }/api/messages`);
});
