/* postgres_directory.c: the PostgreSQL backend's directory operations (Open
 * Referral UK services and postcode centroids; tables from migration
 * 0002-directory), with the same contracts as the SQLite ones (store.h).
 * Every write is one transaction run through pg_run, which retries it whole
 * after a transient failure when it can; a directory write holds the
 * directory's advisory lock for its transaction, so two imports on two
 * servers take turns. Walks read keyset pages, each its own short read, and
 * call back with no connection held. */
#include "postgres_internal.h"
#include "service_row.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows fetched per page of a walk; postcodes written per statement. */
enum { SERVICE_PAGE = 256, POSTCODE_PAGE = 4096, POSTCODE_CHUNK = 1000 };

/* Begin a directory write: a transaction holding the directory lock. */
static bool directory_begin(struct pg_tx *tx)
{
  char key[32];
  snprintf(key, sizeof key, "%lld", (long long)PG_LOCK_DIRECTORY);
  const char *vals[] = {key};
  return pg_cmd(tx, "BEGIN", 0, NULL) &&
         pg_cmd(tx, "SELECT pg_advisory_xact_lock($1::bigint)", 1, vals);
}

/* Set the meta key to the time now, inside the open transaction, and
 * announce it to every server's changes_wait once the transaction commits. */
static bool stamp(struct pg_tx *tx, const char *key)
{
  const char *vals[] = {key};
  return pg_cmd(tx,
                "INSERT INTO meta(key, value) VALUES ($1, " PG_NOW_SQL ") "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                1, vals) &&
         pg_cmd(tx, "SELECT pg_notify('" PG_CHANNEL "', $1)", 1, vals);
}

/* Finish a directory write: when ok, set stamp_key (unless NULL) and commit;
 * else leave the rollback to pg_run. */
static enum store_status directory_end(struct pg_tx *tx, bool ok, const char *stamp_key)
{
  if (ok && stamp_key)
    ok = stamp(tx, stamp_key);
  if (ok)
    ok = pg_cmd(tx, "COMMIT", 0, NULL);
  return ok ? STORE_OK : STORE_ERROR;
}

/* --- Services ------------------------------------------------------------- */

/* Store one service (its columns and its JSON) inside the transaction. */
static bool upsert_one(struct pg_tx *tx, json_t *svc, const char *json)
{
  struct store_service_row row;
  if (!store_service_row(svc, json, &row))
    return false;
  const char *vals[] = {row.id,     row.organization_id, row.name,
                        row.status, row.last_modified,   row.json};
  bool ok = pg_cmd(tx,
                   "INSERT INTO directory_service"
                   "(id, organization_id, name, status, last_modified, stored_at, json) "
                   "VALUES ($1, $2, $3, $4, $5, " PG_NOW_SQL ", $6) "
                   "ON CONFLICT(id) DO UPDATE SET organization_id = excluded.organization_id, "
                   "name = excluded.name, status = excluded.status, "
                   "last_modified = excluded.last_modified, stored_at = excluded.stored_at, "
                   "json = excluded.json",
                   6, vals);
  store_service_row_free(&row);
  return ok;
}

/* The batch's check over the stored services that next did not give, in id
 * order, inside the transaction, each reduced by the database to its id and
 * its service_at_locations' ids. False to roll back. */
static bool check_stored(struct pg_tx *tx, const struct store_service_batch *b)
{
  static const char sql[] =
      "SELECT s.id, json_build_object('id', s.id, 'service_at_locations', "
      "coalesce((SELECT json_agg(json_build_object('id', j->>'id')) "
      "FROM json_array_elements(CASE WHEN json_typeof(s.json::json->'service_at_locations') = "
      "'array' THEN s.json::json->'service_at_locations' ELSE '[]'::json END) j), '[]'::json)) "
      "FROM directory_service s ORDER BY s.id";
  PGresult *r = pg_exec(tx, sql, 0, NULL);
  if (!r)
    return false;
  bool ok = true;
  for (int i = 0, n = PQntuples(r); ok && i < n; i++) {
    const char *id = PQgetvalue(r, i, 0);
    if (b->known(b->cls, id))
      continue;
    json_error_t jerr;
    json_t *svc = json_loads(PQgetvalue(r, i, 1), 0, &jerr);
    if (!svc) {
      log_msg("error", "store: services_upsert check: a stored service is not JSON: %s",
              jerr.text);
      ok = false;
      break;
    }
    ok = b->check(b->cls, svc);
    json_decref(svc);
  }
  PQclear(r);
  return ok;
}

static enum store_status stream_attempt(struct pg_tx *tx, void *cls)
{
  const struct store_service_batch *b = cls;
  if (!directory_begin(tx))
    return STORE_ERROR;
  /* From the first service on, the batch cannot be given again. */
  tx->replayable = false;
  for (;;) {
    json_t *svc = NULL;
    const char *json = NULL;
    int r = b->next(b->cls, &svc, &json);
    if (r == 0)
      break;
    if (r < 0 || !json_is_object(svc) || !upsert_one(tx, svc, json))
      return STORE_ERROR;
  }
  bool ok = !b->check || check_stored(tx, b);
  if (ok && b->commit)
    ok = b->commit(b->cls);
  return directory_end(tx, ok, b->stamp_key);
}

