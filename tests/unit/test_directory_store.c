/* test_directory_store.c: the SQLite directory operations: upsert by id in one
 * transaction (all or nothing), walks in id and postcode order across page
 * boundaries, counts, and JSON stored and returned byte for byte. The stamp a
 * running server watches is written in the same transaction as the data, so
 * the two commit together or not at all; the check of the stored services
 * sees each one that the batch does not replace, reduced to its ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/store.h"
#include "pg_test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
  char dir[64];
  char path[128];
  struct store *s;
  char pg_name[64]; /* the test's own PostgreSQL database, when on_postgres */
};

/* Whether the tests run on PostgreSQL (main runs them on both backends). */
static bool on_postgres;

static int setup(void **state)
{
  struct fixture *f = calloc(1, sizeof *f);
  snprintf(f->dir, sizeof f->dir, "/tmp/fd-store-XXXXXX");
  if (!mkdtemp(f->dir))
    return -1;
  snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
  char err[256];
  if (on_postgres && !pg_test_create(f->pg_name, sizeof f->pg_name, f->path, sizeof f->path))
    return -1;
  f->s = store_open(f->path, err, sizeof err);
  if (!f->s) {
    fprintf(stderr, "%s\n", err);
    return -1;
  }
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *f = *state;
  store_close(f->s);
  if (on_postgres)
    pg_test_drop(f->pg_name);
  char p[160];
  const char *suffix[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
    unlink(p);
  }
  rmdir(f->dir);
  free(f);
  return 0;
}

/* A minimal service with id number i (valid UUID), in organisation o. */
static json_t *svc(int i, const char *name)
{
  char id[40];
  snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", i);
  return json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:f, s:i}", "id", id, "organization_id",
                   "11111111-1111-4111-8111-111111111111", "name", name, "status", "active",
                   "organization", "id", "11111111-1111-4111-8111-111111111111", "name", "Org",
                   "description", "An org", "lat", 54.40213, "n", i);
}

struct walk {
  char names[700][32];
  char ids[700][40];
  size_t n;
  size_t stop_after;
};

static bool walk_service(void *cls, json_t *service)
{
  struct walk *w = cls;
  snprintf(w->names[w->n], sizeof w->names[0], "%s",
           json_string_value(json_object_get(service, "name")));
  snprintf(w->ids[w->n], sizeof w->ids[0], "%s", json_string_value(json_object_get(service, "id")));
  w->n++;
  return !w->stop_after || w->n < w->stop_after;
}

static size_t count(struct store *s)
{
  size_t n = 99999;
  assert_int_equal(s->ops->services_count(s, &n), STORE_OK);
  return n;
}

static void test_upsert_count_each(void **state)
{
  struct fixture *f = *state;
  struct store *s = f->s;
  assert_int_equal(count(s), 0);
  json_t *arr = json_pack("[o,o,o]", svc(3, "three"), svc(1, "one"), svc(2, "two"));
  assert_int_equal(s->ops->services_upsert(s, arr), STORE_OK);
  json_decref(arr);
  assert_int_equal(count(s), 3);
  /* Same id again replaces. */
  arr = json_pack("[o]", svc(2, "two again"));
  assert_int_equal(s->ops->services_upsert(s, arr), STORE_OK);
  json_decref(arr);
  assert_int_equal(count(s), 3);
  struct walk *w = calloc(1, sizeof *w);
  assert_int_equal(s->ops->services_each(s, walk_service, w), STORE_OK);
  assert_int_equal(w->n, 3);
  assert_string_equal(w->names[0], "one");
  assert_string_equal(w->names[1], "two again");
  assert_string_equal(w->names[2], "three");
  /* A walk stopped by the callback reports it. */
  memset(w, 0, sizeof *w);
  w->stop_after = 2;
  assert_int_equal(s->ops->services_each(s, walk_service, w), STORE_ERROR);
  assert_int_equal(w->n, 2);
  free(w);
}

static bool compare_dump(void *cls, json_t *service)
{
  const char *want = cls;
  char *got = json_dumps(service, STORE_JSON_FLAGS);
  bool same = strcmp(got, want) == 0;
  if (!same)
    fprintf(stderr, "got  %s\nwant %s\n", got, want);
  free(got);
  return same;
}

