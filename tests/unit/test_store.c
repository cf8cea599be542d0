/* test_store.c: the SQLite store: a new database is created and migrated to
 * the latest schema, reopening keeps the data, the meta settings table, and a
 * database from a newer firstdays is refused with a message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/store.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
  char dir[64];
  char path[128];
};

static int setup(void **state)
{
  struct fixture *f = calloc(1, sizeof *f);
  strcpy(f->dir, "/tmp/firstdays-store-XXXXXX");
  if (!mkdtemp(f->dir))
    return -1;
  snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *f = *state;
  static const char *suffix[] = {"", "-wal", "-shm"};
  for (size_t i = 0; i < 3; i++) {
    char p[160];
    snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
    unlink(p);
  }
  rmdir(f->dir);
  free(f);
  return 0;
}

/* Run sql on the file directly, bypassing the store. */
static void exec_raw(const char *path, const char *sql)
{
  sqlite3 *db;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  char *msg = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
    fail_msg("%s: %s", sql, msg);
  sqlite3_close(db);
}

static int raw_user_version(const char *path)
{
  sqlite3 *db;
  sqlite3_stmt *st;
  int v = -1;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
  if (sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

static void new_database_is_migrated_to_latest(void **state)
{
  struct fixture *f = *state;
  char err[512] = "";
  assert_true(store_migrations_available() >= 1);
  struct store *s = store_open(f->path, err, sizeof err);
  assert_non_null(s);
  assert_string_equal(err, "");
  assert_true(s->created);
  assert_int_equal(s->ops->schema_version(s), store_migrations_available());
  assert_true(s->ops->ping(s));
  /* The first migration records when the database was made. */
  char *created_at = NULL;
  assert_int_equal(s->ops->meta_get(s, "created_at", &created_at), STORE_OK);
  assert_int_equal(strlen(created_at), strlen("2026-01-01T00:00:00Z"));
  free(created_at);
  store_close(s);
  assert_int_equal(raw_user_version(f->path), store_migrations_available());
}

static void wal_mode(void **state)
{
  struct fixture *f = *state;
  char err[512];
  struct store *s = store_open(f->path, err, sizeof err);
  assert_non_null(s);
  sqlite3 *db;
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
  store_close(s);
}

static void meta_get_and_set(void **state)
{
  struct fixture *f = *state;
  char err[512];
  struct store *s = store_open(f->path, err, sizeof err);
  assert_non_null(s);
  char *v = (char *)"untouched";
  assert_int_equal(s->ops->meta_get(s, "missing", &v), STORE_NOT_FOUND);
  assert_null(v);
  assert_int_equal(s->ops->meta_set(s, "greeting", "hello"), STORE_OK);
  assert_int_equal(s->ops->meta_get(s, "greeting", &v), STORE_OK);
  assert_string_equal(v, "hello");
  free(v);
  /* Setting again replaces; quotes and SQL are just data. */
  const char *tricky = "it's'); DROP TABLE meta; --";
  assert_int_equal(s->ops->meta_set(s, "greeting", tricky), STORE_OK);
  assert_int_equal(s->ops->meta_get(s, "greeting", &v), STORE_OK);
  assert_string_equal(v, tricky);
  free(v);
  assert_int_equal(s->ops->meta_set(s, "caf\xc3\xa9", ""), STORE_OK);
  assert_int_equal(s->ops->meta_get(s, "caf\xc3\xa9", &v), STORE_OK);
  assert_string_equal(v, "");
  free(v);
  store_close(s);
}

static void reopen_keeps_data(void **state)
{
  struct fixture *f = *state;
  char err[512];
  struct store *s = store_open(f->path, err, sizeof err);
  assert_non_null(s);
  assert_int_equal(s->ops->meta_set(s, "kept", "yes"), STORE_OK);
  store_close(s);
  s = store_open(f->path, err, sizeof err);
  assert_non_null(s);
  assert_false(s->created);
  assert_int_equal(s->ops->schema_version(s), store_migrations_available());
  char *v = NULL;
  assert_int_equal(s->ops->meta_get(s, "kept", &v), STORE_OK);
  assert_string_equal(v, "yes");
  free(v);
  store_close(s);
}

static void older_database_is_migrated_forward(void **state)
{
  struct fixture *f = *state;
  /* A database someone made before firstdays' first migration: data in
   * another table, schema version 0. */
  exec_raw(f->path, "CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES ('keep me');");
  char err[512];
  struct store *s = store_open(f->path, err, sizeof err);
  assert_non_null(s);
  assert_int_equal(s->ops->schema_version(s), store_migrations_available());
  store_close(s);
  sqlite3 *db;
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(db, "SELECT x FROM notes", -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  assert_string_equal((const char *)sqlite3_column_text(st, 0), "keep me");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

static void newer_schema_is_refused(void **state)
{
  struct fixture *f = *state;
  char err[512] = "";
  struct store *s = store_open(f->path, err, sizeof err);
  assert_non_null(s);
  store_close(s);
  char sql[64];
  int newer = store_migrations_available() + 1;
  snprintf(sql, sizeof sql, "PRAGMA user_version = %d", newer);
  exec_raw(f->path, sql);
  s = store_open(f->path, err, sizeof err);
  assert_null(s);
  char want[128];
  snprintf(want, sizeof want, "schema version %d", newer);
  assert_non_null(strstr(err, want));
  assert_non_null(strstr(err, "use a newer firstdays"));
  /* Refusing must not touch the file. */
  assert_int_equal(raw_user_version(f->path), newer);
}

static void not_a_database(void **state)
{
  struct fixture *f = *state;
  FILE *fp = fopen(f->path, "w");
  assert_non_null(fp);
  fputs("this is a text file, not SQLite, and it is long enough to have a header...\n", fp);
  fclose(fp);
  char err[512] = "";
  assert_null(store_open(f->path, err, sizeof err));
  assert_non_null(strstr(err, f->path));
}

static void unopenable_path(void **state)
{
  (void)state;
  char err[512] = "";
  assert_null(store_open("/nonexistent-dir/sub/firstdays.db", err, sizeof err));
  assert_non_null(strstr(err, "cannot open database /nonexistent-dir/sub/firstdays.db"));
}

/* A postgres:// URL selects the PostgreSQL backend (test_store_postgres.c
 * tests it on a real server); one that cannot be reached is named. */
static void postgres_unreachable_is_named(void **state)
{
  (void)state;
  char err[512] = "";
  assert_null(store_open("postgres://127.0.0.1:1/firstdays", err, sizeof err));
  assert_non_null(strstr(err, "cannot connect to PostgreSQL at 127.0.0.1:1/firstdays"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(new_database_is_migrated_to_latest, setup, teardown),
      cmocka_unit_test_setup_teardown(wal_mode, setup, teardown),
      cmocka_unit_test_setup_teardown(meta_get_and_set, setup, teardown),
      cmocka_unit_test_setup_teardown(reopen_keeps_data, setup, teardown),
      cmocka_unit_test_setup_teardown(older_database_is_migrated_forward, setup, teardown),
      cmocka_unit_test_setup_teardown(newer_schema_is_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(not_a_database, setup, teardown),
      cmocka_unit_test(unopenable_path),
      cmocka_unit_test(postgres_unreachable_is_named),
  };
  return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
