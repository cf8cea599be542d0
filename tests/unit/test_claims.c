/* test_claims.c: the rule for the ids a service takes in the directory index
 * (src/directory/claims.h): a service_at_location id used by another service
 * (or twice by one), a missing one, or a service id seen before is refused
 * with the field, the id and the service holding it, and takes nothing;
 * location, contact and other nested ids may be shared. The index builder
 * refuses exactly what the rule refuses, since import relies on that. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "directory/claims.h"
#include "directory/index.h"
#include <stdio.h>
#include <string.h>

#define SVC_A "00000000-0000-4000-8000-00000000000a"
#define SVC_B "00000000-0000-4000-8000-00000000000b"
#define SVC_C "00000000-0000-4000-8000-00000000000c"
#define SAL_1 "11111111-0000-4000-8000-000000000001"
#define SAL_2 "11111111-0000-4000-8000-000000000002"
#define SAL_3 "11111111-0000-4000-8000-000000000003"
#define LOC "22222222-0000-4000-8000-000000000001"
#define CONTACT "33333333-0000-4000-8000-000000000001"

/* A service with the given service_at_location ids (NULL-terminated), each at
 * the same location, with the same contact. */
static json_t *service(const char *id, const char *const *sals)
{
  json_t *list = json_array();
  for (; *sals; sals++)
    json_array_append_new(list, json_pack("{s:s, s:s, s:{s:s, s:s}}", "id", *sals, "location_id",
                                          LOC, "location", "id", LOC, "name", "Hall"));
  return json_pack("{s:s, s:s, s:s, s:o, s:[{s:s, s:s}]}", "id", id, "name", "A service", "status",
                   "active", "service_at_locations", list, "contacts", "id", CONTACT, "name",
                   "Desk");
}

static void test_shared_service_at_location_is_refused(void **state)
{
  (void)state;
  struct directory_claims *c = directory_claims_new();
  struct directory_refusal why;
  json_t *a = service(SVC_A, (const char *[]){SAL_1, NULL});
  json_t *b = service(SVC_B, (const char *[]){SAL_2, SAL_1, NULL});
  json_t *b2 = service(SVC_B, (const char *[]){SAL_2, NULL});
  assert_true(directory_claims_take(c, a, &why));
  assert_true(directory_claims_holds(c, SVC_A));
  assert_false(directory_claims_take(c, b, &why));
  assert_string_equal(why.path, "service_at_locations[1].id");
  assert_string_equal(why.id, SAL_1);
  assert_string_equal(why.holder, SVC_A);
  assert_non_null(strstr(why.message, SAL_1));
  assert_non_null(strstr(why.message, SVC_A));
  /* Nothing of b was taken: its id and its other place are still free. */
  assert_false(directory_claims_holds(c, SVC_B));
  assert_true(directory_claims_take(c, b2, &why));
  json_decref(a);
  json_decref(b);
  json_decref(b2);
  directory_claims_free(c);
}

static void test_other_refusals(void **state)
{
  (void)state;
  struct directory_claims *c = directory_claims_new();
  struct directory_refusal why;
  json_t *a = service(SVC_A, (const char *[]){SAL_1, NULL});
  assert_true(directory_claims_take(c, a, &why));
  /* The same service id again. */
  assert_false(directory_claims_take(c, a, &why));
  assert_string_equal(why.path, "id");
  assert_string_equal(why.holder, SVC_A);
  /* One place twice in one service. */
  json_t *twice = service(SVC_B, (const char *[]){SAL_2, SAL_2, NULL});
  assert_false(directory_claims_take(c, twice, &why));
  assert_string_equal(why.path, "service_at_locations[1].id");
  assert_non_null(strstr(why.message, "appears twice"));
  /* A place without an id, and a service without one. */
  json_t *noid = service(SVC_C, (const char *[]){SAL_3, NULL});
  json_object_del(json_array_get(json_object_get(noid, "service_at_locations"), 0), "id");
  assert_false(directory_claims_take(c, noid, &why));
  assert_string_equal(why.path, "service_at_locations[0].id");
  json_object_del(noid, "id");
  assert_false(directory_claims_take(c, noid, &why));
  assert_string_equal(why.path, "id");
  json_decref(a);
  json_decref(twice);
  json_decref(noid);
  directory_claims_free(c);
}

/* Many services, so that the tables grow. */
static void test_many(void **state)
{
  (void)state;
  struct directory_claims *c = directory_claims_new();
  struct directory_refusal why;
  char id[40], sal[40];
  for (int i = 0; i < 5000; i++) {
    snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", i);
    snprintf(sal, sizeof sal, "11111111-0000-4000-8000-%012d", i);
    json_t *s = service(id, (const char *[]){sal, NULL});
    assert_true(directory_claims_take(c, s, &why));
    json_decref(s);
  }
  snprintf(sal, sizeof sal, "11111111-0000-4000-8000-%012d", 4321);
  json_t *s = service(SVC_A, (const char *[]){sal, NULL});
  assert_false(directory_claims_take(c, s, &why));
  assert_string_equal(why.holder, "00000000-0000-4000-8000-000000004321");
  assert_true(directory_claims_holds(c, "00000000-0000-4000-8000-000000000007"));
  assert_false(directory_claims_holds(c, SVC_A));
  json_decref(s);
  directory_claims_free(c);
}

/* The index builder keeps or leaves out each service as the rule says;
 * locations and contacts shared between services are kept. */
static void test_builder_follows_the_rule(void **state)
{
  (void)state;
  json_t *list[] = {
      service(SVC_A, (const char *[]){SAL_1, NULL}),
      service(SVC_B, (const char *[]){SAL_2, SAL_1, NULL}), /* SAL_1 is A's */
      service(SVC_C, (const char *[]){SAL_3, NULL}),        /* shares A's location, contact */
      service(SVC_C, (const char *[]){SAL_2, NULL}),        /* C again */
  };
  struct directory_claims *c = directory_claims_new();
  struct directory_builder *b = directory_builder_new();
  size_t kept = 0;
  for (size_t i = 0; i < sizeof list / sizeof list[0]; i++) {
    struct directory_refusal why;
    char err[256];
    bool rule = directory_claims_take(c, list[i], &why);
    bool index = directory_builder_add_service(b, list[i], err, sizeof err);
    assert_int_equal(rule, index);
    if (!index)
      assert_non_null(strstr(err, why.message));
    kept += index;
    json_decref(list[i]);
  }
  assert_int_equal(kept, 2);
  struct directory_index *ix = directory_builder_finish(b);
  struct directory_stats st;
  directory_index_stats(ix, &st);
  assert_int_equal(st.services, 2);
  assert_int_equal(st.service_at_locations, 2);
  directory_index_unref(ix);
  directory_claims_free(c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_shared_service_at_location_is_refused),
      cmocka_unit_test(test_other_refusals),
      cmocka_unit_test(test_many),
      cmocka_unit_test(test_builder_follows_the_rule),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
