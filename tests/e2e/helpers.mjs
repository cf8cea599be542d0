// helpers.mjs: start the real firstdays binary on a loopback port with a fresh
// database, and small HTTP helpers for the end-to-end and browser tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

export const BIN = process.env.FIRSTDAYS_BIN || 'build/firstdays';

// Start a server. Returns { base, port, proc, dir, logs(), stop() }.
// extraArgs are passed to `firstdays serve`.
export async function startServer(extraArgs = [], { env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'firstdays-test-'));
  const args = ['serve', '--listen', '127.0.0.1:0', '--db', join(dir, 'test.db'), ...extraArgs];
  const proc = spawn(BIN, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/[0-9.]+:(\d+)\//);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${err}`)); });
  });
  const base = `http://127.0.0.1:${port}`;
  // The server answers at once and builds its directory index after: wait
  // for it, so that every test sees the directory loaded. (A connection of
  // its own each time, closed after, so none is left open to count against
  // a test's connection limits.)
  for (let i = 0; i < 400; i++) {
    const raw = await rawRequest(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n').catch(() => '');
    if (raw && !raw.includes('"status":"starting"')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base, port, proc, dir,
    logs: () => err,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    async stop() {
      if (proc.exitCode === null) {
        const done = new Promise((r) => proc.on('exit', r));
        proc.kill('SIGTERM');
        await done;
      }
      rmSync(dir, { recursive: true, force: true });
      return proc.exitCode;
    },
  };
}

// Send raw bytes and return the raw response text (for malformed requests).
export function rawRequest(port, data, { timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = '';
    const timer = setTimeout(() => { sock.destroy(); resolve(buf); }, timeoutMs);
    sock.on('data', (d) => { buf += d.toString('latin1'); });
    sock.on('end', () => { clearTimeout(timer); resolve(buf); });
    sock.on('close', () => { clearTimeout(timer); resolve(buf); });
    sock.on('error', (e) => { clearTimeout(timer); if (buf) resolve(buf); else reject(e); });
    sock.write(data);
  });
}

// Status code from a raw response.
export function rawStatus(text) {
  const m = text.match(/^HTTP\/1\.[01] (\d{3})/);
  return m ? Number(m[1]) : 0;
}
