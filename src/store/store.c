/* store.c: backend selection. */
#include "store.h"
#include "../lib/util.h"
#include <stdio.h>

/* Whether this build has a backend for path; false with a message if not. */
static bool backend_for(const char *path, char *err, size_t errlen)
{
  if (str_starts(path, "postgres://") || str_starts(path, "postgresql://")) {
    snprintf(err, errlen, "the PostgreSQL backend is not part of this build; "
                          "use a SQLite file path for --db");
    return false;
  }
  return true;
}

static bool is_postgres(const char *path)
{
  return str_starts(path, "postgres://") || str_starts(path, "postgresql://");
}

struct store *store_open(const char *path, char *err, size_t errlen)
{
  if (is_postgres(path))
    return store_pg_open(path, err, errlen);
  return backend_for(path, err, errlen) ? store_sqlite_open(path, err, errlen) : NULL;
}

struct store *store_open_existing(const char *path, char *err, size_t errlen)
{
  if (is_postgres(path))
    return store_pg_open_existing(path, err, errlen);
  return backend_for(path, err, errlen) ? store_sqlite_open_existing(path, err, errlen) : NULL;
}
