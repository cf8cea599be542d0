/* store.c: backend selection. */
#include "store.h"
#include "../lib/util.h"
#include <stdio.h>

struct store *store_open(const char *path, char *err, size_t errlen)
{
  if (str_starts(path, "postgres://") || str_starts(path, "postgresql://")) {
    snprintf(err, errlen, "the PostgreSQL backend is not part of this build; "
                          "use a SQLite file path for --db");
    return NULL;
  }
  return store_sqlite_open(path, err, errlen);
}
