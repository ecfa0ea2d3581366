// The chat benchmark's baseline: the same minimal relay as Vitrina's live chat, on Node and the
// npm `ws` server, with nothing stored. Visitors connect to /v1/visitor/ws, operators to
// /v1/console/ws; both send `hello` and get `welcome`. A visitor's `message` gets an `ack` (with
// the conversation id and a per-conversation seq) and is relayed to every operator; an
// operator's `message` to a conversation gets an `ack` and is relayed to that visitor.
//
//   node tools/bench/baselines/ws_relay.mjs PORT
//
// Listens on 127.0.0.1 only and prints "listening PORT" once ready.

import { WebSocketServer } from 'ws';
import { randomBytes } from 'node:crypto';

const port = Number(process.argv[2] ?? 0);
const operators = new Set();
const conversations = new Map(); // conversation id -> { visitor socket, seq }

function conversationId() {
  return 'conv_' + randomBytes(18).toString('base64url').replace(/[-_]/g, 'x').slice(0, 24);
}

const wss = new WebSocketServer({ host: '127.0.0.1', port, maxPayload: 32 * 1024 });
wss.on('connection', (ws, req) => {
  const isOperator = req.url.startsWith('/v1/console/ws');
  let welcomed = false;
  let own = null; // a visitor's conversation
  ws.on('message', (data, isBinary) => {
    if (isBinary) return ws.close(1003);
    let frame;
    try {
      frame = JSON.parse(data.toString('utf8'));
    } catch {
      return ws.send(JSON.stringify({ type: 'error', code: 'malformed', field: 'frame' }));
    }
    if (frame.type === 'hello') {
      if (welcomed) return ws.close(4400);
      welcomed = true;
      if (isOperator) operators.add(ws);
      return ws.send(JSON.stringify({ type: 'welcome', v: 1 }));
    }
    if (!welcomed || frame.type !== 'message') return;
    const now = new Date().toISOString();
    if (!isOperator) {
      if (!own) {
        own = { id: conversationId(), visitor: ws, seq: 0 };
        conversations.set(own.id, own);
      }
      const seq = ++own.seq;
      ws.send(JSON.stringify({ type: 'ack', client_id: frame.client_id, conversation_id: own.id, seq, created_at: now }));
      const out = JSON.stringify({
        type: 'message', conversation_id: own.id, seq, client_id: frame.client_id,
        author: { role: 'visitor' }, text: frame.text, created_at: now,
      });
      for (const op of operators) op.send(out);
      return;
    }
    const c = conversations.get(frame.conversation_id);
    if (!c) return ws.send(JSON.stringify({ type: 'error', code: 'not_found', field: 'conversation_id' }));
    const seq = ++c.seq;
    ws.send(JSON.stringify({ type: 'ack', client_id: frame.client_id, conversation_id: c.id, seq, created_at: now }));
    const out = JSON.stringify({
      type: 'message', conversation_id: c.id, seq, client_id: frame.client_id,
      author: { role: 'operator' }, text: frame.text, created_at: now,
    });
    if (c.visitor.readyState === 1) c.visitor.send(out);
    for (const op of operators) if (op !== ws) op.send(out);
  });
  ws.on('close', () => {
    operators.delete(ws);
    if (own) conversations.delete(own.id);
  });
});
wss.on('listening', () => console.log(`listening ${wss.address().port}`));
