// End-to-end tests of the service directory: the Open Referral UK 3.0 API
// (responses validated against the published ORUK 3.0 schemas by
// tests/tools/validate-oruk.py, where they are: see SCHEMATA), and the
// /find-support pages, on the fixture dataset in tests/fixtures/directory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, startServer } from './helpers.mjs';

const FIXTURE = resolve('tests/fixtures/directory');
// The vocabularies the server describes: content/directory/taxonomy.json.
const TAXONOMY = JSON.parse(readFileSync('content/directory/taxonomy.json', 'utf8')).taxonomies;
const TERMS = TAXONOMY.flatMap((t) => t.taxonomy_terms);
const SERVICES = readFileSync(join(FIXTURE, 'services.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const PYTHON = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import jsonschema']).status === 0);
// The published ORUK 3.0 schemas are not part of this repository: they are in the
// shared folder beside the checkout (../shared), or wherever ORUK_SCHEMATA says. Without
// them the schema checks are reported as skipped, with this reason, and the rest runs.
const SCHEMATA = process.env.ORUK_SCHEMATA ||
  fileURLToPath(new URL('../../../shared/reference/oruk-3.0/schemata', import.meta.url));
const NO_SCHEMATA = existsSync(join(SCHEMATA, 'service.json')) ? false
  : `the published ORUK 3.0 schemas are not in ${SCHEMATA} (they come with ../shared beside the checkout; set ORUK_SCHEMATA to a copy)`;

let srv;
before(async () => { srv = await startServer([], { env: { FIRSTDAYS_DIRECTORY_FILES: FIXTURE } }); });
after(async () => { await srv.stop(); });

// Validate documents: [[schemaFile, doc, label], ...], as a subtest of t that fails
// with every error, or is skipped when the schemas are absent.
function validate(t, items) {
  return t.test(`valid against the ORUK 3.0 ${items[0][0]}`, { skip: NO_SCHEMATA }, () => {
    assert.ok(PYTHON, 'python3 with jsonschema is needed');
    const input = items.map(([schema, doc, label]) => JSON.stringify({ schema, doc, label })).join('\n') + '\n';
    const r = spawnSync(PYTHON, ['tests/tools/validate-oruk.py'],
      { input, encoding: 'utf8', env: { ...process.env, ORUK_SCHEMATA: SCHEMATA } });
    const bad = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((x) => !x.ok);
    assert.equal(r.stderr, '', r.stderr);
    assert.deepEqual(bad, [], JSON.stringify(bad, null, 1));
    assert.equal(r.status, 0);
  });
}

async function api(path) {
  const r = await fetch(srv.base + '/openreferral' + path);
  assert.equal(r.headers.get('access-control-allow-origin'), '*', `CORS on ${path}`);
  return r;
}

async function json(path, status = 200) {
  const r = await api(path);
  const body = await r.text();
  assert.equal(r.status, status, `${path}: ${body}`);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  return JSON.parse(body);
}

function checkEnvelope(p, perPage) {
  for (const k of ['total_items', 'total_pages', 'page_number', 'size']) assert.ok(Number.isInteger(p[k]), k);
  for (const k of ['first_page', 'last_page', 'empty']) assert.equal(typeof p[k], 'boolean', k);
  assert.ok(Array.isArray(p.contents));
  assert.equal(p.size, p.contents.length);
  assert.equal(p.total_pages, Math.ceil(p.total_items / perPage));
  assert.equal(p.first_page, p.page_number === 1);
  if (p.total_items > 0 && p.page_number <= p.total_pages) assert.equal(p.last_page, p.page_number === p.total_pages);
  assert.equal(p.empty, p.total_items === 0);
}

