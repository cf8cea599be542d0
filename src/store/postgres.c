/* postgres.c: the PostgreSQL backend (--db postgres://user@host/dbname): a small
 * pool of libpq connections per server, the one place where transient failures
 * are retried, numbered migrations applied under an advisory lock and recorded
 * in the table firstdays_schema, and the settings table. Migration n is
 * migrations/postgres/NNNN-name.sql when the SQL differs from SQLite's, else
 * the shared migrations/NNNN-name.sql. */
#include "postgres_internal.h"
#include "../content/embedded.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* --- Statements ---------------------------------------------------------- */

/* Whether a failure with this SQLSTATE (NULL: no result at all) on connection
 * c may pass if the operation is tried again. */
static bool transient_failure(PGconn *c, const char *state)
{
  if (PQstatus(c) != CONNECTION_OK || !state)
    return true;
  return strncmp(state, "08", 2) == 0 ||   /* connection exception */
         strcmp(state, "40001") == 0 ||    /* serialization_failure */
         strcmp(state, "40P01") == 0 ||    /* deadlock_detected */
         strcmp(state, "57P01") == 0 ||    /* admin_shutdown */
         strcmp(state, "57P02") == 0 ||    /* crash_shutdown */
         strcmp(state, "57P03") == 0 ||    /* cannot_connect_now */
         strcmp(state, "53300") == 0;      /* too_many_connections */
}

PGresult *pg_exec(struct pg_tx *tx, const char *sql, int n, const char *const *vals)
{
  PGresult *r = PQexecParams(tx->c, sql, n, NULL, vals, NULL, NULL, 0);
  ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
    return r;
  const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
  tx->transient = transient_failure(tx->c, state);
  /* The SQLSTATE and the operation only: a message may quote a value. */
  if (tx->transient)
    log_msg("warn", "store: %s on %s: %s (SQLSTATE %s)", tx->what, tx->p->where,
            PQstatus(tx->c) != CONNECTION_OK ? "connection lost" : "transient failure",
            state ? state : "none");
  else
    log_msg("error", "store: %s on %s failed (SQLSTATE %s)", tx->what, tx->p->where,
            state ? state : "none");
  PQclear(r);
  return NULL;
}

bool pg_cmd(struct pg_tx *tx, const char *sql, int n, const char *const *vals)
{
  PGresult *r = pg_exec(tx, sql, n, vals);
  PQclear(r);
  return r != NULL;
}

/* --- Connections and the pool ------------------------------------------------ */

static void quiet_notices(void *arg, const char *message)
{
  (void)arg;
  (void)message;
}

/* A new connection to p's database; NULL on failure, with PQerrorMessage's
 * words in err (they name the host and the cause, never a password). */
static PGconn *connect_db(struct store_pg *p, char *err, size_t errlen)
{
  char timeout[16];
  snprintf(timeout, sizeof timeout, "%d", PG_CONNECT_TIMEOUT_S);
  /* Defaults first: what the URL itself says overrides them. */
  const char *keys[] = {"connect_timeout", "application_name", "dbname", NULL};
  const char *vals[] = {timeout, "firstdays", p->url, NULL};
  PGconn *c = PQconnectdbParams(keys, vals, 1);
  if (!c)
    fatal("out of memory");
  if (PQstatus(c) != CONNECTION_OK) {
    if (err) {
      snprintf(err, errlen, "%s", PQerrorMessage(c));
      size_t n = strlen(err);
      while (n && (err[n - 1] == '\n' || err[n - 1] == ' '))
        err[--n] = 0;
    }
    PQfinish(c);
    return NULL;
  }
  PQsetNoticeProcessor(c, quiet_notices, NULL);
  return c;
}

static long long monotonic_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Take a free slot, waiting while all are busy, and make sure it has a
 * connection. Returns the slot; its c is NULL when connecting failed, or
 * when a connect failed less than PG_DOWN_MS ago (so that while the database
 * cannot be reached, an operation fails in well under a second instead of
 * waiting out a connect timeout for each try). */
