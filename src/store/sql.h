/* sql.h: statements and transactions for the store operations written once
 * for both backends (accounts.c, audit.c, outbox.c). Only src/store/ includes
 * it. The SQL they use is the common dialect of SQLite 3.40 and PostgreSQL
 * 15: parameters are written $1, $2, ... (bound by name in SQLite, by number
 * in PostgreSQL); times are whole seconds since 1970 in BIGINT columns, set
 * by the caller; flags are 0 or 1; INSERT ... ON CONFLICT and RETURNING. */
#ifndef FD_STORE_SQL_H
#define FD_STORE_SQL_H
#include "store.h"

/* A transaction in progress, as the backend's tx_run hands it to fn. */
struct store_tx {
  struct store *s;
  void *impl;       /* the backend's: its handle or its attempt */
  const char *what; /* the operation's name, for log lines */
};

/* Run fn(t, cls) as one transaction: committed when fn returns STORE_OK,
 * STORE_NOT_FOUND or STORE_CONFLICT, rolled back otherwise. On PostgreSQL a
 * transient failure (connection lost, serialization failure, deadlock) runs
 * fn again from the start, a bounded number of times (so fn must set its
 * outputs afresh each time), then gives STORE_UNAVAILABLE. what names the
 * operation in log lines; it is never data. */
static inline enum store_status store_tx_run(struct store *s, const char *what,
                                             enum store_status (*fn)(struct store_tx *t,
                                                                     void *cls),
                                             void *cls)
{
  return s->ops->tx_run(s, what, fn, cls);
}

/* Run one statement inside t with n text parameters (NULL is SQL NULL),
 * calling row(cls, ncol, col) for each row it returns (col[i] NULL for SQL
 * NULL; borrowed for the call). Returns the number of rows returned, or for a
 * statement that returns none the number of rows it changed; -1 on failure
 * (logged with the transaction's name, never the values): the caller returns
 * STORE_ERROR so that the transaction rolls back. */
long store_tx_exec(struct store_tx *t, const char *sql, int n, const char *const *vals,
                   void (*row)(void *cls, int ncol, const char *const *col), void *cls);

/* Whole numbers as parameters: formats v into buf (at least 24 bytes). */
const char *store_int(char *buf, long long v);

#endif
