/* test_directory_store.c: the SQLite directory operations: upsert by id in one
 * transaction (all or nothing), walks in id and postcode order across page
 * boundaries, counts, and JSON stored and returned byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
  char dir[64];
  char path[128];
  struct store *s;
};

static int setup(void **state)
{
  struct fixture *f = calloc(1, sizeof *f);
  snprintf(f->dir, sizeof f->dir, "/tmp/fd-store-XXXXXX");
  if (!mkdtemp(f->dir))
    return -1;
  snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
  char err[256];
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
  assert_int_equal(s->ops->services_upsert_stream(s, stream_next, &st), STORE_OK);
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
  assert_int_equal(s->ops->services_upsert_stream(s, stream_next, &st2), STORE_ERROR);
  json_decref(st2.cur);
  assert_int_equal(count(s), 600);
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
  assert_int_equal(s->ops->postcodes_upsert(s, pcs, 3), STORE_OK);
  struct store_postcode again = {"DM1 1AB", 54.2, -0.8};
  assert_int_equal(s->ops->postcodes_upsert(s, &again, 1), STORE_OK);
  struct pc_walk w = {.ordered = true};
  assert_int_equal(s->ops->postcodes_each(s, walk_pc, &w), STORE_OK);
  assert_int_equal(w.n, 3);
  assert_string_equal(w.first, "AB10 1AA");
  assert_string_equal(w.last, "SW1A 1AA");
  assert_true(w.lat_of_b > 54.19 && w.lat_of_b < 54.21);
  /* A batch with an empty postcode is refused whole. */
  struct store_postcode bad[2] = {{"E1 6AN", 51.5, -0.07}, {"", 1, 1}};
  assert_int_equal(s->ops->postcodes_upsert(s, bad, 2), STORE_ERROR);
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
  assert_int_equal(s->ops->postcodes_upsert(s, big, many), STORE_OK);
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
      cmocka_unit_test_setup_teardown(test_postcodes, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
