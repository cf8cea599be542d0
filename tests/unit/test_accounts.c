/* test_accounts.c: the staff account store operations (accounts.h), on SQLite
 * and, when FIRSTDAYS_TEST_PG names a server, on PostgreSQL: users and the
 * last-admin rule, single-use links (used once, expired, superseded),
 * sessions (idle and absolute limits, disabled users, sign out everywhere),
 * throttling counted in the database and forgotten after a while, the audit
 * log's hash chain (and that it refuses changes), and the outbox. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/accounts.h"
#include "store/store.h"
#include "pg_test.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
  bool pg;
  char dir[64], path[128], name[64];
  struct store *s;
  struct arena a;
};

static int setup_any(void **state, bool pg)
{
  struct fixture *f = calloc(1, sizeof *f);
  f->pg = pg;
  char err[512] = "";
  if (pg) {
    if (!pg_test_server()) {
      free(f);
      *state = NULL;
      return 0;
    }
    char url[512];
    if (!pg_test_create(f->name, sizeof f->name, url, sizeof url))
      return -1;
    f->s = store_open(url, err, sizeof err);
  } else {
    strcpy(f->dir, "/tmp/firstdays-acct-XXXXXX");
    if (!mkdtemp(f->dir))
      return -1;
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    f->s = store_open(f->path, err, sizeof err);
  }
  if (!f->s) {
    fprintf(stderr, "store_open: %s\n", err);
    return -1;
  }
  arena_init(&f->a);
  *state = f;
  return 0;
}
static int setup_sqlite(void **state)
{
  return setup_any(state, false);
}
static int setup_pg(void **state)
{
  return setup_any(state, true);
}

static int teardown(void **state)
{
  struct fixture *f = *state;
  if (!f)
    return 0;
  store_close(f->s);
  arena_free(&f->a);
  if (f->pg) {
    pg_test_drop(f->name);
  } else {
    char p[160];
    static const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
      snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
      unlink(p);
    }
    rmdir(f->dir);
  }
  free(f);
  return 0;
}

#define NEED(f)                                                                                    \
  do {                                                                                             \
    if (!(f)) {                                                                                    \
      fprintf(stderr, "skipped: no PostgreSQL (FIRSTDAYS_TEST_PG)\n");                             \
      skip();                                                                                      \
    }                                                                                              \
  } while (0)

/* One step in a transaction: a function and what it works on. */
struct step {
  struct fixture *f;
  struct store_user u;
  long long id, n, m;
  const char *str;
  enum store_status (*fn)(struct store_tx *t, struct step *st);
};

static enum store_status run_step(struct store_tx *t, void *cls)
{
  struct step *st = cls;
  return st->fn(t, st);
}

static enum store_status run(struct fixture *f, struct step *st)
{
  st->f = f;
  return store_change(f->s, "test", run_step, st);
}

static enum store_status add_user(struct store_tx *t, struct step *st)
{
  return store_user_add(t, &st->u, &st->id);
}

static long long add(struct fixture *f, const char *email, unsigned roles)
{
  static const char *orgs[] = {"org-b", "org-a"};
  struct step st = {.fn = add_user,
                    .u = {.email = email,
                          .display_name = "Sam Example",
                          .roles = roles,
                          .orgs = orgs,
                          .norgs = 2,
                          .created_at = 1000}};
  assert_int_equal(run(f, &st), STORE_OK);
  assert_true(st.id > 0);
  return st.id;
}

static enum store_status get_user(struct store_tx *t, struct step *st)
{
  return store_user_by_email(t, &st->f->a, st->str, &st->u);
}

static enum store_status update_user(struct store_tx *t, struct step *st)
{
  return store_user_update(t, &st->u);
}

