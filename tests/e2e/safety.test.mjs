// End-to-end tests of issue "Safety first": the urgent-help routes as content
// (national routes always there, a deployment's additions, an overlay that
// drops or changes one set aside), the "Exit this page" button on sensitive
// pages, neutral codes for sensitive needs in find-support addresses, and the
// sooner step for severe PHQ-9 and GAD-7 scores. Facts: reference clinical.md
// sections 2 and 10. Hazard log: docs/clinical-safety/hazard-log.md (H4, H5,
// H10, H11, H12).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './helpers.mjs';

const fields = (id, a) => Object.fromEntries(a.map((v, i) => [`${id}-${i + 1}`, String(v)]));
const mainOf = (html) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
const national = JSON.parse(readFileSync('content/urgent/routes.json', 'utf8'));

async function post(srv, path, body) {
  const r = await fetch(srv.base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
  });
  return { r, html: await r.text() };
}

async function score(srv, id, answers) {
  const r = await fetch(`${srv.base}/api/v1/instruments/${id}/score`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ answers }),
  });
  assert.equal(r.status, 200);
  return r.json();
}

// The quick-exit button: a plain link to a neutral page, and its script.
function assertQuickExit(html, where) {
  assert.match(html, /<a href="https:\/\/www\.bbc\.co\.uk\/weather" role="button"[^>]*class="nhsuk-button nhsuk-button--warning app-exit-this-page__button" rel="nofollow noreferrer"><span class="nhsuk-u-visually-hidden">Emergency<\/span> Exit this page<\/a>/, where);
  assert.match(html, /<script src="\/static\/exit-this-page\.js\?v=[0-9a-f]+"><\/script>/, where);
}

