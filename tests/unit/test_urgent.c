/* test_urgent.c: the urgent-help routes read from content/urgent/ (src/content/
 * urgent.c). The national routes come from the built-in file, always; a
 * deployment can add routes but never drop or change a national one (hazards
 * H4 and H10 in docs/clinical-safety/hazard-log.md). Facts: reference
 * clinical.md section 10. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content/content.h"
#include "content/urgent.h"

static struct content *content;
static const char *national;
static size_t national_len;

static int setup(void **state)
{
  (void)state;
  char err[256];
  content = content_load(NULL, err, sizeof err);
  if (!content)
    return -1;
  const struct content_file *f = content_get(content, "urgent/routes.json");
  if (!f)
    return -1;
  national = f->data;
  national_len = f->len;
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  content_free(content);
  return 0;
}

/* national with the first occurrence of from replaced by to (malloc'd). */
static char *variant(const char *from, const char *to)
{
  const char *p = strstr(national, from);
  if (!p)
    fail_msg("'%s' is not in the national file", from);
  size_t n = national_len - strlen(from) + strlen(to) + 1;
  char *s = malloc(n);
  snprintf(s, n, "%.*s%s%s", (int)(p - national), national, to, p + strlen(from));
  return s;
}

static void test_national_routes_from_clinical_reference(void **state)
{
  (void)state;
  char err[256] = "";
  struct urgent_set *s = urgent_load(content, err, sizeof err);
  assert_non_null(s);
  assert_int_equal(s->n, s->nnational);
  const struct urgent_route *e = urgent_find(s, "999");
  assert_non_null(e);
  assert_string_equal(e->level, "emergency");
  assert_string_equal(e->href, "tel:999");
  assert_true(e->nsigns >= 1);
  const struct urgent_route *m = urgent_find(s, "111");
  assert_non_null(m);
  assert_string_equal(m->action, "Call 111 and choose the mental health option");
  assert_null(strstr(m->action, "option 2")); /* clinical.md 10: avoid "option 2" */
  assert_string_equal(urgent_find(s, "samaritans")->href, "tel:116123");
  assert_string_equal(urgent_find(s, "shout")->href, "sms:85258?body=SHOUT");
  for (size_t i = 0; i < s->n; i++) {
    assert_true(s->routes[i].nsources >= 1);
    assert_false(s->routes[i].local);
  }
  /* The built-in copy is the same. */
  const struct urgent_set *b = urgent_builtin();
  assert_int_equal(b->n, s->n);
  assert_string_equal(urgent_find(b, "999")->when, e->when);
  urgent_free(s);
}

static void test_join_short(void **state)
{
  (void)state;
  static const char *const ids[] = {"111", "none-such", "samaritans", "999"};
  char out[256];
  urgent_join_short(urgent_builtin(), ids, 4, out, sizeof out);
  assert_string_equal(out, "call 111 and choose the mental health option, call Samaritans on "
                           "116 123 or call 999 if a life is at risk now");
}

static const char local_ok[] =
    "{\"routes\": [{\"id\": \"crisis-line\", \"level\": \"urgent\", \"topics\": "
    "[\"mental-health\"],"
    " \"name\": \"Demo crisis line\", \"action\": \"Call the crisis line on 0800 000 0000\","
    " \"href\": \"tel:08000000000\", \"when\": \"if you need help now\","
    " \"short\": \"call the crisis line\", \"sources\": [\"https://example.org/crisis\"]},"
    " {\"id\": \"maternity-triage\", \"level\": \"urgent\", \"topics\": [\"pregnancy\"],"
    " \"name\": \"Maternity triage\", \"action\": \"Call maternity triage\","
    " \"when\": \"if you are worried about your pregnancy\", \"short\": \"call maternity triage\","
    " \"sources\": [\"https://example.org/maternity\"]}]}";

static void test_local_routes_are_added_after_the_national_ones(void **state)
{
  (void)state;
  char err[256] = "";
  struct urgent_set *s =
      urgent_parse(national, national_len, NULL, 0, local_ok, strlen(local_ok), err, sizeof err);
  if (!s)
    fail_msg("%s", err);
  assert_int_equal(s->n, s->nnational + 2);
  assert_true(s->routes[s->nnational].local);
  assert_string_equal(s->routes[s->nnational].id, "crisis-line");
  assert_true(s->routes[s->nnational + 1].topics & URGENT_TOPIC_PREGNANCY);
  assert_non_null(urgent_find(s, "999"));
  urgent_free(s);
}

/* A deployment's own copy of routes.json: kept national routes plus new
 * ones is fine; a dropped or changed national route is refused, naming the
 * file, so app_init sets it aside and the built-in routes serve. */
