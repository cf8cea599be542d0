/* sqlite_directory.c: the SQLite backend's directory operations (Open Referral
 * UK services and postcode centroids; tables from migration 0002-directory).
 * Writes are one transaction per call with one prepared statement reused for
 * every row. Walks read in keyset pages and release the lock between pages, so
 * a long walk (2.7 million postcodes) does not hold up other callers. */
#include "sqlite_internal.h"
#include "service_row.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows fetched under the lock before the callbacks run without it. */
enum { SERVICE_PAGE = 256, POSTCODE_PAGE = 4096 };

static bool exec_sql(struct store_sqlite *q, const char *sql)
{
  char *emsg = NULL;
  if (sqlite3_exec(q->db, sql, NULL, NULL, &emsg) != SQLITE_OK) {
    log_msg("error", "store: %s: %s", sql, emsg ? emsg : sqlite3_errmsg(q->db));
    sqlite3_free(emsg);
    return false;
  }
  return true;
}

/* Take the lock, begin a write transaction and prepare sql, to be reused for
 * every row. NULL (logged, rolled back, unlocked) on failure. */
static sqlite3_stmt *write_begin(struct store_sqlite *q, const char *sql, const char *what)
{
  sqlite3_stmt *st = NULL;
  pthread_mutex_lock(&q->mu);
  if (!exec_sql(q, "BEGIN IMMEDIATE")) {
    pthread_mutex_unlock(&q->mu);
    return NULL;
  }
  if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK) {
    log_msg("error", "store: %s: %s", what, sqlite3_errmsg(q->db));
    sqlite3_finalize(st);
    sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
    pthread_mutex_unlock(&q->mu);
    return NULL;
  }
  return st;
}

/* Set the meta key to the time now (UTC, milliseconds) inside the open
 * transaction. */
static bool stamp(struct store_sqlite *q, const char *key)
{
  sqlite3_stmt *st = NULL;
  bool ok = sqlite3_prepare_v2(q->db,
                               "INSERT INTO meta(key, value) "
                               "VALUES (?1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) "
                               "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               -1, &st, NULL) == SQLITE_OK;
  if (ok) {
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    ok = sqlite3_step(st) == SQLITE_DONE;
  }
  if (!ok)
    log_msg("error", "store: setting %s: %s", key, sqlite3_errmsg(q->db));
  sqlite3_finalize(st);
  return ok;
}

/* Finish what write_begin started: when ok, set stamp_key (unless NULL) and
 * commit, both in the transaction; else roll back. Unlock. */
static enum store_status write_end(struct store_sqlite *q, sqlite3_stmt *st, bool ok,
                                   const char *stamp_key)
{
  sqlite3_finalize(st);
  if (ok && stamp_key)
    ok = stamp(q, stamp_key);
  if (ok)
    ok = exec_sql(q, "COMMIT");
  if (!ok)
    sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
  pthread_mutex_unlock(&q->mu);
  return ok ? STORE_OK : STORE_ERROR;
}

/* A keyset page: sql selects rows whose key is above ?1 (after), at most
 * ?2 (limit) of them. Call with the lock held. NULL (logged) on error. */
static sqlite3_stmt *page_query(struct store_sqlite *q, const char *sql, const char *after,
                                int limit, const char *what)
{
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK) {
    log_msg("error", "store: %s: %s", what, sqlite3_errmsg(q->db));
    sqlite3_finalize(st);
    return NULL;
  }
  sqlite3_bind_text(st, 1, after, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 2, limit);
  return st;
}

