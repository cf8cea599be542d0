// proxy.test.mjs: firstdays behind Debian's nginx, configured from the documented
// docs/nginx-firstdays.conf. The test starts its own nginx (not a daemon, with its own
// prefix, pid, logs and temporary folders, on free loopback ports, without TLS and with
// a 2 s header timeout) in front of a firstdays it starts, and checks through it: pages
// keep firstdays' security headers, over-long header blocks are refused by nginx, a
// slowloris connection is closed by nginx in time, and connections from one address
// over limit_conn are refused while other addresses are served. It also checks that
// the documented limits still match src/http/http.h. Without nginx (apt-get install
// nginx, or make deps) the nginx tests are skipped.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { startServer, rawStatus } from './helpers.mjs';

const NGINX = process.env.NGINX_BIN || '/usr/sbin/nginx';
const HEADER_TIMEOUT_S = 2; // the test's client_header_timeout, instead of the documented 10 s

const doc = readFileSync(new URL('../../docs/nginx-firstdays.conf', import.meta.url), 'utf8');
const httpH = readFileSync(new URL('../../src/http/http.h', import.meta.url), 'utf8');
function limit(name) {
  const m = httpH.match(new RegExp(`#define ${name} (\\d+)`));
  assert.ok(m, `${name} is defined in http.h`);
  return Number(m[1]);
}
// A directive's arguments in the documented file (its first occurrence).
function directive(name) {
  const m = doc.match(new RegExp(`^\\s*${name}\\s+([^;]+);`, 'm'));
  assert.ok(m, `docs/nginx-firstdays.conf sets ${name}`);
  return m[1].trim().split(/\s+/);
}
function size(v) { // nginx size: 4k, 64k, 1m, or bytes
  const m = /^(\d+)([km]?)$/i.exec(v);
  assert.ok(m, `${v} is an nginx size`);
  return Number(m[1]) * { '': 1, k: 1024, m: 1048576 }[m[2].toLowerCase()];
}
function seconds(v) {
  const m = /^(\d+)s?$/.exec(v);
  assert.ok(m, `${v} is a time in seconds`);
  return Number(m[1]);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, host, () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// Whether text holds a whole answer with a Content-Length (nginx keeps a connection
// open for a while after some refusals, to read what the client still sends).
function complete(text) {
  const i = text.indexOf('\r\n\r\n');
  if (i < 0) return false;
  const m = text.slice(0, i).match(/^Content-Length:\s*(\d+)/im);
  return Boolean(m) && Buffer.byteLength(text.slice(i + 4), 'latin1') >= Number(m[1]);
}

// Send raw bytes to host:port; resolves with { text, closedAfterMs } once the peer
// closes, a whole answer with a Content-Length has arrived, or timeoutMs passes.
function raw(port, data, { host = '127.0.0.1', timeoutMs = 5000 } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const sock = net.connect({ port, host });
    let text = '';
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ text, closedAfterMs: Date.now() - t0 });
    };
    const timer = setTimeout(end, timeoutMs);
    sock.on('data', (d) => {
      text += d.toString('latin1');
      if (complete(text)) end();
    });
    sock.on('end', end);
    sock.on('close', end);
    sock.on('error', end);
    sock.write(data);
  });
}
function header(text, name) {
  const head = text.split('\r\n\r\n')[0];
  const m = head.match(new RegExp(`^${name}:[ \\t]*(.*)$`, 'im'));
  return m ? m[1].trim() : undefined;
}
const get = (target, extra = '') =>
  `GET ${target} HTTP/1.1\r\nHost: firstdays.example.org\r\n${extra}Connection: close\r\n\r\n`;

// --- Limits that do not need nginx to check ---

