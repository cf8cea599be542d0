/* copy.c: `firstdays db copy --from firstdays.db --to postgres://...`: moves an
 * area's SQLite database to PostgreSQL. The target is migrated to this build's
 * schema, then every table of the source replaces the same table of the target
 * in one transaction (so a rerun gives the same result, and a failed run leaves
 * the target as it was); last, each table's row count and a SHA-256 over its
 * rows in key order are computed on both sides and must match. The tables are
 * the list below: a source with a table the list lacks is refused, so a new
 * migration's table cannot be left behind silently. */
#include "copy.h"
#include "postgres_internal.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include <getopt.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum col_kind { COL_TEXT, COL_REAL };

struct copy_table {
  const char *name;
  const char *cols; /* in key order's first column first */
  int ncols;
  enum col_kind kind[16];
  const char *order;  /* the key's columns: rows are read in this order */
  bool append_only;   /* never deleted from the target: only rows it lacks are added */
  const char *serial; /* the identity column to move past the copied ids, or NULL */
};

/* Every table of the schema (migrations 0001 to 0003), parents before the
 * tables that refer to them. The schema table itself is not copied: the
 * target has its own. The audit log is append-only on the target too (its
 * trigger refuses deletes): rows it lacks are added, and the check after
 * finds any that differ. */
#define TXT8 COL_TEXT, COL_TEXT, COL_TEXT, COL_TEXT, COL_TEXT, COL_TEXT, COL_TEXT, COL_TEXT
static const struct copy_table tables[] = {
    {"meta", "key, value", 2, {COL_TEXT, COL_TEXT}, "1", false, NULL},
    {"directory_service",
     "id, organization_id, name, status, last_modified, stored_at, json",
     7,
     {TXT8},
     "1",
     false,
     NULL},
    {"directory_postcode", "postcode, lat, lon", 3, {COL_TEXT, COL_REAL, COL_REAL}, "1", false,
     NULL},
    {"staff_user",
     "id, email, display_name, roles, all_orgs, password_hash, totp_secret, oidc_subject, "
     "created_at, last_sign_in, disabled",
     11,
     {TXT8, TXT8},
     "1",
     false,
     "id"},
    {"staff_user_org", "user_id, org_id", 2, {TXT8}, "1, 2", false, NULL},
    {"staff_recovery_code", "user_id, code_hash, used_at", 3, {TXT8}, "1, 2", false, NULL},
    {"staff_token", "token_hash, user_id, purpose, created_at, expires_at, used_at", 6, {TXT8},
     "1", false, NULL},
    {"staff_session",
     "token_hash, user_id, csrf, stage, created_at, last_seen, expires_at, user_agent",
     8,
     {TXT8},
     "1",
     false,
     NULL},
    {"throttle", "key, failures, last_at, blocked_until", 4, {TXT8}, "1", false, NULL},
    {"audit_log", "seq, at, actor, address, action, target, detail, prev_hash, hash", 9,
     {TXT8, TXT8}, "1", true, NULL},
    {"audit_head", "id, seq, hash", 3, {TXT8}, "1", false, NULL},
    {"outbox",
     "id, created_at, recipient, subject, body_text, body_html, state, attempts, "
     "next_attempt_at, claimed_until, sent_at, last_error",
     12,
     {TXT8, TXT8},
     "1",
     false,
     "id"},
};
#undef TXT8

enum { COPY_PARAMS = 6000 }; /* bound values per INSERT statement */

struct table_sum {
  unsigned long long rows;
  unsigned char hash[crypto_hash_sha256_BYTES];
};

/* Feed one value into the row hash: a NULL is a 0 byte, a value is 1, its
 * length and its bytes (reals as "%.17g", which round-trips). */
static void hash_value(crypto_hash_sha256_state *h, const char *v)
{
  unsigned char tag = v ? 1 : 0;
  crypto_hash_sha256_update(h, &tag, 1);
  if (!v)
    return;
  unsigned long long n = strlen(v);
  crypto_hash_sha256_update(h, (const unsigned char *)&n, sizeof n);
  crypto_hash_sha256_update(h, (const unsigned char *)v, n);
}

