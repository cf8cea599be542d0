/* store.c: backend selection: a postgres:// or postgresql:// URL opens the
 * PostgreSQL backend, anything else is a SQLite file. */
#include "store.h"
#include "../lib/util.h"
#include <stdio.h>

bool store_is_postgres(const char *path)
{
  return str_starts(path, "postgres://") || str_starts(path, "postgresql://");
}

struct store *store_open(const char *path, char *err, size_t errlen)
{
  return store_is_postgres(path) ? store_pg_open(path, err, errlen)
                                 : store_sqlite_open(path, err, errlen);
}

struct store *store_open_existing(const char *path, char *err, size_t errlen)
{
  return store_is_postgres(path) ? store_pg_open_existing(path, err, errlen)
                                 : store_sqlite_open_existing(path, err, errlen);
}