enum store_status pg_services_upsert_stream(struct store *s, const struct store_service_batch *b)
{
  return pg_run(store_pg_of(s), "services_upsert", stream_attempt, (void *)b);
}

/* services_upsert from an array, which can be given again: retried whole. */
static enum store_status array_attempt(struct pg_tx *tx, void *cls)
{
  json_t *arr = cls;
  if (!directory_begin(tx))
    return STORE_ERROR;
  for (size_t i = 0; i < json_array_size(arr); i++) {
    json_t *svc = json_array_get(arr, i);
    if (!json_is_object(svc) || !upsert_one(tx, svc, NULL))
      return STORE_ERROR;
  }
  return directory_end(tx, true, NULL);
}

enum store_status pg_services_upsert(struct store *s, json_t *services)
{
  if (!json_is_array(services)) {
    log_msg("error", "store: services_upsert needs a JSON array");
    return STORE_ERROR;
  }
  return pg_run(store_pg_of(s), "services_upsert", array_attempt, services);
}

/* A keyset page: sql selects rows whose key is above $1 (after), at most $2
 * (limit) of them. NULL (logged) on error. */
static PGresult *page_query(struct pg_tx *tx, const char *sql, const char *after, int limit)
{
  char lim[16];
  snprintf(lim, sizeof lim, "%d", limit);
  const char *vals[] = {after, lim};
  return pg_exec(tx, sql, 2, vals);
}

struct service_page {
  const char *after;
  char *ids[SERVICE_PAGE], *texts[SERVICE_PAGE];
  size_t n;
};

static enum store_status service_page_attempt(struct pg_tx *tx, void *cls)
{
  struct service_page *pg = cls;
  PGresult *r = page_query(tx,
                           "SELECT id, json FROM directory_service WHERE id > $1 ORDER BY id "
                           "LIMIT $2::integer",
                           pg->after, SERVICE_PAGE);
  if (!r)
    return STORE_ERROR;
  pg->n = 0;
  for (int i = 0, n = PQntuples(r); i < n && i < SERVICE_PAGE; i++) {
    pg->ids[pg->n] = xstrdup(PQgetvalue(r, i, 0));
    pg->texts[pg->n++] = xstrdup(PQgetvalue(r, i, 1));
  }
  PQclear(r);
  return STORE_OK;
}

enum store_status pg_services_each(struct store *s, bool (*fn)(void *cls, json_t *service),
                                   void *cls)
{
  struct store_pg *p = store_pg_of(s);
  struct service_page *pg = xcalloc(1, sizeof *pg);
  char *after = xstrdup("");
  enum store_status rc = STORE_OK;
  for (;;) {
    pg->after = after;
    pg->n = 0;
    rc = pg_run(p, "services_each", service_page_attempt, pg);
    if (rc == STORE_OK && pg->n > 0) {
      free(after);
      after = xstrdup(pg->ids[pg->n - 1]);
    }
    rc = store_services_page_call(rc, pg->ids, pg->texts, pg->n, fn, cls);
    if (rc != STORE_OK || pg->n < SERVICE_PAGE)
      break;
  }
  free(after);
  free(pg);
  return rc;
}

static enum store_status count_attempt(struct pg_tx *tx, void *cls)
{
  PGresult *r = pg_exec(tx, "SELECT count(*) FROM directory_service", 0, NULL);
  if (!r)
    return STORE_ERROR;
  *(size_t *)cls = (size_t)strtoull(PQgetvalue(r, 0, 0), NULL, 10);
  PQclear(r);
  return STORE_OK;
}

enum store_status pg_services_count(struct store *s, size_t *n)
{
  *n = 0;
  return pg_run(store_pg_of(s), "services_count", count_attempt, n);
}

/* --- Postcodes ------------------------------------------------------------ */

struct postcode_args {
  const struct store_postcode *pcs;
  size_t n;
  const char *stamp_key;
  char (*num)[2][32]; /* lat and lon of each entry as text */
};

static int cmp_pc(const void *a, const void *b)
{
  const struct store_postcode *x = *(const struct store_postcode *const *)a;
  const struct store_postcode *y = *(const struct store_postcode *const *)b;
  return strncmp(x->pc, y->pc, sizeof x->pc);
}

/* Whether some postcode comes twice in pcs[0..n), which one statement with
 * ON CONFLICT cannot take (the last must win, as row by row). */
static bool has_repeat(const struct store_postcode *pcs, size_t n)
{
  const struct store_postcode **v = xmalloc(n * sizeof *v);
  for (size_t i = 0; i < n; i++)
    v[i] = &pcs[i];
  qsort(v, n, sizeof *v, cmp_pc);
  bool rep = false;
  for (size_t i = 1; i < n && !rep; i++)
    rep = cmp_pc(&v[i - 1], &v[i]) == 0;
  free(v);
  return rep;
}

