// The chat benchmark's baseline: the same minimal relay as Vitrina's chat, on Node's most used
// WebSocket server (npm `ws`), in memory. Visitors connect to /v1/visitor/ws, operators to
// /v1/console/ws; both say hello and get welcome; a visitor's message gets a per-conversation
// seq, an ack and a copy to every operator; an operator's message gets an ack and a copy to the
// conversation's visitor and the other operators. Frames are those of docs/protocol.md.
// Nothing is stored, nothing is authenticated: it is what a relay costs at least.
//
//   node tools/bench/baselines/chat-relay.mjs [--port 0]
//
// Prints {"msg":"listening","port":N} on standard error once it listens on 127.0.0.1.

import http from 'node:http';
import crypto from 'node:crypto';
import { WebSocketServer } from 'ws';

const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;

const visitorsWss = new WebSocketServer({ noServer: true, maxPayload: 32 * 1024 });
const operatorsWss = new WebSocketServer({ noServer: true, maxPayload: 32 * 1024 });
const operators = new Set();
const conversations = new Map(); // id → {visitor: socket, seq}

const id = (prefix) => prefix + crypto.randomBytes(18).toString('base64url').slice(0, 24);
const now = () => new Date().toISOString();
const send = (ws, frame) => { if (ws.readyState === 1) ws.send(JSON.stringify(frame)); };
const error = (ws, code, field) => send(ws, { type: 'error', code, message: code, field });

function parse(ws, data, isBinary) {
  if (isBinary) { ws.close(1003); return null; }
  try {
    const frame = JSON.parse(data.toString('utf8'));
    if (typeof frame !== 'object' || frame === null || typeof frame.type !== 'string') throw new Error();
    return frame;
  } catch {
    error(ws, 'malformed', 'frame');
    return null;
  }
}

visitorsWss.on('connection', (ws) => {
  const visitor = { id: id('vis_'), conversation: null, hello: false };
  ws.on('message', (data, isBinary) => {
    const f = parse(ws, data, isBinary);
    if (!f) return;
    if (f.type === 'hello') {
      visitor.hello = true;
      send(ws, { type: 'welcome', v: 1, visitor: { id: visitor.id, token: 'vt1.' + visitor.id, token_status: 'issued',
        presence: { status: operators.size ? 'online' : 'offline' } } });
      return;
    }
    if (!visitor.hello) return error(ws, 'not_allowed', 'type');
    if (f.type !== 'message') return;
    if (typeof f.client_id !== 'string' || typeof f.text !== 'string') return error(ws, 'invalid', 'text');
    if (!visitor.conversation) {
      visitor.conversation = { id: id('conv_'), visitor: ws, seq: 0 };
      conversations.set(visitor.conversation.id, visitor.conversation);
      send(ws, { type: 'conversation', conversation: { id: visitor.conversation.id, kind: 'chat', status: 'waiting' } });
    }
    const c = visitor.conversation;
    const seq = ++c.seq;
    const created_at = now();
    send(ws, { type: 'ack', client_id: f.client_id, conversation_id: c.id, seq, created_at });
    const out = JSON.stringify({ type: 'message', conversation_id: c.id, seq, client_id: f.client_id,
      author: { role: 'visitor' }, text: f.text, created_at });
    for (const op of operators) if (op.readyState === 1) op.send(out);
  });
  ws.on('close', () => { if (visitor.conversation) conversations.delete(visitor.conversation.id); });
});

operatorsWss.on('connection', (ws) => {
  const operator = { id: id('op_'), hello: false };
  ws.on('message', (data, isBinary) => {
    const f = parse(ws, data, isBinary);
    if (!f) return;
    if (f.type === 'hello') {
      operator.hello = true;
      operators.add(ws);
      send(ws, { type: 'welcome', v: 1, operator: { id: operator.id, name: 'Bench', role: 'operator' } });
      return;
    }
    if (!operator.hello) return error(ws, 'not_allowed', 'type');
    if (f.type !== 'message') return;
    const c = conversations.get(f.conversation_id);
    if (!c) return error(ws, 'not_found', 'conversation_id');
    if (typeof f.client_id !== 'string' || typeof f.text !== 'string') return error(ws, 'invalid', 'text');
    const seq = ++c.seq;
    const created_at = now();
    send(ws, { type: 'ack', client_id: f.client_id, conversation_id: c.id, seq, created_at });
    const out = JSON.stringify({ type: 'message', conversation_id: c.id, seq, client_id: f.client_id,
      author: { role: 'operator', id: operator.id, name: 'Bench' }, text: f.text, created_at });
    if (c.visitor.readyState === 1) c.visitor.send(out);
    for (const op of operators) if (op !== ws && op.readyState === 1) op.send(out);
  });
  ws.on('close', () => operators.delete(ws));
});

const server = http.createServer((req, res) => { res.writeHead(404); res.end(); });
server.on('upgrade', (req, socket, head) => {
  const path = req.url.split('?')[0];
  const wss = path === '/v1/visitor/ws' ? visitorsWss : path === '/v1/console/ws' ? operatorsWss : null;
  if (!wss) { socket.destroy(); return; }
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
server.listen(port, '127.0.0.1', () => {
  process.stderr.write(JSON.stringify({ msg: 'listening', port: server.address().port }) + '\n');
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