static struct pg_slot *pool_get(struct store_pg *p)
{
  pthread_mutex_lock(&p->mu);
  struct pg_slot *slot = NULL;
  for (;;) {
    for (size_t i = 0; i < p->n && !slot; i++)
      if (!p->pool[i].busy)
        slot = &p->pool[i];
    if (slot)
      break;
    pthread_cond_wait(&p->freed, &p->mu);
  }
  slot->busy = true;
  bool down = monotonic_ms() < p->down_until_ms;
  pthread_mutex_unlock(&p->mu);
  if (slot->c && PQstatus(slot->c) != CONNECTION_OK) {
    PQfinish(slot->c);
    slot->c = NULL;
  }
  if (!slot->c && !down) {
    char err[256];
    slot->c = connect_db(p, err, sizeof err);
    if (!slot->c) {
      log_msg("warn", "store: cannot connect to PostgreSQL at %s: %s", p->where, err);
      pthread_mutex_lock(&p->mu);
      p->down_until_ms = monotonic_ms() + PG_DOWN_MS;
      pthread_mutex_unlock(&p->mu);
    }
  }
  return slot;
}

/* Give the slot back; a connection left broken or inside a transaction is
 * closed, to be opened again when next needed. */
static void pool_put(struct store_pg *p, struct pg_slot *slot)
{
  if (slot->c &&
      (PQstatus(slot->c) != CONNECTION_OK || PQtransactionStatus(slot->c) != PQTRANS_IDLE)) {
    PQfinish(slot->c);
    slot->c = NULL;
  }
  pthread_mutex_lock(&p->mu);
  slot->busy = false;
  pthread_cond_signal(&p->freed);
  pthread_mutex_unlock(&p->mu);
}

static void sleep_ms(long ms)
{
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

enum store_status pg_run(struct store_pg *p, const char *what,
                         enum store_status (*attempt)(struct pg_tx *tx, void *cls), void *cls)
{
  struct pg_tx tx = {.p = p, .what = what, .replayable = true};
  enum store_status st = STORE_ERROR;
  long wait = PG_RETRY_MS;
  for (int try = 1; try <= PG_TRIES; try++) {
    struct pg_slot *slot = pool_get(p);
    tx.c = slot->c;
    tx.transient = false;
    if (!tx.c) {
      st = STORE_ERROR;
      tx.transient = true;
    } else {
      st = attempt(&tx, cls);
      if (st == STORE_ERROR && PQstatus(tx.c) == CONNECTION_OK &&
          PQtransactionStatus(tx.c) != PQTRANS_IDLE)
        PQclear(PQexec(tx.c, "ROLLBACK"));
    }
    pool_put(p, slot);
    if (st != STORE_ERROR || !tx.transient || !tx.replayable || try == PG_TRIES)
      break;
    sleep_ms(wait);
    wait *= 2;
  }
  if (st == STORE_ERROR && tx.transient) {
    log_msg("error", "store: %s: PostgreSQL at %s is unavailable; gave up%s", what, p->where,
            tx.replayable ? " after retrying" : " (rolled back; not retried: the input was "
                                                "consumed)");
    return STORE_UNAVAILABLE;
  }
  return st;
}

/* --- Migrations ------------------------------------------------------------ */

/* The number of "migrations/NNNN-name.sql" or "migrations/postgres/NNNN-..."
 * (postgres true), else 0. */
static int migration_number(const char *name, bool postgres)
{
  const char *dir = postgres ? "migrations/postgres/" : "migrations/";
  size_t n = strlen(dir);
  if (strncmp(name, dir, n) != 0 || !str_ends(name, ".sql"))
    return 0;
  if (name[n] < '0' || name[n] > '9')
    return 0;
  return atoi(name + n);
}

/* The SQL of migration n for PostgreSQL: its own file, else the shared one. */
static const struct embedded_file *pg_migration(int n)
{
  const struct embedded_file *shared = NULL;
  for (unsigned long i = 0; i < embedded_count; i++) {
    if (migration_number(embedded_files[i].name, true) == n)
      return &embedded_files[i];
    if (migration_number(embedded_files[i].name, false) == n)
      shared = &embedded_files[i];
  }
  return shared;
}

static void newer_schema(const char *where, int have, int want, char *err, size_t errlen)
{
  snprintf(err, errlen,
           "the PostgreSQL database %s is at schema version %d but this firstdays knows only up "
           "to %d; use a newer firstdays (another server sharing the database may have been "
           "upgraded)",
           where, have, want);
}

/* Run one statement on c at start; false with a message in err. */
static bool start_cmd(PGconn *c, const char *sql, int n, const char *const *vals, PGresult **out,
                      char *err, size_t errlen, const char *what)
{
  PGresult *r = n < 0 ? PQexec(c, sql) : PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);
  ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
    if (out)
      *out = r;
    else
      PQclear(r);
    return true;
  }
  snprintf(err, errlen, "%s: %s", what, r ? PQresultErrorMessage(r) : PQerrorMessage(c));
  size_t len = strlen(err);
  while (len && (err[len - 1] == '\n' || err[len - 1] == ' '))
    err[--len] = 0;
  PQclear(r);
  return false;
}

