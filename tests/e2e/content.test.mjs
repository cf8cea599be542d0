// End-to-end tests of the content: the Markdown pages, the awareness-week
// pages for every year, the resources filter, Open Graph metadata, and a
// deployment's own content folder (a year added, a malformed year refused).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './helpers.mjs';

const CONTENT_PAGES = ['/infant-mental-health', '/first-1001-days', '/bonding', '/parents-wellbeing',
  '/accessibility', '/privacy'];
const YEARS = Array.from({ length: 11 }, (_, i) => 2016 + i);
const catalogue = JSON.parse(readFileSync(new URL('../../content/resources.json', import.meta.url)));

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

async function get(path) {
  const r = await fetch(srv.base + path);
  return { status: r.status, headers: r.headers, html: await r.text() };
}

function meta(html, property) {
  const m = html.match(new RegExp(`<meta (?:property|name)="${property}" content="([^"]*)"`));
  return m ? m[1] : null;
}

// External links must not open new windows, or must do so safely.
function assertSafeExternalLinks(path, html) {
  for (const [a] of html.matchAll(/<a [^>]*href="https?:\/\/[^"]*"[^>]*>/g)) {
    if (/target=/.test(a)) assert.match(a, /rel="[^"]*noopener[^"]*noreferrer|rel="[^"]*noreferrer[^"]*noopener/, `${path}: ${a}`);
  }
}

test('every content page is served with Open Graph metadata and sources', async () => {
  for (const path of ['/', '/urgent-help', '/awareness-week', '/resources', ...CONTENT_PAGES,
    ...YEARS.map((y) => `/awareness-week/${y}`)]) {
    const { status, headers, html } = await get(path);
    assert.equal(status, 200, path);
    assert.match(headers.get('content-type'), /text\/html/);
    for (const p of ['og:title', 'og:description', 'og:url', 'og:type', 'og:site_name']) {
      assert.ok(meta(html, p), `${path}: ${p}`);
    }
    assert.ok(meta(html, 'og:url').endsWith(path), `${path}: og:url is the page`);
    assert.ok(meta(html, 'description').length > 30, `${path}: a real description`);
    assert.match(html, /Share this page/, `${path}: share links`);
    assert.match(html, /href="\/urgent-help"/, `${path}: urgent help`);
    assert.equal((html.match(/<h1[ >]/g) || []).length, 1, `${path}: one h1`);
    assertSafeExternalLinks(path, html);
    if (!['/urgent-help', '/resources', '/privacy'].includes(path)) assert.match(html, /<h2[^>]*>Sources<\/h2>/, `${path}: sources`);
  }
});

