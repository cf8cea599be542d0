// End-to-end tests of the directory commands: import oruk (array, page,
// NDJSON; all-or-nothing refusal with one line per problem), import postcodes
// (ONSPD-shaped CSV), export oruk (round trip byte for byte), and the demo
// directory loaded into a new database on first serve. Also: a page on one
// line larger than a record; a 64 MiB line read past in little memory; the
// stamp a running server watches, written with the services; and a record the
// server would leave out (a service_at_location id of another service's)
// refused at import, while shared locations and contacts import and are served.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, startServer } from './helpers.mjs';

const DEMO = 'content/demo/directory.ndjson';
let dir;
before(() => { dir = mkdtempSync(join(tmpdir(), 'firstdays-import-')); });
after(() => { rmSync(dir, { recursive: true, force: true }); });

function run(...args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
// Problem lines only (not the JSON log lines of the store, not the summary).
const problemLines = (err) => err.split('\n').filter((l) => l && !l.startsWith('{') && !l.startsWith('firstdays:'));
const demo = () => readFileSync(DEMO, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const ndjson = (services) => services.map((s) => JSON.stringify(s)).join('\n') + '\n';
function exportDb(db) {
  const r = run('export', 'oruk', '--db', db);
  assert.equal(r.code, 0, r.err);
  return r.out;
}

test('import and export have --help', () => {
  const i = run('import', '--help');
  assert.equal(i.code, 0);
  assert.match(i.out, /firstdays import oruk/);
  assert.match(i.out, /firstdays import postcodes/);
  const e = run('export', '--help');
  assert.equal(e.code, 0);
  assert.match(e.out, /firstdays export oruk/);
  const bad = run('import', 'things', 'x');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /oruk or postcodes/);
});

test('a good NDJSON file imports, and export writes it back byte for byte', () => {
  const db = join(dir, 'good.db');
  const r = run('import', 'oruk', '--db', db, DEMO);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /imported 41 services/);
  const out = exportDb(db);
  assert.equal(out, readFileSync(DEMO, 'utf8'));
  // Round trip: the export imports into a new database and exports the same bytes.
  const file = join(dir, 'export.ndjson');
  writeFileSync(file, out);
  const db2 = join(dir, 'good2.db');
  assert.equal(run('import', 'oruk', '--db', db2, file).code, 0);
  assert.equal(exportDb(db2), out);
  // Importing again upserts by id: still 41.
  assert.equal(run('import', 'oruk', '--db', db2, file).code, 0);
  assert.equal(exportDb(db2).trim().split('\n').length, 41);
});

test('a JSON array and a paginated page are detected and imported', () => {
  const services = demo().slice(0, 6);
  const arr = join(dir, 'array.json');
  writeFileSync(arr, JSON.stringify(services, null, 2));
  const db = join(dir, 'array.db');
  let r = run('import', 'oruk', '--db', db, arr);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /imported 6 services/);
  const page = join(dir, 'page.json');
  writeFileSync(page, JSON.stringify({
    total_items: 3, total_pages: 1, page_number: 1, size: 3, first_page: true,
    last_page: true, empty: false, contents: demo().slice(10, 13),
  }, null, 1));
  r = run('import', 'oruk', '--db', db, page);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /imported 3 services/);
  assert.equal(exportDb(db).trim().split('\n').length, 9);
  // Standard input works too.
  const s = spawnSync(BIN, ['import', 'oruk', '--db', db, '-'], { input: ndjson(demo().slice(20, 22)), encoding: 'utf8' });
  assert.equal(s.status, 0, s.stderr);
  assert.equal(exportDb(db).trim().split('\n').length, 11);
});

