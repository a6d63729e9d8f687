// Drives the bot's Direct Line endpoint with the official client (botframework-directlinejs), as Web Chat does:
// a conversation over WebSocket or polling, a disconnect, a message posted while nobody listens, and a reconnect from
// the saved watermark. Prints what each client saw as one JSON line; BotAgent.Tests (DirectLineJsClientTests) judges it.
// Usage: node drive.js <domain, e.g. http://127.0.0.1:5000/v3/directline> <secret> <websocket|polling>
'use strict';

// The client is written for browsers: Node gets their XMLHttpRequest and WebSocket from the pinned packages.
global.XMLHttpRequest = require('xhr2');
const WebSocket = require('ws');
const { DirectLine } = require('botframework-directlinejs');

const [domain, secret, mode] = process.argv.slice(2);
if (!domain || !secret || !['websocket', 'polling'].includes(mode)) {
  console.error('usage: node drive.js <domain> <secret> <websocket|polling>');
  process.exit(2);
}

const connect = options =>
  new DirectLine({ secret, domain, webSocket: mode === 'websocket', pollingInterval: 250, timeout: 20000, WebSocket, ...options });

function waitFor(seen, predicate, what, ms = 30000) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      const found = seen.find(predicate);
      if (found) {
        clearInterval(timer);
        resolve(found);
      } else if (Date.now() - started > ms) {
        clearInterval(timer);
        reject(new Error(`timed out waiting for ${what}; saw ${JSON.stringify(seen.map(brief))}`));
      }
    }, 50);
  });
}

const post = (client, text) =>
  new Promise((resolve, reject) =>
    client.postActivity({ type: 'message', from: { id: 'alice', name: 'Alice' }, text }).subscribe(resolve, reject));

const brief = a => ({ id: a.id, type: a.type, role: a.from && a.from.role, text: a.text, replyToId: a.replyToId });

async function rest(path, options = {}) {
  const response = await fetch(`${domain}${path}`, {
    ...options,
    headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json', ...(options.headers || {}) }
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function main() {
  const first = connect({});
  const seenFirst = [];
  const statuses = [];
  first.connectionStatus$.subscribe(s => statuses.push(s));
  const subscription = first.activity$.subscribe(a => seenFirst.push(a));
  const helpId = await post(first, 'help');
  await waitFor(seenFirst, a => a.from.role === 'bot' && a.replyToId === helpId, 'the answer to help');
  const conversationId = first.conversationId;
  const watermark = first.watermark;
  subscription.unsubscribe();
  first.end();

  // Nobody is connected: the message and the bot's answer wait in the conversation's log.
  const historyId = (await rest(`/conversations/${conversationId}/activities`, {
    method: 'POST',
    body: JSON.stringify({ type: 'message', from: { id: 'alice', name: 'Alice' }, text: 'history' })
  })).id;
  const logged = [];
  for (let mark = watermark; !logged.some(a => a.replyToId === historyId); ) {
    const set = await rest(`/conversations/${conversationId}/activities?watermark=${mark}`);
    logged.push(...set.activities);
    mark = set.watermark;
    await new Promise(resolve => setTimeout(resolve, 100));
  }

  const second = connect({ conversationId, watermark });
  const seenSecond = [];
  second.activity$.subscribe(a => seenSecond.push(a));
  await waitFor(seenSecond, a => a.replyToId === historyId, 'the answer to history after reconnecting');
  const statusId = await post(second, 'status');
  await waitFor(seenSecond, a => a.from.role === 'bot' && a.replyToId === statusId, 'the answer to status');
  second.end();

  console.log(JSON.stringify({
    mode, conversationId, watermark, helpId, historyId, statusId, statuses,
    first: seenFirst.map(brief), second: seenSecond.map(brief), secondWatermark: second.watermark
  }));
  process.exit(0);
}

main().catch(error => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
