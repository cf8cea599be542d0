/* store.c: backend selection: a postgres:// or postgresql:// URL opens the
 * PostgreSQL backend, anything else is a SQLite file. */
#include "store.h"
#include "../lib/util.h"
#include <stdio.h>
#include <string.h>

bool store_is_postgres(const char *path)
{
  return str_starts(path, "postgres://") || str_starts(path, "postgresql://");
}

const char *store_shown(const char *path, char *out, size_t n)
{
  if (!store_is_postgres(path)) {
    snprintf(out, n, "%s", path);
    return out;
  }
  const char *rest = strstr(path, "://") + 3;
  size_t end = strcspn(rest, "?#");
  size_t auth = strcspn(rest, "/?#"); /* user:password@host:port */
  const char *at = memrchr(rest, '@', auth);
  const char *colon = at ? memchr(rest, ':', (size_t)(at - rest)) : NULL;
  if (colon) /* scheme://user:password@host... -> scheme://user@host... */
    snprintf(out, n, "%.*s%.*s%.*s", (int)(rest - path), path, (int)(colon - rest), rest,
             (int)(end - (size_t)(at - rest)), at);
  else
    snprintf(out, n, "%.*s", (int)(rest - path) + (int)end, path);
  return out;
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