test('a file with 3 bad records is refused whole: 3 lines, database unchanged', () => {
  const db = join(dir, 'refuse.db');
  assert.equal(run('import', 'oruk', '--db', db, DEMO).code, 0);
  const before = exportDb(db);
  const services = demo().slice(0, 8);
  services[0].name = 'Changed name that must not be stored';
  services[2].status = 'open';
  services[4].service_at_locations[0].location.latitude = 123.4;
  delete services[6].organization_id;
  const file = join(dir, 'bad.ndjson');
  writeFileSync(file, ndjson(services));
  const r = run('import', 'oruk', '--db', db, file);
  assert.equal(r.code, 1);
  const lines = problemLines(r.err);
  assert.equal(lines.length, 3, r.err);
  assert.match(lines[0], new RegExp(`^${file.replace(/[/.]/g, '\\$&')}: line 3 \\(id ${services[2].id}\\): status: 'open' is not allowed; use one of: active`));
  assert.match(lines[1], /: line 5 \(id [0-9a-f-]{36}\): service_at_locations\[0\]\.location\.latitude: 123\.4 is out of range; give a latitude between -90 and 90/);
  assert.match(lines[2], /: line 7 \(id [0-9a-f-]{36}\): organization_id: required field is missing/);
  assert.match(r.err, /has 3 problems in 8 records; nothing was imported/);
  assert.equal(exportDb(db), before);
  // --dry-run reports the same and stores nothing even for a good file.
  const dry = run('import', 'oruk', '--db', db, '--dry-run', file);
  assert.equal(dry.code, 1);
  assert.equal(problemLines(dry.err).length, 3);
});

test('a refused import into a new database leaves no database behind', () => {
  const db = join(dir, 'never.db');
  const file = join(dir, 'one-bad.ndjson');
  const s = demo()[0];
  s.id = 'not-a-uuid';
  writeFileSync(file, ndjson([s]));
  const r = run('import', 'oruk', '--db', db, file);
  assert.equal(r.code, 1);
  assert.equal(problemLines(r.err).length, 1);
  assert.equal(existsSync(db), false);
});

test('broken JSON is reported with its line and column; duplicates are named', () => {
  const db = join(dir, 'broken.db');
  const [a, b] = demo();
  const file = join(dir, 'broken.ndjson');
  writeFileSync(file, `${JSON.stringify(a)}\n{"id": "x", "name": }\n${JSON.stringify(b)}\n${JSON.stringify(b)}\n`);
  const r = run('import', 'oruk', '--db', db, file);
  assert.equal(r.code, 1);
  const lines = problemLines(r.err);
  assert.equal(lines.length, 2, r.err);
  assert.match(lines[0], /: line 2, column 21: invalid JSON: /);
  assert.match(lines[1], /: line 4 \(id [0-9a-f-]{36}\): id: line 3 has the same id; give each service its own id/);
  // In a pretty-printed array the position is in the file, not the record.
  const arr = join(dir, 'broken.json');
  writeFileSync(arr, JSON.stringify([a, b], null, 2).replace('"status": "active"', '"status" "active"'));
  const r2 = run('import', 'oruk', '--db', db, arr);
  assert.equal(r2.code, 1);
  const l2 = problemLines(r2.err);
  assert.equal(l2.length, 1);
  const lineNo = JSON.stringify([a, b], null, 2).split('\n').findIndex((l) => l.includes('"status": "active"')) + 1;
  assert.match(l2[0], new RegExp(`: line ${lineNo}, column \\d+: invalid JSON in record 1 \\(line 2\\)`));
  // Not JSON at all; an empty file.
  writeFileSync(join(dir, 'text.txt'), 'hello\n');
  const r3 = run('import', 'oruk', '--db', db, join(dir, 'text.txt'));
  assert.equal(r3.code, 1);
  assert.match(r3.err, /line 1, column 1: expected '\[' \(a JSON array of services\) or '\{'/);
  writeFileSync(join(dir, 'empty.json'), '\n');
  assert.match(run('import', 'oruk', '--db', db, join(dir, 'empty.json')).err, /the file is empty/);
});

