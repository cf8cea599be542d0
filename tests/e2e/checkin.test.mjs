// End-to-end tests of the wellbeing-check pages (/wellbeing-check): the POST
// flow, error summaries that keep answers, the Whooley help question, urgent
// help first, the printable summary, privacy, and the EPDS with and without a
// deployment's licensed wording. Hazard log: docs/clinical-safety/hazard-log.md.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './helpers.mjs';

const PHQ9 = (a) => Object.fromEntries(a.map((v, i) => [`phq9-${i + 1}`, String(v)]));
const EPDS = (a) => Object.fromEntries(a.map((v, i) => [`epds-${i + 1}`, String(v)]));

async function post(srv, path, fields) {
  const r = await fetch(srv.base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { r, html: await r.text() };
}

// The part of the page inside <main>.
const mainOf = (html) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
const titleOf = (html) => (html.match(/<title>([^<]*)<\/title>/) || [])[1] || '';

// Every urgent-help route, and all of them before pos (an index into main).
function assertUrgentFirst(main, ...laterMarkers) {
  const i999 = main.indexOf('href="tel:999"');
  const i111 = main.indexOf('href="tel:111"');
  const iSam = main.indexOf('116 123');
  assert.ok(i999 > 0, '999 shown');
  assert.ok(i111 > 0, '111 shown');
  assert.ok(iSam > 0, 'Samaritans shown');
  assert.match(main, /nhsuk-card--care--emergency/);
  assert.match(main, /urgent appointment/, 'an urgent GP appointment');
  for (const m of laterMarkers) {
    const j = main.indexOf(m);
    if (j < 0) continue;
    assert.ok(Math.max(i999, i111, iSam) < j, `urgent help comes before ${m}`);
  }
}

describe('wellbeing check pages', () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv.stop(); });

  test('start page explains privacy, who it is for and the first questions', async () => {
    const r = await fetch(srv.base + '/wellbeing-check');
    assert.equal(r.status, 200);
    const html = await r.text();
    const main = mainOf(html);
    assert.match(main, /<h1>Check how you are feeling<\/h1>/);
    assert.match(main, /Nothing you answer is stored/);
    assert.match(main, /never go into the web address/);
    assert.match(main, /not written to our logs/);
    assert.match(main, /mums, dads, partners and co-parents/);
    assert.match(main, /href="\/wellbeing-check\/feeling"/);
    assert.match(main, /href="\/urgent-help"/);
    assert.match(main, /EPDS\): <a href="\/wellbeing-check\/epds">not available here<\/a>/);
    assert.match(html, /nhsuk-header/);
  });

  test('who= changes the wording for dads and partners, not the questions', async () => {
    const dad = mainOf(await (await fetch(srv.base + '/wellbeing-check?who=dad')).text());
    assert.match(dad, /Becoming a dad/);
    assert.match(dad, /value="dad" checked/);
    assert.match(dad, /href="\/wellbeing-check\/feeling\?who=dad"/);
    const partner = mainOf(await (await fetch(srv.base + '/wellbeing-check?who=partner')).text());
    assert.match(partner, /Partners and co-parents go through big changes/);
    const mum = mainOf(await (await fetch(srv.base + '/wellbeing-check?who=mum')).text());
    assert.match(mum, /Pregnancy and the months after birth/);
    const odd = mainOf(await (await fetch(srv.base + '/wellbeing-check?who=%3Cscript%3E')).text());
    assert.doesNotMatch(odd, /<script>/);
    assert.doesNotMatch(odd, / checked/);
    const q = mainOf(await (await fetch(srv.base + '/wellbeing-check/feeling?who=dad')).text());
    assert.match(q, /These questions are about you, not your partner or your baby/);
    assert.match(q, /<input type="hidden" name="who" value="dad">/);
    const q2 = mainOf(await (await fetch(srv.base + '/wellbeing-check/feeling')).text());
    const items = (s) => s.match(/<legend[^]*?<\/legend>/g);
    assert.deepEqual(items(q), items(q2), 'same questions for everyone');
  });

  test('"How are you feeling?" asks Whooley and GAD-2 as radios in fieldsets, POST only', async () => {
    const r = await fetch(srv.base + '/wellbeing-check/feeling');
    assert.equal(r.status, 200);
    const main = mainOf(await r.text());
    assert.match(main, /<form method="post" action="\/wellbeing-check\/feeling" novalidate>/);
    assert.equal((main.match(/<fieldset class="nhsuk-fieldset"/g) || []).length, 4);
    assert.equal((main.match(/<legend /g) || []).length, 4);
    for (const n of ['whooley-1', 'whooley-2', 'gad2-1', 'gad2-2'])
      assert.match(main, new RegExp(`id="${n}" name="${n}" type="radio" value="0"`));
    assert.match(main, /<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s"><span class="nhsuk-caption-m">Question 4 of 4<\/span>Not being able to stop or control worrying<\/legend>/);
    assert.doesNotMatch(main, /&lt;/, 'no markup escaped twice');
    assert.doesNotMatch(main, / checked/);
    assert.match(main, /Pfizer/);
  });

  test('unanswered questions give an error summary, "Error: " title and keep answers', async () => {
    const { r, html } = await post(srv, '/wellbeing-check/feeling', { 'whooley-1': '1', 'gad2-2': '3' });
    assert.equal(r.status, 400);
    assert.match(titleOf(html), /^Error: How are you feeling\?/);
    const main = mainOf(html);
    assert.match(main, /class="nhsuk-error-summary"/);
    assert.match(main, /<a href="#whooley-2">Select an answer for question 2: /);
    assert.match(main, /<a href="#gad2-1">Select an answer for question 3: /);
    assert.doesNotMatch(main, /href="#whooley-1"/);
    assert.equal((main.match(/class="nhsuk-error-message"/g) || []).length, 2);
    assert.match(main, /aria-describedby="whooley-2-hint whooley-2-error"/);
    assert.match(main, /id="whooley-1-2" name="whooley-1" type="radio" value="1" checked/);
    assert.match(main, /id="gad2-2-4" name="gad2-2" type="radio" value="3" checked/);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    // The error summary comes before the questions.
    assert.ok(main.indexOf('nhsuk-error-summary') < main.indexOf('<form'));
  });

  test('empty and tampered answers are unanswered questions, never a crash', async () => {
    let { r, html } = await post(srv, '/wellbeing-check/phq9', {});
    assert.equal(r.status, 400);
    assert.equal((mainOf(html).match(/<li><a href="#phq9-/g) || []).length, 9);
    ({ r, html } = await post(srv, '/wellbeing-check/phq9',
      { ...PHQ9([0, 0, 0, 0, 0, 0, 0, 0, 0]), 'phq9-1': '4', 'phq9-2': 'x', 'phq9-3': '-1', 'phq9-4': '00' }));
    assert.equal(r.status, 400);
    const main = mainOf(html);
    for (const n of [1, 2, 3, 4]) assert.match(main, new RegExp(`href="#phq9-${n}"`));
    assert.doesNotMatch(main, /href="#phq9-5"/);
    assert.ok(srv.alive());
  });

  test('all no: a calm outcome with ways to keep well and when to check again', async () => {
    const { r, html } = await post(srv, '/wellbeing-check/feeling',
      { 'whooley-1': '0', 'whooley-2': '0', 'gad2-1': '1', 'gad2-2': '1' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.match(html, /<meta name="robots" content="noindex">/);
    assert.doesNotMatch(html, /Share this page/);
    const main = mainOf(html);
    assert.match(main, /<h1>Thank you for answering<\/h1>/);
    assert.doesNotMatch(main, /&lt;/, 'no markup escaped twice');
    assert.match(main, /Ways to keep well/);
    assert.match(main, /When to check again/);
    assert.match(main, /If you start to feel worse/);
    assert.doesNotMatch(main, /nhsuk-card--care--emergency/);
    assert.match(main, /If you are still worried/);
    assert.match(main, /href="\/wellbeing-check\/phq9"/);
    // Local support: a link and a postcode form that submits to find-support by GET.
    assert.match(main, /href="\/find-support\?need=n2"/);
    assert.match(main, /<form method="get" action="\/find-support">/);
    assert.match(main, /name="need" value="n2"/);
    assert.match(main, /name="postcode"/);
    assert.doesNotMatch(main, /Is this something you feel you need or want help with/);
  });

  test('a positive Whooley screen asks the help question, once, then a non-urgent outcome', async () => {
    const answers = { who: 'mum', 'whooley-1': '1', 'whooley-2': '0', 'gad2-1': '0', 'gad2-2': '0' };
    let { r, html } = await post(srv, '/wellbeing-check/feeling', answers);
    assert.equal(r.status, 200);
    let main = mainOf(html);
    assert.match(main, /<h1 class="nhsuk-fieldset__heading">Is this something you feel you need or want help with\?<\/h1>/);
    assert.match(main, /<input type="hidden" name="whooley-1" value="1">/);
    assert.match(main, /<input type="hidden" name="followup" value="1">/);
    // Continue without choosing: an error on the help question.
    ({ r, html } = await post(srv, '/wellbeing-check/feeling', { ...answers, followup: '1' }));
    assert.equal(r.status, 400);
    assert.match(titleOf(html), /^Error: Is this something/);
    assert.match(mainOf(html), /<a href="#whooley-help">/);
    // Answer it: "Yes, but not today".
    ({ r, html } = await post(srv, '/wellbeing-check/feeling', { ...answers, followup: '1', 'whooley-help': '1' }));
    assert.equal(r.status, 200);
    main = mainOf(html);
    assert.match(main, /<h1>Talk to someone about how you are feeling<\/h1>/);
    assert.match(main, /nhsuk-card--care--non-urgent/);
    assert.match(main, /Speak to your health visitor, midwife or GP/);
    assert.match(main, /NHS Talking Therapies/);
    assert.match(main, /You said not today/);
    assert.doesNotMatch(main, /nhsuk-card--care--emergency/);
    // NICE CG192: offer PHQ-9 (EPDS only where licensed: not here).
    assert.match(main, /href="\/wellbeing-check\/phq9\?who=mum"/);
    assert.doesNotMatch(main, /href="\/wellbeing-check\/epds/);
    assert.doesNotMatch(main, /href="\/wellbeing-check\/gad7/);
    assert.match(main, /Yes, but not today/, 'the help answer is in the summary');
    // Local services from the directory (demo data), each with how to be referred.
    assert.match(main, /<h2>Support for parents&#39; mental health in our area<\/h2>/);
    const links = [...main.matchAll(/href="\/find-support\/service\/([0-9a-f-]{36})"/g)];
    assert.ok(links.length >= 1 && links.length <= 3, `1 to 3 local services, got ${links.length}`);
    assert.match(main, /How to be referred/);
    // Each listed service is a real page that names perinatal mental health among its needs.
    const svc = await fetch(srv.base + `/find-support/service/${links[0][1]}`);
    assert.equal(svc.status, 200);
    assert.match(await svc.text(), /[Pp]erinatal mental health|mental health in pregnancy/);
  });

  test('a positive GAD-2 alone offers GAD-7 and asks no help question', async () => {
    const { r, html } = await post(srv, '/wellbeing-check/feeling',
      { 'whooley-1': '0', 'whooley-2': '0', 'gad2-1': '2', 'gad2-2': '1' });
    assert.equal(r.status, 200);
    const main = mainOf(html);
    assert.match(main, /<h1>Talk to someone about how you are feeling<\/h1>/);
    assert.match(main, /href="\/wellbeing-check\/gad7"/);
    assert.doesNotMatch(main, /href="\/wellbeing-check\/phq9"/);
  });

  test('PHQ-9 item 9 = 1 with total 3: urgent help before anything else', async () => {
    const { r, html } = await post(srv, '/wellbeing-check/phq9', PHQ9([1, 1, 0, 0, 0, 0, 0, 0, 1]));
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(titleOf(html).split(' – ')[0], 'Please get support now');
    const main = mainOf(html);
    // The first thing in main is the urgent block with its heading.
    const firstHeading = main.match(/<h[1-3][^>]*>([^<]*)/)[1];
    assert.equal(firstHeading, 'Please get support now');
    assertUrgentFirst(main, 'Your summary', 'Total score', 'Find support near you', 'minimal');
    assert.match(main, /<div class="nhsuk-panel nhsuk-panel--interruption">/);
    assert.doesNotMatch(main, /&lt;/, 'no markup escaped twice');
    assert.match(main, /3 out of 27/);
    assert.match(main, /minimal \(0 to 4\)/);
    assert.match(main, /Please ask me about/);
    assert.doesNotMatch(main, /Thank you for answering/);
    assert.doesNotMatch(main, /Ways to keep well/);
  });

  test('a half-filled form with a flagged answer shows urgent help before the errors', async () => {
    const { r, html } = await post(srv, '/wellbeing-check/phq9', { 'phq9-9': '2' });
    assert.equal(r.status, 400);
    assert.match(titleOf(html), /^Error: /);
    const main = mainOf(html);
    assertUrgentFirst(main, 'nhsuk-error-summary', '<form');
    assert.match(main, /id="phq9-9-3" name="phq9-9" type="radio" value="2" checked/);
    // "Not at all" on item 9 raises nothing.
    const calm = mainOf((await post(srv, '/wellbeing-check/phq9', { 'phq9-9': '0' })).html);
    assert.doesNotMatch(calm, /nhsuk-card--care--emergency/);
  });

  test('printable summary: every answer, the score, what to do and the attribution', async () => {
    const { html } = await post(srv, '/wellbeing-check/gad7', Object.fromEntries(
      [2, 2, 2, 1, 1, 1, 1].map((v, i) => [`gad7-${i + 1}`, String(v)])));
    const main = mainOf(html);
    const summary = main.slice(main.indexOf('app-checkin-summary'));
    assert.match(summary, /<h2>Your summary<\/h2>/);
    assert.equal((summary.match(/nhsuk-summary-list__row/g) || []).length, 7 + 3);
    assert.match(summary, /1\. Feeling nervous, anxious or on edge/);
    assert.match(summary, /More than half the days \(scores 2\)/);
    assert.match(summary, /10 out of 21/);
    assert.match(summary, /moderate \(10 to 14\)/);
    assert.match(summary, /What to do next:/);
    assert.match(summary, /Developed by Drs\. Robert L\. Spitzer, Janet B\.W\. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc\./);
    assert.match(summary, /do not give a diagnosis/);
    // Print CSS keeps the summary and hides forms and offers.
    const css = await (await fetch(srv.base + '/static/app.css')).text();
    assert.match(css, /@media print/);
    assert.match(css, /app-checkin-summary/);
    assert.match(main, /<div class="app-no-print">\n<h2>Find support near you/);
  });

  test('no GET reads answers, and answers never reach the logs', async () => {
    const r = await fetch(srv.base + '/wellbeing-check/phq9?phq9-9=3&phq9-1=2');
    assert.equal(r.status, 200);
    const main = mainOf(await r.text());
    assert.doesNotMatch(main, / checked/);
    assert.doesNotMatch(main, /Please get support now/);
    await post(srv, '/wellbeing-check/phq9', PHQ9([3, 2, 1, 0, 3, 2, 1, 0, 2]));
    await post(srv, '/wellbeing-check/feeling', { 'whooley-1': '1', 'whooley-2': '1', 'gad2-1': '1', 'gad2-2': '1', followup: '1', 'whooley-help': '2' });
    await new Promise((res) => setTimeout(res, 200));
    const logs = srv.logs();
    assert.match(logs, /"path":"\/wellbeing-check\/phq9"/, 'requests are logged');
    assert.doesNotMatch(logs, /phq9-\d|whooley-\d|gad2-\d|whooley-help|followup/);
    assert.doesNotMatch(logs, /\?phq9/);
  });

  test('the EPDS page explains it is not available without licensed wording', async () => {
    const r = await fetch(srv.base + '/wellbeing-check/epds');
    assert.equal(r.status, 200);
    const main = mainOf(await r.text());
    assert.match(main, /<h1>This check is not available here<\/h1>/);
    assert.match(main, /copyright/);
    assert.doesNotMatch(main, /<form method="post"/);
    assert.match(main, /href="\/wellbeing-check\/phq9"/);
    const p = await post(srv, '/wellbeing-check/epds', EPDS([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    assert.match(mainOf(p.html), /not available here/);
  });

  test('unknown step is a 404; the start page takes no POST; bodies are capped', async () => {
    assert.equal((await fetch(srv.base + '/wellbeing-check/phq10')).status, 404);
    assert.equal((await fetch(srv.base + '/wellbeing-check', { method: 'POST' })).status, 405);
    const big = 'who=' + 'a'.repeat(9000);
    const r = await fetch(srv.base + '/wellbeing-check/phq9', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: big });
    assert.equal(r.status, 413);
    assert.ok(srv.alive());
  });
});

// Placeholder wording for tests only: not the EPDS's words.
function fakeWording() {
  return JSON.stringify({
    instrument: 'epds',
    permission: 'Test permission statement for the EPDS wording.',
    attribution: 'Test attribution line.',
    stem: 'Test stem for the past 7 days.',
    items: Array.from({ length: 10 }, (_, i) => ({
      id: `epds.${i + 1}`,
      text: `Test item ${i + 1}`,
      options: [1, 2, 3, 4].map((o) => `Item ${i + 1} option ${o}`),
    })),
  });
}

describe('EPDS with a deployment\'s licensed wording', () => {
  let srv, srv10, dir;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'firstdays-epds-'));
    writeFileSync(join(dir, 'epds.json'), fakeWording());
    srv = await startServer(['--set', `epds_wording=${join(dir, 'epds.json')}`]);
    srv10 = await startServer(['--set', `epds_wording=${join(dir, 'epds.json')}`, '--set', 'epds_threshold=10']);
  });
  after(async () => {
    await srv.stop();
    await srv10.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the page shows the supplied wording and the permission statement', async () => {
    const main = mainOf(await (await fetch(srv.base + '/wellbeing-check/epds')).text());
    assert.match(main, /<form method="post" action="\/wellbeing-check\/epds"/);
    assert.equal((main.match(/<fieldset /g) || []).length, 10);
    assert.match(main, /Test item 10/);
    assert.match(main, /Item 3 option 1/);
    assert.match(main, /Test permission statement/);
  });

  test('reverse-scored items and the item 10 flag on the page', async () => {
    // Bottom option everywhere except item 10 on the third: total 10, flagged.
    const { r, html } = await post(srv, '/wellbeing-check/epds', EPDS([3, 3, 3, 3, 3, 3, 3, 3, 3, 2]));
    assert.equal(r.status, 200);
    const main = mainOf(html);
    assertUrgentFirst(main, 'Your summary', 'Total score');
    assert.match(main, /10 out of 30/);
    // Item 3's first option scores 3 (reverse scored).
    const top = mainOf((await post(srv, '/wellbeing-check/epds', EPDS([3, 3, 0, 3, 3, 3, 3, 3, 3, 3]))).html);
    assert.match(top, /Item 3 option 1 \(scores 3\)/);
    assert.match(top, /12 out of 30/);
    assert.match(top, /<h1>Thank you for answering<\/h1>/);
  });

  test('a positive Whooley offers the EPDS where licensed', async () => {
    const answers = { 'whooley-1': '1', 'whooley-2': '1', 'gad2-1': '0', 'gad2-2': '0', followup: '1', 'whooley-help': '0' };
    const main = mainOf((await post(srv, '/wellbeing-check/feeling', answers)).html);
    assert.match(main, /href="\/wellbeing-check\/epds"/);
    assert.match(main, /href="\/wellbeing-check\/phq9"/);
  });

  test('threshold 10 versus 13 on the same answers', async () => {
    const ten = EPDS([3, 3, 3, 3, 2, 3, 3, 3, 3, 3]); // total 10, no flag
    const at13 = mainOf((await post(srv, '/wellbeing-check/epds', ten)).html);
    const at10 = mainOf((await post(srv10, '/wellbeing-check/epds', ten)).html);
    assert.match(at13, /<h1>Thank you for answering<\/h1>/);
    assert.match(at13, /the level is 13 or more/);
    assert.match(at10, /<h1>Talk to someone about how you are feeling<\/h1>/);
    assert.match(at10, /the level is 10 or more/);
  });

  test('the API gives the supplied wording with the definition', async () => {
    const d = await (await fetch(srv.base + '/api/v1/instruments/epds')).json();
    assert.equal(d.wording_available, true);
    assert.equal(d.items[0].text, 'Test item 1');
    assert.equal(d.items[2].options[0].label, 'Item 3 option 1');
    assert.equal(d.items[2].options[0].score, 3);
    assert.equal(d.permission, 'Test permission statement for the EPDS wording.');
  });
});

// An instrument file of the deployment's that fails its checks is set aside
// and the built-in, sourced instrument serves instead: /healthz is degraded
// and names it, and the EPDS scores as the reference says.
async function builtinServesInstead(cdir, problem) {
  const srv = await startServer(['--content', cdir]);
  try {
    const h = await (await fetch(srv.base + '/healthz')).json();
    assert.equal(h.status, 'degraded');
    assert.ok(h.content_problems.some((p) => problem.test(p)), JSON.stringify(h.content_problems));
    const def = await (await fetch(srv.base + '/api/v1/instruments/epds')).json();
    assert.ok(def.items.every((it) => it.text === null || it.text === undefined), 'no wording from the overlay');
    // Items 3 and 5 to 10 are reverse-scored in the built-in EPDS: the first option of each scores 3.
    const r = await fetch(srv.base + '/api/v1/instruments/epds/score', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ answers: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] }),
    });
    assert.equal(r.status, 200);
    assert.equal((await r.json()).score, 21); // the file's own worked example
  } finally {
    await srv.stop();
  }
}

describe('start-up refuses unsafe EPDS settings', () => {
  let dir;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'firstdays-epds-bad-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a wording file with a missing item stops the service, naming the setting', async () => {
    const w = JSON.parse(fakeWording());
    w.items.pop();
    writeFileSync(join(dir, 'short.json'), JSON.stringify(w));
    await assert.rejects(startServer(['--set', `epds_wording=${join(dir, 'short.json')}`]), /epds_wording/);
    await assert.rejects(startServer(['--set', `epds_wording=${join(dir, 'absent.json')}`]), /epds_wording: cannot read/);
  });

  test('an EPDS threshold other than 10 or 13 is refused', async () => {
    await assert.rejects(startServer(['--set', 'epds_threshold=11']), /epds_threshold/);
  });

  test('a content overlay that puts EPDS wording in the instrument file is refused', async () => {
    const cdir = join(dir, 'content');
    const { mkdirSync, readFileSync } = await import('node:fs');
    mkdirSync(join(cdir, 'instruments'), { recursive: true });
    const epds = JSON.parse(readFileSync('content/instruments/epds.json', 'utf8'));
    epds.items[0].text = 'Some wording';
    writeFileSync(join(cdir, 'instruments', 'epds.json'), JSON.stringify(epds));
    await builtinServesInstead(cdir, /epds\.json/);
  });

  test('a content overlay with a wrong score key is refused by its worked examples', async () => {
    const cdir = join(dir, 'content2');
    const { mkdirSync, readFileSync } = await import('node:fs');
    mkdirSync(join(cdir, 'instruments'), { recursive: true });
    const epds = JSON.parse(readFileSync('content/instruments/epds.json', 'utf8'));
    epds.items[2].options = [0, 1, 2, 3].map((score) => ({ score })); // item 3 no longer reversed
    writeFileSync(join(cdir, 'instruments', 'epds.json'), JSON.stringify(epds));
    await builtinServesInstead(cdir, /epds\.json: examples\[/);
  });
});
