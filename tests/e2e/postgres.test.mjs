// End-to-end tests of the real binary on PostgreSQL (--db postgres://...): a new
// database is migrated and seeded with the demo directory, which the ORUK API
// and the find-support page serve; a restart keeps it and seeds nothing twice;
// check finds it fine, and refuses a database that is not a firstdays one;
// while the database cannot be reached /healthz answers 503, and once it is back
// the same server answers 200 again. The server comes from FIRSTDAYS_TEST_PG, or a
// throwaway one started here by tests/pg/start.sh; without either the tests skip,
// saying why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, startServer } from './helpers.mjs';

let server = process.env.FIRSTDAYS_TEST_PG || '';
let started = '';   // the folder of the cluster started here, to stop after
let skip = false;
const DB = `fde2e_${process.pid}`;

function psql(sql, url = server) {
  const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-Atc', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, `psql ${sql}: ${r.stderr}`);
  return r.stdout.trim();
}

function dbUrl() {
  return server.replace(/\/[^/]*$/, '/' + DB);
}

before(() => {
  if (!server) {
    started = mkdtempSync(join(tmpdir(), 'firstdays-pg-e2e-'));
    const r = spawnSync('bash', ['tests/pg/start.sh', started], { encoding: 'utf8' });
    if (r.status !== 0) {
      skip = `no PostgreSQL could start here: ${r.stderr.trim()}`;
      return;
    }
    server = r.stdout.trim();
  }
  if (spawnSync('psql', ['--version']).status !== 0) {
    skip = 'psql (postgresql-client) is not installed';
    return;
  }
  psql(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  psql(`CREATE DATABASE ${DB} TEMPLATE template0`);
});

// Stopped after, and also if the run ends early (a cluster left running holds a port).
process.on('exit', () => { if (started) spawnSync('bash', ['tests/pg/stop.sh', started]); });

after(() => {
  if (server && !skip) spawnSync('psql', [server, '-c', `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`]);
  if (started) spawnSync('bash', ['tests/pg/stop.sh', started]);
});

async function getJson(base, path) {
  const r = await fetch(base + path);
  const body = await r.text();
  assert.equal(r.status, 200, `${path}: ${body}`);
  return JSON.parse(body);
}

test('a new PostgreSQL database is migrated, seeded and served, and a restart keeps it', async (t) => {
  if (skip) return t.skip(skip);
  let srv = await startServer(['--db', dbUrl()]);
  let total;
  try {
    const health = await getJson(srv.base, '/healthz');
    assert.equal(health.status, 'ok', JSON.stringify(health));
    const services = await getJson(srv.base, '/openreferral/services?per_page=5');
    total = services.total_items;
    assert.ok(total > 0, 'the demo directory is served');
    const one = await getJson(srv.base, '/openreferral/services/' + services.contents[0].id);
    assert.equal(one.id, services.contents[0].id);
    const page = await fetch(srv.base + '/find-support');
    assert.equal(page.status, 200);
  } finally {
    await srv.stop();
  }
  assert.equal(Number(psql('SELECT count(*) FROM directory_service', dbUrl())), total);
  assert.equal(Number(psql('SELECT max(version) FROM firstdays_schema', dbUrl())) > 0, true);
  // check looks at it without changing it, and finds it fine.
  const check = spawnSync(BIN, ['check', '--db', dbUrl()], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  assert.match(check.stdout + check.stderr, /are fine \(schema \d+\)/);
  // Started again on the same database: nothing seeded twice, the same directory.
  srv = await startServer(['--db', dbUrl()]);
  try {
    const services = await getJson(srv.base, '/openreferral/services?per_page=5');
    assert.equal(services.total_items, total);
  } finally {
    await srv.stop();
  }
  assert.equal(Number(psql('SELECT count(*) FROM directory_service', dbUrl())), total);
});

test('while PostgreSQL cannot be reached /healthz says 503, and 200 again once it is back', async (t) => {
  if (skip) return t.skip(skip);
  const srv = await startServer(['--db', dbUrl()]);
  try {
    assert.equal((await fetch(srv.base + '/healthz')).status, 200);
    psql(`ALTER DATABASE ${DB} ALLOW_CONNECTIONS false`);
    psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${DB}'`);
    const down = await fetch(srv.base + '/healthz');
    await down.text();
    assert.equal(down.status, 503);
    // Public pages do not touch the database per request: they still serve.
    assert.equal((await fetch(srv.base + '/openreferral/services?per_page=1')).status, 200);
    psql(`ALTER DATABASE ${DB} ALLOW_CONNECTIONS true`);
    assert.equal(await statusWithin(srv.base + '/healthz', 200, 5000), 200);
    assert.ok(srv.alive());
    // The log says the database was unavailable, and names no password or person.
    assert.match(srv.logs(), /is unavailable/);
  } finally {
    await srv.stop();
  }
});

test('check refuses a PostgreSQL database that is not a firstdays one, and creates nothing', (t) => {
  if (skip) return t.skip(skip);
  psql(`DROP DATABASE IF EXISTS ${DB}_empty WITH (FORCE)`);
  psql(`CREATE DATABASE ${DB}_empty TEMPLATE template0`);
  const url = server.replace(/\/[^/]*$/, `/${DB}_empty`);
  try {
    const r = spawnSync(BIN, ['check', '--db', url], { encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /is not a firstdays one/);
    assert.equal(psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", url), '0');
  } finally {
    psql(`DROP DATABASE IF EXISTS ${DB}_empty WITH (FORCE)`);
  }
});

test('a postgres:// URL that cannot be reached stops the server with a clear message', (t) => {
  if (skip) return t.skip(skip);
  const r = spawnSync(BIN, ['serve', '--listen', '127.0.0.1:0', '--db', 'postgres://u:pw-secret@127.0.0.1:1/x'],
    { encoding: 'utf8', timeout: 20000 });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /cannot connect to PostgreSQL at 127\.0\.0\.1:1\/x/);
  assert.doesNotMatch(r.stderr + r.stdout, /pw-secret/);
});

test('db copy moves a SQLite database to PostgreSQL, checks it, and can run again', async (t) => {
  if (skip) return t.skip(skip);
  const dir = mkdtempSync(join(tmpdir(), 'firstdays-copy-'));
  const db = join(dir, 'area.db');
  const target = server.replace(/\/[^/]*$/, `/${DB}_copy`);
  psql(`DROP DATABASE IF EXISTS ${DB}_copy WITH (FORCE)`);
  psql(`CREATE DATABASE ${DB}_copy TEMPLATE template0`);
  try {
    const run = (...args) => spawnSync(BIN, args, { encoding: 'utf8' });
    assert.equal(run('import', 'oruk', '--db', db, 'content/demo/directory.ndjson').status, 0);
    // More postcodes than one statement of the copy carries.
    const rows = ['pcds,lat,long,doterm,osgrdind'];
    const L = 'ABDEFGHJLNPQRSTUWXYZ';
    for (let i = 0; i < 5000; i++) {
      const pc = `N${1 + Math.floor(i / 4000)} ${Math.floor(i / 400) % 10}${L[Math.floor(i / 20) % 20]}${L[i % 20]}`;
      rows.push(`${pc},51.${i},-0.${i}1,,1`);
    }
    writeFileSync(join(dir, 'pc.csv'), rows.join('\n') + '\n');
    const imp = run('import', 'postcodes', '--db', db, join(dir, 'pc.csv'));
    assert.equal(imp.status, 0, imp.stderr);
    const pcs = Number((imp.stdout + imp.stderr).match(/imported (\d+) postcodes/)[1]);
    assert.ok(pcs > 2000, `${pcs} postcodes: more than one statement's worth`);
    for (let round = 0; round < 2; round++) {
      const r = run('db', 'copy', '--from', db, '--to', target);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /directory_service\s+41 rows .* same in both/);
      assert.match(r.stdout, new RegExp(`directory_postcode\\s+${pcs} rows .* same in both`));
      assert.match(r.stdout, /every table's count and hash match/);
    }
    assert.equal(Number(psql('SELECT count(*) FROM directory_postcode', target)), pcs);
    // The directory exports byte for byte the same from either database.
    const fromSqlite = run('export', 'oruk', '--db', db);
    const fromPg = run('export', 'oruk', '--db', target);
    assert.equal(fromPg.status, 0, fromPg.stderr);
    assert.ok(fromSqlite.stdout.length > 1000);
    assert.equal(fromPg.stdout, fromSqlite.stdout);
    // A server on the copy serves what the SQLite database held, and seeds nothing.
    const srv = await startServer(['--db', target]);
    try {
      const services = await getJson(srv.base, '/openreferral/services?per_page=1');
      assert.equal(services.total_items, 41);
    } finally {
      await srv.stop();
    }
  } finally {
    psql(`DROP DATABASE IF EXISTS ${DB}_copy WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  }
});

// A copy of a demo service under new ids: its own, its places' and their locations'.
function newService() {
  const s = JSON.parse(readFileSync('content/demo/directory.ndjson', 'utf8').split('\n')[0]);
  let text = JSON.stringify(s);
  const ids = [s.id, ...(s.service_at_locations || []).flatMap((sal) => [sal.id, sal.location?.id])];
  for (const id of new Set(ids.filter(Boolean))) text = text.replaceAll(id, randomUUID());
  return JSON.parse(text);
}

async function statusWithin(url, want, ms) {
  let status = 0;
  for (const end = Date.now() + ms; Date.now() < end;) {
    status = await fetch(url).then(async (r) => { await r.text(); return r.status; }, () => 0);
    if (status === want) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  return status;
}

test('two servers share one PostgreSQL: an import reaches both, and one killed leaves the other serving', { timeout: 60000 }, async (t) => {
  if (skip) return t.skip(skip);
  const a = await startServer(['--quiet', '--db', dbUrl()]);
  const b = await startServer(['--quiet', '--db', dbUrl()]);
  const dir = mkdtempSync(join(tmpdir(), 'firstdays-two-'));
  try {
    const extra = newService();
    for (const srv of [a, b]) assert.equal((await fetch(`${srv.base}/openreferral/services/${extra.id}`)).status, 404);
    writeFileSync(join(dir, 'one.ndjson'), JSON.stringify(extra) + '\n');
    const r = spawnSync(BIN, ['import', 'oruk', '--db', dbUrl(), join(dir, 'one.ndjson')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    // Each server hears of the commit (NOTIFY) and rebuilds its index within 1 s.
    const t0 = Date.now();
    for (const srv of [a, b]) {
      assert.equal(await statusWithin(`${srv.base}/openreferral/services/${extra.id}`, 200, 8000), 200);
    }
    assert.ok(Date.now() - t0 < 1000, `both serve the import ${Date.now() - t0} ms after it committed`);
    // One server dies without warning: the other serves on, and the data stays.
    const dead = new Promise((res) => a.proc.on('exit', res));
    a.proc.kill('SIGKILL');
    await dead;
    assert.equal((await fetch(`${b.base}/openreferral/services/${extra.id}`)).status, 200);
    assert.equal((await fetch(`${b.base}/healthz`)).status, 200);
    assert.equal(psql(`SELECT count(*) FROM directory_service WHERE id = '${extra.id}'`, dbUrl()), '1');
  } finally {
    if (a.alive()) await a.stop();
    else rmSync(a.dir, { recursive: true, force: true });
    await b.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('PostgreSQL restarted under a running server: 503 while it is down, full service after', { timeout: 60000 }, async (t) => {
  if (skip) return t.skip(skip);
  if (!started) return t.skip('FIRSTDAYS_TEST_PG names a server this test did not start, so it does not restart it');
  const bin = readFileSync(join(started, 'bin'), 'utf8').trim();
  const as = process.getuid() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  const pgctl = (...args) => {
    const cmd = [...as, join(bin, 'pg_ctl'), '-D', join(started, 'data'), ...args];
    const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
    assert.equal(r.status, 0, `pg_ctl ${args.join(' ')}: ${r.stderr}`);
  };
  const srv = await startServer(['--quiet', '--db', dbUrl()]);
  try {
    assert.equal((await fetch(`${srv.base}/healthz`)).status, 200);
    pgctl('-m', 'fast', '-w', 'stop');
    assert.equal(await statusWithin(`${srv.base}/healthz`, 503, 5000), 503);
    // The directory is served from memory all the while.
    assert.equal((await fetch(`${srv.base}/openreferral/services?per_page=1`)).status, 200);
    pgctl('-l', join(started, 'server.log'), '-w', 'start');
    assert.equal(await statusWithin(`${srv.base}/healthz`, 200, 5000), 200);
    assert.ok(srv.alive(), 'firstdays kept running');
  } finally {
    await srv.stop();
  }
});
