/* test_store.c: the SQLite store: a new database is created and migrated to
 * the latest schema, reopening keeps the data, the meta settings table, and a
 * database from a newer firstdays is refused with a message. Opening a
 * database that must exist (for `check`) never creates, seeds or migrates
 * one, and says what is wrong: no such file, empty, a folder, not SQLite, not
 * firstdays, newer, locked by another process. */
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
#include <sys/stat.h>
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
  /* The cause, from SQLite's result code; not a question. */
  assert_non_null(strstr(err, "is not a SQLite database"));
  assert_null(strstr(err, "is it a SQLite file"));
}

static void unopenable_path(void **state)
{
  (void)state;
  char err[512] = "";
  assert_null(store_open("/nonexistent-dir/sub/firstdays.db", err, sizeof err));
  assert_non_null(strstr(err, "cannot open the database /nonexistent-dir/sub/firstdays.db: No such "
                              "file or directory"));
}

static bool exists(const char *path)
{
  return access(path, F_OK) == 0;
}

static off_t file_size(const char *path)
{
  struct stat sb;
  return stat(path, &sb) == 0 ? sb.st_size : -1;
}

/* The whole file, to compare before and after. */
static char *slurp(const char *path, size_t *n)
{
  FILE *fp = fopen(path, "rb");
  assert_non_null(fp);
  char *buf = malloc(1 << 22);
  *n = fread(buf, 1, 1 << 22, fp);
  fclose(fp);
  return buf;
}

static void open_existing_refuses_what_is_no_database(void **state)
{
  struct fixture *f = *state;
  char err[512] = "";
  /* No such file: refused by name, and not created. */
  assert_null(store_open_existing(f->path, err, sizeof err));
  assert_non_null(strstr(err, "there is no database at"));
  assert_non_null(strstr(err, f->path));
  assert_false(exists(f->path));
  /* An empty file: refused, and still empty. */
  fclose(fopen(f->path, "w"));
  assert_null(store_open_existing(f->path, err, sizeof err));
  assert_non_null(strstr(err, "is empty (0 bytes)"));
  assert_int_equal(file_size(f->path), 0);
  unlink(f->path);
  /* A folder. */
  assert_null(store_open_existing(f->dir, err, sizeof err));
  assert_non_null(strstr(err, "is a folder"));
  /* Not SQLite. */
  FILE *fp = fopen(f->path, "w");
  fputs("this is a text file, not SQLite, and it is long enough to have a header...\n", fp);
  fclose(fp);
  assert_null(store_open_existing(f->path, err, sizeof err));
  assert_non_null(strstr(err, "is not a SQLite database"));
  unlink(f->path);
  /* SQLite, but not firstdays: left as it is. */
  exec_raw(f->path, "CREATE TABLE notes(x TEXT);");
  assert_null(store_open_existing(f->path, err, sizeof err));
  assert_non_null(strstr(err, "is a SQLite database but not a firstdays one"));
  assert_int_equal(raw_user_version(f->path), 0);
  unlink(f->path);
  /* Newer than this build. */
  char sql[64];
  snprintf(sql, sizeof sql, "CREATE TABLE t(x); PRAGMA user_version = %d",
           store_migrations_available() + 1);
  exec_raw(f->path, sql);
  assert_null(store_open_existing(f->path, err, sizeof err));
  assert_non_null(strstr(err, "use a newer firstdays"));
}

static void open_existing_changes_nothing(void **state)
{
  struct fixture *f = *state;
  char err[512] = "";
  struct store *s = store_open(f->path, err, sizeof err);
  assert_non_null(s);
  store_close(s);
  size_t n1, n2;
  char *before = slurp(f->path, &n1);
  s = store_open_existing(f->path, err, sizeof err);
  assert_non_null(s);
  assert_false(s->created);
  assert_int_equal(s->ops->schema_version(s), store_migrations_available());
  size_t count = 99;
  assert_int_equal(s->ops->services_count(s, &count), STORE_OK);
  assert_int_equal(count, 0); /* nothing seeded */
  store_close(s);
  char *after = slurp(f->path, &n2);
  assert_int_equal(n1, n2);
  assert_memory_equal(before, after, n1);
  free(before);
  free(after);
  /* A database behind this build opens as it is: it is not migrated. */
  exec_raw(f->path, "PRAGMA user_version = 1");
  s = store_open_existing(f->path, err, sizeof err);
  assert_non_null(s);
  assert_int_equal(s->ops->schema_version(s), 1);
  store_close(s);
  assert_int_equal(raw_user_version(f->path), 1);
}

/* Another process holds the database: the message says so, and not that the
 * file might not be SQLite. */
static void locked_database_is_named_locked(void **state)
{
  struct fixture *f = *state;
  char err[512] = "";
  struct store *s = store_open(f->path, err, sizeof err);
  assert_non_null(s);
  store_close(s);
  sqlite3 *other;
  assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
  assert_int_equal(sqlite3_exec(other,
                                "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; "
                                "SELECT count(*) FROM meta;",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  assert_null(store_open_existing(f->path, err, sizeof err));
  assert_non_null(strstr(err, "is locked by another process"));
  assert_non_null(strstr(err, f->path));
  assert_null(strstr(err, "is it a SQLite file"));
  sqlite3_exec(other, "COMMIT", NULL, NULL, NULL);
  sqlite3_close(other);
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

/* A database named in output or a log line never shows a password. */
static void shown_without_password(void **state)
{
  (void)state;
  char out[256];
  assert_string_equal(store_shown("postgres://fd:s3cret@db.example:5432/firstdays", out, sizeof out),
                      "postgres://fd@db.example:5432/firstdays");
  assert_string_equal(store_shown("postgresql://fd@db/firstdays?passfile=/etc/fd/pg", out, sizeof out),
                      "postgresql://fd@db/firstdays");
  assert_string_equal(store_shown("postgres://db/firstdays", out, sizeof out), "postgres://db/firstdays");
  assert_string_equal(store_shown("/var/lib/firstdays/firstdays.db", out, sizeof out),
                      "/var/lib/firstdays/firstdays.db");
  assert_null(strstr(store_shown("postgres://a:p@ss@h/d", out, sizeof out), "ss@"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(shown_without_password),
      cmocka_unit_test_setup_teardown(new_database_is_migrated_to_latest, setup, teardown),
      cmocka_unit_test_setup_teardown(wal_mode, setup, teardown),
      cmocka_unit_test_setup_teardown(meta_get_and_set, setup, teardown),
      cmocka_unit_test_setup_teardown(reopen_keeps_data, setup, teardown),
      cmocka_unit_test_setup_teardown(older_database_is_migrated_forward, setup, teardown),
      cmocka_unit_test_setup_teardown(newer_schema_is_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(not_a_database, setup, teardown),
      cmocka_unit_test(unopenable_path),
      cmocka_unit_test_setup_teardown(open_existing_refuses_what_is_no_database, setup, teardown),
      cmocka_unit_test_setup_teardown(open_existing_changes_nothing, setup, teardown),
      cmocka_unit_test_setup_teardown(locked_database_is_named_locked, setup, teardown),
      cmocka_unit_test(postgres_unreachable_is_named),
  };
  return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