static void users(void **state)
{
  struct fixture *f = *state;
  NEED(f);
  long long admin = add(f, "admin@example.org", ROLE_ADMIN);
  add(f, "ed@example.org", ROLE_EDITOR | ROLE_DIRECTORY);
  struct step dup = {.fn = add_user, .u = {.email = "admin@example.org", .display_name = "x"}};
  assert_int_equal(run(f, &dup), STORE_CONFLICT);

  struct step g = {.fn = get_user, .str = "ed@example.org"};
  assert_int_equal(run(f, &g), STORE_OK);
  assert_string_equal(g.u.display_name, "Sam Example");
  assert_int_equal(g.u.roles, ROLE_EDITOR | ROLE_DIRECTORY);
  assert_int_equal(g.u.norgs, 2);
  assert_string_equal(g.u.orgs[0], "org-a"); /* in order */
  assert_null(g.u.password_hash);
  assert_int_equal(g.u.created_at, 1000);

  /* The only admin cannot lose the role nor be disabled; nothing changes. */
  struct step up = {.fn = update_user,
                    .u = {.id = admin, .display_name = "Renamed", .roles = ROLE_EDITOR}};
  assert_int_equal(run(f, &up), STORE_CONFLICT);
  up.u.roles = ROLE_ADMIN;
  up.u.disabled = true;
  assert_int_equal(run(f, &up), STORE_CONFLICT);
  g.str = "admin@example.org";
  assert_int_equal(run(f, &g), STORE_OK);
  assert_string_equal(g.u.display_name, "Sam Example");
  assert_false(g.u.disabled);

  /* With a second admin, the first can step down. */
  add(f, "second@example.org", ROLE_ADMIN | ROLE_EDITOR);
  up.u.disabled = false;
  up.u.roles = ROLE_EDITOR;
  up.u.norgs = 0;
  assert_int_equal(run(f, &up), STORE_OK);
  assert_int_equal(run(f, &g), STORE_OK);
  assert_string_equal(g.u.display_name, "Renamed");
  assert_int_equal(g.u.roles, ROLE_EDITOR);
  assert_int_equal(g.u.norgs, 0);

  struct step none = {.fn = update_user, .u = {.id = 999, .roles = ROLE_ADMIN}};
  assert_int_equal(run(f, &none), STORE_NOT_FOUND);
}

static enum store_status token_add(struct store_tx *t, struct step *st)
{
  return store_token_add(t, st->str, st->id, "reset", 1000, 1000 + 1800);
}
static enum store_status token_use(struct store_tx *t, struct step *st)
{
  return store_token_use(t, st->str, "reset", st->n, &st->m);
}
static enum store_status token_peek(struct store_tx *t, struct step *st)
{
  return store_token_peek(t, st->str, "reset", st->n, &st->m);
}

static void single_use_links(void **state)
{
  struct fixture *f = *state;
  NEED(f);
  long long id = add(f, "a@example.org", ROLE_ADMIN);
  struct step s1 = {.fn = token_add, .id = id, .str = "hash-one"};
  assert_int_equal(run(f, &s1), STORE_OK);
  struct step p = {.fn = token_peek, .str = "hash-one", .n = 1100};
  assert_int_equal(run(f, &p), STORE_OK);
  assert_int_equal(p.m, id);
  struct step u = {.fn = token_use, .str = "hash-one", .n = 2799};
  assert_int_equal(run(f, &u), STORE_OK);
  assert_int_equal(u.m, id);
  assert_int_equal(run(f, &u), STORE_NOT_FOUND); /* used */
  assert_int_equal(run(f, &p), STORE_NOT_FOUND);
  /* Expired at 30 minutes. */
  struct step s2 = {.fn = token_add, .id = id, .str = "hash-two"};
  assert_int_equal(run(f, &s2), STORE_OK);
  struct step late = {.fn = token_use, .str = "hash-two", .n = 2800};
  assert_int_equal(run(f, &late), STORE_NOT_FOUND);
  /* A newer link stops the older one. */
  struct step s3 = {.fn = token_add, .id = id, .str = "hash-three"};
  struct step s4 = {.fn = token_add, .id = id, .str = "hash-four"};
  assert_int_equal(run(f, &s3), STORE_OK);
  assert_int_equal(run(f, &s4), STORE_OK);
  struct step old = {.fn = token_use, .str = "hash-three", .n = 1200};
  assert_int_equal(run(f, &old), STORE_NOT_FOUND);
  struct step fresh = {.fn = token_use, .str = "hash-four", .n = 1200};
  assert_int_equal(run(f, &fresh), STORE_OK);
}

