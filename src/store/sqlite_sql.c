/* sqlite_sql.c: transactions and statements for the operations written once
 * for both backends (sql.h), on the SQLite handle. */
#include "sqlite_internal.h"
#include "sql.h"
#include "../lib/log.h"
#include <stdio.h>

static bool run_sql(struct store_sqlite *q, const char *sql, const char *what)
{
  char *emsg = NULL;
  if (sqlite3_exec(q->db, sql, NULL, NULL, &emsg) == SQLITE_OK)
    return true;
  log_msg("error", "store: %s: %s: %s", what, sql, emsg ? emsg : "unknown error");
  sqlite3_free(emsg);
  return false;
}

enum store_status sqlite_tx_run(struct store *s, const char *what,
                                enum store_status (*fn)(struct store_tx *t, void *cls), void *cls)
{
  struct store_sqlite *q = store_sqlite_of(s);
  struct store_tx t = {.s = s, .impl = q, .what = what};
  pthread_mutex_lock(&q->mu);
  enum store_status st = STORE_ERROR;
  if (run_sql(q, "BEGIN IMMEDIATE", what)) {
    st = fn(&t, cls);
    if (st == STORE_OK || st == STORE_NOT_FOUND || st == STORE_CONFLICT) {
      if (!run_sql(q, "COMMIT", what)) {
        run_sql(q, "ROLLBACK", what);
        st = STORE_ERROR;
      }
    } else {
      run_sql(q, "ROLLBACK", what);
    }
  }
  pthread_mutex_unlock(&q->mu);
  return st;
}

long sqlite_tx_exec(struct store_tx *t, const char *sql, int n, const char *const *vals,
                    void (*row)(void *cls, int ncol, const char *const *col), void *cls)
{
  sqlite3 *db = ((struct store_sqlite *)t->impl)->db;
  sqlite3_stmt *st = NULL;
  long rows = 0;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
    goto fail;
  for (int i = 1; i <= n; i++) {
    char name[16];
    snprintf(name, sizeof name, "$%d", i);
    int idx = sqlite3_bind_parameter_index(st, name);
    if (idx > 0 && (vals[i - 1] ? sqlite3_bind_text(st, idx, vals[i - 1], -1, SQLITE_STATIC)
                                : sqlite3_bind_null(st, idx)) != SQLITE_OK)
      goto fail;
  }
  int ncol = sqlite3_column_count(st);
  const char *col[32];
  if (ncol > 32)
    goto fail;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    rows++;
    if (!row)
      continue;
    for (int i = 0; i < ncol; i++)
      col[i] = (const char *)sqlite3_column_text(st, i);
    row(cls, ncol, col);
  }
  if (rc != SQLITE_DONE)
    goto fail;
  if (ncol == 0)
    rows = sqlite3_changes(db);
  sqlite3_finalize(st);
  return rows;
fail:
  /* The statement and the cause; never the values, which may be personal. */
  log_msg("error", "store: %s: %s", t->what, sqlite3_errmsg(db));
  sqlite3_finalize(st);
  return -1;
}