static void test_json_round_trip(void **state)
{
  struct fixture *f = *state;
  const char *text =
      "{\"id\":\"00000000-0000-4000-8000-000000000009\",\"organization_id\":\"11111111-1111-4111-"
      "8111-111111111111\",\"name\":\"Caf\xc3\xa9 \\\"quoted\\\"\",\"status\":\"active\","
      "\"latitude\":54.40213,\"longitude\":-0.1,\"amount\":15,\"real\":35.0,\"tiny\":1e-7,"
      "\"z_first_a_later\":{\"z\":1,\"a\":2}}";
  json_t *v = json_loads(text, 0, NULL);
  json_t *arr = json_pack("[o]", v);
  assert_int_equal(f->s->ops->services_upsert(f->s, arr), STORE_OK);
  json_decref(arr);
  assert_int_equal(f->s->ops->services_each(f->s, compare_dump, (void *)text), STORE_OK);
}

static void test_upsert_all_or_nothing(void **state)
{
  struct fixture *f = *state;
  struct store *s = f->s;
  json_t *arr = json_pack("[o,o]", svc(1, "one"), svc(2, "two"));
  assert_int_equal(s->ops->services_upsert(s, arr), STORE_OK);
  json_decref(arr);
  /* The second entry has no id: nothing of the batch may be stored. */
  json_t *bad = svc(5, "five");
  json_object_del(bad, "id");
  arr = json_pack("[o,o,o]", svc(1, "one changed"), bad, svc(3, "three"));
  assert_int_equal(s->ops->services_upsert(s, arr), STORE_ERROR);
  json_decref(arr);
  assert_int_equal(count(s), 2);
  struct walk *w = calloc(1, sizeof *w);
  assert_int_equal(s->ops->services_each(s, walk_service, w), STORE_OK);
  assert_string_equal(w->names[0], "one");
  free(w);
  /* Not an array. */
  json_t *obj = svc(7, "seven");
  assert_int_equal(s->ops->services_upsert(s, obj), STORE_ERROR);
  json_decref(obj);
  assert_int_equal(count(s), 2);
}

struct stream {
  int next, last, abort_at;
  json_t *cur;
};

static int stream_next(void *cls, json_t **service, const char **json)
{
  (void)json;
  struct stream *st = cls;
  json_decref(st->cur);
  st->cur = NULL;
  if (st->next == st->abort_at)
    return -1;
  if (st->next > st->last)
    return 0;
  st->cur = svc(st->next, "streamed");
  st->next++;
  *service = st->cur;
  return 1;
}

static void test_stream_commit_and_abort(void **state)
{
  struct fixture *f = *state;
  struct store *s = f->s;
  struct stream st = {.next = 1, .last = 600, .abort_at = -1};
  struct store_service_batch b = {.next = stream_next, .cls = &st};
  assert_int_equal(s->ops->services_upsert_stream(s, &b), STORE_OK);
  assert_int_equal(count(s), 600);
  /* Walk across several pages, in id order. */
  struct walk *w = calloc(1, sizeof *w);
  assert_int_equal(s->ops->services_each(s, walk_service, w), STORE_OK);
  assert_int_equal(w->n, 600);
  for (size_t i = 1; i < w->n; i++)
    assert_true(strcmp(w->ids[i - 1], w->ids[i]) < 0);
  free(w);
  /* The source abandons the batch half way: nothing of it stays. */
  struct stream st2 = {.next = 601, .last = 900, .abort_at = 700};
  b.cls = &st2;
  assert_int_equal(s->ops->services_upsert_stream(s, &b), STORE_ERROR);
  json_decref(st2.cur);
  assert_int_equal(count(s), 600);
}

static char *stamp_of(struct store *s)
{
  char *v = NULL;
  enum store_status st = s->ops->meta_get(s, "directory_updated_at", &v);
  assert_true(st == STORE_OK || st == STORE_NOT_FOUND);
  return v;
}

/* Whether the stamp is still first. */
static bool stamp_is(struct store *s, const char *first)
{
  char *now = stamp_of(s);
  bool same = now && first && strcmp(now, first) == 0;
  free(now);
  return same;
}

static bool refuse_commit(void *cls)
{
  (void)cls;
  return false;
}

/* The services and the stamp commit together: a batch that is abandoned, or
 * whose commit is refused, leaves neither. */