/* A source value as text, into buf for reals; NULL for SQL NULL. */
static const char *sqlite_value(sqlite3_stmt *st, int i, enum col_kind kind, char *buf,
                                size_t len)
{
  if (sqlite3_column_type(st, i) == SQLITE_NULL)
    return NULL;
  if (kind == COL_REAL) {
    snprintf(buf, len, "%.17g", sqlite3_column_double(st, i));
    return buf;
  }
  return (const char *)sqlite3_column_text(st, i);
}

static sqlite3_stmt *source_rows(sqlite3 *db, const struct copy_table *t)
{
  char sql[384];
  snprintf(sql, sizeof sql, "SELECT %s FROM %s ORDER BY %s", t->cols, t->name, t->order);
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    fprintf(stderr, "firstdays db copy: cannot read %s from the source: %s\n", t->name,
            sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return NULL;
  }
  return st;
}

static bool source_sum(sqlite3 *db, const struct copy_table *t, struct table_sum *sum)
{
  sqlite3_stmt *st = source_rows(db, t);
  if (!st)
    return false;
  crypto_hash_sha256_state h;
  crypto_hash_sha256_init(&h);
  sum->rows = 0;
  int r;
  while ((r = sqlite3_step(st)) == SQLITE_ROW) {
    char buf[32];
    for (int i = 0; i < t->ncols; i++)
      hash_value(&h, sqlite_value(st, i, t->kind[i], buf, sizeof buf));
    sum->rows++;
  }
  crypto_hash_sha256_final(&h, sum->hash);
  sqlite3_finalize(st);
  return r == SQLITE_DONE;
}

struct copy_args {
  sqlite3 *src;
  struct table_sum sums[sizeof tables / sizeof tables[0]];
};

/* INSERT of n rows of t, with n * t->ncols parameters. Caller frees. */
static char *insert_sql(const struct copy_table *t, size_t n)
{
  size_t cap = 128 + strlen(t->cols) + n * (size_t)t->ncols * 20;
  char *sql = xmalloc(cap);
  size_t len = (size_t)snprintf(sql, cap, "INSERT INTO %s(%s) VALUES ", t->name, t->cols);
  size_t p = 1;
  for (size_t r = 0; r < n; r++) {
    len += (size_t)snprintf(sql + len, cap - len, "%s(", r ? ", " : "");
    for (int i = 0; i < t->ncols; i++, p++)
      len += (size_t)snprintf(sql + len, cap - len, "%s$%zu%s", i ? ", " : "", p,
                              t->kind[i] == COL_REAL ? "::float8" : "");
    len += (size_t)snprintf(sql + len, cap - len, ")");
  }
  if (t->append_only)
    len += (size_t)snprintf(sql + len, cap - len, " ON CONFLICT DO NOTHING");
  return sql;
}

/* Replace the target's rows of t with the source's, inside the transaction. */
static bool copy_table(struct pg_tx *tx, sqlite3 *src, const struct copy_table *t)
{
  char sql[256];
  snprintf(sql, sizeof sql, "DELETE FROM %s", t->name);
  if (!t->append_only && !pg_cmd(tx, sql, 0, NULL))
    return false;
  sqlite3_stmt *st = source_rows(src, t);
  if (!st)
    return false;
  size_t per = COPY_PARAMS / (size_t)t->ncols;
  char **vals = xcalloc(per * (size_t)t->ncols, sizeof *vals);
  char *full = insert_sql(t, per);
  size_t n = 0;
  bool ok = true;
  int r;
  for (;;) {
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
      char buf[32];
      for (int i = 0; i < t->ncols; i++) {
        const char *v = sqlite_value(st, i, t->kind[i], buf, sizeof buf);
        vals[n * (size_t)t->ncols + (size_t)i] = v ? xstrdup(v) : NULL;
      }
      n++;
    }
    if (n == per || (r != SQLITE_ROW && n > 0)) {
      char *sqln = n == per ? full : insert_sql(t, n);
      ok = pg_cmd(tx, sqln, (int)(n * (size_t)t->ncols), (const char *const *)vals);
      if (sqln != full)
        free(sqln);
      for (size_t i = 0; i < n * (size_t)t->ncols; i++) {
        free(vals[i]);
        vals[i] = NULL;
      }
      n = 0;
    }
    if (!ok || r != SQLITE_ROW)
      break;
  }
  if (ok && r != SQLITE_DONE) {
    fprintf(stderr, "firstdays db copy: reading %s from the source: %s\n", t->name,
            sqlite3_errmsg(src));
    ok = false;
  }
  for (size_t i = 0; i < n * (size_t)t->ncols; i++)
    free(vals[i]);
  free(vals);
  free(full);
  sqlite3_finalize(st);
  if (ok && t->serial) {
    /* The next id the target hands out comes after the copied ones. */
    snprintf(sql, sizeof sql,
             "SELECT setval(pg_get_serial_sequence('%s', '%s'), "
             "COALESCE((SELECT MAX(%s) FROM %s), 0) + 1, false)",
             t->name, t->serial, t->serial, t->name);
    ok = pg_cmd(tx, sql, 0, NULL);
  }
  return ok;
}