test('the root names the ORUK 3.0 profile and our OpenAPI description', async () => {
  for (const path of ['/', '']) {
    const j = await json(path);
    assert.equal(j.version, 'HSDS-UK-3.0');
    assert.match(j.profile, /^https:\/\//);
    assert.match(j.openapi_url, /^https?:\/\/.*\/openreferral\/openapi\.json$/);
  }
  const api = await json('/openapi.json');
  assert.equal(api.openapi, '3.0.0');
  assert.equal(api.info.version, 'HSDS-UK-3.0');
  for (const path of ['/', '/services', '/services/{id}', '/service_at_locations', '/service_at_locations/{id}',
    '/taxonomies', '/taxonomies/{id}', '/taxonomy_terms', '/taxonomy_terms/{id}', '/organizations', '/organizations/{id}'])
    assert.ok(api.paths[path], path);
  const age = api.paths['/services'].get.parameters.find((x) => x.name === 'minimum_age');
  assert.match(age.description, /containment|contains/);
  assert.ok(api.paths['/services'].get.parameters.find((x) => x.name === 'proximity'));
});

test('services: envelope on the first, a middle and the last page; items valid', async (t) => {
  const first = await json('/services?per_page=5');
  checkEnvelope(first, 5);
  assert.equal(first.total_items, 12);
  assert.equal(first.total_pages, 3);
  assert.equal(first.first_page, true);
  assert.equal(first.last_page, false);
  const middle = await json('/services?per_page=5&page=2');
  checkEnvelope(middle, 5);
  assert.equal(middle.first_page, false);
  assert.equal(middle.last_page, false);
  const last = await json('/services?per_page=5&page=3');
  checkEnvelope(last, 5);
  assert.equal(last.size, 2);
  assert.equal(last.last_page, true);
  const ids = [...first.contents, ...middle.contents, ...last.contents].map((s) => s.id);
  assert.equal(new Set(ids).size, 12, 'pages do not overlap');
  const all = await json('/services');
  checkEnvelope(all, 50);
  await validate(t, all.contents.map((s) => ['service_list.json', s, s.name]));
  for (const s of all.contents) {
    assert.ok(s.organization_id, 'organization_id is emitted');
    assert.equal(s.attributes, undefined, 'list items hold one-to-one fields only');
  }
  const beyond = await json('/services?page=9');
  checkEnvelope(beyond, 50);
  assert.equal(beyond.size, 0);
  assert.equal(beyond.empty, false);
});

test('services/{id} is the fully nested service, valid, as imported', async (t) => {
  const items = [];
  for (const want of SERVICES) {
    const got = await json('/services/' + want.id);
    assert.deepEqual(got, want);
    items.push(['service.json', got, got.name]);
  }
  await validate(t, items);
  const r = await api('/services/00000000-0000-4000-8000-000000000000');
  assert.equal(r.status, 404);
  assert.equal((await r.json()).error.code, 'not_found');
});

test('full=true nests the list items', async (t) => {
  const p = await json('/services?full=true&per_page=3');
  assert.ok(p.contents[0].attributes.length > 0);
  await validate(t, p.contents.map((s) => ['service.json', s, s.name]));
});

test('service_at_locations by postcode and proximity, nearest first, valid', async (t) => {
  const p = await json('/service_at_locations?postcode=sw1a%201aa&proximity=10100');
  checkEnvelope(p, 50);
  assert.equal(p.total_items, 9);
  const d = p.contents.map((x) => x.distance);
  assert.deepEqual(d, [...d].sort((a, b) => a - b));
  assert.ok(Math.abs(d[0] - 997) <= 1);
  assert.ok(d.at(-1) <= 10100);
  await validate(t, p.contents.map((x) => ['service_at_location_list.json', x, x.id]));
  const listed = await json('/service_at_locations?per_page=20');
  assert.equal(listed.total_items, 13);
  const details = [];
  for (const x of listed.contents) {
    const one = await json('/service_at_locations/' + x.id);
    assert.equal(one.id, x.id);
    assert.ok(one.service.name);
    details.push(['service_at_location.json', one, x.id]);
  }
  await validate(t, details);
  assert.equal((await api('/service_at_locations/nope')).status, 404);
});

test('services also take postcode and proximity', async () => {
  const p = await json('/services?postcode=SW1A1AA&proximity=2000');
  assert.deepEqual(p.contents.map((s) => s.name), ['Riverside Family Hub', 'Maternity Unit and Community Midwives',
    'Perinatal Mental Health Team', 'Health Visiting Service', 'Toddler Sleep Clinic']);
  // Without proximity: everything, nearest first, places-less services last.
  const all = await json('/services?postcode=SW1A1AA');
  assert.equal(all.total_items, 12);
  assert.equal(all.contents[0].name, 'Riverside Family Hub');
  assert.equal(all.contents.at(-1).distance, undefined);
});

test('taxonomies, taxonomy terms and organisations are valid', async (t) => {
  const tx = await json('/taxonomies');
  checkEnvelope(tx, 50);
  assert.equal(tx.total_items, TAXONOMY.length);
  const needs = tx.contents.find((t) => t.name === 'firstdays needs');
  const needsFile = TAXONOMY.find((t) => t.name === 'firstdays needs');
  assert.equal(needs.description, needsFile.description, 'described from content/directory/taxonomy.json');
  const one = await json('/taxonomies/' + needs.id);
  assert.equal(one.taxonomy_terms.length, needsFile.taxonomy_terms.length);
  const terms = await json('/taxonomy_terms?per_page=1000');
  assert.equal(terms.total_items, TERMS.length);
  const inNeeds = await json('/taxonomy_terms?taxonomy_id=' + needs.id);
  assert.equal(inNeeds.total_items, needsFile.taxonomy_terms.length);
  const top = await json('/taxonomy_terms?top_only=true&per_page=1000');
  assert.equal(top.total_items, TERMS.filter((t) => !t.parent_id).length);
  const early = terms.contents.find((t) => t.term === 'Pregnancy, birth and early years');
  const children = await json('/taxonomy_terms?parent_id=' + early.id);
  assert.deepEqual(children.contents.map((t) => t.id).sort(), TERMS.filter((t) => t.parent_id === early.id).map((t) => t.id).sort());
  const found = await json('/taxonomy_terms?search=feeding');
  assert.equal(found.total_items, TERMS.filter((t) => [t.name, t.term, t.description].some((x) => /feeding/i.test(x || ''))).length);
  const feeding = terms.contents.find((t) => t.term === 'feeding');
  const term = await json('/taxonomy_terms/' + feeding.id);
  assert.equal(term.name, TERMS.find((t) => t.term === 'feeding').name);
  // Services under the broader DfE category.
  const under = await json('/services?taxonomy_term_id=' + early.id);
  assert.deepEqual(under.contents.map((s) => s.name), ['Infant Feeding Drop-in', 'Maternity Unit and Community Midwives']);
  const orgs = await json('/organizations');
  assert.equal(orgs.total_items, 5);
  const org = await json('/organizations/' + orgs.contents[2].id);
  assert.equal(org.services.length, 6);
  const orgFull = await json('/organizations/' + orgs.contents[2].id + '?full_service=true');
  assert.ok(orgFull.services[0].attributes);
  await validate(t, [
    ...tx.contents.map((t) => ['taxonomy.json', t, t.name]),
    ['taxonomy.json', one, 'needs with terms'],
    ...terms.contents.map((t) => ['taxonomy_term.json', t, t.name]),
    ...orgs.contents.map((o) => ['organization_list.json', o, o.name]),
    ['organization.json', org, 'organisation with services'],
    ['organization.json', orgFull, 'organisation with full services'],
  ]);
  assert.equal((await json('/organizations?search=little')).total_items, 1);
});

test('format=ndjson: one object per line, every result, no envelope', async (t) => {
  const r = await api('/services?format=ndjson&per_page=2');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/x-ndjson/);
  const lines = (await r.text()).trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 12);
  await validate(t, lines.map((s) => ['service_list.json', s, s.name]));
  const full = await api('/services?format=ndjson&full=true');
  const back = (await full.text()).trim().split('\n').map((l) => JSON.parse(l));
  for (const s of back) assert.deepEqual(s, SERVICES.find((x) => x.id === s.id));
  const sal = await api('/service_at_locations?format=ndjson&postcode=SW1A1AA&proximity=2000');
  assert.equal((await sal.text()).trim().split('\n').length, 5);
});