static enum store_status session_add(struct store_tx *t, struct step *st)
{
  struct store_session ss = {.user_id = st->id,
                             .csrf = "csrf-token",
                             .created_at = 1000,
                             .last_seen = 1000,
                             .expires_at = 1000 + 12 * 3600,
                             .user_agent = "Firefox"};
  return store_session_add(t, st->str, &ss);
}
static enum store_status session_get(struct store_tx *t, struct step *st)
{
  struct store_session ss;
  enum store_status r = store_session_get(t, &st->f->a, st->str, st->n, 1800, &ss, &st->u);
  if (r == STORE_OK && strcmp(ss.csrf, "csrf-token") != 0)
    return STORE_ERROR;
  return r;
}
static enum store_status session_touch(struct store_tx *t, struct step *st)
{
  return store_session_touch(t, st->str, st->n, 0);
}
static enum store_status sessions_end(struct store_tx *t, struct step *st)
{
  return store_sessions_end_user(t, st->id, st->str);
}
static enum store_status sessions_count(struct store_tx *t, struct step *st)
{
  struct store_session *ss;
  size_t n;
  enum store_status r = store_sessions_list(t, &st->f->a, st->id, st->n, 1800, &ss, &n);
  st->m = (long long)n;
  return r;
}

static void sessions(void **state)
{
  struct fixture *f = *state;
  NEED(f);
  long long id = add(f, "a@example.org", ROLE_ADMIN);
  long long other = add(f, "b@example.org", ROLE_ADMIN);
  struct step s = {.fn = session_add, .id = id, .str = "s1"};
  assert_int_equal(run(f, &s), STORE_OK);
  s.str = "s2";
  assert_int_equal(run(f, &s), STORE_OK);
  struct step g = {.fn = session_get, .str = "s1", .n = 1000 + 1800};
  assert_int_equal(run(f, &g), STORE_OK);
  assert_string_equal(g.u.email, "a@example.org");
  g.n = 1000 + 1801; /* idle too long */
  assert_int_equal(run(f, &g), STORE_NOT_FOUND);
  /* Kept alive by use, up to the absolute limit. */
  for (long long at = 2000; at < 1000 + 12 * 3600; at += 1700) {
    struct step tch = {.fn = session_touch, .str = "s2", .n = at};
    assert_int_equal(run(f, &tch), STORE_OK);
  }
  struct step g2 = {.fn = session_get, .str = "s2", .n = 1000 + 12 * 3600 - 1};
  assert_int_equal(run(f, &g2), STORE_OK);
  g2.n = 1000 + 12 * 3600;
  assert_int_equal(run(f, &g2), STORE_NOT_FOUND);

  /* Sign out everywhere but here. */
  struct step s3 = {.fn = session_add, .id = id, .str = "s3"};
  assert_int_equal(run(f, &s3), STORE_OK);
  struct step c = {.fn = sessions_count, .id = id, .n = 1500};
  assert_int_equal(run(f, &c), STORE_OK);
  assert_int_equal(c.m, 3);
  struct step e = {.fn = sessions_end, .id = id, .str = "s3"};
  assert_int_equal(run(f, &e), STORE_OK);
  assert_int_equal(run(f, &c), STORE_OK);
  assert_int_equal(c.m, 1);

  /* A disabled user's session stops working. */
  struct step up = {.fn = update_user,
                    .u = {.id = id, .display_name = "A", .roles = ROLE_ADMIN, .disabled = true}};
  assert_int_equal(run(f, &up), STORE_OK);
  struct step g3 = {.fn = session_get, .str = "s3", .n = 1500};
  assert_int_equal(run(f, &g3), STORE_NOT_FOUND);
  (void)other;
}

