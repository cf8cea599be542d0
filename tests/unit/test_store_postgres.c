/* test_store_postgres.c: the PostgreSQL store (needs FIRSTDAYS_TEST_PG; see
 * pg_test.h; skipped, and saying so, without it). A new database is migrated
 * to the latest schema, one row per migration in firstdays_schema; reopening
 * keeps the data; servers starting at once take turns at the migrations; a
 * newer schema is refused; opening an existing database never migrates it; the
 * pool serves many threads; a lost connection is retried, a database that
 * cannot be reached gives STORE_UNAVAILABLE and heals when it is back;
 * serialization failures and deadlocks are retried, a bounded number of times,
 * each try rolled back whole; a committed stamp reaches another server's
 * changes_wait at once, a rolled-back one never; an
 * unreachable server or a bad URL is refused with a message naming it and no
 * password. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/store.h"
#include "store/postgres_internal.h"
#include "pg_test.h"
#include <pthread.h>
#include <time.h>

struct fixture {
  char name[64];
  char url[512];
};

static int setup(void **state)
{
  struct fixture *f = calloc(1, sizeof *f);
  if (!pg_test_create(f->name, sizeof f->name, f->url, sizeof f->url))
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *f = *state;
  pg_test_drop(f->name);
  free(f);
  return 0;
}

static struct store *open_ok(const char *url)
{
  char err[512] = "";
  struct store *s = store_open(url, err, sizeof err);
  if (!s)
    fail_msg("store_open: %s", err);
  return s;
}

static void new_database_is_migrated_to_latest(void **state)
{
  struct fixture *f = *state;
  struct store *s = open_ok(f->url);
  assert_true(s->created);
  assert_true(s->ops->ping(s));
  assert_int_equal(s->ops->schema_version(s), store_migrations_available());
  char *created_at = NULL;
  assert_int_equal(s->ops->meta_get(s, "created_at", &created_at), STORE_OK);
  assert_int_equal(strlen(created_at), strlen("2026-01-01T00:00:00Z"));
  free(created_at);
  store_close(s);
  assert_int_equal(pg_test_int(f->name, "SELECT count(*) FROM firstdays_schema"),
                   store_migrations_available());
  /* The postgresql:// spelling opens the same database. */
  char url[512];
  snprintf(url, sizeof url, "postgresql://%s", strstr(f->url, "://") + 3);
  s = open_ok(url);
  assert_false(s->created);
  store_close(s);
}

static void meta_and_reopen(void **state)
{
  struct fixture *f = *state;
  struct store *s = open_ok(f->url);
  char *v = (char *)"untouched";
  assert_int_equal(s->ops->meta_get(s, "missing", &v), STORE_NOT_FOUND);
  assert_null(v);
  /* Values are bound, never pasted: quotes and SQL are just text. */
  const char *odd = "it's'; DROP TABLE meta; --";
  assert_int_equal(s->ops->meta_set(s, "k", odd), STORE_OK);
  assert_int_equal(s->ops->meta_set(s, "k", "v2"), STORE_OK);
  assert_int_equal(s->ops->meta_set(s, odd, "v3"), STORE_OK);
  store_close(s);
  s = open_ok(f->url);
  assert_false(s->created);
  assert_int_equal(s->ops->meta_get(s, "k", &v), STORE_OK);
  assert_string_equal(v, "v2");
  free(v);
  assert_int_equal(s->ops->meta_get(s, odd, &v), STORE_OK);
  assert_string_equal(v, "v3");
  free(v);
  store_close(s);
}

struct opener {
  const char *url;
  struct store *s;
  char err[512];
};

static void *open_thread(void *arg)
{
  struct opener *o = arg;
  o->s = store_open(o->url, o->err, sizeof o->err);
  return NULL;
}

/* Four servers starting at once on an empty database: all open, each
 * migration is applied once. */
static void servers_starting_together_take_turns(void **state)
{
  struct fixture *f = *state;
  enum { N = 4 };
  struct opener o[N];
  pthread_t t[N];
  for (int i = 0; i < N; i++) {
    o[i] = (struct opener){.url = f->url};
    pthread_create(&t[i], NULL, open_thread, &o[i]);
  }
  int created = 0;
  for (int i = 0; i < N; i++) {
    pthread_join(t[i], NULL);
    if (!o[i].s)
      fail_msg("server %d: %s", i, o[i].err);
    created += o[i].s->created;
    assert_int_equal(o[i].s->ops->schema_version(o[i].s), store_migrations_available());
  }
  assert_int_equal(created, 1);
  for (int i = 0; i < N; i++)
    store_close(o[i].s);
  assert_int_equal(pg_test_int(f->name, "SELECT count(*) FROM firstdays_schema"),
                   store_migrations_available());
  assert_int_equal(pg_test_int(f->name, "SELECT count(*) FROM meta WHERE key = 'created_at'"),
                   1);
}

