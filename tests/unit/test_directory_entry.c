/* test_directory_entry.c: reading people-facing facts from one ORUK service,
 * the firstdays vocabularies, and taxonomies given in full. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "directory/entry.h"
#include "directory/index.h"

static json_t *term(const char *taxonomy, const char *taxonomy_id, const char *code,
                    const char *name)
{
  json_t *t = json_pack("{s:s, s:s, s:s}", "id", code, "name", name, "description", name);
  if (taxonomy)
    json_object_set_new(t, "taxonomy", json_string(taxonomy));
  if (taxonomy_id)
    json_object_set_new(t, "taxonomy_id", json_string(taxonomy_id));
  json_object_set_new(t, "term", json_string(code));
  return t;
}

static json_t *attr(json_t *t, const char *value)
{
  json_t *a = json_pack("{s:s, s:o}", "id", "a", "taxonomy_term", t);
  if (value)
    json_object_set_new(a, "value", json_string(value));
  return a;
}

static void kinds_by_taxonomy_id_or_name(void **state)
{
  (void)state;
  struct {
    const char *taxonomy, *taxonomy_id;
    enum directory_kind want;
  } cases[] = {
      {NULL, DIRECTORY_TAXONOMY_NEEDS, DIRECTORY_KIND_NEED},
      {NULL, DIRECTORY_TAXONOMY_STAGES, DIRECTORY_KIND_STAGE},
      {NULL, DIRECTORY_TAXONOMY_REFERRAL, DIRECTORY_KIND_REFERRAL},
      {"firstdays needs", NULL, DIRECTORY_KIND_NEED},
      {"firstdays-needs", NULL, DIRECTORY_KIND_NEED},
      {"Firstdays Stage", NULL, DIRECTORY_KIND_STAGE},
      {"firstdays referral routes", NULL, DIRECTORY_KIND_REFERRAL},
      {"firstdays-referral", NULL, DIRECTORY_KIND_REFERRAL},
      {"DfE family hubs service categories", "1ab5a877-4ed3-5df9-bda0-563a9d4a96b3",
       DIRECTORY_KIND_OTHER},
      {NULL, NULL, DIRECTORY_KIND_OTHER},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    json_t *t = term(cases[i].taxonomy, cases[i].taxonomy_id, "x", "X");
    assert_int_equal(directory_term_kind(t), cases[i].want);
    json_decref(t);
  }
}

static void referrals_terms_and_last_checked(void **state)
{
  (void)state;
  json_t *attrs = json_array();
  json_array_append_new(attrs, attr(term("firstdays needs", NULL, "feeding", "Feeding"), NULL));
  json_array_append_new(
      attrs,
      attr(term(NULL, DIRECTORY_TAXONOMY_REFERRAL, "via-gp", "Through your GP"), "Ask your GP."));
  json_array_append_new(attrs, attr(term(NULL, DIRECTORY_TAXONOMY_REFERRAL, "self-referral",
                                         "You can refer yourself"),
                                    NULL));
  json_array_append_new(attrs,
                        attr(term("firstdays stages", NULL, "pregnancy", "Pregnancy"), NULL));
  json_array_append_new(
      attrs, attr(term("firstdays meta", NULL, "last-checked", "Last checked"), "2025-02-03"));
  json_t *svc = json_pack("{s:s, s:s, s:o}", "id", "s", "name", "S", "attributes", attrs);

  struct directory_referral r[4];
  assert_int_equal(directory_entry_referrals(svc, r, 4), 2);
  assert_string_equal(r[0].code, "via-gp");
  assert_string_equal(r[0].name, "Through your GP");
  assert_string_equal(r[0].instructions, "Ask your GP.");
  assert_null(r[1].instructions);
  assert_int_equal(directory_entry_referrals(svc, r, 1), 1);

  const json_t *t[4];
  assert_int_equal(directory_entry_terms(svc, DIRECTORY_KIND_STAGE, t, 4), 1);
  assert_string_equal(json_string_value(json_object_get(t[0], "name")), "Pregnancy");
  assert_int_equal(directory_entry_terms(svc, DIRECTORY_KIND_NEED, t, 4), 1);

  struct date d;
  assert_true(directory_entry_last_checked(svc, &d)); /* the attribute */
  assert_int_equal(d.y, 2025);
  assert_int_equal(d.m, 2);
  assert_int_equal(d.d, 3);
  json_object_set_new(svc, "assured_date", json_string("2026-06-17"));
  assert_true(directory_entry_last_checked(svc, &d)); /* assured_date comes first */
  assert_int_equal(d.y, 2026);
  json_object_del(svc, "assured_date");
  json_object_del(svc, "attributes");
  assert_false(directory_entry_last_checked(svc, &d));
  json_object_set_new(svc, "last_modified", json_string("2024-12-01T10:00:00.000Z"));
  assert_true(directory_entry_last_checked(svc, &d));
  assert_int_equal(d.m, 12);
  json_object_set_new(svc, "assured_date", json_string("not a date"));
  assert_true(directory_entry_last_checked(svc, &d));
  assert_int_equal(d.y, 2024);
  json_decref(svc);
}