static long long doubling(long long failures)
{
  return failures < 3 ? 0 : 1LL << (failures - 3);
}
static enum store_status throttle_fail(struct store_tx *t, struct step *st)
{
  return store_throttle_fail(t, st->str, st->n, 3600, doubling, &st->m);
}
static enum store_status throttle_get(struct store_tx *t, struct step *st)
{
  return store_throttle_get(t, st->str, &st->m, &st->id);
}
static enum store_status throttle_clear(struct store_tx *t, struct step *st)
{
  return store_throttle_clear(t, st->str);
}

static void throttling(void **state)
{
  struct fixture *f = *state;
  NEED(f);
  struct step fl = {.fn = throttle_fail, .str = "address:192.0.2.1"};
  for (int i = 1; i <= 5; i++) {
    fl.n = 1000 + i;
    assert_int_equal(run(f, &fl), STORE_OK);
    assert_int_equal(fl.m, i);
  }
  struct step g = {.fn = throttle_get, .str = "address:192.0.2.1"};
  assert_int_equal(run(f, &g), STORE_OK);
  assert_int_equal(g.m, 5);
  assert_int_equal(g.id, 1005 + 4); /* 2^(5-3) seconds after the last */
  /* An hour after the last failure the count starts again. */
  fl.n = 1005 + 3601;
  assert_int_equal(run(f, &fl), STORE_OK);
  assert_int_equal(fl.m, 1);
  struct step c = {.fn = throttle_clear, .str = "address:192.0.2.1"};
  assert_int_equal(run(f, &c), STORE_OK);
  assert_int_equal(run(f, &g), STORE_OK);
  assert_int_equal(g.m, 0);
  assert_int_equal(g.id, 0);
}

static enum store_status audit_add(struct store_tx *t, struct step *st)
{
  struct store_audit e = {.actor = "a@example.org",
                          .address = "192.0.2.1",
                          .action = st->str,
                          .target = "user:1",
                          .detail = "{\"roles\":[\"admin\"]}"};
  return store_audit_add(t, &e, st->n);
}

struct verify {
  char prev[65];
  long long rows, bad;
};
static bool verify_row(void *cls, const struct store_audit_row *r)
{
  struct verify *v = cls;
  char h[65];
  store_audit_hash(r, h);
  if (strcmp(h, r->hash) != 0 || strcmp(r->prev_hash, v->prev) != 0)
    v->bad++;
  snprintf(v->prev, sizeof v->prev, "%s", r->hash);
  v->rows++;
  return true;
}
static enum store_status audit_verify(struct store_tx *t, struct step *st)
{
  struct verify *v = (struct verify *)st->str;
  memset(v->prev, '0', 64);
  v->prev[64] = 0;
  return store_audit_each(t, verify_row, v);
}
static enum store_status audit_head(struct store_tx *t, struct step *st)
{
  char h[65];
  enum store_status r = store_audit_head(t, &st->n, h);
  st->str = arena_strdup(&st->f->a, h);
  return r;
}
static enum store_status audit_filter(struct store_tx *t, struct step *st)
{
  struct store_audit_filter fl = {.action = st->str, .from = 1002, .limit = 2};
  struct store_audit_row *rows;
  size_t n;
  enum store_status r = store_audit_list(t, &st->f->a, &fl, &rows, &n, &st->m);
  st->n = (long long)n;
  if (r == STORE_OK && n > 0)
    st->id = rows[0].seq;
  return r;
}

