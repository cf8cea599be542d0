/* test_resources.c: the curated resources list (src/resources/catalogue.c):
 * parsing content/resources.json, rejecting malformed files with a message
 * naming the resource and the field, and worked examples of the stage and
 * topic filter behind /resources. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "content/content.h"
#include "resources/catalogue.h"
#include <stdio.h>
#include <string.h>

#define TERMS                                                                                      \
  "\"stages\": [{\"id\": \"pregnancy\", \"label\": \"Pregnancy\"},"                                \
  " {\"id\": \"0-12-months\", \"label\": \"Birth to 12 months\"},"                                 \
  " {\"id\": \"1-2-years\", \"label\": \"1 to 2 years\"}],"                                        \
  "\"topics\": [{\"id\": \"bonding\", \"label\": \"Bonding\"},"                                    \
  " {\"id\": \"mental-health\", \"label\": \"Mental health\"},"                                    \
  " {\"id\": \"feeding\", \"label\": \"Feeding\"}],"

#define ENTRY(title, stages, topics)                                                               \
  "{\"title\": \"" title "\", \"url\": \"https://example.org/" title "\", "                        \
  "\"organisation\": \"Org\", \"description\": \"About " title "\", "                              \
  "\"stages\": " stages ", \"topics\": " topics "}"

/* Four entries:
 *   A  pregnancy                 bonding
 *   B  0-12-months, 1-2-years    bonding, feeding
 *   C  all stages                mental-health
 *   D  pregnancy, 0-12-months    mental-health, feeding */
static const char sample
    [] = "{" TERMS
         "\"resources\": [" ENTRY("A", "[\"pregnancy\"]", "[\"bonding\"]") "," ENTRY(
             "B", "[\"0-12-months\", \"1-2-years\"]",
             "[\"bonding\", \"feeding\"]") "," ENTRY("C",
                                                     "[\"pregnancy\", \"0-12-months\", "
                                                     "\"1-2-years\"]",
                                                     "[\"mental-health\"]") "," ENTRY("D",
                                                                                      "[\"pregnancy"
                                                                                      "\", "
                                                                                      "\"0-12-"
                                                                                      "months\"]",
                                                                                      "[\"mental-"
                                                                                      "health\", "
                                                                                      "\"feeding\""
                                                                                      "]") "]}";

static struct resource_catalogue *cat;

static int setup(void **state)
{
  (void)state;
  char err[512] = "";
  cat = catalogue_parse(sample, strlen(sample), "sample.json", err, sizeof err);
  if (!cat)
    fprintf(stderr, "%s\n", err);
  return cat ? 0 : -1;
}

static int teardown(void **state)
{
  (void)state;
  catalogue_free(cat);
  return 0;
}

static void parses_terms_and_entries(void **state)
{
  (void)state;
  assert_int_equal(cat->nstages, 3);
  assert_int_equal(cat->ntopics, 3);
  assert_int_equal(cat->n, 4);
  assert_string_equal(cat->stages[1].id, "0-12-months");
  assert_string_equal(cat->stages[1].label, "Birth to 12 months");
  assert_string_equal(cat->entries[1].title, "B");
  assert_string_equal(cat->entries[1].url, "https://example.org/B");
  assert_int_equal(cat->entries[1].stages, 0x6); /* 0-12-months, 1-2-years */
  assert_int_equal(cat->entries[1].topics, 0x5); /* bonding, feeding */
}

/* Run the filter and return the matching titles joined, e.g. "ACD". */
static const char *titles(const char *stage, const char *topic, unsigned *bad)
{
  static char out[16];
  size_t idx[8];
  struct catalogue_query q;
  *bad = catalogue_query_parse(cat, stage, topic, &q);
  size_t n = catalogue_filter(cat, q, idx);
  for (size_t i = 0; i < n; i++)
    out[i] = cat->entries[idx[i]].title[0];
  out[n] = '\0';
  return out;
}

static void filter_worked_examples(void **state)
{
  (void)state;
  unsigned bad;
  assert_string_equal(titles(NULL, NULL, &bad), "ABCD");
  assert_int_equal(bad, CATALOGUE_OK);
  assert_string_equal(titles("", "", &bad), "ABCD");
  assert_string_equal(titles("pregnancy", NULL, &bad), "ACD");
  assert_string_equal(titles("1-2-years", "", &bad), "BC");
  assert_string_equal(titles(NULL, "feeding", &bad), "BD");
  assert_string_equal(titles("pregnancy", "mental-health", &bad), "CD");
  assert_string_equal(titles("0-12-months", "bonding", &bad), "B");
  assert_string_equal(titles("1-2-years", "feeding", &bad), "B");
  assert_string_equal(titles("pregnancy", "feeding", &bad), "D");
  assert_string_equal(titles("1-2-years", "bonding", &bad), "B");
  assert_int_equal(bad, CATALOGUE_OK);
}