static void newer_schema_is_refused(void **state)
{
  struct fixture *f = *state;
  store_close(open_ok(f->url));
  char sql[160];
  snprintf(sql, sizeof sql, "INSERT INTO firstdays_schema(version, name) VALUES (%d, 'future')",
           store_migrations_available() + 1);
  assert_true(pg_test_exec(f->name, sql));
  char err[512] = "";
  assert_null(store_open(f->url, err, sizeof err));
  assert_non_null(strstr(err, "use a newer firstdays"));
  assert_non_null(strstr(err, f->name));
  assert_null(store_pg_open_existing(f->url, err, sizeof err));
  assert_non_null(strstr(err, "use a newer firstdays"));
}

static void open_existing_never_migrates(void **state)
{
  struct fixture *f = *state;
  char err[512] = "";
  /* An empty database is not a firstdays one, and stays empty. */
  assert_null(store_pg_open_existing(f->url, err, sizeof err));
  assert_non_null(strstr(err, "not a firstdays one"));
  assert_int_equal(pg_test_int(f->name, "SELECT count(*) FROM pg_tables WHERE schemaname = "
                                        "'public'"),
                   0);
  /* A database behind this build opens as it is. */
  store_close(open_ok(f->url));
  assert_true(pg_test_exec(f->name, "DELETE FROM firstdays_schema WHERE version > 1"));
  struct store *s = store_pg_open_existing(f->url, err, sizeof err);
  assert_non_null(s);
  assert_false(s->created);
  assert_int_equal(s->ops->schema_version(s), 1);
  store_close(s);
}

struct hammer {
  struct store *s;
  int id;
  int failures;
};

static void *hammer_thread(void *arg)
{
  struct hammer *h = arg;
  for (int i = 0; i < 40; i++) {
    char key[32], val[32];
    snprintf(key, sizeof key, "t%d", h->id);
    snprintf(val, sizeof val, "%d", i);
    char *got = NULL;
    if (h->s->ops->meta_set(h->s, key, val) != STORE_OK ||
        h->s->ops->meta_get(h->s, key, &got) != STORE_OK || strcmp(got, val) != 0)
      h->failures++;
    free(got);
  }
  return NULL;
}

/* More threads than pooled connections: each waits its turn, none fails. */
static void pool_serves_many_threads(void **state)
{
  struct fixture *f = *state;
  struct store *s = open_ok(f->url);
  enum { N = 12 };
  struct hammer h[N];
  pthread_t t[N];
  for (int i = 0; i < N; i++) {
    h[i] = (struct hammer){.s = s, .id = i};
    pthread_create(&t[i], NULL, hammer_thread, &h[i]);
  }
  for (int i = 0; i < N; i++) {
    pthread_join(t[i], NULL);
    assert_int_equal(h[i].failures, 0);
  }
  assert_true(pg_test_int(f->name, "SELECT count(*) FROM meta WHERE key LIKE 't%'") == N);
  store_close(s);
}

static long now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void kill_connections(const char *name)
{
  char sql[256];
  snprintf(sql, sizeof sql,
           "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s' "
           "AND application_name = 'firstdays'",
           name);
  assert_true(pg_test_exec(NULL, sql));
}

/* The server drops the store's connections (a restart, a failover): the next
 * operations reconnect and succeed. A database that refuses connections gives
 * STORE_UNAVAILABLE, and the same store works again once it is back. */
static void lost_connections_are_retried_and_heal(void **state)
{
  struct fixture *f = *state;
  struct store *s = open_ok(f->url);
  assert_int_equal(s->ops->meta_set(s, "a", "1"), STORE_OK);
  kill_connections(f->name);
  char *v = NULL;
  assert_int_equal(s->ops->meta_get(s, "a", &v), STORE_OK);
  assert_string_equal(v, "1");
  free(v);
  kill_connections(f->name);
  assert_int_equal(s->ops->meta_set(s, "a", "2"), STORE_OK);
  /* Down: no connection can be made. */
  char sql[160];
  snprintf(sql, sizeof sql, "ALTER DATABASE %s ALLOW_CONNECTIONS false", f->name);
  assert_true(pg_test_exec(NULL, sql));
  kill_connections(f->name);
  v = NULL;
  assert_int_equal(s->ops->meta_get(s, "a", &v), STORE_UNAVAILABLE);
  assert_null(v);
  /* While it stays down, each operation gives up in well under a second. */
  long t0 = now_ms();
  assert_int_equal(s->ops->meta_set(s, "a", "3"), STORE_UNAVAILABLE);
  assert_true(now_ms() - t0 < 900);
  size_t n = 7;
  assert_int_equal(s->ops->services_count(s, &n), STORE_UNAVAILABLE);
  assert_false(s->ops->ping(s));
  /* Back: within a second or two (after a failed connect the store fails at
   * once for a while, PG_DOWN_MS, rather than wait out a connect timeout each
   * time). */
  snprintf(sql, sizeof sql, "ALTER DATABASE %s ALLOW_CONNECTIONS true", f->name);
  assert_true(pg_test_exec(NULL, sql));
  bool up = false;
  for (int i = 0; i < 30 && !(up = s->ops->ping(s)); i++)
    usleep(100000);
  assert_true(up);
  assert_int_equal(s->ops->meta_get(s, "a", &v), STORE_OK);
  assert_string_equal(v, "2");
  free(v);
  store_close(s);
}