test('an ONSPD-shaped CSV imports postcodes; rows without a location are skipped', () => {
  const db = join(dir, 'pc.db');
  const header = '"pcd","pcd2","pcds","dointr","doterm","oscty","oslaua","osgrdind","ctry","lat","long"';
  const rows = [
    '"AB1 0AA","AB1  0AA","AB1 0AA","198001","199606","S99999999","S12000033","1","S92000003",57.101474,-2.242851',
    '"AB101AA","AB10 1AA","AB10 1AA","199606","","S99999999","S12000033","1","S92000003",57.149606,-2.096916',
    '"GY1 1AA","GY1  1AA","GY1 1AA","199606","","","","9","L93000001",99.999999,0.000000',
    '"BT1 1AA","BT1  1AA","BT1 1AA","199606","","","N09000003","1","N92000002",54.598723,-5.930126',
    '"DM1 1AB","DM1  1AB","DM1 1AB","202401","","","E06999999","1","E92000001",54.39981,-0.95303',
  ];
  const file = join(dir, 'onspd.csv');
  writeFileSync(file, [header, ...rows].join('\r\n') + '\r\n');
  const r = run('import', 'postcodes', '--db', db, file);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /imported 2 postcodes .*\(5 rows; skipped 1 terminated, 1 without a location, 1 in Northern Ireland, 0 unreadable\)/);
  const bt = run('import', 'postcodes', '--db', db, '--include-northern-ireland', file);
  assert.match(bt.out, /imported 3 postcodes/);
  // Without the needed headers the file is refused with a message.
  const nohead = join(dir, 'nohead.csv');
  writeFileSync(nohead, 'postcode_id,latitude_x,long\nAB10 1AA,57.1,-2.1\n');
  const bad = run('import', 'postcodes', '--db', db, nohead);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /line 1: no pcds column; an ONSPD or NSPL CSV starts with a header row naming at least pcds, lat and long/);
});

test('export of a database that does not exist is an error', () => {
  const r = run('export', 'oruk', '--db', join(dir, 'missing.db'));
  assert.equal(r.code, 1);
  assert.match(r.err, /there is no database at/);
  assert.equal(existsSync(join(dir, 'missing.db')), false);
});

test('the first serve of a new database loads the demo directory', async () => {
  const db = join(dir, 'served.db');
  const srv = await startServer(['--db', db]);
  try {
    assert.match(srv.logs(), /loaded 41 demo services/);
  } finally {
    await srv.stop();
  }
  const out = exportDb(db);
  assert.equal(out, readFileSync(DEMO, 'utf8'));
  // A second start does not load it again (nor fail).
  const srv2 = await startServer(['--db', db]);
  try {
    assert.doesNotMatch(srv2.logs(), /demo services/);
  } finally {
    await srv2.stop();
  }
});

test('empty fields are dropped on import, so the export never has null or ""', () => {
  const db = join(dir, 'empties.db');
  const s = demo()[5];
  s.alert = null;
  s.fees = '';
  s.funding = [];
  s.contacts[0].title = null;
  const file = join(dir, 'empties.ndjson');
  writeFileSync(file, JSON.stringify(s) + '\n');
  const r = run('import', 'oruk', '--db', db, file);
  assert.equal(r.code, 0, r.err);
  const out = exportDb(db);
  assert.doesNotMatch(out, /null|""|\[\]/);
  const back = JSON.parse(out);
  assert.equal('alert' in back, false);
  assert.equal('funding' in back, false);
  assert.equal(back.name, s.name);
  // The export is the stored form: importing it again changes nothing.
  writeFileSync(file, out);
  assert.equal(run('import', 'oruk', '--db', db, file).code, 0);
  assert.equal(exportDb(db), out);
});

const sqlite = (db, sql) => execFileSync('sqlite3', [db], { input: sql, encoding: 'utf8' }).trim();
const stampOf = (db) => sqlite(db, "SELECT value FROM meta WHERE key = 'directory_updated_at'");
const countOf = (db) => Number(sqlite(db, 'SELECT count(*) FROM directory_service'));
const escape = (s) => s.replace(/[/.()[\]]/g, '\\$&');
// A copy of a service under new ids: its own, its places' and their locations'.
function copyOf(s) {
  let text = JSON.stringify(s);
  const ids = [s.id, ...(s.service_at_locations || []).flatMap((sal) => [sal.id, sal.location?.id])];
  for (const id of new Set(ids.filter(Boolean))) text = text.replaceAll(id, randomUUID());
  return JSON.parse(text);
}
// s with the id old replaced by id wherever it appears.
const withId = (s, old, id) => JSON.parse(JSON.stringify(s).replaceAll(old, id));
const withPlaces = () => demo().filter((s) => s.service_at_locations?.length && s.contacts?.length);

test('a page on one line larger than a record (4 MiB) is read as a page', () => {
  const base = demo();
  const contents = [];
  for (let size = 0; size < 5 << 20;) {
    const s = copyOf(base[contents.length % base.length]);
    contents.push(s);
    size += JSON.stringify(s).length;
  }
  const file = join(dir, 'one-line-page.json');
  writeFileSync(file, JSON.stringify({ total_items: contents.length, contents }));
  assert.ok(statSync(file).size > 4 << 20);
  const db = join(dir, 'one-line-page.db');
  const r = run('import', 'oruk', '--db', db, file);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`imported ${contents.length} services`));
  assert.equal(countOf(db), contents.length);
});