static void audit_chain(void **state)
{
  struct fixture *f = *state;
  NEED(f);
  const char *actions[] = {"sign_in", "role_change", "sign_in", "sign_in", "sign_out"};
  for (int i = 0; i < 5; i++) {
    struct step a = {.fn = audit_add, .str = actions[i], .n = 1000 + i};
    assert_int_equal(run(f, &a), STORE_OK);
  }
  struct verify v = {.rows = 0};
  struct step vs = {.fn = audit_verify, .str = (const char *)&v};
  assert_int_equal(run(f, &vs), STORE_OK);
  assert_int_equal(v.rows, 5);
  assert_int_equal(v.bad, 0);
  struct step h = {.fn = audit_head};
  assert_int_equal(run(f, &h), STORE_OK);
  assert_int_equal(h.n, 5);
  assert_string_equal(h.str, v.prev);

  /* Filtered, newest first, paged. */
  struct step fl = {.fn = audit_filter, .str = "sign_in"};
  assert_int_equal(run(f, &fl), STORE_OK);
  assert_int_equal(fl.m, 2); /* sign_in at 1002 and 1003 */
  assert_int_equal(fl.n, 2);
  assert_int_equal(fl.id, 4);

  /* The hash covers every field: moving text between two fields changes it. */
  struct store_audit_row r1 = {.seq = 1,
                               .at = 1,
                               .actor = "ab",
                               .address = "c",
                               .action = "x",
                               .target = "",
                               .detail = "{}",
                               .prev_hash = "0"};
  struct store_audit_row r2 = r1;
  r2.actor = "a";
  r2.address = "bc";
  char h1[65], h2[65];
  store_audit_hash(&r1, h1);
  store_audit_hash(&r2, h2);
  assert_string_not_equal(h1, h2);
}

static void audit_refuses_changes(void **state)
{
  struct fixture *f = *state;
  if (!f || f->pg)
    skip(); /* on PostgreSQL: the e2e tests change it through psql */
  struct step a = {.fn = audit_add, .str = "sign_in", .n = 1000};
  assert_int_equal(run(f, &a), STORE_OK);
  sqlite3 *db;
  assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
  assert_int_not_equal(sqlite3_exec(db, "UPDATE audit_log SET actor = 'x'", NULL, NULL, NULL),
                       SQLITE_OK);
  assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit_log", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
}

static enum store_status outbox_add(struct store_tx *t, struct step *st)
{
  struct store_mail m = {.recipient = "a@example.org",
                         .subject = "Set your password",
                         .body_text = "Hello",
                         .body_html = "<p>Hello</p>"};
  if (store_outbox_add(t, &m, 1000) != STORE_OK)
    return STORE_ERROR;
  return st->n ? STORE_ERROR : STORE_OK; /* n: fail after writing, to roll back */
}

static void outbox_rolls_back_with_the_change(void **state)
{
  struct fixture *f = *state;
  NEED(f);
  struct step ok = {.fn = outbox_add};
  assert_int_equal(run(f, &ok), STORE_OK);
  struct step bad = {.fn = outbox_add, .n = 1};
  assert_int_equal(run(f, &bad), STORE_ERROR);
  if (f->pg) {
    assert_int_equal(pg_test_int(f->name, "SELECT COUNT(*) FROM outbox"), 1);
  } else {
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM outbox", -1, &q, NULL);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 1);
    sqlite3_finalize(q);
    sqlite3_close(db);
  }
}

#define BOTH(t)                                                                                    \
  cmocka_unit_test_setup_teardown(t, setup_sqlite, teardown),                                      \
      cmocka_unit_test_setup_teardown(t, setup_pg, teardown)

int main(void)
{
  const struct CMUnitTest tests[] = {
      BOTH(users),
      BOTH(single_use_links),
      BOTH(sessions),
      BOTH(throttling),
      BOTH(audit_chain),
      cmocka_unit_test_setup_teardown(audit_refuses_changes, setup_sqlite, teardown),
      BOTH(outbox_rolls_back_with_the_change),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