static void filter_nothing_matches(void **state)
{
  (void)state;
  /* No entry is for 1-2 years and about bonding: an empty list, not an error. */
  static const char json[] =
      "{" TERMS "\"resources\": [" ENTRY("A", "[\"pregnancy\"]", "[\"bonding\"]") "]}";
  char err[256];
  struct resource_catalogue *c = catalogue_parse(json, strlen(json), "x.json", err, sizeof err);
  assert_non_null(c);
  size_t idx[2];
  struct catalogue_query q;
  assert_int_equal(catalogue_query_parse(c, "1-2-years", "bonding", &q), CATALOGUE_OK);
  assert_int_equal(catalogue_filter(c, q, idx), 0);
  catalogue_free(c);
}

static void query_values(void **state)
{
  (void)state;
  struct catalogue_query q;
  assert_int_equal(catalogue_query_parse(cat, "Pregnancy", "BONDING", &q), CATALOGUE_OK);
  assert_int_equal(q.stage, 0);
  assert_int_equal(q.topic, 0);
  assert_int_equal(catalogue_query_parse(cat, "newborn", NULL, &q), CATALOGUE_BAD_STAGE);
  assert_int_equal(q.stage, -1);
  /* A good stage is kept when the topic is bad, so the form can show it. */
  assert_int_equal(catalogue_query_parse(cat, "1-2-years", "sleep", &q), CATALOGUE_BAD_TOPIC);
  assert_int_equal(q.stage, 2);
  assert_int_equal(q.topic, -1);
  assert_int_equal(catalogue_query_parse(cat, "x", "y", &q),
                   CATALOGUE_BAD_STAGE | CATALOGUE_BAD_TOPIC);
  assert_int_equal(catalogue_query_parse(cat, "pregnancy ", NULL, &q), CATALOGUE_BAD_STAGE);
  assert_int_equal(catalogue_query_parse(cat, "<script>", NULL, &q), CATALOGUE_BAD_STAGE);
}

static void builtin_catalogue_is_valid(void **state)
{
  (void)state;
  char err[512] = "";
  struct content *c = content_load(NULL, err, sizeof err);
  assert_non_null(c);
  struct resource_catalogue *b = catalogue_load(c, err, sizeof err);
  if (!b)
    fprintf(stderr, "%s\n", err);
  assert_non_null(b);
  assert_true(b->n >= 10);
  static const char *const must[] = {
      "Tiny Happy People", "Look, Say, Sing, Play",    "PANDAS", "Baby Buddy", "Tommy's",
      "Start for Life",    "Parent-Infant Foundation", "Mind",   "Samaritans", "AIMH UK"};
  for (size_t k = 0; k < sizeof must / sizeof must[0]; k++) {
    bool found = false;
    for (size_t i = 0; i < b->n; i++)
      found = found || strstr(b->entries[i].title, must[k]) ||
              strstr(b->entries[i].organisation, must[k]);
    if (!found)
      fprintf(stderr, "missing resource: %s\n", must[k]);
    assert_true(found);
  }
  for (size_t i = 0; i < b->n; i++) {
    assert_true(strncmp(b->entries[i].url, "https://", 8) == 0);
    assert_true(b->entries[i].stages != 0);
    assert_true(b->entries[i].topics != 0);
  }
  /* Every stage and every topic has at least one resource. */
  for (size_t s = 0; s < b->nstages; s++) {
    size_t idx[64];
    struct catalogue_query q = {(int)s, -1};
    assert_true(catalogue_filter(b, q, idx) > 0);
  }
  for (size_t t = 0; t < b->ntopics; t++) {
    size_t idx[64];
    struct catalogue_query q = {-1, (int)t};
    assert_true(catalogue_filter(b, q, idx) > 0);
  }
  catalogue_free(b);
  content_free(c);
}