test('the content pages say what they are about', async () => {
  const expect = {
    '/infant-mental-health': [/What infant mental health means/, /AIMH UK/, /ZERO TO THREE/],
    '/first-1001-days': [/conception to a child's second birthday/, /serve and return/i],
    '/bonding': [/Attachment/, /Serve and return/, /still face experiment/i, /Everyday ways to connect/],
    '/parents-wellbeing': [/href="\/urgent-help"/, /href="\/wellbeing-check"/, /116 123/, /mental health option/],
    '/accessibility': [/WCAG/, /2\.2/, /Equality Advisory and Support Service/],
    '/privacy': [/web address/, /never stored/, /never written to any log/],
  };
  for (const [path, patterns] of Object.entries(expect)) {
    const { html } = await get(path);
    for (const p of patterns) assert.match(html, p, `${path}: ${p}`);
  }
});

test('/awareness-week shows a week and lists every year from 2016', async () => {
  const { status, html } = await get('/awareness-week');
  assert.equal(status, 200);
  assert.match(html, /<h1>Infant Mental Health Awareness Week<\/h1>/);
  for (const y of YEARS) assert.match(html, new RegExp(`href="/awareness-week/${y}"`), `link to ${y}`);
  assert.match(html, /(Happening now|This year&#39;s awareness week|The next awareness week|The most recent awareness week|The latest awareness week): 20\d\d/);
  // From 1 January, this year's week, with its expected dates while they are not confirmed.
  const year = new Date().getUTCFullYear();
  if (year >= 2026) {
    assert.match(html, new RegExp(`This year&#39;s awareness week: ${year}`));
    assert.match(html, /Not confirmed yet: expected around \d+ to \d+ June/);
  }
  assert.match(html, /aria-current="page"/, 'the navigation marks the section');
});

test('each year page has its dates, theme, hashtags and organiser', async () => {
  const cases = {
    2016: ['6 to 10 June 2016', "Building Babies&#39; Minds", '#IMHAW16'],
    2017: ['12 to 16 June 2017', 'Begin Before Birth', '#IMHAW17'],
    2020: ['7 to 12 June 2020', '20:20 Vision'],
    2021: ['7 to 13 June 2021', 'Including Infants', '#IMHAW21 #IncludingInfants'],
    2022: ['13 to 19 June 2022', 'Understanding Early Trauma', '#UnderstandingEarlyTrauma'],
    2023: ['12 to 18 June 2023', 'Bonding Before Birth'],
    2024: ['10 to 16 June 2024', 'Speak up for babies'],
    2025: ['9 to 15 June 2025', 'Who is holding the baby?'],
  };
  for (const [year, texts] of Object.entries(cases)) {
    const { html } = await get(`/awareness-week/${year}`);
    assert.match(html, new RegExp(`<h1>Infant Mental Health Awareness Week ${year}</h1>`));
    for (const t of texts) assert.ok(html.includes(t), `${year}: ${t}`);
    assert.match(html, /Organiser/);
    assert.match(html, /<h2>Key messages<\/h2>/, `${year}: key messages`);
    assert.match(html, /href="\/awareness-week"/, `${year}: back to all years`);
  }
});

test('years with facts not confirmed say so plainly', async () => {
  for (const year of [2018, 2019]) {
    const { html } = await get(`/awareness-week/${year}`);
    assert.match(html, new RegExp(`Not confirmed: we have not been able to confirm the theme for ${year}`));
    assert.match(html, /\(not confirmed\)/, `${year}: hashtag not confirmed`);
    // Where a fact comes from is for editors (provenance:), not the public page.
    assert.doesNotMatch(html, /Australian partner|partner organisation/);
  }
  assert.doesNotMatch((await get('/awareness-week/2020')).html, /One source gives/);
  const { html } = await get('/awareness-week/2026');
  assert.match(html, /Dates<\/dt>\s*<dd class="nhsuk-summary-list__value">Not confirmed yet: expected around 8 to 14 June 2026/);
  assert.match(html, /The dates and theme for 2026 are not confirmed/);
  for (const year of [2023, 2024, 2025]) {
    const r = await get(`/awareness-week/${year}`);
    assert.match(r.html, /Hashtags<\/dt>\s*<dd class="nhsuk-summary-list__value">Not confirmed/, `${year}`);
  }
});

test('year pages link to the years either side', async () => {
  const { html } = await get('/awareness-week/2021');
  assert.match(html, /href="\/awareness-week\/2020" rel="prev"/);
  assert.match(html, /href="\/awareness-week\/2022" rel="next"/);
  assert.doesNotMatch((await get('/awareness-week/2016')).html, /rel="prev"/);
  assert.doesNotMatch((await get('/awareness-week/2026')).html, /rel="next"/);
});

test('a year with no file is a 404 page; a malformed year is a 400', async () => {
  for (const [path, status, text] of [
    ['/awareness-week/2015', 404, 'There was no Infant Mental Health Awareness Week in 2015'],
    ['/awareness-week/1999', 404, 'The first one was in 2016'],
    ['/awareness-week/2099', 404, 'We do not have a page for Infant Mental Health Awareness Week 2099 yet'],
    ['/awareness-week/20x6', 400, 'a year written as four digits'],
    ['/awareness-week/21', 400, 'a year written as four digits'],
    ['/awareness-week/020210', 400, 'a year written as four digits'],
    ['/awareness-week/-2021', 400, 'a year written as four digits'],
  ]) {
    const { status: s, html } = await get(path);
    assert.equal(s, status, path);
    assert.ok(html.includes(text), `${path}: ${text}`);
    assert.match(html, /nhsuk-header/, `${path}: site style`);
    assert.match(html, /href="\/awareness-week\/2021"/, `${path}: the years to choose from`);
    assert.match(html, /<meta name="robots" content="noindex">/);
  }
  const { html } = await get('/awareness-week/%3Cscript%3E');
  assert.doesNotMatch(html, /<script>/);
  assert.match((await get('/awareness-week/20x6')).html, /<title>Error: /);
});

test('HEAD works on the awareness and resources pages', async () => {
  for (const path of ['/awareness-week', '/awareness-week/2021', '/resources?stage=pregnancy']) {
    const r = await fetch(srv.base + path, { method: 'HEAD' });
    assert.equal(r.status, 200, path);
    assert.equal((await r.arrayBuffer()).byteLength, 0);
  }
  assert.equal((await fetch(srv.base + '/awareness-week/1999', { method: 'HEAD' })).status, 404);
});

function expectedCount(stage, topic) {
  return catalogue.resources.filter((r) => (!stage || r.stages.includes(stage)) && (!topic || r.topics.includes(topic))).length;
}

function shownTitles(html) {
  return [...html.matchAll(/<h3 class="nhsuk-card__heading nhsuk-heading-m"><a href="([^"]*)">/g)].map((m) => m[1]);
}

test('/resources lists everything and filters by stage and topic', async () => {
  const all = await get('/resources');
  assert.equal(all.status, 200);
  assert.equal(shownTitles(all.html).length, catalogue.resources.length);
  assert.match(all.html, new RegExp(`<h2 id="results">${catalogue.resources.length} resources</h2>`));
  assert.match(all.html, /<form method="get" action="\/resources"/);
  for (const name of ['Tiny Happy People', 'Look, Say, Sing, Play', 'AIMH UK', 'Baby Buddy', 'PANDAS', 'Tommy&#39;s', 'Start for Life', 'Parent-Infant Foundation', 'Mind', 'Samaritans']) {
    assert.ok(all.html.includes(name), name);
  }
  for (const stage of ['', ...catalogue.stages.map((s) => s.id)]) {
    for (const topic of ['', ...catalogue.topics.map((t) => t.id)]) {
      const { status, html } = await get(`/resources?stage=${stage}&topic=${topic}`);
      assert.equal(status, 200);
      const n = expectedCount(stage, topic);
      assert.equal(shownTitles(html).length, n, `stage=${stage} topic=${topic}`);
      assert.match(html, new RegExp(`<h2 id="results">${n} resources?`));
      if (stage) assert.match(html, new RegExp(`<option value="${stage}" selected>`));
      if (n === 0) assert.match(html, /No resources match/);
    }
  }
  // Ids are matched without regard to case.
  const upper = await get('/resources?stage=PREGNANCY');
  assert.equal(shownTitles(upper.html).length, expectedCount('pregnancy', ''));
});

test('an unknown stage or topic is a 400 page with the form and the allowed values', async () => {
  const { status, html } = await get('/resources?stage=newborn&topic=bonding');
  assert.equal(status, 400);
  assert.match(html, /<title>Error: Resources we recommend/);
  assert.match(html, /nhsuk-error-summary/);
  assert.match(html, /There is no stage called &quot;newborn&quot;/);
  assert.match(html, /pregnancy, 0-12-months or 1-2-years/);
  assert.match(html, /<option value="bonding" selected>/, 'the valid choice is kept');
  assert.match(html, /<form method="get" action="\/resources"/);
  assert.match(html, /resources_filter_invalid/);
  assert.equal(shownTitles(html).length, 0);

  const both = await get('/resources?stage=x&topic=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
  assert.equal(both.status, 400);
  assert.match(both.html, /There is no topic called &quot;&lt;script&gt;/);
  assert.doesNotMatch(both.html, /<script>alert/);
  for (const t of catalogue.topics) assert.ok(both.html.includes(t.id), t.id);

  const long = await get(`/resources?topic=${'é'.repeat(100)}`);
  assert.equal(long.status, 400);
  assert.match(long.html, /\.\.\.&quot;/, 'a long value is shortened');
  assert.ok(srv.alive());
});

test('external links in the resources open safely', async () => {
  const { html } = await get('/resources');
  assertSafeExternalLinks('/resources', html);
  for (const r of catalogue.resources) assert.ok(html.includes(`href="${r.url}"`), r.url);
});

test('a deployment adds a year by dropping a file into its content folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'firstdays-content-'));
  mkdirSync(join(dir, 'awareness'));
  writeFileSync(join(dir, 'awareness', '2027.md'), `---
year: 2027
start: 2027-06-07
end: 2027-06-13
theme: A theme for the test
hashtags: #IMHAW27
organiser: Parent-Infant Foundation
summary: A year added by a deployment.
sources: https://example.org/imhaw-2027
---
## Key messages

- Added from a content folder.
`);
  const own = await startServer(['--content', dir]);
  try {
    const r = await fetch(own.base + '/awareness-week/2027');
    assert.equal(r.status, 200);
    const html = await r.text();
    assert.match(html, /A theme for the test/);
    assert.match(html, /7 to 13 June 2027/);
    assert.match(html, /Added from a content folder/);
    const index = await (await fetch(own.base + '/awareness-week')).text();
    assert.match(index, /href="\/awareness-week\/2027"/);
    assert.match(index, /The next awareness week: 2027|Happening now: 2027|The most recent awareness week: 2027/);
  } finally {
    await own.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

// A content mistake never takes the site down: the file is set aside with a
// loud log line, the built-in file serves in its place, /healthz says
// "degraded" naming it, and `check` still fails on it.
async function degraded(srv, names) {
  const h = await (await fetch(srv.base + '/healthz')).json();
  assert.equal(h.status, 'degraded');
  for (const n of names) assert.ok(h.content_problems.some((p) => p.includes(n)), `${n} in ${JSON.stringify(h.content_problems)}`);
  assert.equal((await fetch(srv.base + '/urgent-help')).status, 200);
  return h;
}

test('a malformed year in the content folder is set aside, and the site serves without it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'firstdays-content-'));
  mkdirSync(join(dir, 'awareness'));
  writeFileSync(join(dir, 'awareness', '2027.md'), '---\nyear: 2027\nstart: 2027-06-31\nend: 2027-06-13\ntheme: T\norganiser: O\nsummary: S\nsources: https://example.org/\n---\n');
  // A mistyped key in a year that replaces a built-in one: the built-in year serves.
  const builtin = readFileSync(new URL('../../content/awareness/2025.md', import.meta.url), 'utf8');
  writeFileSync(join(dir, 'awareness', '2025.md'), builtin.replace(/^theme:/m, 'thme:'));
  const srv = await startServer(['--content', dir]);
  try {
    const h = await degraded(srv, ['awareness/2027.md', 'awareness/2025.md']);
    assert.ok(h.content_problems.some((p) => /field 'start'/.test(p)));
    assert.ok(h.content_problems.some((p) => /field 'thme'/.test(p)));
    assert.match(srv.logs(), /"level":"error".*awareness\/2027\.md/);
    assert.equal((await fetch(srv.base + '/awareness-week/2027')).status, 404);
    const y = await fetch(srv.base + '/awareness-week/2025');
    assert.equal(y.status, 200);
    const theme = builtin.match(/^theme: (.*)$/m)[1];
    assert.ok((await y.text()).includes(theme.replace(/'/g, '&#39;')), 'the built-in 2025 serves');
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a malformed resources file is set aside, the built-in one serves, and check fails on it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'firstdays-content-'));
  const bad = structuredClone(catalogue);
  bad.resources[2].url = 'javascript:alert(1)';
  writeFileSync(join(dir, 'resources.json'), JSON.stringify(bad));
  const srv = await startServer(['--content', dir]);
  try {
    const h = await degraded(srv, ['resources.json: resource 3']);
    assert.ok(h.content_problems.some((p) => /field 'url'/.test(p)));
    const page = await (await fetch(srv.base + '/resources')).text();
    assert.ok(!page.includes('javascript:'), 'the malformed entry is not served');
    assert.ok(page.includes(catalogue.resources[2].url.replace(/&/g, '&amp;')), 'the built-in catalogue serves');
  } finally {
    await srv.stop();
  }
  const { spawnSync } = await import('node:child_process');
  const { BIN } = await import('./helpers.mjs');
  const r = spawnSync(BIN, ['check', '--content', dir, '--db', join(dir, 'x.db')], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /resources\.json: resource 3.*field 'url'/);
  assert.match(r.stderr, /1 content file\(s\) fail to load/);
  rmSync(dir, { recursive: true, force: true });
});