static void test_overlay_keeps_every_national_route(void **state)
{
  (void)state;
  char err[512] = "";
  /* The national file itself, with one local route added at the end. */
  char *added = variant("\n  ]\n}", ",\n    {\"id\": \"pmht\", \"level\": \"urgent\", \"topics\": "
                                    "[\"mental-health\"], \"name\": \"Perinatal mental health "
                                    "team\", \"action\": \"Call the team\", \"when\": \"if you "
                                    "are under the team\", \"short\": \"call the team\", "
                                    "\"sources\": [\"https://example.org/pmht\"]}\n  ]\n}");
  struct urgent_set *s =
      urgent_parse(national, national_len, added, strlen(added), NULL, 0, err, sizeof err);
  if (!s)
    fail_msg("%s", err);
  assert_int_equal(s->n, s->nnational + 1);
  assert_true(urgent_find(s, "pmht")->local);
  urgent_free(s);
  free(added);

  static const struct {
    const char *from, *to, *msg;
  } cases[] = {
      {"\"href\": \"tel:116123\"", "\"href\": \"tel:116124\"",
       "national route 'samaritans' is changed"},
      {"\"id\": \"shout\"", "\"id\": \"shout-local\"", "national route 'shout' is missing"},
      {"\"id\": \"111\",", "\"id\": \"x111\",", "national route '111' is missing"},
      {"Call 999 or go to A&E now\"", "Call 999\"", "national route '999' is changed"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *ov = variant(cases[i].from, cases[i].to);
    err[0] = '\0';
    s = urgent_parse(national, national_len, ov, strlen(ov), NULL, 0, err, sizeof err);
    if (s || !strstr(err, cases[i].msg) || !strstr(err, "content/urgent/routes.json"))
      fail_msg("case %zu: err='%s' (wanted '%s')", i, err, cases[i].msg);
    free(ov);
  }
}

static void test_local_file_errors_name_the_file_and_field(void **state)
{
  (void)state;
  static const struct {
    const char *text, *msg;
  } cases[] = {
      {"[]", "'routes' list"},
      {"{\"routes\": [{\"id\": \"111\", \"level\": \"urgent\", \"topics\": [\"mental-health\"], "
       "\"name\": \"n\", \"action\": \"a\", \"when\": \"w\", \"short\": \"s\", \"sources\": "
       "[\"https://x.org\"]}]}",
       "id of a national route"},
      {"{\"routes\": [{\"id\": \"x\", \"level\": \"emergency\", \"topics\": [\"baby\"], "
       "\"name\": \"n\", \"action\": \"a\", \"when\": \"w\", \"short\": \"s\", \"signs\": [\"s\"], "
       "\"sources\": [\"https://x.org\"]}]}",
       "cannot be \"emergency\""},
      {"{\"routes\": [{\"id\": \"x\", \"level\": \"urgent\", \"topics\": [\"baby\"], "
       "\"name\": \"n\", \"action\": \"a\", \"when\": \"w\", \"short\": \"s\"}]}",
       "routes[0]: 'sources' is missing"},
      {"{\"routes\": [{\"id\": \"x\", \"level\": \"urgent\", \"topics\": [\"feet\"], "
       "\"name\": \"n\", \"action\": \"a\", \"when\": \"w\", \"short\": \"s\", \"sources\": "
       "[\"https://x.org\"]}]}",
       "topics[0] 'feet'"},
      {"{\"routes\": [{\"id\": \"x\", \"level\": \"urgent\", \"topics\": [\"baby\"], "
       "\"name\": \"n\", \"action\": \"a\", \"href\": \"javascript:alert(1)\", \"when\": \"w\", "
       "\"short\": \"s\", \"sources\": [\"https://x.org\"]}]}",
       "'href' must start"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char err[512] = "";
    struct urgent_set *s = urgent_parse(national, national_len, NULL, 0, cases[i].text,
                                        strlen(cases[i].text), err, sizeof err);
    if (s || !strstr(err, cases[i].msg) || !strstr(err, "content/urgent/local.json"))
      fail_msg("case %zu: err='%s' (wanted '%s')", i, err, cases[i].msg);
  }
}

/* Through content_load with a deployment folder: the message names the
 * deployment's file, so app_init can set it aside. */
static void test_deployment_folder(void **state)
{
  (void)state;
  char dir[] = "/tmp/fd-urgent-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[256];
  snprintf(path, sizeof path, "%s/urgent", dir);
  assert_int_equal(mkdir(path, 0700), 0);
  snprintf(path, sizeof path, "%s/urgent/routes.json", dir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("{\"cards\": {}, \"routes\": []}", f);
  fclose(f);
  char err[512] = "";
  struct content *c = content_load(dir, err, sizeof err);
  assert_non_null(c);
  struct urgent_set *s = urgent_load(c, err, sizeof err);
  assert_null(s);
  assert_non_null(strstr(err, "national route '999' is missing"));
  assert_string_equal(content_local_named(c, err), "urgent/routes.json");
  assert_true(content_set_aside(c, "urgent/routes.json"));
  s = urgent_load(c, err, sizeof err);
  assert_non_null(s);
  assert_non_null(urgent_find(s, "999"));
  urgent_free(s);
  content_free(c);
  remove(path);
  snprintf(path, sizeof path, "%s/urgent", dir);
  rmdir(path);
  rmdir(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_national_routes_from_clinical_reference),
      cmocka_unit_test(test_join_short),
      cmocka_unit_test(test_local_routes_are_added_after_the_national_ones),
      cmocka_unit_test(test_overlay_keeps_every_national_route),
      cmocka_unit_test(test_local_file_errors_name_the_file_and_field),
      cmocka_unit_test(test_deployment_folder),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