static void phones_without_repeats(void **state)
{
  (void)state;
  json_t *svc = json_loads(
      "{\"phones\":[{\"number\":\"01632 960001\"}],"
      "\"contacts\":[{\"phones\":[{\"number\":\"01632 960001\"},{\"number\":\"0808 157 0000\"}]},"
      "{\"name\":\"x\"}],"
      "\"service_at_locations\":[{\"location\":{\"phones\":[{\"number\":\"01632 960002\"},"
      "{\"description\":\"no number\"}]}}]}",
      0, NULL);
  assert_non_null(svc);
  const char *p[8];
  assert_int_equal(directory_entry_phones(svc, p, 8), 3);
  assert_string_equal(p[0], "01632 960001");
  assert_string_equal(p[1], "0808 157 0000");
  assert_string_equal(p[2], "01632 960002");
  assert_int_equal(directory_entry_phones(svc, p, 2), 2);
  json_decref(svc);
}

static void expect_schedule(const char *json, const char *want)
{
  json_t *sc = json_loads(json, 0, NULL);
  char out[200];
  assert_non_null(sc);
  directory_entry_schedule_text(sc, out, sizeof out);
  assert_string_equal(out, want);
  json_decref(sc);
}

static void opening_times_in_words(void **state)
{
  (void)state;
  expect_schedule("{\"description\":\"Open day and night\",\"byday\":\"MO\"}",
                  "Open day and night");
  expect_schedule("{\"byday\":\"MO,TU,WE,TH,FR\",\"opens_at\":\"09:00\",\"closes_at\":\"17:00\"}",
                  "Monday to Friday, 9am to 5pm");
  expect_schedule("{\"byday\":\"MO,WE,FR\",\"opens_at\":\"09:30:00\",\"closes_at\":\"15:00\"}",
                  "Monday, Wednesday and Friday, 9:30am to 3pm");
  expect_schedule("{\"byday\":\"SA,SU\",\"opens_at\":\"10:00\",\"closes_at\":\"12:00\"}",
                  "Saturday and Sunday, 10am to midday");
  expect_schedule(
      "{\"byday\":\"MO,TU,WE,TH,FR,SA,SU\",\"opens_at\":\"00:00\",\"closes_at\":\"23:59\"}",
      "Every day, midnight to 11:59pm");
  expect_schedule("{\"byday\":\"MO,TU,WE,FR\",\"opens_at\":\"13:15\",\"closes_at\":\"14:00\"}",
                  "Monday to Wednesday and Friday, 1:15pm to 2pm");
  expect_schedule("{\"byday\":\"TH\"}", "Thursday");
  expect_schedule("{\"opens_at\":\"08:00\",\"closes_at\":\"20:00\"}", "8am to 8pm");
  expect_schedule("{\"byday\":\"XX\",\"opens_at\":\"bad\"}", "");
  expect_schedule("{}", "");
  char t[16];
  directory_entry_time_text(0, t, sizeof t);
  assert_string_equal(t, "midnight");
  directory_entry_time_text(720, t, sizeof t);
  assert_string_equal(t, "midday");
  directory_entry_time_text(12 * 60 + 30, t, sizeof t);
  assert_string_equal(t, "12:30pm");
  directory_entry_time_text(30, t, sizeof t);
  assert_string_equal(t, "12:30am");
}