/* An attempt that writes a row, then fails with the SQLSTATE state the first
 * fail_times times it runs. */
struct flaky {
  const char *state;
  int fail_times, runs;
  bool consume; /* the attempt clears replayable, as a stream does */
};

static enum store_status flaky_attempt(struct pg_tx *tx, void *cls)
{
  struct flaky *fl = cls;
  fl->runs++;
  if (!pg_cmd(tx, "BEGIN", 0, NULL) ||
      !pg_cmd(tx, "INSERT INTO meta(key, value) VALUES ('run-' || gen_random_uuid(), 'x')", 0,
              NULL))
    return STORE_ERROR;
  if (fl->consume)
    tx->replayable = false;
  if (fl->runs <= fl->fail_times) {
    char sql[128];
    snprintf(sql, sizeof sql, "DO $$ BEGIN RAISE EXCEPTION 'test' USING ERRCODE = '%s'; END $$",
             fl->state);
    pg_cmd(tx, sql, 0, NULL);
    return STORE_ERROR;
  }
  return pg_cmd(tx, "COMMIT", 0, NULL) ? STORE_OK : STORE_ERROR;
}

static int runs_kept(const char *name)
{
  return pg_test_int(name, "SELECT count(*) FROM meta WHERE key LIKE 'run-%'");
}

/* Serialization failures and deadlocks are retried in pg_run, each failed try
 * rolled back whole; when the tries run out the answer is STORE_UNAVAILABLE;
 * other errors, and an attempt that consumed its input, are not retried. */
static void transient_failures_are_retried_then_unavailable(void **state)
{
  struct fixture *f = *state;
  struct store *s = open_ok(f->url);
  struct store_pg *p = store_pg_of(s);
  struct flaky fl = {.state = "40001", .fail_times = 2};
  assert_int_equal(pg_run(p, "test", flaky_attempt, &fl), STORE_OK);
  assert_int_equal(fl.runs, 3);
  assert_int_equal(runs_kept(f->name), 1); /* only the try that committed */
  assert_true(pg_test_exec(f->name, "DELETE FROM meta WHERE key LIKE 'run-%'"));
  fl = (struct flaky){.state = "40P01", .fail_times = 1};
  assert_int_equal(pg_run(p, "test", flaky_attempt, &fl), STORE_OK);
  assert_int_equal(fl.runs, 2);
  fl = (struct flaky){.state = "40001", .fail_times = 100};
  assert_int_equal(pg_run(p, "test", flaky_attempt, &fl), STORE_UNAVAILABLE);
  assert_int_equal(fl.runs, PG_TRIES);
  fl = (struct flaky){.state = "22012", .fail_times = 100}; /* division_by_zero: ours */
  assert_int_equal(pg_run(p, "test", flaky_attempt, &fl), STORE_ERROR);
  assert_int_equal(fl.runs, 1);
  fl = (struct flaky){.state = "40001", .fail_times = 100, .consume = true};
  assert_int_equal(pg_run(p, "test", flaky_attempt, &fl), STORE_UNAVAILABLE);
  assert_int_equal(fl.runs, 1);
  assert_int_equal(runs_kept(f->name), 1);
  /* The pool's connections are still good after all that. */
  assert_true(s->ops->ping(s));
  store_close(s);
}

struct waiter {
  struct store *s;
  int timeout_ms;
  bool got;
  long ms; /* how long it waited */
};

static void *wait_thread(void *arg)
{
  struct waiter *w = arg;
  long t0 = now_ms();
  w->got = w->s->ops->changes_wait(w->s, w->timeout_ms);
  w->ms = now_ms() - t0;
  return NULL;
}

static int abandon(void *cls, json_t **service, const char **json)
{
  (void)cls;
  (void)service;
  (void)json;
  return -1;
}

/* A stamp committed by one server reaches another's changes_wait at once; a
 * rolled-back one, or none, lets the wait run out. */
