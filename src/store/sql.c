/* sql.c: what the operations written once for both backends share. */
#include "sql.h"
#include <stdio.h>

long store_tx_exec(struct store_tx *t, const char *sql, int n, const char *const *vals,
                   void (*row)(void *cls, int ncol, const char *const *col), void *cls)
{
  return t->s->ops->tx_exec(t, sql, n, vals, row, cls);
}

const char *store_int(char *buf, long long v)
{
  snprintf(buf, 24, "%lld", v);
  return buf;
}