static void test_stream_stamp_commits_with_the_data(void **state)
{
  struct fixture *f = *state;
  struct store *s = f->s;
  assert_null(stamp_of(s));
  struct stream st = {.next = 1, .last = 10, .abort_at = -1};
  struct store_service_batch b = {
      .next = stream_next, .stamp_key = "directory_updated_at", .cls = &st};
  assert_int_equal(s->ops->services_upsert_stream(s, &b), STORE_OK);
  assert_int_equal(count(s), 10);
  char *first = stamp_of(s);
  assert_non_null(first);
  /* UTC with milliseconds, so two imports in one second still differ. */
  assert_int_equal(strlen(first), strlen("2026-11-20T09:00:00.123Z"));
  assert_int_equal(first[10], 'T');
  assert_int_equal(first[23], 'Z');
  /* Abandoned half way: no services, and the stamp as it was. */
  struct stream st2 = {.next = 11, .last = 20, .abort_at = 15};
  b.cls = &st2;
  assert_int_equal(s->ops->services_upsert_stream(s, &b), STORE_ERROR);
  json_decref(st2.cur);
  assert_int_equal(count(s), 10);
  assert_true(stamp_is(s, first));
  /* Every service given, and the commit refused (a dry run): the same. */
  struct stream st3 = {.next = 11, .last = 20, .abort_at = -1};
  b.cls = &st3;
  b.commit = refuse_commit;
  assert_int_equal(s->ops->services_upsert_stream(s, &b), STORE_ERROR);
  assert_int_equal(count(s), 10);
  assert_true(stamp_is(s, first));
  /* Committed again: a new stamp. */
  usleep(2000);
  struct stream st4 = {.next = 11, .last = 20, .abort_at = -1};
  b.cls = &st4;
  b.commit = NULL;
  assert_int_equal(s->ops->services_upsert_stream(s, &b), STORE_OK);
  assert_int_equal(count(s), 20);
  assert_false(stamp_is(s, first));
  free(first);
  /* Postcodes: the stamp with the batch that carries it, or alone. */
  struct store_postcode pc = {"DM1 1AB", 54.1, -0.9};
  first = stamp_of(s);
  usleep(2000);
  assert_int_equal(s->ops->postcodes_upsert(s, &pc, 1, NULL), STORE_OK);
  assert_true(stamp_is(s, first));
  assert_int_equal(s->ops->postcodes_upsert(s, NULL, 0, "directory_updated_at"), STORE_OK);
  assert_false(stamp_is(s, first));
  free(first);
  struct store_postcode bad = {"", 1, 1};
  first = stamp_of(s);
  usleep(2000);
  assert_int_equal(s->ops->postcodes_upsert(s, &bad, 1, "directory_updated_at"), STORE_ERROR);
  assert_true(stamp_is(s, first));
  free(first);
}

/* A batch of one service (number known), and what its check was shown. */
struct walked {
  struct stream st;
  int known;
  char ids[8][40];
  size_t n;
  bool refuse;
};

static int walked_next(void *cls, json_t **service, const char **json)
{
  return stream_next(&((struct walked *)cls)->st, service, json);
}

static bool walked_known(void *cls, const char *id)
{
  return atoi(id + 24) == ((struct walked *)cls)->known;
}

static bool walked_check(void *cls, json_t *service)
{
  struct walked *w = cls;
  /* Only the ids: the service's, and its service_at_locations'. */
  assert_int_equal(json_object_size(service), 2);
  json_t *sals = json_object_get(service, "service_at_locations");
  assert_true(json_is_array(sals));
  if (json_array_size(sals)) {
    assert_int_equal(json_object_size(json_array_get(sals, 0)), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(sals, 0), "id")),
                        "22222222-2222-4222-8222-222222222222");
  }
  snprintf(w->ids[w->n++], sizeof w->ids[0], "%s",
           json_string_value(json_object_get(service, "id")));
  return !w->refuse;
}

/* After the batch, every stored service it does not give is checked, in id
 * order, from inside the transaction; check refusing rolls all back. */
static void test_stream_checks_the_other_stored_services(void **state)
{
  struct fixture *f = *state;
  struct store *s = f->s;
  json_t *one = svc(1, "one");
  json_object_set_new(one, "service_at_locations",
                      json_pack("[{s:s, s:s}]", "id", "22222222-2222-4222-8222-222222222222",
                                "description", "a place"));
  json_t *arr = json_pack("[o,o,o]", one, svc(2, "two"), svc(3, "three"));
  assert_int_equal(s->ops->services_upsert(s, arr), STORE_OK);
  json_decref(arr);
  struct walked w = {.st = {.next = 2, .last = 2, .abort_at = -1}, .known = 2};
  struct store_service_batch b = {
      .next = walked_next, .known = walked_known, .check = walked_check, .cls = &w};
  assert_int_equal(s->ops->services_upsert_stream(s, &b), STORE_OK);
  json_decref(w.st.cur);
  assert_int_equal(w.n, 2);
  assert_string_equal(w.ids[0], "00000000-0000-4000-8000-000000000001");
  assert_string_equal(w.ids[1], "00000000-0000-4000-8000-000000000003");
  /* Refused: the new service 4 is not kept. */
  struct walked w2 = {.st = {.next = 4, .last = 4, .abort_at = -1}, .known = 4, .refuse = true};
  b.cls = &w2;
  assert_int_equal(s->ops->services_upsert_stream(s, &b), STORE_ERROR);
  json_decref(w2.st.cur);
  assert_int_equal(count(s), 3);
}

