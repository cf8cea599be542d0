/* sqlite_internal.h: the SQLite backend's private state, shared by the files
 * of src/store/ that implement its operations (one file per area). */
#ifndef FD_SQLITE_INTERNAL_H
#define FD_SQLITE_INTERNAL_H
#include "store.h"
#include <pthread.h>
#include <sqlite3.h>

struct store_sqlite {
  struct store base;
  sqlite3 *db;
  pthread_mutex_t mu; /* one writer/reader at a time on this handle */
};

static inline struct store_sqlite *store_sqlite_of(struct store *s)
{
  return (struct store_sqlite *)s;
}

#endif
