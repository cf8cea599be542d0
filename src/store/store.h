/* store.h: the one persistence interface. Only src/store/ knows SQL. The
 * interface is a table of operations so a PostgreSQL backend can sit beside the
 * SQLite one; store_open() chooses by the path ("postgres://..." is reserved for
 * that backend). Every function is safe to call from any thread. */
#ifndef FD_STORE_H
#define FD_STORE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum store_status {
  STORE_OK = 0,
  STORE_NOT_FOUND = 1,
  STORE_ERROR = -1, /* our mistake or the disk's: logged, becomes a 5xx */
  /* The database cannot be reached now (PostgreSQL down or restarting; the
   * retries are spent): logged, nothing half done, becomes a 503. */
  STORE_UNAVAILABLE = -2,
  /* The change breaks a rule the store keeps (a unique email, the last
   * admin): nothing was changed; the caller says which rule to the person. */
  STORE_CONFLICT = 2,
};

struct store;
struct store_tx; /* one transaction in progress (src/store/sql.h) */

/* One postcode centroid. pc is normalised: upper case, one space before the
 * inward code ("SW1A 1AA"). */
struct store_postcode {
  char pc[9];
  double lat, lon;
};

/* A batch of services written in one transaction by services_upsert_stream.
 * Only next is required; the callbacks get cls and must not call the store. */
struct store_service_batch {
  /* Called repeatedly: returns 1 with the next service in *service (already
   * validated; owned by the caller, borrowed until the next call), 0 at the end,
   * or -1 to abandon the whole batch (roll back). It may also set *json to the
   * service already serialised with STORE_JSON_FLAGS (borrowed likewise) to
   * spare the store that work; *json is NULL on entry. */
  int (*next)(void *cls, json_t **service, const char **json);
  /* To check the ids of the services as they will be once committed: after
   * next's last service, every stored service, in id order, is first offered
   * to known(id), which says whether the caller has it already (next gave it);
   * each of the others is handed to check(service) as an object holding only
   * its "id" and its "service_at_locations", each with only its "id" (what the
   * directory index's rule reads, src/directory/claims.h; borrowed for the
   * call). check returns false to stop the walk and roll back. Both or
   * neither are set. */
  bool (*known)(void *cls, const char *id);
  bool (*check)(void *cls, json_t *service);
  /* Called last: true to commit, false to roll back. NULL commits. */
  bool (*commit)(void *cls);
  /* A meta key set to the time of the commit (UTC with milliseconds,
   * "2026-11-20T09:00:00.123Z") in the same transaction, so that a reader
   * watching it sees the services and the new stamp together, or neither.
   * NULL sets none. */
  const char *stamp_key;
  void *cls;
};

struct store_ops {
  void (*close)(struct store *s);
  /* Cheap check that the database answers (for /healthz). */
  bool (*ping)(struct store *s);
  /* Highest migration applied. */
  int (*schema_version)(struct store *s);
  /* Small key/value settings table. get returns a malloc'd string in *out. */
  enum store_status (*meta_get)(struct store *s, const char *key, char **out);
  enum store_status (*meta_set)(struct store *s, const char *key, const char *value);

