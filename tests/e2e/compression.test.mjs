// End-to-end tests of response compression: pages are gzipped when the client
// accepts it, the compressed bytes are the same page as the plain ones (also
// when the server reuses an earlier compressed copy), and nothing is
// compressed for a client that refuses gzip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { startServer, rawRequest } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(['--quiet']); });
after(async () => { await srv.stop(); });

// The raw response split into headers (lower-case names) and body bytes.
async function get(path, acceptEncoding) {
  const headers = acceptEncoding ? `Accept-Encoding: ${acceptEncoding}\r\n` : '';
  const raw = Buffer.from(await rawRequest(srv.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers}\r\n`), 'latin1');
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(head[0].split(' ')[1]);
  const h = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    h[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status, headers: h, body: raw.subarray(end + 4) };
}

for (const path of ['/', '/urgent-help', '/no-such-page']) {
  test(`${path} compressed is the same page as uncompressed, every time`, async () => {
    const plain = await get(path);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(plain.headers.vary, /Accept-Encoding/);
    for (let i = 0; i < 3; i++) {
      const z = await get(path, 'gzip, deflate, br');
      assert.equal(z.status, plain.status);
      assert.equal(z.headers['content-encoding'], 'gzip');
      assert.match(z.headers.vary, /Accept-Encoding/);
      assert.equal(Number(z.headers['content-length']), z.body.length);
      assert.ok(z.body.length < plain.body.length / 2, 'at least halves the bytes');
      assert.ok(gunzipSync(z.body).equals(plain.body), 'decompresses to the plain page');
    }
  });
}

test('a client that refuses gzip gets the plain page', async () => {
  for (const ae of ['identity', 'gzip;q=0', 'br', 'x-gzip-not']) {
    const r = await get('/', ae);
    assert.equal(r.headers['content-encoding'], undefined, ae);
    assert.match(r.body.toString('utf8'), /^<!DOCTYPE html>/, ae);
  }
});

test('small responses are not compressed', async () => {
  const r = await get('/healthz', 'gzip');
  assert.equal(r.headers['content-encoding'], undefined);
  assert.equal(JSON.parse(r.body.toString('utf8')).status, 'ok');
});