// VmHWM: the most memory the process has held so far, in KiB.
const peakKiB = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/)[1]);

test('a 64 MiB NDJSON line is refused by its line number and read past without being kept', async (t) => {
  const db = join(dir, 'long-line.db');
  const [a, b] = demo();
  const proc = spawn(BIN, ['import', 'oruk', '--db', db, '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  // Each write is done once the pipe took it: the reader has read all but the
  // pipe's own buffer by then.
  const write = (chunk) => new Promise((resolve, reject) => proc.stdin.write(chunk, (e) => (e ? reject(e) : resolve())));
  const mib = Buffer.alloc(1 << 20, 'x');
  await write(`${JSON.stringify(a)}\n{"id":"`);
  await write(mib);
  const base = peakKiB(proc.pid);
  for (let i = 1; i < 64; i++) await write(mib);
  const peak = peakKiB(proc.pid);
  await write(`"}\n${JSON.stringify(b)}\n`);
  proc.stdin.end();
  const code = await exited;
  t.diagnostic(`peak memory (VmHWM) ${base} KiB after 1 MiB of the line, ${peak} KiB after 64 MiB`);
  // Reading the other 63 MiB of the line took no more than a record's worth.
  assert.ok(peak - base < 24 << 10, `peak grew by ${peak - base} KiB over the line (from ${base} to ${peak} KiB)`);
  assert.equal(code, 1, err);
  const lines = problemLines(err);
  assert.equal(lines.length, 1, err);
  assert.equal(lines[0], '-: line 2: the line is longer than 4 MiB (4194304 bytes); a service must be smaller. Give one service per line (NDJSON), a JSON array of services, or a page with "contents"');
  assert.match(err, /has 1 problem in 3 records; nothing was imported/);
  assert.equal(out, '');
  assert.equal(existsSync(db), false);
});

test('the stamp a server watches changes with the services; a refused or dry-run import changes neither', async () => {
  const db = join(dir, 'stamp.db');
  assert.equal(run('import', 'oruk', '--db', db, DEMO).code, 0);
  const first = stampOf(db);
  assert.match(first, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(countOf(db), 41);
  // Refused: neither the services nor the stamp change.
  const bad = demo().slice(0, 2);
  bad[0].name = 'A name that must not be stored';
  bad[1].status = 'open';
  const badFile = join(dir, 'stamp-bad.ndjson');
  writeFileSync(badFile, ndjson(bad));
  assert.equal(run('import', 'oruk', '--db', db, badFile).code, 1);
  assert.equal(stampOf(db), first);
  assert.equal(exportDb(db), readFileSync(DEMO, 'utf8'));
  // A dry run of a good file: the same.
  const extra = copyOf(demo()[3]);
  const goodFile = join(dir, 'stamp-good.ndjson');
  writeFileSync(goodFile, ndjson([extra]));
  assert.equal(run('import', 'oruk', '--db', db, '--dry-run', goodFile).code, 0);
  assert.equal(stampOf(db), first);
  assert.equal(countOf(db), 41);
  // A running server moves to the new services when the import commits.
  const srv = await startServer(['--quiet', '--db', db]);
  try {
    assert.equal((await fetch(`${srv.base}/openreferral/services/${extra.id}`)).status, 404);
    const r = run('import', 'oruk', '--db', db, goodFile);
    assert.equal(r.code, 0, r.err);
    const second = stampOf(db);
    assert.notEqual(second, first);
    assert.equal(countOf(db), 42);
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      await new Promise((res) => setTimeout(res, 200));
      status = (await fetch(`${srv.base}/openreferral/services/${extra.id}`)).status;
    }
    assert.equal(status, 200, 'the server serves the imported service within 10 s');
  } finally {
    await srv.stop();
  }
  // Postcodes set it too.
  const before = stampOf(db);
  const csv = join(dir, 'stamp.csv');
  writeFileSync(csv, 'pcds,lat,long\nDM1 1AB,54.39981,-0.95303\n');
  assert.equal(run('import', 'postcodes', '--db', db, csv).code, 0);
  assert.notEqual(stampOf(db), before);
});

test('when the stamp cannot be written, the services are not stored either', () => {
  const db = join(dir, 'stamp-fails.db');
  assert.equal(run('import', 'oruk', '--db', db, DEMO).code, 0);
  const stamp = stampOf(db);
  // The database refuses the stamp (as a full disk or a kill would stop it).
  sqlite(db, `CREATE TRIGGER no_stamp_update BEFORE UPDATE ON meta WHEN NEW.key = 'directory_updated_at'
              BEGIN SELECT RAISE(ABORT, 'the stamp is refused'); END;`);
  const extra = copyOf(demo()[7]);
  const file = join(dir, 'stamp-fails.ndjson');
  writeFileSync(file, ndjson([extra]));
  const r = run('import', 'oruk', '--db', db, file);
  assert.equal(r.code, 1, r.out);
  assert.match(r.err, /the stamp is refused/);
  assert.match(r.err, /could not store the services .*; nothing was imported/);
  assert.equal(countOf(db), 41, 'the services and the stamp commit together or not at all');
  assert.equal(stampOf(db), stamp);
});

test('a service_at_location id of another service is refused with the record and the id', () => {
  const [a, b] = withPlaces();
  const shared = a.service_at_locations[0].id;
  const clash = withId(b, b.service_at_locations[0].id, shared);
  // In one file: the second record is named, with the id and the first.
  const db = join(dir, 'clash.db');
  const file = join(dir, 'clash.ndjson');
  writeFileSync(file, ndjson([a, clash]));
  let r = run('import', 'oruk', '--db', db, file);
  assert.equal(r.code, 1, r.out);
  let lines = problemLines(r.err);
  assert.equal(lines.length, 1, r.err);
  assert.equal(lines[0], `${file}: line 2 (id ${b.id}): service_at_locations[0].id: service_at_location ${shared} is also used by service ${a.id} (line 1); the server would leave this service out: give each service_at_location its own id`);
  assert.equal(existsSync(db), false);
  // Against the database: the record is named, with the stored service.
  assert.equal(run('import', 'oruk', '--db', db, DEMO).code, 0);
  const stamp = stampOf(db);
  writeFileSync(file, ndjson([clash]));
  r = run('import', 'oruk', '--db', db, file);
  assert.equal(r.code, 1, r.out);
  lines = problemLines(r.err);
  assert.equal(lines.length, 1, r.err);
  assert.match(lines[0], new RegExp(`^${escape(file)}: line 1 \\(id ${b.id}\\): service_at_locations: service_at_location ${shared} is also used by service ${a.id}, already in the database; the server would leave one of them out`));
  assert.equal(exportDb(db), readFileSync(DEMO, 'utf8'));
  assert.equal(stampOf(db), stamp);
  // --dry-run finds it too.
  assert.equal(run('import', 'oruk', '--db', db, '--dry-run', file).code, 1);
});

test('what import accepts the server serves: a place moved between services, shared locations and contacts', async () => {
  const [a, b] = withPlaces();
  const db = join(dir, 'served-all.db');
  assert.equal(run('import', 'oruk', '--db', db, DEMO).code, 0);
  // b takes a's place, and a gets a new one, in the same import.
  const place = a.service_at_locations[0].id;
  const a2 = withId(a, place, randomUUID());
  const b2 = withId(b, b.service_at_locations[0].id, place);
  // c shares a's location and contact ids under a place of its own.
  const c = withId(withId(copyOf(b), b.service_at_locations[0].location.id, a.service_at_locations[0].location.id), b.contacts[0].id, a.contacts[0].id);
  const file = join(dir, 'moved.ndjson');
  writeFileSync(file, ndjson([b2, a2, c]));
  const r = run('import', 'oruk', '--db', db, file);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /imported 3 services/);
  const srv = await startServer(['--db', db]);
  try {
    for (const s of [a2, b2, c]) {
      const res = await fetch(`${srv.base}/openreferral/services/${s.id}`);
      assert.equal(res.status, 200, `${s.id} is served`);
    }
    assert.match(srv.logs(), /42 services \(0 skipped\)/);
    assert.doesNotMatch(srv.logs(), /skipped a stored service/);
  } finally {
    await srv.stop();
  }
});