describe('built-in content', () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv.stop(); });

  test('/urgent-help: every national route from the content file, with its sources', async () => {
    const html = await (await fetch(srv.base + '/urgent-help')).text();
    const main = mainOf(html);
    for (const r of national.routes) {
      assert.ok(main.includes(r.action.replace('&', '&amp;')), r.id);
      for (const s of r.sources) assert.ok(main.includes(`href="${s}"`), `${r.id} source ${s}`);
    }
    assert.match(main, /Call 111 and choose the mental health option/);
    assert.doesNotMatch(main, /option 2/, 'clinical.md 10: not "option 2"');
    // The emergency card comes first, and says a baby's life is covered.
    assert.ok(main.indexOf('nhsuk-card--care--emergency') < main.indexOf('nhsuk-card--care--urgent'));
    assert.match(main, /your baby&#39;s life/);
    // What the page does not cover yet is said, not hidden (H11).
    assert.match(main, /does not yet cover warning signs in pregnancy or in a baby who is unwell/);
    assertQuickExit(html, '/urgent-help');
  });

  test('quick exit on the wellbeing checks, their outcomes and /parents-wellbeing, not elsewhere', async () => {
    for (const path of ['/wellbeing-check', '/wellbeing-check/feeling', '/wellbeing-check/phq9',
      '/wellbeing-check/epds', '/parents-wellbeing']) {
      assertQuickExit(await (await fetch(srv.base + path)).text(), path);
    }
    const { html } = await post(srv, '/wellbeing-check/phq9', fields('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0]));
    assertQuickExit(html, 'PHQ-9 outcome');
    const err = await post(srv, '/wellbeing-check/phq9', {});
    assertQuickExit(err.html, 'PHQ-9 error page');
    for (const path of ['/', '/bonding', '/find-support']) {
      assert.doesNotMatch(await (await fetch(srv.base + path)).text(), /Exit this page/, path);
    }
  });

  test('find-support: sensitive needs travel as neutral codes, and their pages have quick exit', async () => {
    const form = await (await fetch(srv.base + '/find-support')).text();
    assert.match(form, /<option value="n1">Domestic abuse<\/option>/);
    assert.doesNotMatch(form, /value="domestic-abuse"/);
    assert.match(form, /<option value="feeding">/, 'other needs keep their names');
    const coded = await (await fetch(srv.base + '/find-support?need=n1')).text();
    assert.match(coded, /<option value="n1" selected>/);
    assertQuickExit(coded, 'need=n1');
    assert.doesNotMatch(coded, /need=domestic-abuse/, 'no link names the need');
    // An old link with the name still works, and its links use the code.
    const named = await (await fetch(srv.base + '/find-support?need=domestic-abuse')).text();
    assert.match(named, /<option value="n1" selected>/);
    assert.doesNotMatch(await (await fetch(srv.base + '/find-support?need=feeding')).text(), /Exit this page/);
  });

  test('PHQ-9 total 20 (severe): blue cards with the sooner step first; 19 has none', async () => {
    const { html } = await post(srv, '/wellbeing-check/phq9', fields('phq9', [3, 3, 3, 3, 3, 3, 2, 0, 0]));
    const main = mainOf(html);
    const sooner = main.indexOf('Speak to your GP or health visitor in the next few days');
    assert.ok(sooner > 0);
    assert.ok(sooner < main.indexOf('Speak to your health visitor, midwife or GP about how'));
    assert.match(main, /Phone your GP surgery, or use its online form, and ask for an appointment in the next few days/);
    assert.doesNotMatch(main, /nhsuk-card--care--(urgent|emergency)/, 'no flag: not red cards');
    assert.match(main, /severe \(20 to 27\)/);
    assert.match(main, /What to do next:<\/strong> speak to your GP or health visitor in the next few days/);
    const d = await score(srv, 'phq9', [3, 3, 3, 3, 3, 3, 2, 0, 0]);
    assert.deepEqual([d.score, d.band, d.care, d.sooner], [20, 'severe', 'non-urgent', true]);
    const m = await post(srv, '/wellbeing-check/phq9', fields('phq9', [3, 3, 3, 3, 3, 2, 2, 0, 0]));
    assert.doesNotMatch(mainOf(m.html), /next few days/);
    assert.equal((await score(srv, 'phq9', [3, 3, 3, 3, 3, 2, 2, 0, 0])).sooner, false);
  });

  test('GAD-7 total 15 (severe): the sooner step; 14 has none', async () => {
    const { html } = await post(srv, '/wellbeing-check/gad7', fields('gad7', [3, 2, 2, 2, 2, 2, 2]));
    assert.match(mainOf(html), /Speak to your GP or health visitor in the next few days/);
    assert.match(mainOf(html), /severe \(15 to 21\)/);
    const m = await post(srv, '/wellbeing-check/gad7', fields('gad7', [2, 2, 2, 2, 2, 2, 2]));
    assert.doesNotMatch(mainOf(m.html), /next few days/);
    assert.equal((await score(srv, 'gad7', [3, 2, 2, 2, 2, 2, 2])).sooner, true);
    assert.equal((await score(srv, 'gad7', [2, 2, 2, 2, 2, 2, 2])).sooner, false);
  });

  test('PHQ-9 item 9 = 1, total 3: the summary says Yes, never No, beside "Please get support now"', async () => {
    const { html } = await post(srv, '/wellbeing-check/phq9', fields('phq9', [1, 1, 0, 0, 0, 0, 0, 0, 1]));
    const main = mainOf(html);
    assert.match(main, /Please get support now/);
    assert.match(main, /Reached the level that suggests talking to someone<\/dt>\n<dd class="nhsuk-summary-list__value">Yes: question 9/);
    assert.doesNotMatch(main, /<dd class="nhsuk-summary-list__value">No \(the level is 10/);
  });

  test('the API urgent_help and scoring_failed use the content routes', async () => {
    const d = await score(srv, 'phq9', [1, 1, 0, 0, 0, 0, 0, 0, 1]);
    assert.equal(d.care, 'urgent');
    assert.deepEqual(d.urgent_help.routes.map((r) => r.id), ['999', '111', 'samaritans', 'shout', 'gp-today']);
    assert.ok(d.urgent_help.routes.every((r) => r.local === false));
  });
});

describe('a deployment\'s urgent-help routes', () => {
  let dir;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'firstdays-urgent-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const crisis = {
    id: 'demo-crisis-line', level: 'urgent', topics: ['mental-health'], name: 'Demo crisis line',
    action: 'Call the Demo crisis line on 0800 000 0000', href: 'tel:08000000000',
    when: 'if you need help now and live in Demoford', short: 'call the Demo crisis line',
    sources: ['https://example.org/crisis-line'],
  };
  const triage = {
    id: 'demo-maternity-triage', level: 'urgent', topics: ['pregnancy'], name: 'Demo maternity triage',
    action: 'Call Demo maternity triage', when: 'if you are worried about your pregnancy',
    short: 'call maternity triage', sources: ['https://example.org/maternity'],
  };

  test('urgent/local.json adds local routes, without a rebuild, after the national ones', async () => {
    const cdir = join(dir, 'local');
    mkdirSync(join(cdir, 'urgent'), { recursive: true });
    writeFileSync(join(cdir, 'urgent', 'local.json'), JSON.stringify({ routes: [crisis, triage] }));
    const srv = await startServer(['--content', cdir]);
    try {
      assert.equal((await (await fetch(srv.base + '/healthz')).json()).status, 'ok');
      const main = mainOf(await (await fetch(srv.base + '/urgent-help')).text());
      assert.ok(main.indexOf('tel:999') < main.indexOf('Demo crisis line'));
      assert.match(main, /<h2>If you are worried about your pregnancy<\/h2>/);
      assert.match(main, /Call Demo maternity triage/);
      assert.doesNotMatch(main, /does not yet cover/);
      const { html } = await post(srv, '/wellbeing-check/phq9', fields('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 1]));
      const urgent = mainOf(html);
      assert.ok(urgent.indexOf('tel:116123') < urgent.indexOf('tel:08000000000'), 'local after national on an urgent outcome');
      const d = await score(srv, 'phq9', [0, 0, 0, 0, 0, 0, 0, 0, 1]);
      const ids = d.urgent_help.routes.map((r) => r.id);
      assert.deepEqual(ids, ['999', '111', 'samaritans', 'shout', 'gp-today', 'demo-crisis-line']);
      assert.equal(d.urgent_help.routes.at(-1).local, true);
    } finally {
      await srv.stop();
    }
  });

  async function setAside(name, mutate) {
    const cdir = join(dir, name);
    mkdirSync(join(cdir, 'urgent'), { recursive: true });
    const copy = JSON.parse(JSON.stringify(national));
    mutate(copy);
    writeFileSync(join(cdir, 'urgent', 'routes.json'), JSON.stringify(copy));
    const srv = await startServer(['--content', cdir]);
    try {
      const h = await (await fetch(srv.base + '/healthz')).json();
      assert.equal(h.status, 'degraded');
      assert.equal(h.content_problems.length, 1);
      assert.match(h.content_problems[0], /^content\/urgent\/routes\.json: the national route/);
      const main = mainOf(await (await fetch(srv.base + '/urgent-help')).text());
      for (const r of national.routes) assert.ok(main.includes(r.action.replace('&', '&amp;')), r.id);
      assert.match(main, /href="tel:116123"/);
      return h.content_problems[0];
    } finally {
      await srv.stop();
    }
  }

  test('a copy of routes.json that drops a national route is set aside; the built-in routes serve', async () => {
    const msg = await setAside('drop', (c) => { c.routes = c.routes.filter((r) => r.id !== 'samaritans'); });
    assert.match(msg, /'samaritans' is missing/);
  });

  test('a copy of routes.json that changes a national route is set aside; the built-in routes serve', async () => {
    const msg = await setAside('change', (c) => { c.routes.find((r) => r.id === 'samaritans').href = 'tel:0000'; });
    assert.match(msg, /'samaritans' is changed/);
  });

  test('a copy of routes.json that keeps the national routes and adds one is accepted', async () => {
    const cdir = join(dir, 'keep');
    mkdirSync(join(cdir, 'urgent'), { recursive: true });
    writeFileSync(join(cdir, 'urgent', 'routes.json'), JSON.stringify({ ...national, routes: [...national.routes, crisis] }));
    const srv = await startServer(['--content', cdir]);
    try {
      assert.equal((await (await fetch(srv.base + '/healthz')).json()).status, 'ok');
      assert.match(await (await fetch(srv.base + '/urgent-help')).text(), /Demo crisis line/);
    } finally {
      await srv.stop();
    }
  });
});
