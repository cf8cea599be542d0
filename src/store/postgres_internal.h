/* postgres_internal.h: the PostgreSQL backend's private state, shared by the
 * files of src/store/ that implement its operations (postgres.c: connections,
 * the pool, retries, migrations, settings; postgres_directory.c: the
 * directory). Several firstdays servers may share one database: every write
 * is one transaction, and what must not interleave across servers takes an
 * advisory lock. */
#ifndef FD_POSTGRES_INTERNAL_H
#define FD_POSTGRES_INTERNAL_H
#include "store.h"
#include <libpq-fe.h>
#include <pthread.h>

enum {
  PG_POOL_MAX = 32,     /* connections one server may hold at most */
  PG_POOL_DEFAULT = 4,  /* connections per server unless FIRSTDAYS_PG_POOL says otherwise */
  PG_TRIES = 4,         /* attempts of an operation that fails transiently */
  PG_RETRY_MS = 50,     /* wait before the second attempt; doubled before each next one */
  PG_CONNECT_TIMEOUT_S = 2,
  PG_DOWN_MS = 1000,    /* after a failed connect, how long others fail at once instead of
                         * each waiting out a connect timeout */
};

/* Advisory lock keys (pg_advisory_lock): the migrations, held while a server
 * migrates at start; the directory, held by a directory write's transaction
 * so that two imports on two servers do not interleave their checks. */
#define PG_LOCK_MIGRATE 0x6664736368656d61LL /* "fdschema" */
#define PG_LOCK_DIRECTORY 0x6664646972656374LL /* "fddirect" */

struct pg_slot {
  PGconn *c; /* NULL until first used, and after it was found broken */
  bool busy;
};

struct store_pg {
  struct store base;
  char *url;        /* as given; may hold a password, so it is never logged */
  char where[192];  /* "host:port/dbname", for messages and log lines */
  pthread_mutex_t mu;
  pthread_cond_t freed;
  size_t n;         /* slots in use of pool */
  struct pg_slot pool[PG_POOL_MAX];
  PGconn *listener; /* LISTEN PG_CHANNEL, for changes_wait's one thread; NULL until used */
  long long down_until_ms; /* CLOCK_MONOTONIC; guarded by mu */
};

/* The channel a committed stamp is announced on (NOTIFY), with the stamp's key
 * as payload. */
#define PG_CHANNEL "firstdays_changes"

static inline struct store_pg *store_pg_of(struct store *s)
{
  return (struct store_pg *)s;
}

/* One attempt of an operation, on one pooled connection. */
struct pg_tx {
  struct store_pg *p;
  PGconn *c;
  const char *what;  /* the operation's name, for the log: never data */
  bool transient;    /* set by pg_exec when the failure is worth another attempt */
  bool replayable;   /* true on entry; an attempt that has consumed something it
                      * cannot give again (a caller's stream) clears it */
};

/* Run sql with n text parameters vals (NULL is SQL NULL), bound, never pasted
 * into the SQL. Returns the result (the caller PQclear()s it) when the
 * statement succeeded, else NULL: logged with the operation's name and the
 * SQLSTATE (never the values, which may be personal), and tx->transient set
 * when the failure is a lost connection, a serialization failure (40001), a
 * deadlock (40P01) or the server shutting down or starting. */
PGresult *pg_exec(struct pg_tx *tx, const char *sql, int n, const char *const *vals);
/* pg_exec for a statement whose result is not needed. */
bool pg_cmd(struct pg_tx *tx, const char *sql, int n, const char *const *vals);

/* The one place where failures are retried: run attempt(tx, cls) on a pooled
 * connection. attempt does its whole work (one transaction from BEGIN to
 * COMMIT, or reads) and returns STORE_OK, STORE_NOT_FOUND or STORE_ERROR; it
 * may be called again from the start after a transient failure, at most
 * PG_TRIES times in all, unless it cleared tx->replayable. After a failure
 * whatever transaction is open is rolled back, and a broken connection is
 * dropped from the pool (the next use connects again). Returns attempt's
 * status, or STORE_UNAVAILABLE (logged) when the failure was transient and no
 * try is left. Safe from any thread; blocks while every connection is busy. */
enum store_status pg_run(struct store_pg *p, const char *what,
                         enum store_status (*attempt)(struct pg_tx *tx, void *cls), void *cls);

/* The time now as the store writes it: UTC with milliseconds,
 * "2026-11-20T09:00:00.123Z", as SQL. */
#define PG_NOW_SQL "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

/* changes_wait (postgres.c); contract in store.h. */
bool pg_changes_wait(struct store *s, int timeout_ms);

/* Directory operations (postgres_directory.c); contracts in store.h. */
enum store_status pg_services_upsert(struct store *s, json_t *services);
enum store_status pg_services_upsert_stream(struct store *s,
                                            const struct store_service_batch *batch);
enum store_status pg_services_each(struct store *s, bool (*fn)(void *cls, json_t *service),
                                   void *cls);
enum store_status pg_services_count(struct store *s, size_t *n);
enum store_status pg_postcodes_upsert(struct store *s, const struct store_postcode *pcs, size_t n,
                                      const char *stamp_key);
enum store_status pg_postcodes_each(struct store *s,
                                    bool (*fn)(void *cls, const struct store_postcode *pc),
                                    void *cls);

/* Transactions and statements (postgres_sql.c); contracts in sql.h. */
enum store_status pg_tx_run(struct store *s, const char *what,
                            enum store_status (*fn)(struct store_tx *t, void *cls), void *cls);
long pg_tx_exec(struct store_tx *t, const char *sql, int n, const char *const *vals,
                void (*row)(void *cls, int ncol, const char *const *col), void *cls);

#endif
