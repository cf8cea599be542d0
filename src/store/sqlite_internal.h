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

/* Directory operations (sqlite_directory.c); contracts in store.h. */
enum store_status sqlite_services_upsert(struct store *s, json_t *services);
enum store_status sqlite_services_upsert_stream(struct store *s,
                                                const struct store_service_batch *batch);
enum store_status sqlite_services_each(struct store *s, bool (*fn)(void *cls, json_t *service),
                                       void *cls);
enum store_status sqlite_services_count(struct store *s, size_t *n);
enum store_status sqlite_postcodes_upsert(struct store *s, const struct store_postcode *pcs,
                                          size_t n, const char *stamp_key);
enum store_status sqlite_postcodes_each(struct store *s,
                                        bool (*fn)(void *cls, const struct store_postcode *pc),
                                        void *cls);

/* Transactions and statements (sqlite_sql.c); contracts in sql.h. */
enum store_status sqlite_tx_run(struct store *s, const char *what,
                                enum store_status (*fn)(struct store_tx *t, void *cls), void *cls);
long sqlite_tx_exec(struct store_tx *t, const char *sql, int n, const char *const *vals,
                    void (*row)(void *cls, int ncol, const char *const *col), void *cls);

#endif