  /* --- Directory (Open Referral UK 3.0) --- */
  /* Insert or replace, by id, every service in the JSON array (fully nested ORUK
   * service objects, already validated), in one transaction: all or nothing. */
  enum store_status (*services_upsert)(struct store *s, json_t *services);
  /* Call fn once per stored service with the fully nested ORUK JSON object
   * (borrowed for the call), in id order. If fn returns false the walk stops
   * and STORE_ERROR is returned. */
  enum store_status (*services_each)(struct store *s, bool (*fn)(void *cls, json_t *service),
                                     void *cls);
  /* Number of stored services. */
  enum store_status (*services_count)(struct store *s, size_t *n);
  /* Insert or replace a batch of postcode centroids in one transaction. When
   * stamp_key is not NULL, that meta key is set to the time of the commit in
   * the same transaction (n may then be 0, to set the stamp alone). */
  enum store_status (*postcodes_upsert)(struct store *s, const struct store_postcode *pcs,
                                        size_t n, const char *stamp_key);
  /* Call fn once per stored postcode, in postcode order. */
  enum store_status (*postcodes_each)(struct store *s,
                                      bool (*fn)(void *cls, const struct store_postcode *pc),
                                      void *cls);
  /* Like services_upsert, for more services than fit in memory at once, with
   * checks and a stamp in the same transaction; see struct store_service_batch.
   * Returns STORE_OK when the batch was committed, STORE_ERROR when it was
   * rolled back (abandoned by the caller, or a database error, logged). */
  enum store_status (*services_upsert_stream)(struct store *s,
                                              const struct store_service_batch *batch);
  /* Wait up to timeout_ms for another writer (this server or another one
   * sharing the database) to commit a new stamp (a stamp_key above): true
   * when one came, or when the store cannot tell (then it has waited out the
   * time, and the caller checks the stamp itself); false when the time ran
   * out quietly. For one watcher thread; a stamp is told about only once the
   * transaction that sets it commits. NULL where the backend has no such
   * signal (SQLite: one file, read by polling the stamp). */
  bool (*changes_wait)(struct store *s, int timeout_ms);

  /* --- Transactions for the operations written once for both backends
   * (src/store/sql.h; only src/store/ calls these) --- */
  enum store_status (*tx_run)(struct store *s, const char *what,
                              enum store_status (*fn)(struct store_tx *t, void *cls), void *cls);
  long (*tx_exec)(struct store_tx *t, const char *sql, int n, const char *const *vals,
                  void (*row)(void *cls, int ncol, const char *const *col), void *cls);
};

/* How the store writes a service's JSON: compact, keys in the order given,
 * reals with 15 significant digits (so a number read back prints the same).
 * A service from services_each dumped with these flags is the same JSON as
 * stored, and dumping that again gives the same bytes (export round-trips). */
#define STORE_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

struct store {
  const struct store_ops *ops;
  bool created; /* true when this open created a new, empty database */
};

/* Open (creating if needed) and migrate forward. On failure returns NULL and
 * writes a message a person can act on into err, naming the path and the
 * cause: permission denied, locked by another process, not a SQLite database. */
struct store *store_open(const char *path, char *err, size_t errlen);
/* Open a database that must exist already, to look at it (`firstdays check`):
 * never creates, seeds or migrates it, and writes nothing. Refused, with a
 * message naming the path and the cause: no such file, an empty (0-byte) file
 * or a folder, not a SQLite database or not a firstdays one, a schema newer
 * than this build, locked by another process, permission denied (to read, or
 * to write as serve must). A database behind this build's schema opens;
 * schema_version says how far. */
struct store *store_open_existing(const char *path, char *err, size_t errlen);
/* Open the SQLite backend directly. */
struct store *store_sqlite_open(const char *path, char *err, size_t errlen);
struct store *store_sqlite_open_existing(const char *path, char *err, size_t errlen);
/* Open the PostgreSQL backend directly, from a libpq URL
 * (postgres://user@host:port/dbname; a password from ~/.pgpass or the URL's
 * passfile=). store_pg_open migrates forward under an advisory lock, so
 * several servers may start at once; both refuse a schema newer than this
 * build. src/store/postgres.c. */
struct store *store_pg_open(const char *url, char *err, size_t errlen);
struct store *store_pg_open_existing(const char *url, char *err, size_t errlen);
/* Whether a --db value names a PostgreSQL database (postgres:// or
 * postgresql://) rather than a SQLite file. */
bool store_is_postgres(const char *path);
/* path as it may be shown or logged: a PostgreSQL URL without its password
 * and its query (which may name a password file); a file path as it is.
 * Writes into out (n bytes) and returns out. */
const char *store_shown(const char *path, char *out, size_t n);

static inline void store_close(struct store *s)
{
  if (s)
    s->ops->close(s);
}

/* Number of migrations built into this binary. */
int store_migrations_available(void);

#endif
