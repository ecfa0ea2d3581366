// What the browser tests share: their environment, Debian's Chromium launched the one way every
// test needs it, a free loopback port, and vitrina-server started and stopped as a child.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

// A variable tests/browser/CMakeLists.txt sets.
export function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run through ctest)`);
  return value;
}

// Headless Chromium from /usr/bin/chromium with a fresh profile and nothing phoning home.
export function launchChromium(chromium) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    timeout: 30000,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}

// A port that was free a moment ago: a site's allowed origin must name the page's exact origin,
// port included, so the server cannot simply take port 0 there.
export async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

// Starts vitrina-server with `args`; resolves with {child, address, log()} once it logs
// "listening", rejects (with its log) when it exits first or takes over 15 s.
export function startServer(binary, args) {
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  process.on('exit', () => { if (child.exitCode === null) child.kill('SIGKILL'); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 15 s\n${log}`)), 15000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited early (code ${code}, signal ${signal})\n${log}`));
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      log += `${line}\n`;
      let entry;
      try { entry = JSON.parse(line); } catch { return; }
      if (entry.msg === 'listening' && typeof entry.address === 'string') {
        clearTimeout(timer);
        resolve({ child, address: entry.address, log: () => log });
      }
    });
  });
}

// SIGTERM, then SIGKILL after 5 s; resolves once the child has gone.
export function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => { clearTimeout(kill); resolve(); });
    child.kill('SIGTERM');
  });
}

// Runs the server's CLI with `input` on stdin; resolves with stdout, rejects on a non-zero exit
// or after 20 s.
export function runCli(binary, args, input = '') {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out); else reject(new Error(`${args.join(' ')} exited ${code}\n${out}${err}`));
    });
    child.stdin.end(input);
  });
}

// The console page's errors and warnings, collected into the array returned (the 401 of the
// signed-out start is expected and left out).
export function collectComplaints(page) {
  const complaints = [];
  page.on('console', (m) => {
    if (/status of 401/.test(m.text())) return;
    if (m.type() === 'error' || m.type() === 'warning') complaints.push(m.text());
  });
  page.on('pageerror', (e) => complaints.push(`pageerror: ${e.message}`));
  return complaints;
}