/* Bind one service's columns and run the prepared insert. */
static bool upsert_one(struct store_sqlite *q, sqlite3_stmt *st, json_t *svc, const char *json)
{
  struct store_service_row row;
  if (!store_service_row(svc, json, &row))
    return false;
  sqlite3_bind_text(st, 1, row.id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, row.organization_id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, row.name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, row.status, -1, SQLITE_STATIC);
  if (row.last_modified)
    sqlite3_bind_text(st, 5, row.last_modified, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(st, 5);
  sqlite3_bind_text(st, 6, row.json, -1, SQLITE_STATIC);
  bool ok = sqlite3_step(st) == SQLITE_DONE;
  if (!ok)
    log_msg("error", "store: services_upsert %s: %s", row.id, sqlite3_errmsg(q->db));
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  store_service_row_free(&row);
  return ok;
}

/* The batch's check over the stored services that next did not give, in id
 * order, inside the transaction. Each is handed over as its id and its
 * service_at_locations' ids, taken out by SQLite's JSON functions (ten times
 * faster than parsing whole services). False to roll back. */
static bool check_stored(struct store_sqlite *q, const struct store_service_batch *b)
{
  static const char sql[] =
      "SELECT s.id, json_object('id', s.id, 'service_at_locations', "
      "(SELECT json_group_array(json_object('id', json_extract(j.value, '$.id'))) "
      "FROM json_each(s.json, '$.service_at_locations') j)) "
      "FROM directory_service s ORDER BY s.id";
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK) {
    log_msg("error", "store: services_upsert check: %s", sqlite3_errmsg(q->db));
    return false;
  }
  bool ok = true;
  int r = SQLITE_DONE;
  while (ok && (r = sqlite3_step(st)) == SQLITE_ROW) {
    const char *id = (const char *)sqlite3_column_text(st, 0);
    if (b->known(b->cls, id))
      continue;
    json_error_t jerr;
    json_t *svc = json_loads((const char *)sqlite3_column_text(st, 1), 0, &jerr);
    if (!svc) {
      log_msg("error", "store: services_upsert check: service %s: %s", id, jerr.text);
      ok = false;
      break;
    }
    ok = b->check(b->cls, svc);
    json_decref(svc);
  }
  if (ok && r != SQLITE_DONE) {
    log_msg("error", "store: services_upsert check: %s", sqlite3_errmsg(q->db));
    ok = false;
  }
  sqlite3_finalize(st);
  return ok;
}

enum store_status sqlite_services_upsert_stream(struct store *s,
                                                const struct store_service_batch *b)
{
  struct store_sqlite *q = store_sqlite_of(s);
  sqlite3_stmt *st =
      write_begin(q,
                  "INSERT INTO directory_service"
                  "(id, organization_id, name, status, last_modified, stored_at, json) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?6) "
                  "ON CONFLICT(id) DO UPDATE SET organization_id = excluded.organization_id, "
                  "name = excluded.name, status = excluded.status, "
                  "last_modified = excluded.last_modified, stored_at = excluded.stored_at, "
                  "json = excluded.json",
                  "services_upsert");
  if (!st)
    return STORE_ERROR;
  for (;;) {
    json_t *svc = NULL;
    const char *json = NULL;
    int r = b->next(b->cls, &svc, &json);
    if (r == 0)
      break;
    if (r < 0 || !json_is_object(svc) || !upsert_one(q, st, svc, json))
      return write_end(q, st, false, NULL);
  }
  bool ok = !b->check || check_stored(q, b);
  if (ok && b->commit)
    ok = b->commit(b->cls);
  return write_end(q, st, ok, b->stamp_key);
}

struct array_cursor {
  json_t *arr;
  size_t i;
};

static int array_next(void *cls, json_t **service, const char **json)
{
  (void)json;
  struct array_cursor *c = cls;
  if (c->i >= json_array_size(c->arr))
    return 0;
  *service = json_array_get(c->arr, c->i++);
  return 1;
}

enum store_status sqlite_services_upsert(struct store *s, json_t *services)
{
  if (!json_is_array(services)) {
    log_msg("error", "store: services_upsert needs a JSON array");
    return STORE_ERROR;
  }
  struct array_cursor c = {services, 0};
  struct store_service_batch b = {.next = array_next, .cls = &c};
  return sqlite_services_upsert_stream(s, &b);
}

enum store_status sqlite_services_each(struct store *s, bool (*fn)(void *cls, json_t *service),
                                       void *cls)
{
  struct store_sqlite *q = store_sqlite_of(s);
  char *after = xstrdup("");
  char *ids[SERVICE_PAGE], *texts[SERVICE_PAGE];
  size_t n = 0;
  enum store_status rc = STORE_OK;
  for (;;) {
    sqlite3_stmt *st = NULL;
    n = 0;
    pthread_mutex_lock(&q->mu);
    st = page_query(q, "SELECT id, json FROM directory_service WHERE id > ?1 ORDER BY id LIMIT ?2",
                    after, SERVICE_PAGE, "services_each");
    if (!st) {
      rc = STORE_ERROR;
    } else {
      int r;
      while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        ids[n] = xstrdup((const char *)sqlite3_column_text(st, 0));
        texts[n++] = xstrdup((const char *)sqlite3_column_text(st, 1));
      }
      if (r != SQLITE_DONE) {
        log_msg("error", "store: services_each: %s", sqlite3_errmsg(q->db));
        rc = STORE_ERROR;
      }
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&q->mu);
    if (n > 0) {
      free(after);
      after = xstrdup(ids[n - 1]);
    }
    rc = store_services_page_call(rc, ids, texts, n, fn, cls);
    if (rc != STORE_OK || n < SERVICE_PAGE)
      break;
  }
  free(after);
  return rc;
}

