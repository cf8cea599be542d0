/* sqlite.c: the SQLite backend: open in WAL mode, run numbered migrations
 * (embedded from src/store/migrations/NNNN-name.sql), settings table. */
#include "sqlite_internal.h"
#include "../content/embedded.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Migration number from "migrations/0007-name.sql", or 0. */
static int migration_number(const char *name)
{
  if (!str_starts(name, "migrations/") || !str_ends(name, ".sql"))
    return 0;
  return atoi(name + 11);
}

int store_migrations_available(void)
{
  int max = 0;
  for (unsigned long i = 0; i < embedded_count; i++) {
    int n = migration_number(embedded_files[i].name);
    if (n > max)
      max = n;
  }
  return max;
}

static const struct embedded_file *find_migration(int n)
{
  for (unsigned long i = 0; i < embedded_count; i++)
    if (migration_number(embedded_files[i].name) == n)
      return &embedded_files[i];
  return NULL;
}

/* The schema version into *v; an SQLite result code. */
static int read_user_version(sqlite3 *db, int *v)
{
  sqlite3_stmt *st;
  *v = -1;
  int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
  if (rc != SQLITE_OK)
    return rc;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    *v = sqlite3_column_int(st, 0);
    rc = SQLITE_OK;
  }
  sqlite3_finalize(st);
  return rc;
}

static int user_version(sqlite3 *db)
{
  int v;
  read_user_version(db, &v);
  return v;
}

/* Whether an SQLite result code comes from the file or its surroundings
 * (permissions, locks, what the file holds) rather than from the SQL. */
static bool file_trouble(int rc)
{
  switch (rc & 0xff) {
  case SQLITE_NOTADB:
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
  case SQLITE_READONLY:
  case SQLITE_PERM:
  case SQLITE_AUTH:
  case SQLITE_CANTOPEN:
  case SQLITE_IOERR:
  case SQLITE_FULL:
    return true;
  default:
    return false;
  }
}

/* Why SQLite could not use the database at path, from the result code rc of
 * the call that failed and the system's errno behind it, in words that point
 * at the cause. db may be NULL. */
static void file_failure(sqlite3 *db, int rc, const char *path, char *err, size_t errlen)
{
  int sys = db ? sqlite3_system_errno(db) : 0;
  const char *detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
  case SQLITE_NOTADB:
    snprintf(err, errlen,
             "%s is not a SQLite database (%s); give the path of the firstdays database file", path,
             detail);
    return;
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    snprintf(err, errlen,
             "the database %s is locked by another process (%s); wait until it has finished (an "
             "import, a backup, a sqlite3 shell) and try again",
             path, detail);
    return;
  case SQLITE_READONLY:
  case SQLITE_PERM:
  case SQLITE_AUTH:
    snprintf(err, errlen,
             "permission denied: this user cannot write the database %s (%s); the user firstdays "
             "runs as must be able to write the file and its folder",
             path, detail);
    return;
  case SQLITE_FULL:
    snprintf(err, errlen, "the disk holding the database %s is full (%s)", path, detail);
    return;
  default:
    break;
  }
  if (sys == EACCES || sys == EPERM)
    snprintf(err, errlen,
             "permission denied on %s or its folder (%s); the user firstdays runs as must be able "
             "to read and write both (SQLite keeps %s-wal and %s-shm beside the file)",
             path, strerror(sys), path, path);
  else if (sys)
    snprintf(err, errlen, "cannot open the database %s: %s (%s)", path, strerror(sys), detail);
  else
    snprintf(err, errlen, "cannot open the database %s: %s", path, detail);
}

static void newer_schema(int have, int want, char *err, size_t errlen)
{
  snprintf(err, errlen,
           "the database is at schema version %d but this firstdays knows only up to %d; "
           "use a newer firstdays",
           have, want);
}

static bool migrate(sqlite3 *db, const char *path, char *err, size_t errlen)
{
  int have, want = store_migrations_available();
  int rc = read_user_version(db, &have);
  if (rc != SQLITE_OK) {
    if (file_trouble(rc))
      file_failure(db, rc, path, err, errlen);
    else
      snprintf(err, errlen, "cannot read the schema version of %s: %s", path, sqlite3_errmsg(db));
    return false;
  }
  if (have > want) {
    newer_schema(have, want, err, errlen);
    return false;
  }
  for (int n = have + 1; n <= want; n++) {
    const struct embedded_file *m = find_migration(n);
    if (!m) {
      snprintf(err, errlen, "migration %04d is missing from this build", n);
      return false;
    }
    char *emsg = NULL;
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d;", n);
    if ((rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &emsg)) != SQLITE_OK ||
        (rc = sqlite3_exec(db, (const char *)m->data, NULL, NULL, &emsg)) != SQLITE_OK ||
        (rc = sqlite3_exec(db, pragma, NULL, NULL, &emsg)) != SQLITE_OK ||
        (rc = sqlite3_exec(db, "COMMIT", NULL, NULL, &emsg)) != SQLITE_OK) {
      if (file_trouble(rc))
        file_failure(db, rc, path, err, errlen);
      else
        snprintf(err, errlen, "migration %s failed: %s", m->name, emsg ? emsg : "unknown error");
      sqlite3_free(emsg);
      sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
      return false;
    }
    log_msg("info", "store: applied %s", m->name);
  }
  return true;
}

static void sq_close(struct store *s)
{
  struct store_sqlite *q = store_sqlite_of(s);
  sqlite3_close(q->db);
  pthread_mutex_destroy(&q->mu);
  free(q);
}

