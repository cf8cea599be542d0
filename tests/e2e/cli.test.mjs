// End-to-end tests of the command line: help, check, wrong arguments, the
// configuration file and --set flags, migrating an existing database, and
// refusing a content folder that cannot be read. check never creates, seeds
// or migrates a database, and names the real cause when it cannot use one.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, mkdirSync, existsSync, statSync, chmodSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BIN, startServer } from './helpers.mjs';

function run(args, opts = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 20000, ...opts });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function tempDir() {
  return mkdtempSync(join(tmpdir(), 'firstdays-cli-'));
}
const sqlite = (db, sql) => execFileSync('sqlite3', [db], { input: sql, encoding: 'utf8' }).trim();
const available = () => Number(run(['version']).out.match(/schema (\d+)/)[1]);
// Run fn with a new temporary folder, removed after.
async function inTempDir(fn) {
  const dir = tempDir();
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
// A firstdays database with the demo directory in it, made by import.
function makeDb(db) {
  const r = run(['import', 'oruk', '--db', db, 'content/demo/directory.ndjson']);
  assert.equal(r.code, 0, r.err);
  return db;
}

describe('help and usage', () => {
  test('serve --help lists every option and exits 0', () => {
    const r = run(['serve', '--help']);
    assert.equal(r.code, 0);
    assert.equal(r.err, '');
    for (const opt of ['--listen', '--db', '--content', '--config', '--set', '--threads', '--quiet', '--help'])
      assert.ok(r.out.includes(opt), `serve --help mentions ${opt}`);
  });

  test('every command answers --help with exit 0', () => {
    const list = run(['--help']);
    assert.equal(list.code, 0);
    const cmds = [...list.out.matchAll(/^ {2}(\S+) {2,}/gm)].map((m) => m[1]);
    assert.ok(cmds.includes('serve') && cmds.includes('check') && cmds.includes('version'));
    for (const c of cmds) {
      const r = run([c, '--help']);
      assert.equal(r.code, 0, `${c} --help exits 0`);
      assert.match(r.out, /usage: firstdays|firstdays \d/, `${c} --help prints usage`);
    }
  });

  test('no command prints the usage and exits 2', () => {
    const r = run([]);
    assert.equal(r.code, 2);
    assert.match(r.err, /usage: firstdays COMMAND/);
  });

  test('an unknown command is named, exit 2', () => {
    const r = run(['serv']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown command 'serv'/);
    assert.match(r.err, /commands:/);
  });

  test('unknown or incomplete options are named, exit 2', () => {
    for (const [args, want] of [
      [['serve', '--bogus'], /unknown or incomplete option '--bogus'/],
      [['serve', '--listen'], /unknown or incomplete option '--listen'/],
      [['check', '--verbose'], /unknown or incomplete option '--verbose'/],
      [['serve', 'extra'], /unexpected argument 'extra'/],
      [['serve', '--set', 'org_name'], /--set needs KEY=VALUE, not 'org_name'/],
      [['serve', '--set', 'no_such_key=1'], /unknown setting 'no_such_key'/],
      [['serve', '--set', 'colour=blue'], /colour must be a hex colour/],
      [['serve', '--set', 'colour=#ffff00'], /colour #ffff00 has a contrast ratio of 1\.07:1 with the header's white text; it needs at least 4\.5:1/],
      [['serve', '--threads', 'many'], /threads must be a whole number/],
      [['serve', '--config', '/nonexistent/firstdays.conf'], /cannot read config file \/nonexistent\/firstdays.conf/],
    ]) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(' ')} exits 2`);
      assert.match(r.err, want, args.join(' '));
      assert.equal(r.out, '', 'nothing on stdout');
    }
  });

  test('an address that cannot be used is refused with a message', () => {
    const dir = tempDir();
    try {
      const r = run(['serve', '--listen', 'localhost', '--db', join(dir, 'x.db')]);
      assert.equal(r.code, 1);
      assert.match(r.err, /cannot use listen address 'localhost'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a port already in use is refused with a message', async () => {
    const srv = await startServer(['--quiet']);
    const dir = tempDir();
    try {
      const r = run(['serve', '--listen', `127.0.0.1:${srv.port}`, '--db', join(dir, 'x.db')]);
      assert.equal(r.code, 1);
      assert.match(r.err, /cannot listen on 127.0.0.1:\d+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await srv.stop();
    }
  });
});

describe('check', () => {
  test('check of a database says all is fine, and changes nothing in it', () => inTempDir((dir) => {
    const db = makeDb(join(dir, 'check.db'));
    const before = readFileSync(db);
    const r = run(['check', '--db', db]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`database ${db.replace(/[.]/g, '\\.')} are fine \\(schema ${available()}\\)`));
    assert.ok(readFileSync(db).equals(before), 'the database file is as it was');
  }));

  test('check never creates a database: a mistyped path is an error that names it', () => inTempDir((dir) => {
    const db = join(dir, 'mistyped.db');
    const r = run(['check', '--db', db]);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`there is no database at ${db.replace(/[.]/g, '\\.')} \\(no such file\\)`));
    assert.doesNotMatch(r.out, /are fine/);
    assert.deepEqual(readdirSync(dir), [], 'nothing was created');
    // Without --db: nothing is made in the current folder either.
    const here = spawnSync(resolve(BIN), ['check'], { cwd: dir, encoding: 'utf8', timeout: 20000 });
    assert.equal(here.status, 1);
    assert.match(here.stderr, /there is no database at firstdays\.db/);
    assert.deepEqual(readdirSync(dir), []);
  }));

  test('check refuses an empty file, and leaves it empty', () => inTempDir((dir) => {
    const db = join(dir, 'empty.db');
    writeFileSync(db, '');
    const r = run(['check', '--db', db]);
    assert.equal(r.code, 1);
    assert.match(r.err, /empty\.db is empty \(0 bytes\), not a firstdays database/);
    assert.equal(statSync(db).size, 0);
    assert.deepEqual(readdirSync(dir), ['empty.db']);
  }));

  test('check of an older database says serve will migrate it, and leaves it as it is', () => inTempDir((dir) => {
    const db = join(dir, 'old.db');
    const m1 = readFileSync(new URL('../../src/store/migrations/0001-init.sql', import.meta.url), 'utf8');
    sqlite(db, `${m1}\nPRAGMA user_version = 1;`);
    const r = run(['check', '--db', db]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`are fine \\(schema 1; serve will migrate it to ${available()}\\)`));
    assert.equal(Number(sqlite(db, 'PRAGMA user_version')), 1);
  }));

  test('a database locked by another process is reported as locked', () => inTempDir(async (dir) => {
    const db = makeDb(join(dir, 'locked.db'));
    // A sqlite3 shell holds an exclusive lock until its input ends.
    const holder = spawn('sqlite3', [db], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      await new Promise((resolve, reject) => {
        let out = '';
        holder.stdout.on('data', (d) => { out += d; if (/^\d+$/m.test(out)) resolve(); });
        holder.on('error', reject);
        holder.stdin.write('PRAGMA locking_mode=EXCLUSIVE;\nBEGIN EXCLUSIVE;\nSELECT count(*) FROM meta;\n');
      });
      const r = run(['check', '--db', db]);
      assert.equal(r.code, 1);
      assert.match(r.err, /the database .*locked\.db is locked by another process/);
      assert.doesNotMatch(r.err, /is it a SQLite file/);
    } finally {
      holder.stdin.end();
      await new Promise((resolve) => holder.on('exit', resolve));
    }
  }));

  test('a database this user may not read or write is reported as permission denied', () => {
    // Run as an unprivileged user: root may read and write anything.
    const asUser = process.getuid() === 0
      ? (args) => spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', BIN, ...args], { encoding: 'utf8', timeout: 20000 })
      : (args) => spawnSync(BIN, args, { encoding: 'utf8', timeout: 20000 });
    if (process.getuid() === 0 && spawnSync('setpriv', ['--version']).status !== 0) return;
    return inTempDir((dir) => {
      chmodSync(dir, 0o755);
      const secret = makeDb(join(dir, 'secret.db'));
      const readonly = makeDb(join(dir, 'readonly.db'));
      chmodSync(secret, 0o600);
      chmodSync(readonly, 0o644);
      if (process.getuid() !== 0) {
        chmodSync(secret, 0o000);
        chmodSync(readonly, 0o444);
      }
      for (const [db, cmd] of [[secret, 'check'], [secret, 'serve'], [readonly, 'check']]) {
        const args = cmd === 'serve' ? ['serve', '--listen', '127.0.0.1:0', '--db', db] : ['check', '--db', db];
        const r = asUser(args);
        assert.equal(r.status, 1, `${cmd} ${db}: ${r.stderr}`);
        assert.match(r.stderr, /permission denied/, `${cmd} ${db}`);
        assert.ok(r.stderr.includes(db), `${cmd} names ${db}`);
        assert.doesNotMatch(r.stderr, /is it a SQLite file/);
      }
    });
  });

  test('check reports a bad config file with its line, exit 2', () => {
    const dir = tempDir();
    try {
      const conf = join(dir, 'bad.conf');
      writeFileSync(conf, '# settings\n\norg_name = Fine\ncolor = #ffffff\n');
      const r = run(['check', '--config', conf, '--db', join(dir, 'x.db')]);
      assert.equal(r.code, 2);
      assert.match(r.err, /bad\.conf line 4: unknown setting 'color'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('check reports a content page with broken front matter, exit 1', () => {
    const dir = tempDir();
    try {
      mkdirSync(join(dir, 'content', 'pages'), { recursive: true });
      writeFileSync(join(dir, 'content', 'pages', 'broken.md'), '---\ntitle: Broken\nno colon here\n---\nBody\n');
      const r = run(['check', '--content', join(dir, 'content'), '--db', join(dir, 'x.db')]);
      assert.equal(r.code, 1);
      assert.match(r.err, /pages\/broken\.md: front matter line 3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('content folder', () => {
  test('a content folder that does not exist is refused', () => {
    const dir = tempDir();
    try {
      const missing = join(dir, 'missing'), db = join(dir, 'x.db');
      for (const args of [['serve', '--content', missing, '--db', db, '--listen', '127.0.0.1:0'],
        ['check', '--content', missing, '--db', db]]) {
        const r = run(args);
        assert.equal(r.code, 1, `${args[0]} exits 1`);
        assert.match(r.err, /cannot open content folder .*missing/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a file given as the content folder is refused', () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'file'), 'x');
      const r = run(['check', '--content', join(dir, 'file'), '--db', join(dir, 'x.db')]);
      assert.equal(r.code, 1);
      assert.match(r.err, /cannot open content folder/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a content folder replaces a built-in page', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'pages'));
    writeFileSync(join(dir, 'pages', 'home.md'), '---\ntitle: Welcome to Riverside\ndescription: Local home page.\nnav: home\n---\n# Welcome to Riverside\n\nLocal words <b>here</b>.\n');
    const srv = await startServer(['--quiet', '--content', dir]);
    try {
      const html = await (await fetch(srv.base + '/')).text();
      assert.match(html, /<h1>Welcome to Riverside<\/h1>/);
      assert.match(html, /Local words &lt;b&gt;here&lt;\/b&gt;/, 'raw HTML in Markdown is escaped');
    } finally {
      await srv.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('configuration', () => {
  test('the config file sets the organisation name and colour; --set overrides it', async () => {
    const dir = tempDir();
    const conf = join(dir, 'firstdays.conf');
    writeFileSync(conf, [
      '# Riverside deployment',
      'org_name = Riverside Family Hub & Co',
      'colour = #7c2855',
      'area_name = Riverside',
      'contact_phone = 01234 567890',
      'base_url = https://families.example.org',
      '',
    ].join('\n'));
    let srv = await startServer(['--quiet', '--config', conf]);
    try {
      const html = await (await fetch(srv.base + '/')).text();
      assert.match(html, /nhsuk-header__organisation-name">Riverside Family Hub &amp; Co</);
      assert.match(html, /content="https:\/\/families\.example\.org\/"/, 'base_url used for og:url');
      const m = html.match(/href="(\/static\/theme\.css\?v=[0-9a-f]+)"/);
      assert.ok(m, 'theme stylesheet linked');
      const css = await (await fetch(srv.base + m[1])).text();
      assert.match(css, /#7c2855/);
    } finally {
      await srv.stop();
    }
    // A flag wins over the file, wherever --config appears.
    srv = await startServer(['--quiet', '--set', 'org_name=Flag Hub', '--set', 'colour=#00703c', '--config', conf]);
    try {
      const html = await (await fetch(srv.base + '/')).text();
      assert.match(html, /nhsuk-header__organisation-name">Flag Hub</);
      assert.doesNotMatch(html, /Riverside Family Hub/);
      const css = await (await fetch(srv.base + '/static/theme.css')).text();
      assert.match(css, /#00703c/);
      assert.doesNotMatch(css, /#7c2855/);
    } finally {
      await srv.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the example config file in docs/ is valid', () => {
    const dir = tempDir();
    try {
      const example = new URL('../../docs/firstdays.conf.example', import.meta.url).pathname;
      const r = run(['check', '--config', example, '--db', makeDb(join(dir, 'x.db'))]);
      assert.equal(r.code, 0, r.err);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('database', () => {
  test('an existing database is migrated forward and keeps its data', async () => {
    const dir = tempDir();
    const db = join(dir, 'old.db');
    // A database made by the first release: migration 0001 only, with data.
    const m1 = readFileSync(new URL('../../src/store/migrations/0001-init.sql', import.meta.url), 'utf8');
    sqlite(db, `${m1}\nPRAGMA user_version = 1;\nINSERT INTO meta(key, value) VALUES ('kept', 'from the old release');`);
    assert.equal(Number(sqlite(db, 'PRAGMA user_version')), 1);
    const srv = await startServer(['--quiet', '--db', db]);
    try {
      const h = await (await fetch(srv.base + '/healthz')).json();
      assert.equal(h.status, 'ok');
      assert.equal(h.schema, available());
    } finally {
      await srv.stop();
    }
    assert.equal(Number(sqlite(db, 'PRAGMA user_version')), available());
    assert.equal(sqlite(db, "SELECT value FROM meta WHERE key = 'kept'"), 'from the old release');
    assert.equal(sqlite(db, 'PRAGMA journal_mode'), 'wal');
    rmSync(dir, { recursive: true, force: true });
  });

  test('a database from a newer firstdays is refused with a message', () => {
    const dir = tempDir();
    try {
      const db = join(dir, 'new.db');
      sqlite(db, `CREATE TABLE t(x); PRAGMA user_version = ${available() + 5};`);
      const r = run(['serve', '--db', db, '--listen', '127.0.0.1:0']);
      assert.equal(r.code, 1);
      assert.match(r.err, new RegExp(`schema version ${available() + 5} but this firstdays knows only up to ${available()}`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a file that is not a database is refused with a message', () => {
    const dir = tempDir();
    try {
      const db = join(dir, 'notes.txt');
      writeFileSync(db, 'These are my notes, not a database. '.repeat(10));
      const r = run(['check', '--db', db]);
      assert.equal(r.code, 1);
      assert.match(r.err, /notes\.txt is not a SQLite database/);
      assert.doesNotMatch(r.err, /is it a SQLite file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