/* Write entries [from, from + n) as one statement of n rows. */
static bool postcodes_chunk(struct pg_tx *tx, const struct postcode_args *a, size_t from,
                            size_t n)
{
  static const char head[] = "INSERT INTO directory_postcode(postcode, lat, lon) VALUES ";
  static const char tail[] =
      " ON CONFLICT(postcode) DO UPDATE SET lat = excluded.lat, lon = excluded.lon";
  size_t cap = sizeof head + sizeof tail + n * 64;
  char *sql = xmalloc(cap);
  size_t len = (size_t)snprintf(sql, cap, "%s", head);
  const char **vals = xmalloc(3 * n * sizeof *vals);
  for (size_t i = 0; i < n; i++) {
    len += (size_t)snprintf(sql + len, cap - len, "%s($%zu, $%zu::float8, $%zu::float8)",
                            i ? ", " : "", 3 * i + 1, 3 * i + 2, 3 * i + 3);
    vals[3 * i] = a->pcs[from + i].pc;
    vals[3 * i + 1] = a->num[from + i][0];
    vals[3 * i + 2] = a->num[from + i][1];
  }
  snprintf(sql + len, cap - len, "%s", tail);
  bool ok = pg_cmd(tx, sql, (int)(3 * n), vals);
  free(vals);
  free(sql);
  return ok;
}

static enum store_status postcodes_attempt(struct pg_tx *tx, void *cls)
{
  const struct postcode_args *a = cls;
  if (!pg_cmd(tx, "BEGIN", 0, NULL))
    return STORE_ERROR;
  for (size_t from = 0; from < a->n; from += POSTCODE_CHUNK) {
    size_t n = a->n - from < POSTCODE_CHUNK ? a->n - from : POSTCODE_CHUNK;
    if (!has_repeat(a->pcs + from, n)) {
      if (!postcodes_chunk(tx, a, from, n))
        return STORE_ERROR;
      continue;
    }
    for (size_t i = 0; i < n; i++)
      if (!postcodes_chunk(tx, a, from + i, 1))
        return STORE_ERROR;
  }
  return directory_end(tx, true, a->stamp_key);
}

enum store_status pg_postcodes_upsert(struct store *s, const struct store_postcode *pcs, size_t n,
                                      const char *stamp_key)
{
  struct postcode_args a = {.pcs = pcs, .n = n, .stamp_key = stamp_key};
  a.num = xmalloc((n ? n : 1) * sizeof *a.num);
  for (size_t i = 0; i < n; i++) {
    size_t len = strnlen(pcs[i].pc, sizeof pcs[i].pc);
    if (len == 0 || len == sizeof pcs[i].pc) {
      log_msg("error", "store: postcodes_upsert: entry %zu has no postcode", i);
      free(a.num);
      return STORE_ERROR;
    }
    snprintf(a.num[i][0], sizeof a.num[i][0], "%.17g", pcs[i].lat);
    snprintf(a.num[i][1], sizeof a.num[i][1], "%.17g", pcs[i].lon);
  }
  enum store_status st = pg_run(store_pg_of(s), "postcodes_upsert", postcodes_attempt, &a);
  free(a.num);
  return st;
}

struct postcode_page {
  char after[sizeof ((struct store_postcode *)0)->pc];
  struct store_postcode *rows;
  size_t n;
};

static enum store_status postcode_page_attempt(struct pg_tx *tx, void *cls)
{
  struct postcode_page *pg = cls;
  PGresult *r = page_query(tx,
                           "SELECT postcode, lat, lon FROM directory_postcode WHERE postcode > $1 "
                           "ORDER BY postcode LIMIT $2::integer",
                           pg->after, POSTCODE_PAGE);
  if (!r)
    return STORE_ERROR;
  pg->n = 0;
  for (int i = 0, n = PQntuples(r); i < n && i < POSTCODE_PAGE; i++) {
    struct store_postcode *p = &pg->rows[pg->n++];
    memset(p, 0, sizeof *p);
    snprintf(p->pc, sizeof p->pc, "%s", PQgetvalue(r, i, 0));
    p->lat = strtod(PQgetvalue(r, i, 1), NULL);
    p->lon = strtod(PQgetvalue(r, i, 2), NULL);
  }
  PQclear(r);
  return STORE_OK;
}

enum store_status pg_postcodes_each(struct store *s,
                                    bool (*fn)(void *cls, const struct store_postcode *pc),
                                    void *cls)
{
  struct store_pg *p = store_pg_of(s);
  struct postcode_page pg = {.rows = xmalloc(POSTCODE_PAGE * sizeof *pg.rows)};
  enum store_status rc = STORE_OK;
  for (;;) {
    rc = pg_run(p, "postcodes_each", postcode_page_attempt, &pg);
    for (size_t i = 0; i < pg.n && rc == STORE_OK; i++)
      if (!fn(cls, &pg.rows[i]))
        rc = STORE_ERROR;
    if (rc != STORE_OK || pg.n < POSTCODE_PAGE)
      break;
    memcpy(pg.after, pg.rows[pg.n - 1].pc, sizeof pg.after);
  }
  free(pg.rows);
  return rc;
}