static enum store_status copy_attempt(struct pg_tx *tx, void *cls)
{
  struct copy_args *a = cls;
  char key[32];
  snprintf(key, sizeof key, "%lld", (long long)PG_LOCK_DIRECTORY);
  const char *kv[] = {key};
  if (!pg_cmd(tx, "BEGIN", 0, NULL) ||
      !pg_cmd(tx, "SELECT pg_advisory_xact_lock($1::bigint)", 1, kv))
    return STORE_ERROR;
  for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
    if (!copy_table(tx, a->src, &tables[i]))
      return STORE_ERROR;
  return pg_cmd(tx, "COMMIT", 0, NULL) ? STORE_OK : STORE_ERROR;
}

/* The target's count and hash of every table, read row by row. */
static enum store_status target_sum_attempt(struct pg_tx *tx, void *cls)
{
  struct copy_args *a = cls;
  for (size_t ti = 0; ti < sizeof tables / sizeof tables[0]; ti++) {
    const struct copy_table *t = &tables[ti];
    char sql[384];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s ORDER BY %s", t->cols, t->name, t->order);
    if (!PQsendQuery(tx->c, sql) || !PQsetSingleRowMode(tx->c)) {
      tx->transient = PQstatus(tx->c) != CONNECTION_OK;
      return STORE_ERROR;
    }
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    struct table_sum *sum = &a->sums[ti];
    sum->rows = 0;
    bool ok = true;
    PGresult *r;
    while ((r = PQgetResult(tx->c))) {
      ExecStatusType st = PQresultStatus(r);
      if (st == PGRES_SINGLE_TUPLE) {
        for (int i = 0; i < t->ncols; i++) {
          char buf[32];
          const char *v = PQgetisnull(r, 0, i) ? NULL : PQgetvalue(r, 0, i);
          if (v && t->kind[i] == COL_REAL) {
            snprintf(buf, sizeof buf, "%.17g", strtod(v, NULL));
            v = buf;
          }
          hash_value(&h, v);
        }
        sum->rows++;
      } else if (st != PGRES_TUPLES_OK) {
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        log_msg("error", "store: db copy: reading %s back failed (SQLSTATE %s)", t->name,
                state ? state : "none");
        tx->transient = PQstatus(tx->c) != CONNECTION_OK;
        ok = false;
      }
      PQclear(r);
    }
    crypto_hash_sha256_final(&h, sum->hash);
    if (!ok)
      return STORE_ERROR;
  }
  return STORE_OK;
}

/* Open the source read-only; refuse one at another schema than this build's,
 * or with a table the list above does not know. */