/* The highest migration recorded in firstdays_schema into *v (0 for none);
 * *absent says the table does not exist. */
static bool read_schema(PGconn *c, int *v, bool *absent, char *err, size_t errlen)
{
  PGresult *r = NULL;
  *v = -1;
  if (!start_cmd(c, "SELECT to_regclass('firstdays_schema') IS NULL", 0, NULL, &r, err, errlen,
                 "cannot read the schema version"))
    return false;
  *absent = PQgetvalue(r, 0, 0)[0] == 't';
  PQclear(r);
  if (*absent) {
    *v = 0;
    return true;
  }
  if (!start_cmd(c, "SELECT coalesce(max(version), 0) FROM firstdays_schema", 0, NULL, &r, err,
                 errlen, "cannot read the schema version"))
    return false;
  *v = atoi(PQgetvalue(r, 0, 0));
  PQclear(r);
  return true;
}

/* Bring the database forward to this build's schema, under the migration
 * lock so that servers starting together take turns; each migration is one
 * transaction with its row in firstdays_schema. *created says the database
 * had no firstdays schema before. */
static bool migrate(struct store_pg *p, PGconn *c, bool *created, char *err, size_t errlen)
{
  char key[32];
  snprintf(key, sizeof key, "%lld", (long long)PG_LOCK_MIGRATE);
  const char *kv[] = {key};
  if (!start_cmd(c, "SELECT pg_advisory_lock($1::bigint)", 1, kv, NULL, err, errlen,
                 "cannot take the migration lock"))
    return false;
  bool ok = false, absent = false;
  int have, want = store_migrations_available();
  if (!start_cmd(c,
                 "CREATE TABLE IF NOT EXISTS firstdays_schema ("
                 "version integer PRIMARY KEY, name text NOT NULL, "
                 "applied_at timestamptz NOT NULL DEFAULT now())",
                 -1, NULL, NULL, err, errlen, "cannot make the schema table"))
    goto done;
  if (!read_schema(c, &have, &absent, err, errlen))
    goto done;
  *created = have == 0;
  if (have > want) {
    newer_schema(p->where, have, want, err, errlen);
    goto done;
  }
  for (int n = have + 1; n <= want; n++) {
    const struct embedded_file *m = pg_migration(n);
    if (!m) {
      snprintf(err, errlen, "migration %04d is missing from this build", n);
      goto done;
    }
    char num[16], what[160];
    snprintf(num, sizeof num, "%d", n);
    snprintf(what, sizeof what, "migration %s failed on %s", m->name, p->where);
    const char *vals[] = {num, m->name};
    if (!start_cmd(c, "BEGIN", -1, NULL, NULL, err, errlen, what) ||
        !start_cmd(c, (const char *)m->data, -1, NULL, NULL, err, errlen, what) ||
        !start_cmd(c, "INSERT INTO firstdays_schema(version, name) VALUES ($1::integer, $2)", 2,
                   vals, NULL, err, errlen, what) ||
        !start_cmd(c, "COMMIT", -1, NULL, NULL, err, errlen, what)) {
      PQclear(PQexec(c, "ROLLBACK"));
      goto done;
    }
    log_msg("info", "store: applied %s on %s", m->name, p->where);
  }
  ok = true;
done:
  PQclear(PQexec(c, "SELECT pg_advisory_unlock_all()"));
  return ok;
}

/* --- Changes from other servers --------------------------------------------- */

