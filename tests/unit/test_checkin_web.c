/* test_checkin_web.c: the wellbeing-check page handlers called in-process,
 * for what an end-to-end test cannot reach: a definition that cannot place a
 * total in a band, or a missing instrument, must still end on a page that
 * shows every urgent-help route (hazard H4 in docs/clinical-safety/hazard-log.md). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "app_init.h"
#include "checkin/checkin.h"
#include "lib/conf.h"
#include "web/wellbeing.h"

static struct app app;

static int setup(void **state)
{
  (void)state;
  char err[512];
  conf_defaults(&app.cfg);
  if (!app_init(&app, false, err, sizeof err)) {
    fprintf(stderr, "app_init: %s\n", err);
    return -1;
  }
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  app_free(&app);
  return 0;
}

struct call {
  struct arena arena;
  struct http_req rq;
  struct http_resp rs;
};

/* A request for /wellbeing-check/<step> with nothing in it yet. */
static void call_init(struct call *c, enum http_method m, const char *step)
{
  memset(c, 0, sizeof *c);
  arena_init(&c->arena);
  c->rq.arena = &c->arena;
  c->rq.app = &app;
  c->rq.method = m;
  c->rq.path = arena_printf(&c->arena, "/wellbeing-check/%s", step);
  c->rq.query_string = "";
  c->rq.captures[0] = step;
  c->rq.ncaptures = 1;
  c->rs.status = 200;
}

/* POST form (a "k=v&k=v" string) to /wellbeing-check/<step> and run the handler. */
static void post(struct call *c, const char *step, const char *form)
{
  call_init(c, HTTP_POST, step);
  c->rq.body = form;
  c->rq.body_len = strlen(form);
  c->rq.content_type = "application/x-www-form-urlencoded";
  assert_int_equal(http_parse_urlencoded(&c->arena, form, strlen(form), HTTP_LIMIT_FORM_FIELDS,
                                         &c->rq.form, &c->rq.nform),
                   HTTP_PARSE_OK);
  web_checkin_step(&c->rq, &c->rs);
}

static void done(struct call *c)
{
  buf_free(&c->rs.body);
  arena_free(&c->arena);
}

/* Every urgent-help route is on the page, inside <main>. */
static void assert_urgent_help(const char *html)
{
  const char *main = strstr(html, "<main");
  assert_non_null(main);
  assert_non_null(strstr(main, "href=\"tel:999\""));
  assert_non_null(strstr(main, "href=\"tel:111\""));
  assert_non_null(strstr(main, "116 123"));
  assert_non_null(strstr(main, "urgent appointment"));
}

static const char *const phq9_zero =
    "phq9-1=0&phq9-2=0&phq9-3=0&phq9-4=0&phq9-5=0&phq9-6=0&phq9-7=0&phq9-8=0&phq9-9=0";
static const char *const phq9_item9 =
    "phq9-1=0&phq9-2=0&phq9-3=0&phq9-4=0&phq9-5=0&phq9-6=0&phq9-7=0&phq9-8=0&phq9-9=1";

static struct instrument_def *phq9_def(void)
{
  return (struct instrument_def *)instrument_find(app.instruments, "phq9");
}

/* PHQ-9 total 20 (severe, clinical.md 2.3): the blue cards, with the sooner
 * step first (GP or health visitor in the next few days, and how), and the
 * summary says the same. Total 19 (moderately severe) has no sooner step. */
static void test_severe_score_shows_the_sooner_step_first(void **state)
{
  (void)state;
  struct call c;
  post(&c, "phq9", "phq9-1=3&phq9-2=3&phq9-3=3&phq9-4=3&phq9-5=3&phq9-6=3&phq9-7=2&phq9-8=0"
                   "&phq9-9=0");
  assert_int_equal(c.rs.status, 200);
  const char *html = buf_cstr(&c.rs.body);
  const char *sooner = strstr(html, "Speak to your GP or health visitor in the next few days");
  const char *usual = strstr(html, "Speak to your health visitor, midwife or GP about how");
  assert_non_null(sooner);
  assert_non_null(usual);
  assert_true(sooner < usual);
  assert_non_null(strstr(sooner, "Phone your GP surgery"));
  assert_non_null(strstr(html, "nhsuk-card--care--non-urgent"));
  assert_null(strstr(html, "nhsuk-card--care--urgent"));
  assert_non_null(strstr(html, "severe (20 to 27)"));
  assert_non_null(strstr(strstr(html, "What to do next"), "in the next few days"));
  done(&c);
  post(&c, "phq9", "phq9-1=3&phq9-2=3&phq9-3=3&phq9-4=3&phq9-5=3&phq9-6=2&phq9-7=2&phq9-8=0"
                   "&phq9-9=0");
  html = buf_cstr(&c.rs.body);
  assert_null(strstr(html, "in the next few days"));
  assert_non_null(strstr(html, "moderately severe (15 to 19)"));
  done(&c);
}

/* PHQ-9 item 9 = 1, total 1: "Please get support now", and the summary says
 * "Yes" beside the level, never "No". */
