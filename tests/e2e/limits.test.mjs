// End-to-end tests of the named limits in src/http/http.h and of malformed
// requests, against the real binary. Every limit is tested at its edge: the
// last value that is accepted and the first that is refused.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync, readdirSync } from 'node:fs';
import { startServer, rawRequest, rawStatus } from './helpers.mjs';

// The limits as named in src/http/http.h, read from the header so the tests
// follow the code.
const httpH = readFileSync(new URL('../../src/http/http.h', import.meta.url), 'utf8');
function limit(name) {
  const m = httpH.match(new RegExp(`#define ${name} (\\d+)`));
  assert.ok(m, `${name} is defined in http.h`);
  return Number(m[1]);
}
const URI_BYTES = limit('HTTP_LIMIT_URI_BYTES');
const HEADER_BYTES = limit('HTTP_LIMIT_HEADER_BYTES');
const QUERY_ARGS = limit('HTTP_LIMIT_QUERY_ARGS');
const FORM_FIELDS = limit('HTTP_LIMIT_FORM_FIELDS');
const BODY_DEFAULT = limit('HTTP_LIMIT_BODY_DEFAULT');
const CONNECTIONS = limit('HTTP_LIMIT_CONNECTIONS');
const PER_IP = limit('HTTP_LIMIT_PER_IP');
const TIMEOUT_S = limit('HTTP_LIMIT_TIMEOUT_S');
const CONN_MEMORY = limit('HTTP_LIMIT_CONN_MEMORY');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Poll cond until it holds or ms pass; returns whether it held.
async function waitFor(cond, ms) {
  const t0 = Date.now();
  while (!cond() && Date.now() - t0 < ms) await sleep(20);
  return Boolean(cond());
}

// A raw HTTP/1.1 request that closes the connection after the response.
function request(method, target, headers = {}, body = '') {
  let s = `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n`;
  for (const [k, v] of Object.entries(headers)) s += `${k}: ${v}\r\n`;
  return s + '\r\n' + body;
}
// What the server counts for the headers of request(): name + value + 4 each.
function headerCost(headers) {
  const all = { Host: '127.0.0.1', Connection: 'close', ...headers };
  return Object.entries(all).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 0);
}
function bodyOf(raw) {
  const i = raw.indexOf('\r\n\r\n');
  return i < 0 ? '' : raw.slice(i + 4);
}
async function healthy(srv) {
  assert.ok(srv.alive(), 'server process is still running');
  const r = await rawRequest(srv.port, request('GET', '/healthz'));
  assert.equal(rawStatus(r), 200, 'server still answers /healthz');
}
const urlencodedPairs = (n) => Array.from({ length: n }, (_, i) => `k${i}=v`).join('&');