bool pg_changes_wait(struct store *s, int timeout_ms)
{
  struct store_pg *p = store_pg_of(s);
  if (p->listener && PQstatus(p->listener) != CONNECTION_OK) {
    PQfinish(p->listener);
    p->listener = NULL;
  }
  if (!p->listener) {
    char err[256];
    PGconn *c = connect_db(p, err, sizeof err);
    PGresult *r = c ? PQexec(c, "LISTEN " PG_CHANNEL) : NULL;
    bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
      log_msg("warn", "store: cannot listen for changes on %s%s%s", p->where, c ? "" : ": ",
              c ? "" : err);
      PQfinish(c);
      sleep_ms(timeout_ms);
      return true;
    }
    p->listener = c;
  }
  struct pollfd pfd = {.fd = PQsocket(p->listener), .events = POLLIN};
  struct timespec now, end;
  clock_gettime(CLOCK_MONOTONIC, &end);
  end.tv_sec += timeout_ms / 1000;
  end.tv_nsec += (timeout_ms % 1000) * 1000000L;
  if (end.tv_nsec >= 1000000000L) {
    end.tv_sec++;
    end.tv_nsec -= 1000000000L;
  }
  bool got = false;
  for (;;) {
    PGnotify *n;
    while ((n = PQnotifies(p->listener))) {
      got = true;
      PQfreemem(n);
    }
    if (got)
      return true;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long left = (long)(end.tv_sec - now.tv_sec) * 1000 + (end.tv_nsec - now.tv_nsec) / 1000000L;
    int r = left > 0 ? poll(&pfd, 1, (int)left) : 0;
    if (r == 0)
      return false;
    if ((r < 0 && errno != EINTR) || (r > 0 && !PQconsumeInput(p->listener))) {
      /* The connection broke: a change may have been missed. */
      PQfinish(p->listener);
      p->listener = NULL;
      return true;
    }
    if (r < 0)
      return true;
  }
}

/* --- Operations ------------------------------------------------------------- */

static void pg_close(struct store *s)
{
  struct store_pg *p = store_pg_of(s);
  if (p->listener)
    PQfinish(p->listener);
  for (size_t i = 0; i < p->n; i++)
    if (p->pool[i].c)
      PQfinish(p->pool[i].c);
  pthread_mutex_destroy(&p->mu);
  pthread_cond_destroy(&p->freed);
  free(p->url);
  free(p);
}

static enum store_status ping_attempt(struct pg_tx *tx, void *cls)
{
  (void)cls;
  return pg_cmd(tx, "SELECT 1", 0, NULL) ? STORE_OK : STORE_ERROR;
}

static bool pg_ping(struct store *s)
{
  return pg_run(store_pg_of(s), "ping", ping_attempt, NULL) == STORE_OK;
}

static enum store_status version_attempt(struct pg_tx *tx, void *cls)
{
  PGresult *r = pg_exec(tx, "SELECT coalesce(max(version), 0) FROM firstdays_schema", 0, NULL);
  if (!r)
    return STORE_ERROR;
  *(int *)cls = atoi(PQgetvalue(r, 0, 0));
  PQclear(r);
  return STORE_OK;
}

static int pg_schema_version(struct store *s)
{
  int v = -1;
  return pg_run(store_pg_of(s), "schema_version", version_attempt, &v) == STORE_OK ? v : -1;
}

struct meta_args {
  const char *key, *value;
  char *out;
};

static enum store_status meta_get_attempt(struct pg_tx *tx, void *cls)
{
  struct meta_args *a = cls;
  const char *vals[] = {a->key};
  PGresult *r = pg_exec(tx, "SELECT value FROM meta WHERE key = $1", 1, vals);
  if (!r)
    return STORE_ERROR;
  enum store_status st = STORE_NOT_FOUND;
  if (PQntuples(r) > 0) {
    a->out = xstrdup(PQgetvalue(r, 0, 0));
    st = STORE_OK;
  }
  PQclear(r);
  return st;
}

static enum store_status pg_meta_get(struct store *s, const char *key, char **out)
{
  struct meta_args a = {.key = key};
  enum store_status st = pg_run(store_pg_of(s), "meta_get", meta_get_attempt, &a);
  *out = a.out;
  return st;
}