static void test_flagged_summary_never_says_no(void **state)
{
  (void)state;
  struct call c;
  post(&c, "phq9", phq9_item9);
  const char *html = buf_cstr(&c.rs.body);
  assert_non_null(strstr(html, "Please get support now"));
  const char *row = strstr(html, "Reached the level that suggests talking to someone");
  assert_non_null(row);
  const char *value = strstr(row, "nhsuk-summary-list__value\">");
  assert_non_null(value);
  assert_true(strncmp(value + strlen("nhsuk-summary-list__value\">"), "Yes", 3) == 0);
  assert_non_null(strstr(html, "better off dead"));
  assert_non_null(strstr(html, "Exit this page"));
  done(&c);
}

static void test_outcome_sound_definition(void **state)
{
  (void)state;
  struct call c;
  post(&c, "phq9", phq9_zero);
  assert_int_equal(c.rs.status, 200);
  assert_non_null(strstr(buf_cstr(&c.rs.body), "Thank you for answering"));
  done(&c);
  post(&c, "phq9", phq9_item9);
  assert_int_equal(c.rs.status, 200);
  assert_urgent_help(buf_cstr(&c.rs.body));
  done(&c);
}

/* A total that falls in no band (a broken definition) ends on the failure
 * page, which still shows urgent help, and never on a reassuring outcome. */
static void test_broken_band_shows_failure_with_urgent_help(void **state)
{
  (void)state;
  struct instrument_def *d = phq9_def();
  int saved = d->bands[0].min;
  d->bands[0].min = 2; /* totals 0 and 1 now fall in no band */
  struct call c;
  post(&c, "phq9", phq9_zero);
  assert_int_equal(c.rs.status, 500);
  const char *html = buf_cstr(&c.rs.body);
  assert_urgent_help(html);
  assert_non_null(strstr(html, "checkin_failed"));
  assert_null(strstr(html, "Thank you for answering"));
  assert_int_equal(c.rs.cache, HTTP_CACHE_NO_STORE);
  done(&c);
  /* The same with a flagged answer: urgent help, no outcome. */
  post(&c, "phq9", phq9_item9);
  assert_int_equal(c.rs.status, 500);
  assert_urgent_help(buf_cstr(&c.rs.body));
  done(&c);
  d->bands[0].min = saved;
}

/* An instrument missing from the set ends on the failure page too. */
static void test_missing_instrument_shows_failure_with_urgent_help(void **state)
{
  (void)state;
  struct instrument_set *s = app.instruments;
  struct instrument_def *gad2 = (struct instrument_def *)instrument_find(s, "gad2");
  const char *saved = gad2->id;
  gad2->id = "gad2-withdrawn";
  struct call c;
  post(&c, "feeling", "whooley-1=0&whooley-2=0&gad2-1=0&gad2-2=0");
  assert_int_equal(c.rs.status, 500);
  assert_urgent_help(buf_cstr(&c.rs.body));
  done(&c);
  gad2->id = saved;
}

static void test_failure_page_replaces_partial_output(void **state)
{
  (void)state;
  struct call c;
  call_init(&c, HTTP_POST, "phq9");
  buf_puts(&c.rs.body, "<p>half a page");
  web_checkin_failure(&c.rq, &c.rs);
  assert_int_equal(c.rs.status, 500);
  assert_null(strstr(buf_cstr(&c.rs.body), "half a page"));
  assert_urgent_help(buf_cstr(&c.rs.body));
  assert_non_null(strstr(buf_cstr(&c.rs.body), "noindex"));
  done(&c);
}

/* Answers are read from the body only: the same fields in the query string
 * of a GET are ignored (nothing is checked, nothing is scored). */
static void test_get_never_reads_answers(void **state)
{
  (void)state;
  struct call c;
  call_init(&c, HTTP_GET, "phq9");
  c.rq.query_string = "phq9-9=3";
  assert_int_equal(http_parse_urlencoded(&c.arena, "phq9-9=3", 8, HTTP_LIMIT_QUERY_ARGS,
                                         &c.rq.query, &c.rq.nquery),
                   HTTP_PARSE_OK);
  web_checkin_step(&c.rq, &c.rs);
  assert_int_equal(c.rs.status, 200);
  const char *html = buf_cstr(&c.rs.body);
  assert_null(strstr(html, " checked"));
  assert_null(strstr(html, "Please get support now"));
  assert_non_null(strstr(html, "<form method=\"post\""));
  done(&c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_outcome_sound_definition),
      cmocka_unit_test(test_severe_score_shows_the_sooner_step_first),
      cmocka_unit_test(test_flagged_summary_never_says_no),
      cmocka_unit_test(test_broken_band_shows_failure_with_urgent_help),
      cmocka_unit_test(test_missing_instrument_shows_failure_with_urgent_help),
      cmocka_unit_test(test_failure_page_replaces_partial_output),
      cmocka_unit_test(test_get_never_reads_answers),
  };
  return cmocka_run_group_tests_name("checkin_web", tests, setup, teardown);
}
