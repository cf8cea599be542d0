/* postgres_sql.c: transactions and statements for the operations written
 * once for both backends (sql.h), on a pooled connection through pg_run, the
 * one place where transient failures are retried. */
#include "postgres_internal.h"
#include "sql.h"
#include <stdlib.h>

struct tx_call {
  struct store *s;
  enum store_status (*fn)(struct store_tx *t, void *cls);
  void *cls;
};

static enum store_status tx_attempt(struct pg_tx *tx, void *cls)
{
  struct tx_call *c = cls;
  struct store_tx t = {.s = c->s, .impl = tx, .what = tx->what};
  if (!pg_cmd(tx, "BEGIN", 0, NULL))
    return STORE_ERROR;
  enum store_status st = c->fn(&t, c->cls);
  if (st == STORE_OK || st == STORE_NOT_FOUND || st == STORE_CONFLICT)
    return pg_cmd(tx, "COMMIT", 0, NULL) ? st : STORE_ERROR;
  return STORE_ERROR; /* pg_run rolls back what is open */
}

enum store_status pg_tx_run(struct store *s, const char *what,
                            enum store_status (*fn)(struct store_tx *t, void *cls), void *cls)
{
  struct tx_call c = {.s = s, .fn = fn, .cls = cls};
  return pg_run(store_pg_of(s), what, tx_attempt, &c);
}

long pg_tx_exec(struct store_tx *t, const char *sql, int n, const char *const *vals,
                void (*row)(void *cls, int ncol, const char *const *col), void *cls)
{
  PGresult *r = pg_exec(t->impl, sql, n, vals);
  if (!r)
    return -1;
  long rows;
  if (PQresultStatus(r) == PGRES_TUPLES_OK) {
    rows = PQntuples(r);
    int ncol = PQnfields(r);
    const char *col[32];
    if (ncol > 32) {
      PQclear(r);
      return -1;
    }
    for (long i = 0; row && i < rows; i++) {
      for (int j = 0; j < ncol; j++)
        col[j] = PQgetisnull(r, (int)i, j) ? NULL : PQgetvalue(r, (int)i, j);
      row(cls, ncol, col);
    }
  } else {
    rows = atol(PQcmdTuples(r));
  }
  PQclear(r);
  return rows;
}
