// The operator WebSocket (docs/protocol.md): hello/welcome, reconnect with backoff and jitter,
// a ping after 25 s of silence, messages kept until their ack and sent again with the same
// client_id after a reconnect, and history loaded with resume.

const PING_AFTER_MS = 25000;
const PONG_WITHIN_MS = 10000;

export function clientId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'c' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class OperatorSocket {
  constructor({ onFrame, onState, onWelcome, onSessionEnded }) {
    this.onFrame = onFrame;
    this.onState = onState;
    this.onWelcome = onWelcome;
    this.onSessionEnded = onSessionEnded;
    this.ws = null;
    this.ready = false;
    this.stopped = false;
    this.attempt = 0;
    this.pending = new Map();  // client_id -> message frame not yet acknowledged
    this.resumes = new Map();  // ref -> {conversationId, resolve}
    this.refSeq = 0;
    this.timer = null;
  }

  url() {
    return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/console/ws`;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.ws) this.ws.close(1000);
  }

  connect() {
    this.onState('connecting');
    const ws = new WebSocket(this.url());
    this.ws = ws;
    this.ready = false;
    ws.addEventListener('open', () => this.send({ type: 'hello', v: 1 }, true));
    ws.addEventListener('message', (event) => {
      this.touch();
      let frame;
      try { frame = JSON.parse(event.data); } catch { return; }
      if (!frame || typeof frame.type !== 'string') return;
      this.handle(frame);
    });
    ws.addEventListener('close', (event) => {
      if (this.ws !== ws) return;
      this.ready = false;
      clearTimeout(this.timer);
      for (const r of this.resumes.values()) r.reject(new Error('disconnected'));
      this.resumes.clear();
      if (this.stopped || event.code === 1000) { this.onState('offline'); return; }
      if (event.code === 4401) { this.onSessionEnded(); return; }
      if (event.code === 4403) { this.onState('offline'); return; }
      this.onState('offline');
      // Exponential backoff with jitter: 1 s doubling to 30 s; longer after a rate limit.
      const base = event.code === 4429 ? 10000 : Math.min(30000, 1000 * 2 ** this.attempt);
      this.attempt += 1;
      this.timer = setTimeout(() => this.connect(), base / 2 + Math.random() * base / 2);
    });
  }

  // Any traffic restarts the liveness timer.
  touch() {
    clearTimeout(this.timer);
    if (!this.ready) return;
    this.timer = setTimeout(() => {
      this.send({ type: 'ping' });
      this.timer = setTimeout(() => this.ws?.close(4000), PONG_WITHIN_MS);
    }, PING_AFTER_MS);
  }

  handle(frame) {
    if (frame.type === 'welcome') {
      this.ready = true;
      this.attempt = 0;
      this.onState('online');
      this.touch();
      this.onWelcome(frame);
      // Messages sent before the connection dropped go again with the same client_id.
      for (const m of this.pending.values()) this.send(m);
      return;
    }
    if (frame.type === 'ack') this.pending.delete(frame.client_id);
    if (frame.type === 'error' && frame.client_id && frame.code !== 'unavailable') this.pending.delete(frame.client_id);
    if (frame.type === 'resumed' || (frame.type === 'error' && frame.ref && this.resumes.has(frame.ref))) {
      const r = this.resumes.get(frame.ref);
      if (r) {
        this.resumes.delete(frame.ref);
        if (frame.type === 'resumed') r.resolve(frame); else r.reject(new Error(frame.message || frame.code));
      }
    }
    this.onFrame(frame);
  }

  send(frame, force = false) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || (!this.ready && !force)) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  // Sends a chat message or note; it is kept until acknowledged. Answers the client_id.
  sendMessage(conversationId, text, internal) {
    const frame = { type: 'message', conversation_id: conversationId, client_id: clientId(), text };
    if (internal) frame.internal = true;
    this.pending.set(frame.client_id, frame);
    this.send(frame);
    return frame.client_id;
  }

  // Every message after lastSeen, in batches, until the server says there is no more.
  async resume(conversationId, lastSeen) {
    let from = lastSeen;
    for (;;) {
      const ref = `r${++this.refSeq}`;
      const done = new Promise((resolve, reject) => this.resumes.set(ref, { resolve, reject }));
      if (!this.send({ type: 'resume', ref, conversation_id: conversationId, last_seen: from })) {
        this.resumes.delete(ref);
        throw new Error('not connected');
      }
      const batch = await done;
      if (!batch.more) return batch;
      from = batch.through;
    }
  }

  action(type, conversationId, extra = {}) {
    return this.send({ type, conversation_id: conversationId, ref: `a${++this.refSeq}`, ...extra });
  }
}