test('bad parameters are 400s with a code and a message, and CORS', async () => {
  const cases = [
    ['/services?postcode=SW1A', 'postcode_malformed'],
    ['/services?postcode=%3Cscript%3E', 'postcode_bad_chars'],
    ['/services?postcode=', 'postcode_missing'],
    ['/services?postcode=AB1%201AA&proximity=1000', 'postcode_unknown'],
    ['/service_at_locations?postcode=ZY9%209ZZ', 'postcode_unknown'],
    ['/services?page=0', 'bad_page'],
    ['/services?page=abc', 'bad_page'],
    ['/services?page=-1', 'bad_page'],
    ['/services?page=99999999999', 'bad_page'],
    ['/services?per_page=0', 'bad_per_page'],
    ['/services?per_page=5000', 'bad_per_page'],
    ['/services?per_page=1.5', 'bad_per_page'],
    ['/services?postcode=SW1A1AA&proximity=-5', 'bad_proximity'],
    ['/services?postcode=SW1A1AA&proximity=0', 'bad_proximity'],
    ['/services?postcode=SW1A1AA&proximity=ten', 'bad_proximity'],
    ['/services?postcode=SW1A1AA&proximity=2000000', 'bad_proximity'],
    ['/services?postcode=SW1A1AA&proximity=nan', 'bad_proximity'],
    ['/services?proximity=1000', 'proximity_without_postcode'],
    ['/services?minimum_age=old', 'bad_age'],
    ['/services?maximum_age=-1', 'bad_age'],
    ['/services?start_time=9am', 'bad_time'],
    ['/services?day=funday', 'bad_day'],
    ['/services?modified_after=last%20week', 'bad_date'],
    ['/services?format=xml', 'bad_format'],
    ['/services?full=yes', 'bad_boolean'],
    ['/services?organization_id=42', 'bad_id'],
    ['/services?colour=blue', 'unknown_parameter'],
    ['/services/' + SERVICES[0].id + '?x=1', 'unknown_parameter'],
    ['/taxonomies?postcode=SW1A1AA', 'unknown_parameter'],
    ['/service_at_locations?minimal=true', 'unknown_parameter'],
  ];
  for (const [path, code] of cases) {
    const r = await api(path);
    const body = await r.json();
    assert.equal(r.status, 400, path);
    assert.equal(body.error.code, code, path);
    assert.ok(body.error.message.length > 15, path);
  }
  // Cache busters are ignored.
  assert.equal((await api('/services?_=123')).status, 200);
});