static void web_addresses_safe_for_links(void **state)
{
  (void)state;
  assert_true(directory_entry_web_url("https://example.org/a?b=c"));
  assert_true(directory_entry_web_url("http://example.org"));
  assert_false(directory_entry_web_url("javascript:alert(1)"));
  assert_false(directory_entry_web_url("ftp://example.org"));
  assert_false(directory_entry_web_url("https://example.org/\" onclick=\"x"));
  assert_false(directory_entry_web_url(NULL));
}

static void taxonomies_given_in_full(void **state)
{
  (void)state;
  struct directory_builder *b = directory_builder_new();
  char err[200];
  json_t *tx = json_loads(
      "{\"id\":\"19c08f08-373d-5ff0-b226-cab2054afffa\",\"name\":\"firstdays stages\","
      "\"description\":\"Stages.\",\"version\":\"1\",\"taxonomy_terms\":["
      "{\"id\":\"t1\",\"name\":\"Pregnancy\",\"description\":\"P\",\"term\":\"pregnancy\"},"
      "{\"id\":\"t2\",\"name\":\"1 to 2 years\",\"description\":\"Y\",\"term\":\"1-2-years\"}]}",
      0, NULL);
  assert_true(directory_builder_add_taxonomy(b, tx, err, sizeof err));
  json_t *bad = json_pack("{s:s}", "name", "no id");
  assert_false(directory_builder_add_taxonomy(b, bad, err, sizeof err));
  json_decref(bad);
  /* A service whose term names the taxonomy only by id does not replace the
   * full description. */
  json_t *svc = json_loads("{\"id\":\"s\",\"name\":\"S\",\"attributes\":[{\"id\":\"a\","
                           "\"taxonomy_term\":{\"id\":\"t1\",\"name\":\"Pregnancy\","
                           "\"description\":\"P\",\"taxonomy_id\":"
                           "\"19c08f08-373d-5ff0-b226-cab2054afffa\"}}]}",
                           0, NULL);
  assert_true(directory_builder_add_service(b, svc, err, sizeof err));
  struct directory_index *ix = directory_builder_finish(b);
  assert_int_equal(directory_taxonomy_count(ix), 1);
  struct buf out = BUF_INIT;
  directory_write_taxonomy(ix, 0, true, &out);
  json_t *j = json_loads(buf_cstr(&out), 0, NULL);
  assert_string_equal(json_string_value(json_object_get(j, "description")), "Stages.");
  assert_int_equal(json_array_size(json_object_get(j, "taxonomy_terms")), 2);
  json_decref(j);
  buf_free(&out);
  struct directory_term_info ti;
  directory_term_info(ix, directory_term_find(ix, "t2"), &ti);
  assert_int_equal(ti.kind, DIRECTORY_KIND_STAGE); /* by the taxonomy it came in */
  assert_int_equal(ti.services, 0);
  assert_true(ti.listed);
  /* The service has a stage term, so a stage it does not list excludes it. */
  struct directory_query q;
  memset(&q, 0, sizeof q);
  q.stage = "1-2-years";
  struct arena a;
  struct directory_result r;
  arena_init(&a);
  directory_search(ix, &q, &a, &r);
  assert_int_equal(r.total, 0);
  q.stage = "pregnancy";
  directory_search(ix, &q, &a, &r);
  assert_int_equal(r.total, 1);
  arena_free(&a);
  directory_index_unref(ix);
  json_decref(svc);
  json_decref(tx);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(kinds_by_taxonomy_id_or_name),
      cmocka_unit_test(referrals_terms_and_last_checked),
      cmocka_unit_test(phones_without_repeats),
      cmocka_unit_test(opening_times_in_words),
      cmocka_unit_test(web_addresses_safe_for_links),
      cmocka_unit_test(taxonomies_given_in_full),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
