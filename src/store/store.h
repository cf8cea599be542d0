/* store.h: the one persistence interface. Only src/store/ knows SQL. The
 * interface is a table of operations so a PostgreSQL backend can sit beside the
 * SQLite one; store_open() chooses by the path ("postgres://..." is reserved for
 * that backend). Every function is safe to call from any thread. */
#ifndef FD_STORE_H
#define FD_STORE_H
#include <stdbool.h>
#include <stddef.h>

enum store_status {
  STORE_OK = 0,
  STORE_NOT_FOUND = 1,
  STORE_ERROR = -1, /* our mistake or the disk's: logged, becomes a 5xx */
};

struct store;

struct store_ops {
  void (*close)(struct store *s);
  /* Cheap check that the database answers (for /healthz). */
  bool (*ping)(struct store *s);
  /* Highest migration applied. */
  int (*schema_version)(struct store *s);
  /* Small key/value settings table. get returns a malloc'd string in *out. */
  enum store_status (*meta_get)(struct store *s, const char *key, char **out);
  enum store_status (*meta_set)(struct store *s, const char *key, const char *value);
};

struct store {
  const struct store_ops *ops;
  bool created; /* true when this open created a new, empty database */
};

/* Open (creating if needed) and migrate forward. On failure returns NULL and
 * writes a message a person can act on into err. */
struct store *store_open(const char *path, char *err, size_t errlen);
/* Open the SQLite backend directly. */
struct store *store_sqlite_open(const char *path, char *err, size_t errlen);

static inline void store_close(struct store *s)
{
  if (s)
    s->ops->close(s);
}

/* Number of migrations built into this binary. */
int store_migrations_available(void);

#endif