test('the documented nginx limits match src/http/http.h', () => {
  const [n, bufSize] = directive('large_client_header_buffers');
  const uri = limit('HTTP_LIMIT_URI_BYTES');
  const headers = limit('HTTP_LIMIT_HEADER_BYTES');
  assert.ok(size(bufSize) >= uri + 'DELETE  HTTP/1.1\r\n'.length,
    `a request line with a ${uri}-byte target fits in one ${bufSize} buffer`);
  assert.equal(Number(n) * size(bufSize), headers,
    'large_client_header_buffers hold as many header bytes as HTTP_LIMIT_HEADER_BYTES');
  assert.ok(Number(n) * size(bufSize) + size(directive('client_header_buffer_size')[0]) <
    limit('HTTP_LIMIT_CONN_MEMORY'), 'every head nginx passes fits firstdays\' connection memory');
  assert.equal(size(directive('client_max_body_size')[0]), limit('HTTP_LIMIT_BODY_DEFAULT'),
    'client_max_body_size is HTTP_LIMIT_BODY_DEFAULT');
  assert.ok(size(directive('client_body_buffer_size')[0]) >= size(directive('client_max_body_size')[0]),
    'every body allowed is held in memory');
  assert.equal(seconds(directive('client_header_timeout')[0]), limit('HTTP_LIMIT_HEAD_S'),
    'client_header_timeout is HTTP_LIMIT_HEAD_S');
  assert.ok(seconds(directive('keepalive_timeout')[0]) < limit('HTTP_LIMIT_HEAD_S'),
    'upstream connections are dropped by nginx before firstdays stops waiting on them');
  assert.equal(seconds(directive('send_timeout')[0]), limit('HTTP_LIMIT_TIMEOUT_S'),
    'send_timeout is HTTP_LIMIT_TIMEOUT_S');
  assert.deepEqual(directive('proxy_request_buffering'), ['on']);
  assert.deepEqual(directive('proxy_http_version'), ['1.1']);
  assert.deepEqual(directive('proxy_set_header Connection'), ['""']);
  assert.deepEqual(directive('proxy_set_header X-Forwarded-For'), ['$remote_addr'],
    'X-Forwarded-For is set, not appended to');
});

// --- Through a real nginx ---

const haveNginx = spawnSync(NGINX, ['-v'], { stdio: 'ignore' }).status === 0;

