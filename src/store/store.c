/* store.c: backend selection: a postgres:// or postgresql:// URL opens the
 * PostgreSQL backend, anything else is a SQLite file. */
#include "store.h"
#include "../lib/util.h"
#include <stdio.h>

static bool is_postgres(const char *path)
{
  return str_starts(path, "postgres://") || str_starts(path, "postgresql://");
}

struct store *store_open(const char *path, char *err, size_t errlen)
{
  if (is_postgres(path))
    return store_pg_open(path, err, errlen);
  return store_sqlite_open(path, err, errlen);
}
