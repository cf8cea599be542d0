// End-to-end tests of the HTTP foundation: pages, headers, errors, HEAD, health.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

test('home page is served with the security headers', async () => {
  const r = await fetch(srv.base + '/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html/);
  const csp = r.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(r.headers.get('referrer-policy'));
  const html = await r.text();
  assert.match(html, /<a class="nhsuk-skip-link"[^>]*href="#maincontent"/);
  assert.match(html, /href="\/urgent-help"/);
  assert.doesNotMatch(html, /<script>(?!<\/script>)/, 'no inline script');
  assert.match(html, /property="og:title"/);
});

test('JSON responses carry the API security headers', async () => {
  for (const path of ['/openreferral/', '/openreferral/services?per_page=1', '/openreferral/nope']) {
    const r = await fetch(srv.base + path);
    assert.match(r.headers.get('content-type'), /application\/json/, path);
    assert.equal(r.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'", path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(r.headers.get('x-frame-options'), 'DENY', path);
    assert.ok(r.headers.get('cache-control'), path);
    assert.equal(r.headers.get('access-control-allow-origin'), '*', path);
    await r.arrayBuffer();
  }
  // Pages keep the document policies.
  const page = await fetch(srv.base + '/find-support');
  assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  assert.ok(page.headers.get('permissions-policy'));
  assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin');
  await page.arrayBuffer();
});

test('unknown path is a 404 page in the site style', async () => {
  const r = await fetch(srv.base + '/no-such-page');
  assert.equal(r.status, 404);
  const html = await r.text();
  assert.match(html, /Page not found/);
  assert.match(html, /nhsuk-header/);
  assert.match(html, /href="\/urgent-help"/);
});

test('wrong method is a 405 with Allow', async () => {
  const r = await fetch(srv.base + '/', { method: 'DELETE' });
  assert.equal(r.status, 405);
  assert.match(r.headers.get('allow'), /GET/);
  assert.match(await r.text(), /nhsuk-header/);
});

test('HEAD answers with headers and no body', async () => {
  const r = await fetch(srv.base + '/', { method: 'HEAD' });
  assert.equal(r.status, 200);
  assert.equal((await r.arrayBuffer()).byteLength, 0);
  assert.ok(Number(r.headers.get('content-length')) > 1000);
});

test('healthz answers 200 with JSON', async () => {
  const r = await fetch(srv.base + '/healthz');
  assert.equal(r.status, 200);
  assert.equal((await r.json()).status, 'ok');
});

test('API paths get JSON errors', async () => {
  const r = await fetch(srv.base + '/api/v1/nothing-here');
  assert.equal(r.status, 404);
  const j = await r.json();
  assert.equal(j.error.code, 'not_found');
  assert.ok(j.error.message.length > 10);
});

test('static CSS is compressed and cached for a year when versioned', async () => {
  const page = await (await fetch(srv.base + '/')).text();
  const m = page.match(/href="(\/static\/nhsuk\/nhsuk-frontend\.min\.css\?v=[0-9a-f]+)"/);
  assert.ok(m, 'versioned stylesheet link');
  const r = await fetch(srv.base + m[1], { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-encoding'), 'gzip');
  assert.match(r.headers.get('cache-control'), /max-age=31536000/);
  assert.match(r.headers.get('cache-control'), /immutable/);
  const plain = await fetch(srv.base + '/static/nhsuk/nhsuk-frontend.min.css', { headers: { 'accept-encoding': 'identity' } });
  assert.equal(plain.headers.get('content-encoding'), null);
  assert.match(plain.headers.get('cache-control'), /max-age=86400/);
  const etag = plain.headers.get('etag');
  const again = await fetch(srv.base + '/static/nhsuk/nhsuk-frontend.min.css', { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
});

test('the icons the stylesheet refers to are served', async () => {
  const r = await fetch(srv.base + '/assets/images/nhsuk-icon-cross.svg');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /image\/svg\+xml/);
});

test('a request log line is written per request, without the query', async () => {
  const logged = () => srv.logs().split('\n').filter((l) => l.includes('"method"'));
  const before = logged().length;
  // A page no other test here asks for, so the line found is this request's.
  await fetch(srv.base + '/urgent-help?secret=answer');
  // The line is written when the response is complete; allow a slow (sanitizer) build time.
  const mine = () => logged().slice(before).map((l) => JSON.parse(l)).filter((o) => o.path === '/urgent-help');
  for (let i = 0; i < 50 && mine().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(mine().length, 1);
  const last = mine()[0];
  assert.equal(last.method, 'GET');
  assert.equal(last.status, 200);
  assert.doesNotMatch(srv.logs(), /secret=answer/);
});