static bool sq_ping(struct store *s)
{
  struct store_sqlite *q = store_sqlite_of(s);
  pthread_mutex_lock(&q->mu);
  sqlite3_stmt *st;
  bool ok = sqlite3_prepare_v2(q->db, "SELECT 1", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW;
  sqlite3_finalize(st);
  pthread_mutex_unlock(&q->mu);
  return ok;
}

static int sq_schema_version(struct store *s)
{
  struct store_sqlite *q = store_sqlite_of(s);
  pthread_mutex_lock(&q->mu);
  int v = user_version(q->db);
  pthread_mutex_unlock(&q->mu);
  return v;
}

static enum store_status sq_meta_get(struct store *s, const char *key, char **out)
{
  struct store_sqlite *q = store_sqlite_of(s);
  enum store_status rc = STORE_ERROR;
  sqlite3_stmt *st = NULL;
  *out = NULL;
  pthread_mutex_lock(&q->mu);
  if (sqlite3_prepare_v2(q->db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL) !=
      SQLITE_OK)
    goto fail;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  int r = sqlite3_step(st);
  if (r == SQLITE_ROW) {
    *out = xstrdup((const char *)sqlite3_column_text(st, 0));
    rc = STORE_OK;
  } else if (r == SQLITE_DONE) {
    rc = STORE_NOT_FOUND;
  }
fail:
  if (rc == STORE_ERROR)
    log_msg("error", "store: meta_get %s: %s", key, sqlite3_errmsg(q->db));
  sqlite3_finalize(st);
  pthread_mutex_unlock(&q->mu);
  return rc;
}

static enum store_status sq_meta_set(struct store *s, const char *key, const char *value)
{
  struct store_sqlite *q = store_sqlite_of(s);
  enum store_status rc = STORE_ERROR;
  sqlite3_stmt *st = NULL;
  pthread_mutex_lock(&q->mu);
  if (sqlite3_prepare_v2(q->db,
                         "INSERT INTO meta(key, value) VALUES (?1, ?2) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                         -1, &st, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step(st) == SQLITE_DONE)
    rc = STORE_OK;
fail:
  if (rc == STORE_ERROR)
    log_msg("error", "store: meta_set %s: %s", key, sqlite3_errmsg(q->db));
  sqlite3_finalize(st);
  pthread_mutex_unlock(&q->mu);
  return rc;
}

static const struct store_ops sqlite_ops = {
    .close = sq_close,
    .ping = sq_ping,
    .schema_version = sq_schema_version,
    .meta_get = sq_meta_get,
    .meta_set = sq_meta_set,
    .services_upsert = sqlite_services_upsert,
    .services_each = sqlite_services_each,
    .services_count = sqlite_services_count,
    .postcodes_upsert = sqlite_postcodes_upsert,
    .postcodes_each = sqlite_postcodes_each,
    .services_upsert_stream = sqlite_services_upsert_stream,
    .tx_run = sqlite_tx_run,
    .tx_exec = sqlite_tx_exec,
};

static struct store *wrap(sqlite3 *db, bool created)
{
  struct store_sqlite *q = xcalloc(1, sizeof *q);
  q->base.ops = &sqlite_ops;
  q->base.created = created;
  q->db = db;
  pthread_mutex_init(&q->mu, NULL);
  return &q->base;
}

struct store *store_sqlite_open(const char *path, char *err, size_t errlen)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2(path, &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK) {
    file_failure(db, rc, path, err, errlen);
    sqlite3_close(db);
    return NULL;
  }
  sqlite3_busy_timeout(db, 5000);
  char *emsg = NULL;
  rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;",
                    NULL, NULL, &emsg);
  if (rc != SQLITE_OK) {
    if (file_trouble(rc))
      file_failure(db, rc, path, err, errlen);
    else
      snprintf(err, errlen, "cannot set up the database %s: %s", path, emsg ? emsg : "unknown error");
    sqlite3_free(emsg);
    sqlite3_close(db);
    return NULL;
  }
  bool created = user_version(db) == 0;
  if (!migrate(db, path, err, errlen)) {
    sqlite3_close(db);
    return NULL;
  }
  return wrap(db, created);
}

struct store *store_sqlite_open_existing(const char *path, char *err, size_t errlen)
{
  struct stat sb;
  if (stat(path, &sb) != 0) {
    if (errno == ENOENT)
      snprintf(err, errlen,
               "there is no database at %s (no such file); give the path of the deployment's "
               "database with --db (check never creates one; serve does)",
               path);
    else if (errno == EACCES)
      snprintf(err, errlen, "permission denied on %s (%s): a folder on the way cannot be read",
               path, strerror(errno));
    else
      snprintf(err, errlen, "cannot open the database %s: %s", path, strerror(errno));
    return NULL;
  }
  if (S_ISDIR(sb.st_mode)) {
    snprintf(err, errlen, "%s is a folder; give the path of the database file", path);
    return NULL;
  }
  if (sb.st_size == 0) {
    snprintf(err, errlen,
             "%s is empty (0 bytes), not a firstdays database; give the path of the deployment's "
             "database (serve makes a new one only where there is no file)",
             path);
    return NULL;
  }
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL);
  int have = -1, want = store_migrations_available();
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(db, 2000);
    rc = read_user_version(db, &have);
  }
  if (rc != SQLITE_OK) {
    file_failure(db, rc, path, err, errlen);
  } else if (sqlite3_db_readonly(db, "main") == 1) {
    snprintf(err, errlen,
             "permission denied: this user can read the database %s but not write it, as serve "
             "must; let the user firstdays runs as write the file and its folder",
             path);
  } else if (have == 0) {
    snprintf(err, errlen,
             "%s is a SQLite database but not a firstdays one (schema version 0); give the path "
             "of the firstdays database",
             path);
  } else if (have > want) {
    newer_schema(have, want, err, errlen);
  } else {
    return wrap(db, false);
  }
  sqlite3_close(db);
  return NULL;
}