enum store_status sqlite_services_count(struct store *s, size_t *n)
{
  struct store_sqlite *q = store_sqlite_of(s);
  enum store_status rc = STORE_ERROR;
  sqlite3_stmt *st = NULL;
  *n = 0;
  pthread_mutex_lock(&q->mu);
  if (sqlite3_prepare_v2(q->db, "SELECT count(*) FROM directory_service", -1, &st, NULL) ==
          SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    *n = (size_t)sqlite3_column_int64(st, 0);
    rc = STORE_OK;
  } else {
    log_msg("error", "store: services_count: %s", sqlite3_errmsg(q->db));
  }
  sqlite3_finalize(st);
  pthread_mutex_unlock(&q->mu);
  return rc;
}

enum store_status sqlite_postcodes_upsert(struct store *s, const struct store_postcode *pcs,
                                          size_t n, const char *stamp_key)
{
  struct store_sqlite *q = store_sqlite_of(s);
  sqlite3_stmt *st =
      write_begin(q,
                  "INSERT INTO directory_postcode(postcode, lat, lon) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT(postcode) DO UPDATE SET lat = excluded.lat, lon = excluded.lon",
                  "postcodes_upsert");
  if (!st)
    return STORE_ERROR;
  for (size_t i = 0; i < n; i++) {
    size_t len = strnlen(pcs[i].pc, sizeof pcs[i].pc);
    if (len == 0 || len == sizeof pcs[i].pc) {
      log_msg("error", "store: postcodes_upsert: entry %zu has no postcode", i);
      return write_end(q, st, false, NULL);
    }
    sqlite3_bind_text(st, 1, pcs[i].pc, (int)len, SQLITE_STATIC);
    sqlite3_bind_double(st, 2, pcs[i].lat);
    sqlite3_bind_double(st, 3, pcs[i].lon);
    if (sqlite3_step(st) != SQLITE_DONE) {
      log_msg("error", "store: postcodes_upsert %s: %s", pcs[i].pc, sqlite3_errmsg(q->db));
      return write_end(q, st, false, NULL);
    }
    sqlite3_reset(st);
  }
  return write_end(q, st, true, stamp_key);
}

enum store_status sqlite_postcodes_each(struct store *s,
                                        bool (*fn)(void *cls, const struct store_postcode *pc),
                                        void *cls)
{
  struct store_sqlite *q = store_sqlite_of(s);
  struct store_postcode *page = xmalloc(POSTCODE_PAGE * sizeof *page);
  char after[sizeof page[0].pc] = "";
  enum store_status rc = STORE_OK;
  for (;;) {
    sqlite3_stmt *st = NULL;
    size_t n = 0;
    pthread_mutex_lock(&q->mu);
    st = page_query(q,
                    "SELECT postcode, lat, lon FROM directory_postcode WHERE postcode > ?1 "
                    "ORDER BY postcode LIMIT ?2",
                    after, POSTCODE_PAGE, "postcodes_each");
    if (!st) {
      rc = STORE_ERROR;
    } else {
      int r;
      while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_postcode *p = &page[n++];
        memset(p, 0, sizeof *p);
        const char *pc = (const char *)sqlite3_column_text(st, 0);
        snprintf(p->pc, sizeof p->pc, "%s", pc ? pc : "");
        p->lat = sqlite3_column_double(st, 1);
        p->lon = sqlite3_column_double(st, 2);
      }
      if (r != SQLITE_DONE) {
        log_msg("error", "store: postcodes_each: %s", sqlite3_errmsg(q->db));
        rc = STORE_ERROR;
      }
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&q->mu);
    for (size_t i = 0; i < n && rc == STORE_OK; i++)
      if (!fn(cls, &page[i]))
        rc = STORE_ERROR;
    if (rc != STORE_OK || n < POSTCODE_PAGE)
      break;
    memcpy(after, page[n - 1].pc, sizeof after);
  }
  free(page);
  return rc;
}
