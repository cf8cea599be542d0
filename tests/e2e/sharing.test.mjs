// End-to-end tests of sharing and the error page: without base_url the share
// links, og:url and the canonical link are built from the request's own Host
// (a plain host name only, never any other header value), with https when the
// proxy says so; `firstdays check` warns that base_url is not set; the
// not-found page shows no error code; and awareness-week years carry no
// internal notes about where their facts come from.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, startServer, rawRequest } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(['--quiet']); });
after(async () => { await srv.stop(); });

async function page(path, headers) {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const raw = await rawRequest(srv.port, `GET ${path} HTTP/1.1\r\n${lines}Connection: close\r\n\r\n`);
  return raw;
}

function meta(html, property) {
  const m = html.match(new RegExp(`<meta property="${property}" content="([^"]*)">`));
  return m ? m[1] : null;
}

test('without base_url, addresses come from the Host of the request', async () => {
  const html = await page('/bonding', { Host: 'families.example.org:8443' });
  assert.equal(meta(html, 'og:url'), 'http://families.example.org:8443/bonding');
  assert.match(html, /<link rel="canonical" href="http:\/\/families\.example\.org:8443\/bonding">/);
  assert.match(html, /href="https:\/\/wa\.me\/\?text=[^"]*http%3A%2F%2Ffamilies\.example\.org%3A8443%2Fbonding"/);
  assert.match(html, /href="sms:\?&amp;body=/);
  const proxied = await page('/bonding', { Host: 'families.example.org', 'X-Forwarded-Proto': 'https' });
  assert.equal(meta(proxied, 'og:url'), 'https://families.example.org/bonding');
  const v6 = await page('/bonding', { Host: '[::1]:8080' });
  assert.equal(meta(v6, 'og:url'), 'http://[::1]:8080/bonding');
});

test('a Host that is not a plain host name is never written into a page', async () => {
  for (const host of ['evil.example"><script>x</script>', 'evil.example/path', 'evil example', '-evil.example',
    'evil.example:99999', 'user@evil.example']) {
    const html = await page('/bonding', { Host: host });
    if (!/^HTTP\/1\.1 200/.test(html)) continue; // refused before any page: nothing reflected either
    assert.doesNotMatch(html, /evil/, host);
    assert.equal(meta(html, 'og:url'), 'http://127.0.0.1:8080/bonding', `${host}: the default address`);
  }
});

test('firstdays check warns when base_url is not set, and not when it is', () => {
  const db = join(srv.dir, 'test.db');
  const unset = spawnSync(BIN, ['check', '--db', db], { encoding: 'utf8' });
  assert.equal(unset.status, 0, unset.stderr);
  assert.match(unset.stderr, /warning: base_url is not set/);
  const set = spawnSync(BIN, ['check', '--db', db, '--set', 'base_url=https://families.example.org'], { encoding: 'utf8' });
  assert.equal(set.status, 0, set.stderr);
  assert.doesNotMatch(set.stderr, /base_url/);
});

test('the not-found page shows no error code', async () => {
  for (const path of ['/no-such-page', '/awareness-week/2015', '/find-support/service/nothing-here']) {
    const r = await fetch(srv.base + path);
    assert.equal(r.status, 404);
    const html = await r.text();
    assert.match(html, /<h1>Page not found<\/h1>/, path);
    assert.doesNotMatch(html, /Error code|HTTP 404|not_found/, path);
  }
  // Other errors keep a code a person can quote.
  assert.match(await (await fetch(srv.base + '/awareness-week/20x1')).text(), /Error code: <code>awareness_year_invalid<\/code>/);
});