static void a_committed_stamp_reaches_the_other_servers(void **state)
{
  struct fixture *f = *state;
  struct store *a = open_ok(f->url), *b = open_ok(f->url);
  assert_non_null(a->ops->changes_wait);
  /* Nothing happens: the wait runs out. The first call also starts listening. */
  long t0 = now_ms();
  assert_false(a->ops->changes_wait(a, 200));
  assert_true(now_ms() - t0 >= 190);
  struct waiter w = {.s = a, .timeout_ms = 5000};
  pthread_t t;
  pthread_create(&t, NULL, wait_thread, &w);
  usleep(100000);
  assert_int_equal(b->ops->postcodes_upsert(b, NULL, 0, "directory_updated_at"), STORE_OK);
  pthread_join(t, NULL);
  assert_true(w.got);
  assert_true(w.ms < 1000);
  /* An import that rolls back announces nothing. */
  struct store_service_batch batch = {.next = abandon, .stamp_key = "directory_updated_at"};
  assert_int_equal(b->ops->services_upsert_stream(b, &batch), STORE_ERROR);
  assert_false(a->ops->changes_wait(a, 300));
  store_close(b);
  store_close(a);
}

struct pc_writer {
  struct store *s;
  struct store_postcode *pcs;
  size_t n;
  enum store_status st;
};

static void *pc_write_thread(void *arg)
{
  struct pc_writer *w = arg;
  w->st = w->s->ops->postcodes_upsert(w->s, w->pcs, w->n, "directory_updated_at");
  return NULL;
}

/* Two servers write the same postcodes at once in opposite orders: whichever
 * PostgreSQL picks as a deadlock's victim is rolled back and tried again, and
 * both writes succeed whole. */
static void concurrent_writers_both_succeed(void **state)
{
  struct fixture *f = *state;
  struct store *a = open_ok(f->url), *b = open_ok(f->url);
  enum { N = 3000 };
  struct store_postcode *up = calloc(N, sizeof *up), *down = calloc(N, sizeof *down);
  for (size_t i = 0; i < N; i++) {
    snprintf(up[i].pc, sizeof up[i].pc, "E%zu %zuAB", i / 10 + 1, i % 10);
    up[i].lat = 51.5;
    up[i].lon = -0.1;
    down[N - 1 - i] = up[i];
    down[N - 1 - i].lat = 52.5;
  }
  for (int round = 0; round < 3; round++) {
    struct pc_writer wa = {a, up, N, STORE_ERROR}, wb = {b, down, N, STORE_ERROR};
    pthread_t ta, tb;
    pthread_create(&ta, NULL, pc_write_thread, &wa);
    pthread_create(&tb, NULL, pc_write_thread, &wb);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_int_equal(wa.st, STORE_OK);
    assert_int_equal(wb.st, STORE_OK);
  }
  char sql[64];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM directory_postcode");
  assert_int_equal(pg_test_int(f->name, sql), N);
  /* One of the two writes won whole: every row has the same latitude. */
  assert_int_equal(pg_test_int(f->name, "SELECT count(DISTINCT lat) FROM directory_postcode"), 1);
  free(up);
  free(down);
  store_close(b);
  store_close(a);
}

static void unreachable_server_is_named(void **state)
{
  (void)state;
  char err[512] = "";
  /* Port 1 on loopback: nothing listens there. */
  assert_null(store_open("postgres://someone:s3cret-pw@127.0.0.1:1/firstdays", err, sizeof err));
  assert_non_null(strstr(err, "cannot connect to PostgreSQL at 127.0.0.1:1/firstdays"));
  assert_null(strstr(err, "s3cret-pw"));
  assert_null(store_open("postgres://127.0.0.1:notaport/x?nosuchoption=1", err, sizeof err));
  assert_non_null(strstr(err, "PostgreSQL"));
}

int main(void)
{
  if (!pg_test_server()) {
    printf("test_store_postgres: skipped: no PostgreSQL (FIRSTDAYS_TEST_PG is not set; "
           "tests/pg/with-pg.sh starts one)\n");
    return 0;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(new_database_is_migrated_to_latest, setup, teardown),
      cmocka_unit_test_setup_teardown(meta_and_reopen, setup, teardown),
      cmocka_unit_test_setup_teardown(servers_starting_together_take_turns, setup, teardown),
      cmocka_unit_test_setup_teardown(newer_schema_is_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(open_existing_never_migrates, setup, teardown),
      cmocka_unit_test_setup_teardown(pool_serves_many_threads, setup, teardown),
      cmocka_unit_test_setup_teardown(lost_connections_are_retried_and_heal, setup, teardown),
      cmocka_unit_test_setup_teardown(transient_failures_are_retried_then_unavailable, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_committed_stamp_reaches_the_other_servers, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(concurrent_writers_both_succeed, setup, teardown),
      cmocka_unit_test(unreachable_server_is_named),
  };
  return cmocka_run_group_tests_name("store_postgres", tests, NULL, NULL);
}