test('ORUK level 2 self-tests: each service comes back for its own values', async () => {
  for (const s of SERVICES) {
    const names = async (q) => (await json('/services?per_page=100&' + q)).contents.map((x) => x.id);
    assert.ok((await names('search=' + encodeURIComponent(s.name))).includes(s.id), 'text ' + s.name);
    assert.ok((await names('text=' + encodeURIComponent(s.name))).includes(s.id), 'text (1.0 name)');
    if (s.minimum_age !== undefined)
      assert.ok((await names(`minimum_age=${s.minimum_age}&maximum_age=${s.maximum_age}`)).includes(s.id), 'age');
    const loc = s.service_at_locations[0].location;
    if (loc.addresses)
      assert.ok((await names('postcode=' + encodeURIComponent(loc.addresses[0].postal_code) + '&proximity=1000')).includes(s.id), 'postcode');
    const term = s.attributes[0].taxonomy_term;
    assert.ok((await names('taxonomy_term_id=' + term.id)).includes(s.id), 'taxonomy_term_id');
    assert.ok((await names('taxonomy_id=' + term.taxonomy_id)).includes(s.id), 'taxonomy_id');
    if (s.schedules) {
      const sc = s.schedules[0];
      const q = `day=${sc.byday.split(',')[0]}&start_time=${sc.opens_at}&end_time=${sc.closes_at}`;
      assert.ok((await names(q)).includes(s.id), 'time ' + q);
    }
  }
});

test('filters combine with AND and narrow the results', async () => {
  const a = await json('/services?taxonomy_term_id=perinatal-mental-health');
  const b = await json('/services?taxonomy_term_id=perinatal-mental-health&need=perinatal-mental-health&referral=self-referral');
  assert.equal(a.total_items, 2);
  assert.equal(b.total_items, 1);
  assert.equal(b.contents[0].name, 'Talking Therapies for New Parents');
  const c = await json('/services?minimum_age=0&maximum_age=2');
  assert.equal(c.total_items, 11);
  const d = await json('/services?minimum_age=0&maximum_age=2&postcode=SW1A1AA&proximity=2000');
  assert.equal(d.total_items, 4);
  const org = SERVICES.find((s) => s.name === 'Home Visiting Volunteers').organization_id;
  assert.equal((await json('/services?organization_id=' + org)).total_items, 2);
  assert.equal((await json('/services?organization_id=' + org + '&search=line')).total_items, 1);
  assert.equal((await json('/services?modified_after=2025-03-01')).total_items, 4);
  const minimal = await json('/services?minimal=true');
  assert.equal(minimal.size, 12);
  assert.deepEqual(Object.keys(minimal.contents[0]).sort(), ['id', 'last_modified']);
});

