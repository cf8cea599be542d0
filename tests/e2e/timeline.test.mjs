// End-to-end tests of "My 1001 days": the form, the result page, bad input,
// the calendar feed (parsed by Debian's python3-icalendar) and the JSON API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(['--quiet']); });
after(async () => { await srv.stop(); });

const get = (path, opts = {}) => fetch(srv.base + path, { redirect: 'manual', ...opts });

function assertBereavementSupport(html) {
  assert.match(html, /If your pregnancy or baby has died/);
  assert.match(html, /href="https:\/\/www\.sands\.org\.uk\/"/);
  assert.match(html, /href="https:\/\/www\.tommys\.org\/"/);
  assert.match(html, /href="https:\/\/www\.childbereavementuk\.org\/"/);
  assert.match(html, /<a href="\/find-support\?need=[a-z0-9-]+">find bereavement support near you<\/a>/);
}

test('the form is a page of its own, with the support and privacy notes', async () => {
  const r = await get('/my-1001-days');
  assert.equal(r.status, 200);
  const html = await r.text();
  assert.match(html, /<h1>My 1001 days<\/h1>/);
  assert.match(html, /<form action="\/my-1001-days" method="get" novalidate>/);
  assert.match(html, /name="due-day"/);
  assert.match(html, /name="born-year"/);
  assert.match(html, /name="gestation"/);
  assert.match(html, /name="first_pregnancy"/);
  assert.match(html, /Nothing is stored: your answers are only in this page's address/);
  assertBereavementSupport(html);
  assert.match(html, /aria-current="page"/, 'navigation marks My 1001 days as current');
});

test('a pregnancy timeline: now, next, folded past, no-store, noindex, no share links', async () => {
  const r = await get('/my-1001-days?due=2027-03-15&first_pregnancy=yes&today=2026-11-20');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const html = await r.text();
  assert.match(html, /<meta name="robots" content="noindex">/);
  assert.doesNotMatch(html, /Share this page/);
  // The one way to share is the deliberate one: a link for a partner, without the planning date.
  assert.match(html, /Show this timeline to your partner/);
  assert.match(html, /id="partner-link" type="text" readonly spellcheck="false" value="http:\/\/[^"]+\/my-1001-days\?due=2027-03-15&amp;first_pregnancy=yes&amp;for=partner"/);
  assert.match(html, /<h1>You are 23 weeks and 4 days pregnant<\/h1>/);
  assert.match(html, /second trimester/);
  assert.match(html, /<span class="nhsuk-caption-m">Now<\/span>Feeling your baby move/);
  assert.match(html, /Things to do together/);
  assert.match(html, /<h2 id="next">What is next<\/h2>/);
  assert.match(html, /<details class="nhsuk-details app-timeline-fold app-timeline-past">/);
  assert.match(html, /Earlier events \(4\)/);
  assert.match(html, /nhsuk-tag--white">Next<\/strong> 30 November 2026/);
  assert.match(html, /25-week antenatal appointment/);
  assert.match(html, /<button class="nhsuk-button nhsuk-button--secondary app-print" type="button" hidden>/);
  assert.match(html, /<form class="app-calendar" action="\/my-1001-days\.ics" method="get">\n<input type="hidden" name="due" value="2027-03-15">\n<input type="hidden" name="first_pregnancy" value="yes">\n<input type="hidden" name="today" value="2026-11-20">/);
  assert.match(html, /name="remind" type="radio" value="day"/);
  assert.match(html, /name="remind" type="radio" value="week"/);
  // What is next and the keep options come before the long timeline.
  assert.ok(html.indexOf('id="next"') < html.indexOf('id="keep"'));
  assert.ok(html.indexOf('id="keep"') < html.indexOf('id="timeline"'));
  assert.ok(html.indexOf('id="keep"') < html.indexOf('id="now-heading"'));
  assert.match(html, /<details class="nhsuk-details app-arrived-details" id="arrived">/);
  assert.match(html, /href="\/find-support\?need=maternity"/);
  assert.match(html, /href="\/find-support\?need=health-visiting"/);
  assert.match(html, /Nothing is stored/);
  assertBereavementSupport(html);
  assert.match(html, /<script type="module" src="\/static\/timeline\.mjs\?v=[0-9a-f]+"><\/script>/);
  assert.doesNotMatch(html, /<script>(?!<\/script>)/, 'no inline script');
});

test('a later pregnancy leaves out the first-pregnancy appointments', async () => {
  const html = await (await get('/my-1001-days?due=2027-03-15&first_pregnancy=no&today=2026-11-20')).text();
  assert.doesNotMatch(html, /25-week antenatal appointment/);
  assert.doesNotMatch(html, /31-week antenatal appointment/);
  assert.match(html, /28-week antenatal appointment/);
});

test('a premature baby: corrected age and vaccines from the date of birth', async () => {
  const r = await get('/my-1001-days?born=2026-09-01&gestation=30%2B0&today=2026-11-20');
  assert.equal(r.status, 200);
  const html = await r.text();
  assert.match(html, /<h1>Your baby is 11 weeks and 3 days old<\/h1>/);
  assert.match(html, /Corrected age/);
  assert.match(html, /1 week and 3 days \(counted from the due date, 10 November 2026\)/);
  assert.match(html, /8-week vaccines/);
});

test('twins are named and share the dates', async () => {
  const html = await (await get('/my-1001-days?born=2026-10-01&babies=2&today=2026-11-20')).text();
  assert.match(html, /<h1>Your twins are 7 weeks and 1 day old<\/h1>/);
  assert.match(html, /Your babies&#39; 6 to 8 week check with the GP/);
});

test('impossible input: 400, an error summary, the message, and the form as typed', async () => {
  const cases = [
    ['due=2027-02-30', /February 2027 has 28 days/, { 'due-day': '30', 'due-month': '02', 'due-year': '2027' }],
    ['born=2026-11-21&today=2026-11-20', /after today/, { 'born-day': '21' }],
    ['born=2026-10-01&gestation=12%2B9&today=2026-11-20', /days go from 0 to 6/, { gestation: '12+9' }],
    ['babies=2', /Enter your due date if you are pregnant/, { babies: '2' }],
    ['due=2027-03-15&born=2026-10-01&today=2026-11-20', /not both/, {}],
    ['due=2028-06-01&today=2026-11-20', /more than 44 weeks away/, {}],
    ['born=2023-01-01&today=2026-11-20', /more than 3 years and 4 months old/, {}],
    ['born=2026-10-01&babies=0', /from 1 to 6/, { babies: '0' }],
  ];
  for (const [q, message, values] of cases) {
    const r = await get('/my-1001-days?' + q);
    assert.equal(r.status, 400, q);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const html = await r.text();
    assert.match(html, /<title>Error: My 1001 days/, q);
    assert.match(html, /<h2 class="nhsuk-error-summary__heading">There is a problem<\/h2>/, q);
    assert.match(html, message, q);
    assert.match(html, /<meta name="robots" content="noindex">/);
    for (const [name, value] of Object.entries(values))
      assert.match(html, new RegExp(`name="${name}" type="text"[^>]*value="${value.replace('+', '\\+')}"`), `${q}: ${name}`);
    assertBereavementSupport(html);
  }
});

test('what was typed is escaped when shown again', async () => {
  const r = await get('/my-1001-days?due=' + encodeURIComponent('"><script>alert(1)</script>'));
  assert.equal(r.status, 400);
  const html = await r.text();
  assert.doesNotMatch(html, /<script>alert/);
  assert.match(html, /&quot;&gt;&lt;script&gt;/);
});

test('the form boxes lead to the canonical address, or back with the mistake', async () => {
  const ok = await get('/my-1001-days?due-day=&due-month=&due-year=&born-day=5&born-month=9&born-year=2026&gestation=34%2B2&babies=1&today=2026-11-20');
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/my-1001-days?born=2026-09-05&gestation=34%2B2&today=2026-11-20');
  const page = await get(ok.headers.get('location'));
  assert.equal(page.status, 200);

  const preg = await get('/my-1001-days?due-day=15&due-month=3&due-year=2027&first_pregnancy=no&born-day=&born-month=&born-year=&gestation=&babies=1');
  assert.equal(preg.status, 303);
  assert.equal(preg.headers.get('location'), '/my-1001-days?due=2027-03-15&first_pregnancy=no');

  const bad = await get('/my-1001-days?due-day=31&due-month=4&due-year=2027&first_pregnancy=yes');
  assert.equal(bad.status, 400);
  const html = await bad.text();
  assert.match(html, /April 2027 has 30 days/);
  assert.match(html, /id="due-day" name="due-day" type="text" inputmode="numeric" value="31"/);
  assert.match(html, /id="due-month" name="due-month" type="text" inputmode="numeric" value="4"/);
  assert.match(html, /name="first_pregnancy" type="radio" value="yes" checked/);
  assert.match(html, /<a href="#due-day">/);
  assert.match(html, /aria-describedby="due-hint due-error"/);
  assert.match(html, /<span class="nhsuk-error-message" id="due-error">/);

  const none = await get('/my-1001-days?due-day=&due-month=&due-year=&born-day=&born-month=&born-year=');
  assert.equal(none.status, 400);
  assert.match(await none.text(), /<a href="#due-day">Enter your due date/);

  const both = await get('/my-1001-days?due-day=15&due-month=3&due-year=2027&born-day=1&born-month=11&born-year=2026');
  assert.equal(both.status, 400);
  assert.match(await both.text(), /<a href="#born-day">Enter either a due date or a date of birth, not both/);
});

test('change your answers shows the form filled in', async () => {
  const r = await get('/my-1001-days?born=2026-09-05&gestation=34%2B2&edit=1');
  assert.equal(r.status, 200);
  const html = await r.text();
  assert.match(html, /name="born-day" type="text" inputmode="numeric" value="05"/);
  assert.match(html, /name="gestation" type="text"[^>]*value="34\+2"/);
});

test('the JSON API: stage and events with the documented fields', async () => {
  const r = await get('/api/v1/timeline?born=2025-03-20&today=2025-05-01');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /application\/json/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const j = await r.json();
  assert.equal(j.stage.age_days, 42);
  assert.equal(j.stage.corrected_age_days, null);
  assert.equal(j.stage.pregnancy_week, null);
  assert.equal(j.stage.pregnancy_day, null);
  assert.ok(Array.isArray(j.events) && j.events.length > 10);
  const names = new Set(['6-in-1', 'MenB', 'rotavirus', 'PCV', 'Hib/MenC', 'MMR', 'MMRV', '4-in-1', 'whooping cough', 'RSV', 'flu']);
  for (const e of j.events) {
    assert.ok(['antenatal', 'vaccine', 'screening', 'health-visitor', 'gp', 'campaign', 'milestone'].includes(e.kind), e.kind);
    assert.match(e.start, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(typeof e.title === 'string' && e.title.length > 3);
    if (e.end !== undefined) assert.ok(e.end > e.start);
    if (e.kind === 'vaccine') {
      assert.ok(e.vaccines.length > 0);
      for (const v of e.vaccines) assert.ok(names.has(v), v);
    } else {
      assert.equal(e.vaccines, undefined);
    }
  }
  const byId = Object.fromEntries(j.events.map((e) => [e.id, e]));
  assert.deepEqual(byId['vaccines-12-weeks'].vaccines, ['6-in-1', 'PCV', 'rotavirus']);
  assert.deepEqual(byId['vaccines-16-weeks'].vaccines, ['6-in-1', 'MenB']);
  assert.deepEqual(byId['vaccines-1-year'].vaccines, ['PCV', 'MenB', 'MMRV']);
  assert.equal(byId['vaccines-8-weeks'].deadline, '2025-07-02');
  assert.equal(byId['hv-6-8-weeks'].status, 'now');
  assert.equal(byId['hv-6-8-weeks'].support, '/find-support?need=health-visiting');
  assert.equal(j.links.ics, '/my-1001-days.ics?born=2025-03-20&today=2025-05-01');
  assert.match(byId['vaccines-8-weeks'].if_missed, /contact your GP practice/);
  assert.equal(byId['milestone-first-birthday'].if_missed, null);
  assert.equal(j.stage.after_1001_days, false);
  assert.equal(j.stage.follow_until, '2028-07-20');
});

test("awareness weeks in the family's 1001 days come from the campaign content", async () => {
  const j = await (await get('/api/v1/timeline?born=2025-03-20&today=2025-05-01')).json();
  const week = j.events.find((e) => e.id === 'imhaw-2025');
  assert.ok(week, 'the 2025 week is inside these 1001 days');
  assert.equal(week.kind, 'campaign');
  assert.equal(week.start, '2025-06-09');
  assert.equal(week.end, '2025-06-15');
  assert.match(week.title, /Infant Mental Health Awareness Week 2025: Who is holding the baby\?/);
  assert.equal(week.url, '/awareness-week/2025');
  assert.ok(!j.events.some((e) => e.id === 'imhaw-2024'), 'conceived after the 2024 week');
  assert.ok(!j.events.some((e) => e.id === 'imhaw-2026'), 'no event while the dates are not known');
  const html = await (await get('/my-1001-days?born=2025-03-20&today=2025-05-01')).text();
  assert.match(html, /<a href="\/awareness-week\/2025">Read more/);
});

test('the JSON API for a pregnancy and a premature baby', async () => {
  const p = await (await get('/api/v1/timeline?due=2027-03-15&today=2026-11-20')).json();
  assert.equal(p.stage.pregnancy_week, 23);
  assert.equal(p.stage.pregnancy_day, 4);
  assert.equal(p.stage.age_days, null);
  assert.equal(p.stage.corrected_age_days, null);
  assert.ok(p.events.some((e) => e.kind === 'antenatal' && e.first_pregnancy_only));
  assert.ok(p.events.some((e) => e.kind === 'vaccine' && e.vaccines.includes('whooping cough')));

  const b = await (await get('/api/v1/timeline?born=2026-09-01&gestation=30%2B0&today=2026-11-20')).json();
  assert.equal(b.stage.age_days, 80);
  assert.equal(b.stage.corrected_age_days, 10);
  assert.equal(b.stage.preterm, true);
  assert.equal(b.input.gestation, '30+0');
});

test('the JSON API rejects impossible input with a JSON 400', async () => {
  for (const [q, code] of [['due=2027-02-30', 'invalid_date'], ['', 'missing_date'],
    ['born=2026-10-01&gestation=12%2B9', 'invalid_gestation'], ['born=2099-01-01', 'born_in_future'],
    ['due=2027-01-01&born=2026-10-01', 'both_dates']]) {
    const r = await get('/api/v1/timeline?' + q);
    assert.equal(r.status, 400, q);
    const j = await r.json();
    assert.equal(j.error.status, 400);
    assert.equal(j.error.code, code, q);
    assert.ok(j.error.message.length > 20);
  }
});

// Parse the calendar with Debian's python3-icalendar and report what it saw.
function parseIcs(text) {
  const script = `
import sys, json
from icalendar import Calendar
cal = Calendar.from_ical(sys.stdin.buffer.read())
out = {"version": str(cal.get("version")), "prodid": str(cal.get("prodid")), "events": []}
for ev in cal.walk("VEVENT"):
    out["events"].append({
        "uid": str(ev.get("uid")),
        "summary": str(ev.get("summary")),
        "description": str(ev.get("description")),
        "start": ev.decoded("dtstart").isoformat(),
        "end": ev.decoded("dtend").isoformat(),
        "start_is_date": ev.get("dtstart").params.get("VALUE") == "DATE",
        "stamp": str(ev.get("dtstamp").to_ical(), "ascii"),
    })
print(json.dumps(out))
`;
  const p = spawnSync('/usr/bin/python3', ['-c', script], { input: text });
  assert.equal(p.status, 0, String(p.stderr));
  return JSON.parse(String(p.stdout));
}

test('the calendar feed is valid RFC 5545 that a real parser reads', async () => {
  const q = 'born=2025-03-20&today=2025-05-01';
  const r = await get('/my-1001-days.ics?' + q);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/calendar; charset=utf-8');
  assert.match(r.headers.get('content-disposition'), /attachment; filename="my-1001-days\.ics"/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const text = await r.text();
  assert.ok(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n'));
  assert.ok(text.endsWith('END:VCALENDAR\r\n'));
  assert.doesNotMatch(text.replace(/\r\n/g, ''), /\n|\r/, 'every line ends in CRLF');
  for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
  assert.match(text, /\r\n [^\r\n]/, 'long lines are folded');

  const cal = parseIcs(text);
  assert.equal(cal.version, '2.0');
  assert.match(cal.prodid, /firstdays/);
  const api = await (await get('/api/v1/timeline?' + q)).json();
  assert.equal(cal.events.length, api.events.length);
  const uids = new Set(cal.events.map((e) => e.uid));
  assert.equal(uids.size, cal.events.length, 'UIDs are unique');
  for (let i = 0; i < api.events.length; i++) {
    const a = api.events[i], c = cal.events.find((e) => e.uid.includes('-' + a.id + '@'));
    assert.ok(c, a.id);
    assert.ok(c.start_is_date, 'all-day events');
    assert.equal(c.start, a.start);
    // A window of more than 14 days is one day where it opens, with a note of the whole window.
    const days = a.end ? (Date.parse(a.end) - Date.parse(a.start)) / 86400000 + 1 : 1;
    const end = new Date((days > 14 ? a.start : a.end ?? a.start) + 'T00:00:00Z');
    end.setUTCDate(end.getUTCDate() + 1);
    assert.equal(c.end, end.toISOString().slice(0, 10), 'DTEND is the day after, exclusive');
    if (days > 14) {
      assert.equal(c.summary, a.title + ' (from this day)');
      assert.match(c.description, /^This can be at any time from .+\. This calendar entry marks the start\.\n\n/);
      assert.ok(c.description.includes(a.description.slice(0, 30)));
    } else {
      assert.equal(c.summary, a.title);
      assert.ok(c.description.startsWith(a.description.slice(0, 30)));
    }
    assert.match(c.stamp, /^\d{8}T\d{6}Z$/);
  }
  const v16 = cal.events.find((e) => e.uid.includes('-vaccines-16-weeks@'));
  assert.match(v16.description, /MenB vaccine, 2nd dose/);
  assert.match(v16.description, /schedule changed on 1 July 2025, so PCV was given then/);

  // The same answers give the same UIDs on another day; other answers do not.
  const later = parseIcs(await (await get('/my-1001-days.ics?born=2025-03-20&today=2025-09-01')).text());
  assert.deepEqual(later.events.map((e) => e.uid).sort(), [...uids].sort());
  const other = parseIcs(await (await get('/my-1001-days.ics?born=2025-03-21&today=2025-09-01')).text());
  assert.ok(other.events.every((e) => !uids.has(e.uid)));
});

test('the calendar escapes text values', async () => {
  const text = await (await get('/my-1001-days.ics?due=2027-03-15&today=2026-11-20')).text();
  const unfolded = text.replace(/\r\n /g, '');
  assert.match(unfolded, /SUMMARY:Booking appointment with a midwife \(from this day\)\r\n/);
  assert.match(unfolded, /\\n\\nYour first full appointment with a midwife\\, ideally/);
  assert.match(unfolded, /\\n\\nWith: Midwife\\nIf you have not had this appointment\\, contact your midwife or maternity unit\.\\nSource: https:/);
  const cal = parseIcs(text);
  assert.ok(cal.events.find((e) => e.description.includes('ideally by the time you are 10 weeks pregnant, ') ||
    e.description.includes('Your first full appointment with a midwife, ideally')));
});

test('the calendar refuses impossible input with a 400', async () => {
  const r = await get('/my-1001-days.ics?due=2027-02-30');
  assert.equal(r.status, 400);
  assert.match(await r.text(), /February 2027 has 28 days/);
});

test('HEAD works on the timeline', async () => {
  const r = await get('/my-1001-days?due=2027-03-15', { method: 'HEAD' });
  assert.equal(r.status, 200);
  assert.equal((await r.arrayBuffer()).byteLength, 0);
});

// A calendar file's events by id, with their raw lines (VALARM included).
function icsEvents(text) {
  const unfolded = text.replace(/\r\n /g, '');
  const out = {};
  for (const block of unfolded.split('BEGIN:VEVENT\r\n').slice(1)) {
    const id = block.match(/^UID:[0-9a-f]{16}-(.+)@firstdays\r\n/m)[1];
    out[id] = block.slice(0, block.indexOf('END:VEVENT\r\n'));
  }
  return out;
}

test('the calendar keeps its event UIDs from the due date to the date of birth', async () => {
  const preg = icsEvents(await (await get('/my-1001-days.ics?due=2027-03-15&today=2026-11-20')).text());
  // "Our baby has arrived" on 1 March 2027 gives born=2027-03-01&gestation=38+0: the same due date.
  const born = icsEvents(await (await get('/my-1001-days.ics?born=2027-03-01&gestation=38%2B0&today=2027-03-10')).text());
  for (const id of ['vaccines-8-weeks', 'hv-new-birth', 'milestone-first-birthday', 'vaccines-1-year']) {
    const uid = (e) => e.match(/^UID:.*$/m)[0];
    assert.equal(uid(preg[id]), uid(born[id]), id);
    assert.match(preg[id], /^SEQUENCE:0$/m, 'estimated from the due date');
    assert.match(born[id], /^SEQUENCE:1$/m, 'from the date of birth: replaces the estimate');
  }
  assert.match(preg['vaccines-8-weeks'], /^DTSTART;VALUE=DATE:20270510$/m);
  assert.match(born['vaccines-8-weeks'], /^DTSTART;VALUE=DATE:20270426$/m);
});

test('the calendar reminds a day or a week before appointments, as chosen', async () => {
  const q = 'born=2026-09-01&today=2026-11-20';
  const none = await (await get('/my-1001-days.ics?' + q)).text();
  assert.doesNotMatch(none, /BEGIN:VALARM/);
  assert.doesNotMatch(await (await get('/my-1001-days.ics?remind=none&' + q)).text(), /BEGIN:VALARM/);
  const day = icsEvents(await (await get('/my-1001-days.ics?remind=day&' + q)).text());
  assert.match(day['vaccines-16-weeks'], /BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15H\r\nDESCRIPTION:Tomorrow: 16-week vaccines\r\nEND:VALARM/);
  assert.doesNotMatch(day['milestone-first-birthday'], /VALARM/, 'milestones have no reminder');
  assert.doesNotMatch(day['vaccines-8-weeks'], /VALARM/, 'no reminder for a date that has passed');
  const week = icsEvents(await (await get('/my-1001-days.ics?remind=week&' + q)).text());
  assert.match(week['vaccines-16-weeks'], /TRIGGER:-P6DT15H\r\nDESCRIPTION:In a week: 16-week vaccines/);
  const r = await get('/my-1001-days.ics?remind=hourly&' + q);
  assert.equal(r.status, 400);
  assert.match(await r.text(), /remind=day/);
  // A three-month window is a one-day entry where it opens.
  assert.match(day['hv-1-year'], /DTSTART;VALUE=DATE:20270601\r\nDTEND;VALUE=DATE:20270602\r\n/);
  assert.match(day['hv-1-year'], /This can be at any time from 1 June to 1 September 2027/);
});

test('our baby has arrived: the date of birth and the known due date give the baby timeline', async () => {
  // The step is on every pregnancy timeline; open at the top once the due date has come.
  let html = await (await get('/my-1001-days?due=2026-11-10&today=2026-11-20')).text();
  assert.match(html, /<details class="nhsuk-details app-arrived-details" id="arrived" open>/);
  assert.match(html, /<input type="hidden" name="was_due" value="2026-11-10">/);
  assert.ok(html.indexOf('id="arrived"') < html.indexOf('id="next"'));

  let r = await get('/my-1001-days?was_due=2027-03-15&born-day=1&born-month=3&born-year=2027&today=2027-03-10');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/my-1001-days?born=2027-03-01&gestation=38%2B0&today=2027-03-10');
  r = await get('/my-1001-days?was_due=2027-03-15&babies=2&born-day=1&born-month=1&born-year=2027&today=2027-03-10');
  assert.equal(r.headers.get('location'), '/my-1001-days?born=2027-01-01&gestation=29%2B4&babies=2&today=2027-03-10');
  r = await get('/my-1001-days?was_due=2027-03-15&born-day=1&born-month=3&born-year=2026&today=2027-03-10');
  assert.equal(r.status, 400);
  html = await r.text();
  assert.match(html, /With a due date of 15 March 2027, a birth on 1 March 2026 would be at/);
  assert.match(html, /name="born-year" type="text"[^>]*value="2026"/);
  r = await get('/my-1001-days?was_due=2027-03-15&born-day=&born-month=&born-year=&today=2027-03-10');
  assert.equal(r.status, 400);
  assert.match(await r.text(), /Enter your baby&#39;s date of birth/);
});

test('a bookmarked pregnancy address keeps working long after the due date', async () => {
  const r = await get('/my-1001-days?due=2026-01-10&today=2026-11-20');
  assert.equal(r.status, 200);
  const html = await r.text();
  assert.match(html, /<h1>Your due date, 10 January 2026, has passed<\/h1>/);
  assert.match(html, /<input type="hidden" name="was_due" value="2026-01-10">/);
  assert.match(html, /<input type="hidden" name="today" value="2026-11-20">/);
  assertBereavementSupport(html);
  // The API still says plainly that this is not a pregnancy any more.
  assert.equal((await get('/api/v1/timeline?due=2026-01-10&today=2026-11-20')).status, 400);
});

test('after the second birthday: the 1001 days are over, and what is still to come', async () => {
  const r = await get('/my-1001-days?born=2024-07-01&today=2026-11-20');
  assert.equal(r.status, 200);
  const html = await r.text();
  assert.match(html, /<h1>Your child is 2 years and 4 months old<\/h1>/);
  assert.match(html, /The 1001 days ended on 1 July 2026, the second birthday/);
  assert.match(html, /<h2 id="next">What is still to come<\/h2>/);
  assert.match(html, /Two-year review with your health visitor<\/a>: now/);
  assert.match(html, /Pre-school vaccines at 3 years 4 months<\/a>: 1 November 2027/);
  assert.match(html, /4-in-1 pre-school booster/);
  assert.doesNotMatch(html, /now-heading/, 'no baby stage text after the 1001 days');
  const j = await (await get('/api/v1/timeline?born=2024-07-01&today=2026-11-20')).json();
  assert.equal(j.stage.after_1001_days, true);
  assert.equal(j.stage.id, null);
});

test('earlier events say what to do if they did not happen; a neonatal unit may have given vaccines', async () => {
  const html = await (await get('/my-1001-days?born=2026-09-01&gestation=30%2B0&today=2026-12-20')).text();
  const past = html.slice(html.indexOf('app-timeline-past'), html.indexOf('</details>', html.indexOf('id="event-vaccines-8-weeks"')));
  assert.match(past, /id="event-vaccines-8-weeks"[\s\S]*class="app-timeline__missed">If these vaccines have not been given, contact your GP practice: they can tell you what to do next\. If your baby stayed in a neonatal unit, some of these vaccines may have been given there/);
  assert.match(past, /id="event-hv-new-birth"[\s\S]*?app-timeline__missed">If you have not heard from your health visitor/);
});

test('twins and triplets: the words agree in number', async () => {
  const html = await (await get('/my-1001-days?born=2026-09-01&gestation=33%2B0&babies=3&today=2026-12-20')).text();
  const text = html.replace(/<[^>]+>/g, ' ');
  assert.match(text, /Your triplets are 3 months old/);
  assert.match(text, /how your babies are growing/);
  assert.match(text, /If your babies stayed in a neonatal unit/);
  assert.doesNotMatch(text, /babies is|babies has/);
});

test('a partner sees the same timeline with words for them', async () => {
  const html = await (await get('/my-1001-days?due=2027-03-15&for=partner&today=2026-11-20')).text();
  assert.match(html, /<h1>Your partner is 23 weeks and 4 days pregnant<\/h1>/);
  assert.match(html, /<h2 class="nhsuk-heading-s">For partners<\/h2>/);
  assert.match(html, /href="\/wellbeing-check"/);
  assert.doesNotMatch(html, /Show this timeline to your partner/);
});