if (!haveNginx) {
  test('firstdays behind nginx', (t) => {
    t.skip(`nginx is not installed (${NGINX}); install it with apt-get install nginx or make deps`);
  });
} else {
  describe('firstdays behind nginx (docs/nginx-firstdays.conf)', () => {
    let fd; // firstdays
    let ngx; // nginx child process
    let dir;
    let port; // nginx, HTTP, on 127.0.0.1 and ::1
    let haveV6 = true;
    const nginxLog = () => {
      try { return readFileSync(join(dir, 'error.log'), 'utf8'); } catch { return ''; }
    };

    // The documented file, made runnable here: this test's ports, no TLS, a short
    // header timeout. Each change must find what it replaces, so a change to the
    // documented file that the test no longer follows fails here, not silently.
    function config(fdPort, redirectPort) {
      let c = doc;
      const sub = (re, to, what) => {
        assert.ok(re.test(c), `docs/nginx-firstdays.conf has ${what}`);
        re.lastIndex = 0;
        c = c.replace(re, to);
      };
      sub(/server 127\.0\.0\.1:8080;/, `server 127.0.0.1:${fdPort};`, 'the upstream 127.0.0.1:8080');
      sub(/listen 80;\s*listen \[::\]:80;/, `listen 127.0.0.1:${redirectPort};`, 'the port 80 listeners');
      sub(/listen 443 ssl http2;\s*listen \[::\]:443 ssl http2;/,
        `listen 127.0.0.1:${port};${haveV6 ? ` listen [::1]:${port};` : ''}`, 'the port 443 listeners');
      sub(/^\s*ssl_[a-z_]+\s[^;]*;$/gm, '', 'the TLS settings');
      sub(/client_header_timeout 10s;/, `client_header_timeout ${HEADER_TIMEOUT_S}s;`,
        'client_header_timeout 10s');
      return `# generated by tests/e2e/proxy.test.mjs from docs/nginx-firstdays.conf
worker_processes 1;
daemon off;
master_process on;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 256; }
http {
    access_log ${dir}/access.log;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
${c}
}
`;
    }

    before(async () => {
      // firstdays as documented behind a proxy: every connection comes from nginx.
      fd = await startServer(['--set', 'per_ip_connections=512']);
      dir = mkdtempSync(join(tmpdir(), 'firstdays-nginx-'));
      chmodSync(dir, 0o755); // nginx's workers may run as another user when root starts it
      try { await freePort('::1'); } catch { haveV6 = false; }
      port = await freePort();
      const conf = config(fd.port, await freePort());
      writeFileSync(join(dir, 'nginx.conf'), conf);
      const check = spawnSync(NGINX, ['-t', '-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
        { encoding: 'utf8' });
      assert.equal(check.status, 0, `nginx -t accepts the configuration:\n${check.stderr}\n${conf}`);
      ngx = spawn(NGINX, ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
        { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      ngx.stderr.on('data', (d) => { err += d; });
      // Ready when it accepts connections.
      const t0 = Date.now();
      for (;;) {
        if (ngx.exitCode !== null) assert.fail(`nginx exited ${ngx.exitCode}: ${err}\n${nginxLog()}`);
        const up = await new Promise((r) => {
          const s = net.connect(port, '127.0.0.1');
          s.on('connect', () => { s.destroy(); r(true); });
          s.on('error', () => r(false));
        });
        if (up) break;
        assert.ok(Date.now() - t0 < 10000, `nginx did not start listening: ${err}\n${nginxLog()}`);
        await sleep(50);
      }
    });

    after(async () => {
      if (ngx && ngx.exitCode === null) {
        const done = new Promise((r) => ngx.on('exit', r));
        ngx.kill('SIGQUIT'); // graceful stop
        const timer = setTimeout(() => ngx.kill('SIGKILL'), 5000);
        await done;
        clearTimeout(timer);
      }
      if (fd) await fd.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('a page answers 200 through nginx with firstdays\' security headers', async () => {
      const r = await raw(port, get('/bonding'));
      assert.equal(rawStatus(r.text), 200, r.text.slice(0, 300));
      assert.match(header(r.text, 'Content-Security-Policy') || '', /default-src 'self'/);
      assert.equal(header(r.text, 'X-Content-Type-Options'), 'nosniff');
      assert.equal(header(r.text, 'Referrer-Policy'), 'no-referrer');
      assert.equal(header(r.text, 'X-Frame-Options'), 'DENY');
      assert.equal(header(r.text, 'Cross-Origin-Opener-Policy'), 'same-origin');
      assert.match(header(r.text, 'Strict-Transport-Security') || '', /max-age=\d+/, 'nginx adds HSTS');
      assert.equal(header(r.text, 'Server'), 'nginx', 'server_tokens off: no version');
      assert.match(r.text, /<html lang="en">/);
      // The API keeps its own policy, and the request reached firstdays.
      const api = await raw(port, get('/openreferral/services?postcode=DM1%201AB&proximity=5000'));
      assert.equal(rawStatus(api.text), 200, api.text.slice(0, 300));
      assert.equal(header(api.text, 'Content-Security-Policy'), "default-src 'none'; frame-ancestors 'none'");
      assert.equal(header(api.text, 'Access-Control-Allow-Origin'), '*');
      assert.match(fd.logs(), /"path":"\/bonding","status":200/);
    });

    test('over-long header blocks are refused by nginx and never reach firstdays', async () => {
      const [n, bufSize] = directive('large_client_header_buffers');
      const line = size(bufSize) - 100; // each header line fits a buffer...
      const many = Array.from({ length: Number(n) + 1 }, (_, i) => `X-Pad-${i}: ${'a'.repeat(line)}\r\n`).join('');
      const r = await raw(port, get('/awareness-week/2019', many)); // ...but not all of them
      assert.equal(rawStatus(r.text), 400, r.text.slice(0, 300));
      assert.match(r.text, /Request Header Or Cookie Too Large/);
      assert.equal(header(r.text, 'Server'), 'nginx');
      const one = await raw(port, get('/awareness-week/2019', `X-Big: ${'b'.repeat(size(bufSize) + 10)}\r\n`));
      assert.equal(rawStatus(one.text), 400, 'one header line longer than a buffer');
      const target = await raw(port, get(`/awareness-week/2019?q=${'c'.repeat(size(bufSize) + 10)}`));
      assert.equal(rawStatus(target.text), 414, 'a request line longer than a buffer');
      assert.doesNotMatch(fd.logs(), /"path":"\/awareness-week\/2019"/, 'firstdays never saw them');
      // Headers well within the limits pass, and a target just over firstdays' own limit
      // reaches firstdays, which answers it with its own 414.
      const fine = await raw(port, get('/awareness-week/2020',
        Array.from({ length: 3 }, (_, i) => `X-Pad-${i}: ${'d'.repeat(3000)}\r\n`).join('')));
      assert.equal(rawStatus(fine.text), 200, fine.text.slice(0, 300));
      const uri = limit('HTTP_LIMIT_URI_BYTES');
      const over = await raw(port, get(`/awareness-week/2021?q=${'e'.repeat(uri)}`));
      assert.equal(rawStatus(over.text), 414);
      assert.match(over.text, /uri_too_long|Error: /, 'firstdays\' own refusal');
      assert.notEqual(header(over.text, 'Content-Security-Policy'), undefined, 'from firstdays');
    });

    test(`a slowloris connection is closed by nginx after client_header_timeout (${HEADER_TIMEOUT_S} s)`, async () => {
      const t0 = Date.now();
      const sock = net.connect(port, '127.0.0.1');
      let text = '';
      sock.on('data', (d) => { text += d.toString('latin1'); });
      const closed = new Promise((r) => { sock.on('close', () => r(Date.now() - t0)); sock.on('error', () => {}); });
      await new Promise((r) => sock.on('connect', r));
      sock.write('GET /urgent-help HTTP/1.1\r\nHost: firstdays.example.org\r\n');
      // A header every 200 ms, for up to 4 times the timeout: never a whole head.
      let i = 0;
      const trickle = setInterval(() => {
        if (!sock.destroyed) sock.write(`X-Trickle-${i++}: ${'x'.repeat(5)}\r\n`);
      }, 200);
      const timer = setTimeout(() => sock.destroy(), HEADER_TIMEOUT_S * 4000);
      const ms = await closed;
      clearInterval(trickle);
      clearTimeout(timer);
      assert.ok(ms >= HEADER_TIMEOUT_S * 1000 - 250,
        `closed after ${ms} ms, not before the ${HEADER_TIMEOUT_S} s timeout`);
      assert.ok(ms <= HEADER_TIMEOUT_S * 1000 + 1500,
        `closed by nginx after ${ms} ms (timeout ${HEADER_TIMEOUT_S} s; firstdays' own is ${limit('HTTP_LIMIT_HEAD_S')} s)`);
      assert.ok(i >= 5, `it kept trickling (${i} headers) until the close`);
      assert.notEqual(rawStatus(text), 200, 'no answer for a head that never ended');
      assert.doesNotMatch(fd.logs(), /"path":"\/urgent-help"/, 'firstdays never saw it');
    });

    test('more requests at once from one address than limit_conn are refused; other addresses are served', async () => {
      const max = Number(directive('limit_conn firstdays_per_addr')[0]);
      const status = Number(directive('limit_conn_status')[0]);
      const body = '{"answers": [1, 0]}';
      const head = 'POST /api/v1/instruments/gad2/score HTTP/1.1\r\nHost: firstdays.example.org\r\n' +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
      // max requests in progress from 127.0.0.1: nginx holds each, waiting for its body.
      const held = [];
      for (let k = 0; k < max; k++) {
        const sock = net.connect(port, '127.0.0.1');
        const h = { sock, text: '' };
        h.done = new Promise((r) => {
          sock.on('data', (d) => { h.text += d.toString('latin1'); });
          sock.on('close', r);
          sock.on('error', r);
        });
        await new Promise((r) => sock.on('connect', r));
        sock.write(head);
        held.push(h);
      }
      await sleep(300);
      assert.ok(held.every((h) => h.text === ''), 'the held requests wait for their bodies');
      const refused = await raw(port, get('/'));
      assert.equal(rawStatus(refused.text), status, `request ${max + 1} from 127.0.0.1: ${refused.text.slice(0, 200)}`);
      if (haveV6) {
        const other = await raw(port, get('/'), { host: '::1' });
        assert.equal(rawStatus(other.text), 200, 'a request from ::1 is still served');
      }
      // The held requests go on: each body reaches firstdays whole and is scored.
      for (const h of held) h.sock.write(body);
      await Promise.all(held.map((h) => h.done));
      for (const h of held) {
        assert.equal(rawStatus(h.text), 200, h.text.slice(0, 300));
        assert.match(h.text, /"instrument":"gad2","score":1/);
      }
      const again = await raw(port, get('/'));
      assert.equal(rawStatus(again.text), 200, '127.0.0.1 is served again once they are done');
      assert.match(nginxLog(), /limiting connections by zone "firstdays_per_addr"/);
    });

    test('a chunked request body reaches firstdays whole, with Content-Length, and is answered', async () => {
      const body = '{"answers": [1, 1]}';
      const chunked = `${(8).toString(16)}\r\n${body.slice(0, 8)}\r\n${(body.length - 8).toString(16)}\r\n${body.slice(8)}\r\n0\r\n\r\n`;
      const post = 'POST /api/v1/instruments/gad2/score HTTP/1.1\r\nHost: firstdays.example.org\r\n' +
        'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n' + chunked;
      // firstdays itself takes no body without Content-Length...
      const direct = await raw(fd.port, post);
      assert.equal(rawStatus(direct.text), 411, direct.text.slice(0, 300));
      // ...and nginx, which reads the body whole first, sends it one.
      const r = await raw(port, post);
      assert.equal(rawStatus(r.text), 200, r.text.slice(0, 300));
      assert.match(r.text, /"instrument":"gad2","score":2/);
      const big = await raw(port, 'POST /api/v1/instruments/gad2/score HTTP/1.1\r\nHost: firstdays.example.org\r\n' +
        `Content-Type: application/json\r\nContent-Length: ${size(directive('client_max_body_size')[0]) + 1}\r\n` +
        'Connection: close\r\n\r\n');
      assert.equal(rawStatus(big.text), 413, 'a body over client_max_body_size is refused by nginx');
      assert.equal(header(big.text, 'Server'), 'nginx');
    });
  });
}