static enum store_status meta_set_attempt(struct pg_tx *tx, void *cls)
{
  struct meta_args *a = cls;
  const char *vals[] = {a->key, a->value};
  return pg_cmd(tx,
                "INSERT INTO meta(key, value) VALUES ($1, $2) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                2, vals)
             ? STORE_OK
             : STORE_ERROR;
}

static enum store_status pg_meta_set(struct store *s, const char *key, const char *value)
{
  struct meta_args a = {.key = key, .value = value};
  return pg_run(store_pg_of(s), "meta_set", meta_set_attempt, &a);
}

static const struct store_ops pg_ops = {
    .close = pg_close,
    .ping = pg_ping,
    .schema_version = pg_schema_version,
    .meta_get = pg_meta_get,
    .meta_set = pg_meta_set,
    .services_upsert = pg_services_upsert,
    .services_each = pg_services_each,
    .services_count = pg_services_count,
    .postcodes_upsert = pg_postcodes_upsert,
    .postcodes_each = pg_postcodes_each,
    .services_upsert_stream = pg_services_upsert_stream,
    .changes_wait = pg_changes_wait,
    .tx_run = pg_tx_run,
    .tx_exec = pg_tx_exec,
};

/* --- Opening ---------------------------------------------------------------- */

/* "host:port/dbname" of url, without user or password, into where. False with
 * a message when url is not a connection URL libpq understands. */
static bool describe(const char *url, char *where, size_t len, char *err, size_t errlen)
{
  char *perr = NULL;
  PQconninfoOption *opts = PQconninfoParse(url, &perr);
  if (!opts) {
    snprintf(err, errlen, "--db %s is not a PostgreSQL URL libpq understands: %s",
             str_starts(url, "postgres") ? "postgres://..." : "value",
             perr ? perr : "out of memory");
    PQfreemem(perr);
    return false;
  }
  const char *host = "", *port = "", *db = "";
  for (PQconninfoOption *o = opts; o->keyword; o++) {
    if (!o->val)
      continue;
    if (strcmp(o->keyword, "host") == 0)
      host = o->val;
    else if (strcmp(o->keyword, "port") == 0)
      port = o->val;
    else if (strcmp(o->keyword, "dbname") == 0)
      db = o->val;
  }
  snprintf(where, len, "%s%s%s/%s", *host ? host : "localhost", *port ? ":" : "", port, db);
  PQconninfoFree(opts);
  return true;
}

/* The pool size: FIRSTDAYS_PG_POOL (1 to PG_POOL_MAX) or PG_POOL_DEFAULT. */
static size_t pool_size(void)
{
  const char *e = getenv("FIRSTDAYS_PG_POOL");
  long n = e ? strtol(e, NULL, 10) : 0;
  return n >= 1 && n <= PG_POOL_MAX ? (size_t)n : PG_POOL_DEFAULT;
}

static struct store *pg_open(const char *url, bool existing, char *err, size_t errlen)
{
  struct store_pg *p = xcalloc(1, sizeof *p);
  p->base.ops = &pg_ops;
  p->url = xstrdup(url);
  p->n = pool_size();
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->freed, NULL);
  char why[512];
  if (!describe(url, p->where, sizeof p->where, err, errlen))
    goto fail;
  PGconn *c = connect_db(p, why, sizeof why);
  if (!c) {
    snprintf(err, errlen, "cannot connect to PostgreSQL at %s: %s", p->where, why);
    goto fail;
  }
  p->pool[0].c = c;
  if (existing) {
    int have;
    bool absent;
    if (!read_schema(c, &have, &absent, why, sizeof why)) {
      snprintf(err, errlen, "PostgreSQL at %s: %s", p->where, why);
      goto fail;
    }
    if (absent || have == 0) {
      snprintf(err, errlen,
               "the PostgreSQL database %s is not a firstdays one (no firstdays_schema table); "
               "give the URL of the deployment's database (check never creates one; serve does)",
               p->where);
      goto fail;
    }
    if (have > store_migrations_available()) {
      newer_schema(p->where, have, store_migrations_available(), err, errlen);
      goto fail;
    }
  } else if (!migrate(p, c, &p->base.created, err, errlen)) {
    goto fail;
  }
  return &p->base;
fail:
  pg_close(&p->base);
  return NULL;
}

struct store *store_pg_open(const char *url, char *err, size_t errlen)
{
  return pg_open(url, false, err, errlen);
}

struct store *store_pg_open_existing(const char *url, char *err, size_t errlen)
{
  return pg_open(url, true, err, errlen);
}