test('find-support: the form, results by postcode, and need links', async () => {
  const form = await fetch(srv.base + '/find-support');
  assert.equal(form.status, 200);
  const html = await form.text();
  // The form takes the page to the results, which on a phone are below it.
  assert.match(html, /<form method="get" action="\/find-support#results"/);
  assert.match(html, /<option value="n2">Perinatal mental health<\/option>/);
  const r = await fetch(srv.base + '/find-support?postcode=sw1a1aa&need=&distance=3');
  assert.equal(r.status, 200);
  const page = await r.text();
  assert.match(page, /7 services within 3 miles of SW1A 1AA/);
  assert.match(page, /0\.6 miles away/);
  assert.match(page, /How to be referred/);
  assert.match(page, /Last checked/);
  assert.match(page, /Support by phone or online/);
  assert.match(page, /value="sw1a1aa"/);
  assert.doesNotMatch(page, /Cardiff Baby and Me Group/, 'inactive services are left out');
  const linked = await (await fetch(srv.base + '/find-support?need=perinatal-mental-health')).text();
  assert.match(linked, /2 services</);
  assert.match(linked, /<option value="n2" selected>/);
});

test('find-support: a malformed or unknown postcode is a 400 with an error summary', async () => {
  for (const [pc, msg] of [['12345', /Enter a postcode, like SW1A 1AA, the first part of one/],
    ['SW1A%209ZZ', /We cannot find the postcode SW1A 9ZZ/],
    // A postcode whose district the table does not have is outside the area, not unknown.
    ['AB1%201AA', /AB1 1AA is outside the area this directory covers \(Demo area\)/],
    ['AB1', /AB1 is outside the area this directory covers/],
    ['Nowhere', /We cannot find a town called Nowhere in Demo area/],
    ['%3Cb%3E', /Postcode must only include/]]) {
    const r = await fetch(srv.base + '/find-support?postcode=' + pc + '&need=feeding');
    assert.equal(r.status, 400);
    const html = await r.text();
    assert.match(html, /<title>Error: /);
    assert.match(html, /nhsuk-error-summary/);
    assert.match(html, msg);
    assert.match(html, /<option value="feeding" selected>/, 'the form keeps what was chosen');
    assert.doesNotMatch(html, /<b>/);
  }
  const r = await fetch(srv.base + '/find-support?postcode=&need=');
  assert.equal(r.status, 400);
  assert.match(await r.text(), /Enter a postcode or town, a service name, or choose what you need help with/);
});

test('find-support: a postcode district, a town, or a service name', async () => {
  // SW1A: the centre of its postcodes (SW1A 1AA and SW1A 2AA).
  const district = await fetch(srv.base + '/find-support?postcode=sw1a&distance=3');
  assert.equal(district.status, 200);
  const d = await district.text();
  assert.match(d, /\d+ services? within 3 miles of SW1A</);
  assert.match(d, /miles away/);
  // A town of the directory's places.
  const town = await (await fetch(srv.base + '/find-support?postcode=edinburgh&distance=3')).text();
  assert.match(town, /1 service within 3 miles of Edinburgh</);
  assert.match(town, /Edinburgh Family Support/);
  // A name, alone.
  const named = await (await fetch(srv.base + '/find-support?search=toddler+sleep')).text();
  assert.match(named, /1 service</);
  assert.match(named, /Toddler Sleep Clinic/);
  // The search is kept in the links to services and in the share links.
  assert.match(named, /href="\/find-support\/service\/[^"?]+\?search=toddler%20sleep"/);
  assert.match(named, /value="[^"]*\/find-support\?search=toddler%20sleep"/);
});

test('find-support: a place with nothing near says it is outside the area', async () => {
  // GIR 0AA is in the postcode table, but no service of the fixture is within 50 miles of it.
  const r = await (await fetch(srv.base + '/find-support?postcode=GIR0AA&distance=1')).text();
  assert.match(r, /0 services within 1 mile of GIR 0AA/);
  assert.match(r, /GIR 0AA is outside the area this directory covers \(Demo area\)/);
});

// A copy of the fixture with 20 more family hubs near the first, for paging.
function manyHubsDir() {
  const dir = mkdtempSync(join(tmpdir(), 'firstdays-dir-'));
  cpSync(FIXTURE, dir, { recursive: true });
  const hub = SERVICES.find((s) => s.name === 'Riverside Family Hub');
  const extra = [];
  for (let i = 1; i <= 20; i++) {
    const copy = JSON.parse(JSON.stringify(hub).replaceAll(hub.id, hub.id.slice(0, -2) + String(i).padStart(2, '0')));
    copy.name = `Family Hub ${String(i).padStart(2, '0')}`;
    copy.service_at_locations[0].id = copy.service_at_locations[0].id.slice(0, -2) + String(i).padStart(2, '0');
    copy.service_at_locations[0].location.latitude += i * 0.001;
    extra.push(JSON.stringify(copy));
  }
  writeFileSync(join(dir, 'services.ndjson'), readFileSync(join(FIXTURE, 'services.ndjson'), 'utf8') + extra.join('\n') + '\n');
  return dir;
}