struct pc_walk {
  size_t n;
  char first[9], last[9], prev[9];
  bool ordered;
  double lat_of_b;
};

static bool walk_pc(void *cls, const struct store_postcode *pc)
{
  struct pc_walk *w = cls;
  if (w->n == 0)
    snprintf(w->first, sizeof w->first, "%s", pc->pc);
  else if (strcmp(w->prev, pc->pc) >= 0)
    w->ordered = false;
  snprintf(w->prev, sizeof w->prev, "%s", pc->pc);
  snprintf(w->last, sizeof w->last, "%s", pc->pc);
  if (strcmp(pc->pc, "DM1 1AB") == 0)
    w->lat_of_b = pc->lat;
  w->n++;
  return true;
}

static void test_postcodes(void **state)
{
  struct fixture *f = *state;
  struct store *s = f->s;
  struct store_postcode pcs[3] = {
      {"DM1 1AB", 54.1, -0.9}, {"AB10 1AA", 57.1, -2.1}, {"SW1A 1AA", 51.5, -0.14}};
  assert_int_equal(s->ops->postcodes_upsert(s, pcs, 3, NULL), STORE_OK);
  struct store_postcode again = {"DM1 1AB", 54.2, -0.8};
  assert_int_equal(s->ops->postcodes_upsert(s, &again, 1, NULL), STORE_OK);
  struct pc_walk w = {.ordered = true};
  assert_int_equal(s->ops->postcodes_each(s, walk_pc, &w), STORE_OK);
  assert_int_equal(w.n, 3);
  assert_string_equal(w.first, "AB10 1AA");
  assert_string_equal(w.last, "SW1A 1AA");
  assert_true(w.lat_of_b > 54.19 && w.lat_of_b < 54.21);
  /* A batch with an empty postcode is refused whole. */
  struct store_postcode bad[2] = {{"E1 6AN", 51.5, -0.07}, {"", 1, 1}};
  assert_int_equal(s->ops->postcodes_upsert(s, bad, 2, NULL), STORE_ERROR);
  memset(&w, 0, sizeof w);
  w.ordered = true;
  assert_int_equal(s->ops->postcodes_each(s, walk_pc, &w), STORE_OK);
  assert_int_equal(w.n, 3);
  /* Many, across walk pages. */
  size_t many = 10000;
  struct store_postcode *big = calloc(many, sizeof *big);
  for (size_t i = 0; i < many; i++) {
    snprintf(big[i].pc, sizeof big[i].pc, "N%zu %zuAA", i / 10 + 1, i % 10);
    big[i].lat = 51.5;
    big[i].lon = -0.1;
  }
  assert_int_equal(s->ops->postcodes_upsert(s, big, many, NULL), STORE_OK);
  free(big);
  memset(&w, 0, sizeof w);
  w.ordered = true;
  assert_int_equal(s->ops->postcodes_each(s, walk_pc, &w), STORE_OK);
  assert_int_equal(w.n, many + 3);
  assert_true(w.ordered);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_upsert_count_each, setup, teardown),
      cmocka_unit_test_setup_teardown(test_json_round_trip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_upsert_all_or_nothing, setup, teardown),
      cmocka_unit_test_setup_teardown(test_stream_commit_and_abort, setup, teardown),
      cmocka_unit_test_setup_teardown(test_stream_stamp_commits_with_the_data, setup, teardown),
      cmocka_unit_test_setup_teardown(test_stream_checks_the_other_stored_services, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_postcodes, setup, teardown),
  };
  int failed = cmocka_run_group_tests_name("directory_store sqlite", tests, NULL, NULL);
  if (!pg_test_server()) {
    printf("directory_store postgres: skipped: no PostgreSQL (FIRSTDAYS_TEST_PG is not set; "
           "tests/pg/with-pg.sh starts one)\n");
    return failed;
  }
  on_postgres = true;
  return failed + cmocka_run_group_tests_name("directory_store postgres", tests, NULL, NULL);
}