static void malformed_files_are_rejected(void **state)
{
  (void)state;
  static const struct {
    const char *json, *want1, *want2;
  } cases[] = {
      {"{\"stages\": [", "line", "x.json"},
      {"[]", "one JSON object", "x.json"},
      {"{\"topics\": []}", "'stages'", "x.json"},
      {"{\"stages\": [{\"id\": \"Bad Id\", \"label\": \"B\"}]}", "'id'", "stages entry 1"},
      {"{\"stages\": [{\"id\": \"a\", \"label\": \"A\"}, {\"id\": \"a\", \"label\": \"B\"}]}",
       "used twice", "stages entry 2"},
      {"{\"stages\": [{\"id\": \"a\"}]}", "'label'", "stages entry 1"},
      {"{" TERMS "\"resources\": {}}", "'resources'", "x.json"},
      {"{" TERMS "\"resources\": [" ENTRY("A", "[\"newborn\"]", "[\"bonding\"]") "]}", "'stages'",
       "resource 1 (\"A\")"},
      {"{" TERMS "\"resources\": [" ENTRY("A", "[]", "[\"bonding\"]") "]}", "'stages'",
       "resource 1"},
      {"{" TERMS "\"resources\": [" ENTRY("A", "[\"pregnancy\"]", "[\"sleep\"]") "]}", "'topics'",
       "resource 1"},
      {"{" TERMS "\"resources\": [" ENTRY(
           "A", "[\"pregnancy\"]",
           "[\"bonding\"]") ","
                            "{\"url\": \"https://example.org/\", \"organisation\": \"O\", "
                            "\"description\": \"D\", "
                            "\"stages\": [\"pregnancy\"], \"topics\": [\"bonding\"]}]}",
       "'title'", "resource 2"},
      {"{" TERMS "\"resources\": [{\"title\": \"T\", \"url\": \"javascript:alert(1)\", "
       "\"organisation\": \"O\", \"description\": \"D\", \"stages\": [\"pregnancy\"], "
       "\"topics\": [\"bonding\"]}]}",
       "'url'", "resource 1 (\"T\")"},
      {"{" TERMS "\"resources\": [{\"title\": \"T\", \"url\": \"https://a.org/\\\"x\", "
       "\"organisation\": \"O\", \"description\": \"D\", \"stages\": [\"pregnancy\"], "
       "\"topics\": [\"bonding\"]}]}",
       "'url'", "resource 1"},
      {"{" TERMS "\"resources\": [{\"title\": \"T\", \"url\": \"https://a.org/\", "
       "\"organisation\": \"\", \"description\": \"D\", \"stages\": [\"pregnancy\"], "
       "\"topics\": [\"bonding\"]}]}",
       "'organisation'", "resource 1"},
      {"{" TERMS "\"resources\": [7]}", "not an object", "resource 1"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char err[512] = "";
    struct resource_catalogue *c =
        catalogue_parse(cases[i].json, strlen(cases[i].json), "x.json", err, sizeof err);
    if (c || !strstr(err, cases[i].want1) || !strstr(err, cases[i].want2))
      fprintf(stderr, "case %zu: '%s' lacks '%s' or '%s'\n", i, err, cases[i].want1,
              cases[i].want2);
    assert_null(c);
    assert_non_null(strstr(err, "x.json"));
    assert_non_null(strstr(err, cases[i].want1));
    assert_non_null(strstr(err, cases[i].want2));
  }
}

static void too_many_terms_are_rejected(void **state)
{
  (void)state;
  char json[4096] = "{\"stages\": [";
  for (int i = 0; i < CATALOGUE_MAX_TERMS + 1; i++)
    snprintf(json + strlen(json), sizeof json - strlen(json),
             "%s{\"id\": \"s%d\", \"label\": \"S\"}", i ? "," : "", i);
  strcat(json, "]}");
  char err[256] = "";
  assert_null(catalogue_parse(json, strlen(json), "x.json", err, sizeof err));
  assert_non_null(strstr(err, "at most 32"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(parses_terms_and_entries),
      cmocka_unit_test(filter_worked_examples),
      cmocka_unit_test(filter_nothing_matches),
      cmocka_unit_test(query_values),
  };
  const struct CMUnitTest loading[] = {
      cmocka_unit_test(builtin_catalogue_is_valid),
      cmocka_unit_test(malformed_files_are_rejected),
      cmocka_unit_test(too_many_terms_are_rejected),
  };
  int failed = cmocka_run_group_tests_name("resources filter", tests, setup, teardown);
  failed += cmocka_run_group_tests_name("resources loading", loading, NULL, NULL);
  return failed ? 1 : 0;
}