// Every "#define NAME value" in the C sources, to read a route's body limit.
function cDefines() {
  const defs = new Map();
  const root = new URL('../../src/', import.meta.url);
  for (const f of readdirSync(root, { recursive: true })) {
    if (!/\.[ch]$/.test(f)) continue;
    for (const m of readFileSync(new URL(f, root), 'utf8').matchAll(/^#define ([A-Z_][A-Z0-9_]*) +([^\n/]+)/gm))
      defs.set(m[1], m[2].trim());
  }
  return defs;
}

// POST routes from the one route table, with their body limits when they can
// be read as a number, so the 413 tests follow the routes others add.
function postRoutes() {
  const src = readFileSync(new URL('../../src/routes.c', import.meta.url), 'utf8');
  const defs = cDefines();
  const rows = [];
  const re = /\{\s*\.methods = ([A-Z_ |]+?),\s*\.path = "([^"]+)",\s*\.handler = \w+(?:,\s*\.body_max = ([^,}]+))?[^}]*\}/g;
  for (const m of src.matchAll(re)) {
    if (!/\bHTTP_POST\b/.test(m[1])) continue;
    let expr = (m[3] || '0').trim();
    for (let i = 0; i < 4; i++) expr = expr.replace(/\b[A-Z_][A-Z0-9_]*\b/g, (name) => defs.get(name) ?? name);
    let max = null;
    if (/^[0-9*+ ()]+$/.test(expr)) max = Number(Function(`return (${expr})`)()) || BODY_DEFAULT;
    const path = m[2].replace(/\*\*$/, 'x/y').replace(/\*/g, 'x');
    rows.push({ pattern: m[2], path, max });
  }
  return rows;
}

describe('request size limits', () => {
  let srv;
  before(async () => { srv = await startServer(['--quiet']); });
  after(async () => { await srv.stop(); });

  test(`URI of ${URI_BYTES} bytes is accepted, one more is 414`, async () => {
    const ok = '/' + 'a'.repeat(URI_BYTES - 1);
    assert.equal(rawStatus(await rawRequest(srv.port, request('GET', ok))), 404);
    const long = '/' + 'a'.repeat(URI_BYTES);
    const r = await rawRequest(srv.port, request('GET', long));
    assert.equal(rawStatus(r), 414);
    assert.match(bodyOf(r), /uri_too_long/);
    assert.match(bodyOf(r), /nhsuk-header/, 'error page in the site style');
    // The query string counts towards the limit too.
    const q = '/?q=' + 'a'.repeat(URI_BYTES);
    assert.equal(rawStatus(await rawRequest(srv.port, request('GET', q))), 414);
    await healthy(srv);
  });

  test('URI limit on an API path answers in JSON', async () => {
    const r = await rawRequest(srv.port, request('GET', '/api/' + 'a'.repeat(URI_BYTES)));
    assert.equal(rawStatus(r), 414);
    const j = JSON.parse(bodyOf(r));
    assert.equal(j.error.code, 'uri_too_long');
    assert.equal(j.error.status, 414);
  });

  test(`headers of ${HEADER_BYTES} bytes are accepted, one more is 431`, async () => {
    const pad = (n) => ({ 'X-Pad': 'p'.repeat(n) });
    const fixed = headerCost(pad(0));
    const atLimit = pad(HEADER_BYTES - fixed);
    assert.equal(headerCost(atLimit), HEADER_BYTES);
    assert.equal(rawStatus(await rawRequest(srv.port, request('GET', '/', atLimit))), 200);
    const over = pad(HEADER_BYTES - fixed + 1);
    const r = await rawRequest(srv.port, request('GET', '/', over));
    assert.equal(rawStatus(r), 431);
    assert.match(bodyOf(r), /headers_too_large/);
    // Many small headers add up the same way.
    const many = {};
    for (let i = 0; i < 200; i++) many[`X-H${i}`] = 'v'.repeat(80);
    assert.ok(headerCost(many) > HEADER_BYTES);
    assert.equal(rawStatus(await rawRequest(srv.port, request('GET', '/', many))), 431);
    await healthy(srv);
  });

  test(`a header line larger than the ${CONN_MEMORY}-byte connection memory is 431`, async () => {
    const r = await rawRequest(srv.port, request('GET', '/', { 'X-Huge': 'h'.repeat(CONN_MEMORY + 1000) }));
    assert.equal(rawStatus(r), 431);
    await healthy(srv);
  });

  test(`${QUERY_ARGS} query arguments are accepted, one more is 400`, async () => {
    assert.equal(rawStatus(await rawRequest(srv.port, request('GET', '/?' + urlencodedPairs(QUERY_ARGS)))), 200);
    const r = await rawRequest(srv.port, request('GET', '/?' + urlencodedPairs(QUERY_ARGS + 1)));
    assert.equal(rawStatus(r), 400);
    assert.match(bodyOf(r), /too_many_parameters/);
    await healthy(srv);
  });

  test(`${FORM_FIELDS} form fields are accepted, one more is 400`, async () => {
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const ok = urlencodedPairs(FORM_FIELDS);
    let r = await rawRequest(srv.port, request('GET', '/', { ...form, 'Content-Length': ok.length }, ok));
    assert.equal(rawStatus(r), 200);
    const over = urlencodedPairs(FORM_FIELDS + 1);
    r = await rawRequest(srv.port, request('GET', '/', { ...form, 'Content-Length': over.length }, over));
    assert.equal(rawStatus(r), 400);
    assert.match(bodyOf(r), /too_many_fields/);
    for (const route of postRoutes()) {
      r = await rawRequest(srv.port, request('POST', route.path, { ...form, 'Content-Length': over.length }, over));
      assert.equal(rawStatus(r), 400, `POST ${route.pattern} with too many fields`);
      assert.match(bodyOf(r), /too_many_fields/);
    }
    await healthy(srv);
  });

  test(`a body of ${BODY_DEFAULT} bytes is accepted, one more is 413`, async () => {
    const plain = { 'Content-Type': 'application/octet-stream' };
    const ok = 'b'.repeat(BODY_DEFAULT);
    let r = await rawRequest(srv.port, request('GET', '/', { ...plain, 'Content-Length': ok.length }, ok));
    assert.equal(rawStatus(r), 200);
    // Refused from the Content-Length alone, before the body is read.
    r = await rawRequest(srv.port, request('GET', '/', { ...plain, 'Content-Length': BODY_DEFAULT + 1 }));
    assert.equal(rawStatus(r), 413);
    assert.match(bodyOf(r), /body_too_large/);
    // A body of a gigabyte is announced, never sent: the answer comes at once.
    const t0 = Date.now();
    r = await rawRequest(srv.port, request('GET', '/', { ...plain, 'Content-Length': 2 ** 30 }), { timeoutMs: 15000 });
    assert.equal(rawStatus(r), 413);
    assert.ok(Date.now() - t0 < 10000, 'answered without waiting for the body');
    await healthy(srv);
  });

  test('a chunked body is refused with 411 before it is read, whatever its size', async () => {
    // Every body firstdays takes fits its limit, so it must come with a
    // Content-Length; a body in chunks could go on for ever.
    const chunk = 'c'.repeat(8192);
    let body = '';
    for (let sent = 0; sent <= BODY_DEFAULT; sent += chunk.length) body += `2000\r\n${chunk}\r\n`;
    body += '0\r\n\r\n';
    for (const b of ['5\r\nhello\r\n0\r\n\r\n', body]) {
      const r = await rawRequest(srv.port, request('GET', '/', { 'Transfer-Encoding': 'chunked', 'Content-Type': 'text/plain' }, b));
      assert.equal(rawStatus(r), 411);
      assert.match(bodyOf(r), /length_required/);
    }
    await healthy(srv);
  });

  test('POST routes refuse a body over their limit with 413', async (t) => {
    const routes = postRoutes();
    if (!routes.length) {
      t.skip('the route table has no POST route yet');
      return;
    }
    for (const route of routes) {
      if (route.max) {
        // Exactly at the limit the request reaches the handler, whatever it makes of it.
        const body = 'a'.repeat(route.max);
        const r = await rawRequest(srv.port, request('POST', route.path, {
          'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length,
        }, body));
        assert.ok(rawStatus(r) !== 413 && rawStatus(r) > 0 && rawStatus(r) < 500, `POST ${route.pattern} with ${route.max} bytes: ${rawStatus(r)}`);
      }
      const sizes = route.max ? [route.max + 1, 2 ** 30] : [2 ** 30];
      for (const size of sizes) {
        const r = await rawRequest(srv.port, request('POST', route.path, {
          'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': size,
        }));
        assert.equal(rawStatus(r), 413, `POST ${route.pattern} with ${size} bytes`);
        const body = bodyOf(r);
        if (route.path.startsWith('/api/')) assert.equal(JSON.parse(body).error.code, 'body_too_large');
        else assert.match(body, /body_too_large/);
      }
    }
    await healthy(srv);
  });

  test('POST to a GET-only page is 405 even with a large body, and the server lives on', async () => {
    let r = await rawRequest(srv.port, request('POST', '/', {
      'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': 5,
    }, 'a=1&b'));
    assert.equal(rawStatus(r), 405);
    assert.match(r, /\r\nAllow: GET, HEAD\r\n/i);
    const big = 'z'.repeat(BODY_DEFAULT * 4);
    r = await rawRequest(srv.port, request('POST', '/', { 'Content-Type': 'text/plain', 'Content-Length': big.length }, big));
    assert.ok([405, 413].includes(rawStatus(r)), `status ${rawStatus(r)}`);
    await healthy(srv);
  });
});

describe('malformed requests get a 4xx and the server lives on', () => {
  let srv;
  before(async () => { srv = await startServer(['--quiet', '--set', 'timeout=2']); });
  after(async () => { await srv.stop(); });

  const cases = [
    ['three garbage words as request line', 'GARBAGE GARBAGE GARBAGE\r\n\r\n'],
    ['request line with extra words', 'GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n'],
    ['header line without a colon', 'GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n'],
    ['Content-Length that is not a number', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'],
    ['Content-Length with 30 digits', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999999999999999999999\r\n\r\n'],
    ['bad chunk size', 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'],
    ['HTTP/1.1 without Host', 'GET / HTTP/1.1\r\n\r\n', [200, 400]],
  ];
  for (const [name, raw, allowed] of cases) {
    test(name, async () => {
      const r = await rawRequest(srv.port, raw, { timeoutMs: 4000 });
      const st = rawStatus(r);
      if (allowed) assert.ok(allowed.includes(st), `status ${st}`);
      else assert.ok(st >= 400 && st < 500, `status ${st} for ${JSON.stringify(raw)}`);
      await healthy(srv);
    });
  }

  const paths = [
    ['bad percent-encoding in the path', '/a%zz'],
    ['truncated percent-encoding in the path', '/bonding%4'],
    ['percent-encoded NUL in the path', '/%00'],
    ['percent-encoded NUL after a real page', '/healthz%00.json'],
    ['percent-encoded control character in the path', '/%1b[31m'],
    ['percent-encoded invalid UTF-8 in the path', '/%ff%fe'],
    ['overlong UTF-8 in the path', '/%c0%af'],
    ['raw invalid UTF-8 in the path', '/\xff\xfe'],
    ['bad percent-encoding in the query', '/?q=%zz'],
    ['percent-encoded NUL in the query', '/?q=a%00b'],
    ['invalid UTF-8 in the query', '/?q=%ff'],
  ];
  for (const [name, target] of paths) {
    test(name, async () => {
      const r = await rawRequest(srv.port, Buffer.from(request('GET', target), 'latin1'));
      assert.equal(rawStatus(r), 400, `${target}: ${r.slice(0, 60)}`);
      assert.match(bodyOf(r), /bad_path|bad_query/);
      await healthy(srv);
    });
  }

  test('bad encoding in a form body is 400 bad_form', async () => {
    for (const body of ['a=%zz', 'a=%00', 'a=%ff', 'a=\x01']) {
      const r = await rawRequest(srv.port, request('GET', '/', {
        'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body, 'latin1'),
      }, body));
      assert.equal(rawStatus(r), 400, JSON.stringify(body));
      assert.match(bodyOf(r), /bad_form/);
    }
    await healthy(srv);
  });

  test('a raw NUL byte or a bare word never gets a 2xx or 5xx', async () => {
    // libmicrohttpd cuts the request target at a raw NUL and closes the
    // connection on a request line without spaces; neither may reach a page
    // with the NUL in it or break the server.
    for (const raw of ['GET /no-such\x00page HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 'GARBAGE\r\n\r\n', 'GET\r\n\r\n', '\r\n\r\n\r\n\r\n', '\x00\x01\x02\x03 / HTTP/1.1\r\n\r\n']) {
      const r = await rawRequest(srv.port, Buffer.from(raw, 'latin1'), { timeoutMs: 4000 });
      const st = rawStatus(r);
      assert.ok(st === 0 || (st >= 400 && st < 500), `status ${st} for ${JSON.stringify(raw)}`);
    }
    await healthy(srv);
  });

  test('unknown methods are 405 on a page and 404 elsewhere', async () => {
    let r = await rawRequest(srv.port, request('BREW', '/'));
    assert.equal(rawStatus(r), 405);
    r = await rawRequest(srv.port, request('BREW', '/no-such-page'));
    assert.equal(rawStatus(r), 404);
    await healthy(srv);
  });

  test('a burst of malformed requests in parallel', async () => {
    // Stay under the per-address connection limit: this tests malformed input,
    // not the limit. A connection the server resets before answering counts as
    // closed (status 0), which is an acceptable answer to garbage.
    const bad = [];
    const closed = () => '';
    for (let i = 0; i < Math.floor(PER_IP / 2) - 4; i++) {
      bad.push(rawRequest(srv.port, request('GET', `/%${i % 2 ? 'zz' : '00'}?x=%ff&${urlencodedPairs(50)}`)).catch(closed));
      bad.push(rawRequest(srv.port, `GARBAGE ${i} GARBAGE\r\n\r\n`, { timeoutMs: 4000 }).catch(closed));
    }
    const out = await Promise.all(bad);
    for (const r of out) {
      const st = rawStatus(r);
      assert.ok(st === 0 || (st >= 400 && st < 500), `status ${st}`);
    }
    await healthy(srv);
  });
});

// Open a connection and wait until it is established; records what happens.
function openIdle(port, localAddress = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress });
    s.received = '';
    s.closedAt = 0;
    s.on('data', (d) => { s.received += d.toString('latin1'); });
    s.on('close', () => { s.closedAt = Date.now(); });
    s.on('error', () => {});
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}
// Send a complete request on s and wait up to ms for a status line.
async function statusWithin(s, ms, path = '/healthz') {
  s.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  await waitFor(() => rawStatus(s.received) || s.closedAt, ms);
  return rawStatus(s.received);
}

describe('connection limits', () => {
  test(`${PER_IP} connections from one address are served; one more is closed at once`, async () => {
    const srv = await startServer(['--quiet']);
    const socks = [];
    try {
      assert.match(srv.logs(), new RegExp(`\\(${PER_IP} per address\\)`));
      for (let i = 0; i < PER_IP - 1; i++) socks.push(await openIdle(srv.port));
      // The last allowed one is served.
      const last = await openIdle(srv.port);
      socks.push(last);
      assert.equal(await statusWithin(last, 10000), 200);
      // One more from the same address is closed without an answer.
      const extra = await openIdle(srv.port);
      assert.ok(await waitFor(() => extra.closedAt, 10000), 'connection over the per-address limit is closed');
      assert.equal(extra.received, '');
      // Another address is not affected.
      const other = await openIdle(srv.port, '127.0.0.2');
      assert.equal(await statusWithin(other, 10000), 200);
      other.destroy();
      // Once one closes, the address may connect again.
      socks.shift().destroy();
      await sleep(300);
      const again = await openIdle(srv.port);
      assert.equal(await statusWithin(again, 10000), 200);
      again.destroy();
    } finally {
      socks.forEach((s) => s.destroy());
      await srv.stop();
    }
  });

  test('per_ip_connections and max_connections can be set', async () => {
    const srv = await startServer(['--quiet', '--threads', '1', '--set', 'per_ip_connections=3', '--set', 'max_connections=5']);
    const socks = [];
    try {
      assert.match(srv.logs(), /at most 5 connections \(3 per address\)/);
      for (let i = 0; i < 3; i++) socks.push(await openIdle(srv.port));
      const extra = await openIdle(srv.port);
      assert.ok(await waitFor(() => extra.closedAt, 10000), 'fourth connection from one address is closed');
      socks.push(await openIdle(srv.port, '127.0.0.2'));
      socks.push(await openIdle(srv.port, '127.0.0.2'));
      const waiting = await openIdle(srv.port, '127.0.0.3');
      assert.equal(await statusWithin(waiting, 1000), 0, 'sixth connection waits');
      socks.shift().destroy();
      await waitFor(() => rawStatus(waiting.received), 10000);
      assert.equal(rawStatus(waiting.received), 200, 'and is served when a slot frees');
      waiting.destroy();
    } finally {
      socks.forEach((s) => s.destroy());
      await srv.stop();
    }
  });

  test(`${CONNECTIONS} connections in total are served; one more waits for a free slot`, async () => {
    const srv = await startServer(['--quiet']);
    const socks = [];
    const perAddr = PER_IP - 1;
    const addr = (i) => `127.0.0.${10 + Math.floor(i / perAddr)}`;
    try {
      assert.match(srv.logs(), new RegExp(`at most ${CONNECTIONS} connections`));
      for (let i = 0; i < CONNECTIONS - 1; i++) socks.push(await openIdle(srv.port, addr(i)));
      const last = await openIdle(srv.port, '127.0.0.250');
      socks.push(last);
      assert.equal(await statusWithin(last, 10000), 200, `connection ${CONNECTIONS} is served`);
      const extra = await openIdle(srv.port, '127.0.0.251');
      assert.equal(await statusWithin(extra, 1000), 0, `connection ${CONNECTIONS + 1} waits`);
      socks[0].destroy();
      await waitFor(() => rawStatus(extra.received), 10000);
      assert.equal(rawStatus(extra.received), 200, 'and is served when a slot frees');
      extra.destroy();
    } finally {
      socks.forEach((s) => s.destroy());
      await srv.stop();
    }
  });
});

describe('timeouts', () => {
  test('an idle connection is closed after the timeout', async () => {
    const srv = await startServer(['--quiet', '--set', 'timeout=2']);
    try {
      assert.match(srv.logs(), /idle timeout 2 s/);
      const t0 = Date.now();
      const idle = await openIdle(srv.port);
      const half = await openIdle(srv.port);
      half.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '); // headers never finish
      await waitFor(() => idle.closedAt && half.closedAt, 15000);
      for (const s of [idle, half]) {
        assert.ok(s.closedAt, 'closed');
        const took = s.closedAt - t0;
        assert.ok(took >= 1500 && took < 12000, `closed after ${took} ms`);
      }
      // A keep-alive connection that has been served is closed when idle too.
      const kept = await openIdle(srv.port);
      assert.equal(await statusWithin(kept, 10000), 200);
      const t1 = Date.now();
      await waitFor(() => kept.closedAt, 15000);
      assert.ok(kept.closedAt && kept.closedAt - t1 < 12000, 'served connection closed when idle');
      await healthy(srv);
    } finally {
      await srv.stop();
    }
  });

  test(`the default idle timeout is ${TIMEOUT_S} s`, async () => {
    const srv = await startServer(['--quiet']);
    try {
      assert.match(srv.logs(), new RegExp(`idle timeout ${TIMEOUT_S} s`));
      const idle = await openIdle(srv.port);
      await sleep(2500);
      assert.equal(idle.closedAt, 0, 'still open after 2.5 s');
      assert.equal(await statusWithin(idle, 10000), 200);
      idle.destroy();
    } finally {
      await srv.stop();
    }
  });
});

describe('shutdown', () => {
  for (const sig of ['SIGTERM', 'SIGINT']) {
    test(`${sig} stops the server cleanly with exit code 0`, async () => {
      const srv = await startServer([]);
      const open = await openIdle(srv.port); // an open connection must not block shutdown
      assert.equal(await statusWithin(open, 10000), 200);
      const exited = new Promise((r) => srv.proc.on('exit', (code, signal) => r({ code, signal })));
      srv.proc.kill(sig);
      const t0 = Date.now();
      const { code, signal } = await exited;
      assert.equal(signal, null);
      assert.equal(code, 0);
      assert.ok(Date.now() - t0 < 10000, 'stops promptly');
      assert.match(srv.logs(), /shutting down/);
      open.destroy();
      await srv.stop();
    });
  }
});