static sqlite3 *open_source(const char *path)
{
  sqlite3 *db = NULL;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    fprintf(stderr, "firstdays db copy: cannot open the SQLite database %s: %s\n", path,
            db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return NULL;
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt *st = NULL;
  int have = -1;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    have = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  if (have != store_migrations_available()) {
    if (have <= 0)
      fprintf(stderr, "firstdays db copy: %s is not a firstdays SQLite database\n", path);
    else
      fprintf(stderr,
              "firstdays db copy: %s is at schema version %d and this firstdays at %d; copy with "
              "the firstdays that serves it%s\n",
              path, have, store_migrations_available(),
              have < store_migrations_available()
                  ? ", or bring it forward first (firstdays serve --db PATH migrates it)"
                  : "");
    sqlite3_close(db);
    return NULL;
  }
  bool ok = sqlite3_prepare_v2(db,
                               "SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                               "NOT LIKE 'sqlite_%' ORDER BY name",
                               -1, &st, NULL) == SQLITE_OK;
  while (ok && sqlite3_step(st) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    bool known = false;
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
      known = known || strcmp(tables[i].name, name) == 0;
    if (!known) {
      fprintf(stderr,
              "firstdays db copy: the source has a table %s that db copy does not know; "
              "nothing copied (src/store/copy.c lists the tables)\n",
              name);
      ok = false;
    }
  }
  sqlite3_finalize(st);
  if (!ok) {
    sqlite3_close(db);
    return NULL;
  }
  return db;
}

static const char db_usage[] =
    "usage: firstdays db copy --from FILE.db --to postgres://user@host/dbname\n"
    "\n"
    "db copy: copy an area's SQLite database into PostgreSQL, so that several\n"
    "servers can share it. The target is migrated to this firstdays' schema; each\n"
    "table of the source then replaces the same table of the target, all in one\n"
    "transaction: the target ends as a copy of the source, a failed run leaves it\n"
    "as it was, and a rerun gives the same result. Last, the row count and a\n"
    "SHA-256 of every table are compared on both sides. The source is only read;\n"
    "stop the servers that write it first.\n"
    "\n"
    "  --from FILE    the SQLite database file\n"
    "  --to URL       the PostgreSQL database (postgres:// or postgresql://)\n"
    "  --help         show this help\n"
    "\n"
    "Exit status: 0 copied and checked, 1 failed (the message says why), 2 usage.\n";

int store_cmd_db(int argc, char **argv)
{
  static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
                                       {"to", required_argument, NULL, 't'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  const char *from = NULL, *to = NULL;
  if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    fputs(db_usage, stdout);
    return 0;
  }
  if (argc < 2 || strcmp(argv[1], "copy") != 0) {
    fprintf(stderr, "firstdays db: give what to do: copy\n%s", db_usage);
    return 2;
  }
  optind = 1;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
    switch (c) {
    case 'f':
      from = optarg;
      break;
    case 't':
      to = optarg;
      break;
    case 'h':
      fputs(db_usage, stdout);
      return 0;
    default:
      fprintf(stderr, "firstdays db copy: unknown or incomplete option '%s'\n%s",
              argv[optind], db_usage);
      return 2;
    }
  }
  if (!from || !to || optind != argc - 1) {
    fprintf(stderr, "firstdays db copy: give --from FILE.db and --to postgres://...\n%s",
            db_usage);
    return 2;
  }
  if (!store_is_postgres(to)) {
    fprintf(stderr, "firstdays db copy: --to must be a postgres:// URL\n");
    return 2;
  }
  if (sodium_init() < 0)
    fatal("libsodium cannot start");
  sqlite3 *src = open_source(from);
  if (!src)
    return 1;
  char err[1024];
  struct store *s = store_pg_open(to, err, sizeof err);
  if (!s) {
    fprintf(stderr, "firstdays db copy: %s\n", err);
    sqlite3_close(src);
    return 1;
  }
  struct store_pg *p = store_pg_of(s);
  struct copy_args *a = xcalloc(1, sizeof *a);
  a->src = src;
  int rc = 1;
  enum store_status st = pg_run(p, "db copy", copy_attempt, a);
  if (st != STORE_OK) {
    fprintf(stderr, "firstdays db copy: copying into %s failed%s; the target is as it was\n",
            p->where, st == STORE_UNAVAILABLE ? " (PostgreSQL unavailable)" : "");
    goto out;
  }
  if (pg_run(p, "db copy check", target_sum_attempt, a) != STORE_OK) {
    fprintf(stderr, "firstdays db copy: reading %s back failed\n", p->where);
    goto out;
  }
  rc = 0;
  for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
    struct table_sum want;
    if (!source_sum(src, &tables[i], &want)) {
      fprintf(stderr, "firstdays db copy: reading %s from the source failed\n", tables[i].name);
      rc = 1;
      continue;
    }
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, want.hash, sizeof want.hash);
    bool same = want.rows == a->sums[i].rows &&
                memcmp(want.hash, a->sums[i].hash, sizeof want.hash) == 0;
    printf("%-20s %10llu rows  sha256 %.16s  %s\n", tables[i].name, want.rows, hex,
           same ? "same in both" : "DIFFERENT in the target");
    if (!same)
      rc = 1;
  }
  if (rc == 0)
    printf("copied %s to %s: every table's count and hash match\n", from, p->where);
  else
    fprintf(stderr, "firstdays db copy: the target differs from the source (above)\n");
out:
  free(a);
  store_close(s);
  sqlite3_close(src);
  return rc;
}