test('find-support: pages of results', async () => {
  const dir = manyHubsDir();
  const s2 = await startServer([], { env: { FIRSTDAYS_DIRECTORY_FILES: dir } });
  try {
    const p1 = await (await fetch(s2.base + '/find-support?postcode=SW1A1AA&distance=50')).text();
    assert.match(p1, /28 services within 50 miles of SW1A 1AA/);
    assert.match(p1, /Page 1 of 3/);
    assert.match(p1, /href="\/find-support\?postcode=SW1A%201AA&amp;distance=50&amp;page=2#results" rel="next"/);
    assert.doesNotMatch(p1, /rel="prev"/);
    assert.equal((p1.match(/class="nhsuk-card app-result"/g) || []).length, 10 + 2, '10 results and 2 by phone');
    const p3 = await (await fetch(s2.base + '/find-support?postcode=SW1A1AA&distance=50&page=3')).text();
    assert.match(p3, /Page 3 of 3/);
    assert.match(p3, /rel="prev"/);
    assert.doesNotMatch(p3, /rel="next"/);
    assert.equal((p3.match(/class="nhsuk-card app-result"/g) || []).length, 8);
    const p9 = await (await fetch(s2.base + '/find-support?postcode=SW1A1AA&distance=50&page=9')).text();
    assert.match(p9, /There are only 3 pages of results/);
  } finally {
    await s2.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('find-support: a page per service', async () => {
  const id = SERVICES[0].id;
  const r = await fetch(srv.base + '/find-support/service/' + id + '?postcode=SW1A1AA&distance=50');
  assert.equal(r.status, 200);
  const svc = await r.text();
  assert.match(svc, /<h1>Perinatal Mental Health Team<\/h1>/);
  assert.match(svc, /Through your midwife/);
  assert.match(svc, /14 March 2025/);
  assert.match(svc, /Monday to Friday, 9am to 5pm/);
  assert.match(svc, /href="\/find-support\?postcode=SW1A%201AA&amp;distance=50#results"/);
  assert.match(svc, /1\.0 miles from SW1A 1AA/);
  const closed = SERVICES.find((s) => s.status === 'inactive');
  assert.match(await (await fetch(srv.base + '/find-support/service/' + closed.id)).text(), /This service is not running/);
  const missing = await fetch(srv.base + '/find-support/service/nothing-here');
  assert.equal(missing.status, 404);
});

test('the index is rebuilt on SIGHUP and requests keep working meanwhile', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'firstdays-dir-'));
  cpSync(FIXTURE, dir, { recursive: true });
  const s2 = await startServer([], { env: { FIRSTDAYS_DIRECTORY_FILES: dir } });
  try {
    const count = async () => (await (await fetch(s2.base + '/openreferral/services')).json()).total_items;
    assert.equal(await count(), 12);
    writeFileSync(join(dir, 'services.ndjson'), SERVICES.slice(0, 5).map((s) => JSON.stringify(s)).join('\n') + '\n');
    s2.proc.kill('SIGHUP');
    let n = 12;
    for (let i = 0; i < 50 && n !== 5; i++) {
      await new Promise((r) => setTimeout(r, 100));
      n = await count();
    }
    assert.equal(n, 5);
    assert.ok(s2.alive());
    assert.match(s2.logs(), /SIGHUP received/);
  } finally {
    await s2.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a running server picks up an import into its database within seconds', async () => {
  const s2 = await startServer(); // a new database: the demo directory is loaded into it
  try {
    const count = async () => (await (await fetch(s2.base + '/openreferral/services')).json()).total_items;
    const before = await count();
    assert.ok(before > 0, 'the demo directory is searchable');
    const r = spawnSync(BIN, ['import', 'oruk', '--db', join(s2.dir, 'test.db'), join(FIXTURE, 'services.ndjson')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    let n = before;
    for (let i = 0; i < 80 && n === before; i++) {
      await new Promise((res) => setTimeout(res, 100));
      n = await count();
    }
    assert.equal(n, before + SERVICES.length);
    assert.match(s2.logs(), /the data changed/);
    const one = await (await fetch(s2.base + '/openreferral/services/' + SERVICES[0].id)).json();
    assert.equal(one.name, SERVICES[0].name);
  } finally {
    await s2.stop();
  }
});
