/* test_campaign.c: the awareness-week years (src/campaign) with worked
 * examples: which week /awareness-week shows on a given day, the built-in
 * years, a year an admin adds, and malformed files rejected with a message
 * that names the file and the field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "campaign/campaign.h"
#include "content/content.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct date d(int y, int m, int dd)
{
  struct date r = {y, m, dd};
  return r;
}

/* --- The built-in years --- */

static struct content *builtin;
static struct campaign_set *years;

static int setup_builtin(void **state)
{
  (void)state;
  char err[512] = "";
  builtin = content_load(NULL, err, sizeof err);
  if (!builtin)
    return -1;
  years = campaign_load(builtin, err, sizeof err);
  if (!years)
    fprintf(stderr, "campaign_load: %s\n", err);
  return years ? 0 : -1;
}

static int teardown_builtin(void **state)
{
  (void)state;
  campaign_free(years);
  content_free(builtin);
  return 0;
}

static void builtin_has_every_year_from_2016(void **state)
{
  (void)state;
  assert_true(years->n >= 11);
  for (int y = 2016; y <= 2026; y++) {
    const struct campaign_year *c = campaign_find(years, y);
    assert_non_null(c);
    assert_int_equal(c->year, y);
    assert_non_null(c->organiser);
    assert_non_null(c->summary);
    assert_non_null(c->sources);
    assert_non_null(c->html);
    assert_true(strncmp(c->sources, "http", 4) == 0);
  }
  for (size_t i = 1; i < years->n; i++)
    assert_true(years->years[i - 1].year < years->years[i].year);
  assert_null(campaign_find(years, 2015));
  assert_null(campaign_find(years, 2099));
}

static void builtin_facts_match_the_reference(void **state)
{
  (void)state;
  const struct campaign_year *y = campaign_find(years, 2021);
  assert_true(y->dates_known);
  assert_int_equal(date_to_days(y->start), date_to_days(d(2021, 6, 7)));
  assert_int_equal(date_to_days(y->end), date_to_days(d(2021, 6, 13)));
  assert_string_equal(y->theme, "Including Infants");
  assert_string_equal(y->hashtags, "#IMHAW21 #IncludingInfants");
  assert_string_equal(y->organiser, "Parent-Infant Foundation");

  y = campaign_find(years, 2016);
  assert_int_equal(date_to_days(y->start), date_to_days(d(2016, 6, 6)));
  assert_string_equal(y->theme, "Building Babies' Minds");

  /* 2018 and 2019: themes not confirmed, and the pages say so. */
  for (int yr = 2018; yr <= 2019; yr++) {
    y = campaign_find(years, yr);
    assert_true(y->dates_known);
    assert_null(y->theme);
    assert_non_null(y->note);
    assert_non_null(strstr(y->note, "not been able to confirm"));
  }
  /* 2023 to 2025: themes known, hashtags not. */
  assert_string_equal(campaign_find(years, 2023)->theme, "Bonding Before Birth");
  assert_null(campaign_find(years, 2024)->hashtags);
  /* 2026: nothing confirmed. */
  y = campaign_find(years, 2026);
  assert_false(y->dates_known);
  assert_null(y->theme);
  assert_null(y->hashtags);
  assert_non_null(y->note);
}

/* Worked examples of which week /awareness-week shows. */
static void current_before_during_after(void **state)
{
  (void)state;
  /* During the 2021 week, including its first and last days. */
  assert_int_equal(campaign_current(years, d(2021, 6, 7))->year, 2021);
  assert_int_equal(campaign_current(years, d(2021, 6, 10))->year, 2021);
  assert_int_equal(campaign_current(years, d(2021, 6, 13))->year, 2021);
  /* Before it in the same year: the coming 2021 week. */
  assert_int_equal(campaign_current(years, d(2021, 1, 1))->year, 2021);
  assert_int_equal(campaign_current(years, d(2021, 6, 6))->year, 2021);
  /* The day after: the next week with known dates is June 2022. */
  assert_int_equal(campaign_current(years, d(2021, 6, 14))->year, 2022);
  /* Before the first week ever: the first week. */
  assert_int_equal(campaign_current(years, d(2015, 3, 1))->year, 2016);
  /* 2026 has no confirmed dates, so from the end of the 2025 week to the
   * end of 2025 the most recent past week (2025) is shown. */
  assert_int_equal(campaign_current(years, d(2025, 6, 16))->year, 2025);
  assert_int_equal(campaign_current(years, d(2025, 12, 31))->year, 2025);
  /* From 1 January 2026, this year's week, though its dates and theme are
   * not confirmed, and still after its expected week (no later week has
   * dates). */
  assert_int_equal(campaign_current(years, d(2026, 1, 1))->year, 2026);
  assert_int_equal(campaign_current(years, d(2026, 6, 10))->year, 2026);
  assert_int_equal(campaign_current(years, d(2026, 11, 20))->year, 2026);
  /* A year with no file: the most recent week with dates. */
  assert_int_equal(campaign_current(years, d(2031, 1, 1))->year, 2025);
}

/* Expected dates: the second Monday of June and the Sunday after, which
 * matches the confirmed weeks of 2017 to 2019 and 2022 to 2025. */
static void expected_dates_are_the_second_week_of_june(void **state)
{
  (void)state;
  static const struct {
    int year;
    struct date start;
  } known[] = {{2017, {2017, 6, 12}}, {2018, {2018, 6, 11}}, {2019, {2019, 6, 10}},
               {2022, {2022, 6, 13}}, {2023, {2023, 6, 12}}, {2024, {2024, 6, 10}},
               {2025, {2025, 6, 9}}};
  struct date s, e;
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    campaign_expected_dates(known[i].year, &s, &e);
    assert_int_equal(date_to_days(s), date_to_days(known[i].start));
    assert_int_equal(date_to_days(e) - date_to_days(s), 6);
  }
  campaign_expected_dates(2026, &s, &e); /* 1 June 2026 is a Monday */
  assert_int_equal(s.d, 8);
  assert_int_equal(e.d, 14);
  campaign_expected_dates(2027, &s, &e); /* 1 June 2027 is a Tuesday */
  assert_int_equal(s.d, 14);
  assert_int_equal(e.d, 20);
}

/* The home page carries the week from 6 weeks before it to its last day. */
static void week_near_for_the_home_page(void **state)
{
  (void)state;
  struct date s, e;
  const struct campaign_year *y2025 = campaign_find(years, 2025); /* 9 to 15 June */
  assert_false(campaign_week_near(y2025, d(2025, 4, 27), 42, &s, &e));
  assert_true(campaign_week_near(y2025, d(2025, 4, 28), 42, &s, &e));
  assert_int_equal(s.d, 9);
  assert_true(campaign_week_near(y2025, d(2025, 6, 15), 42, &s, &e));
  assert_false(campaign_week_near(y2025, d(2025, 6, 16), 42, &s, &e));
  /* 2026 has no dates, and 2027 no file: the expected weeks. */
  assert_true(campaign_week_near(campaign_find(years, 2026), d(2026, 6, 1), 42, &s, &e));
  assert_int_equal(s.d, 8);
  assert_true(campaign_week_near(NULL, d(2027, 6, 20), 42, &s, &e));
  assert_int_equal(s.d, 14);
  assert_false(campaign_week_near(NULL, d(2027, 1, 5), 42, &s, &e));
}

/* provenance: is for editors: accepted, and never part of the public note. */
static void provenance_is_not_the_note(void **state)
{
  (void)state;
  const struct campaign_year *y = campaign_find(years, 2018);
  assert_non_null(y->note);
  assert_null(strstr(y->note, "Australian"));
  assert_null(campaign_find(years, 2020)->note);
}

/* Hand-built sets: the rule without any content files. */
static void current_with_unknown_years(void **state)
{
  (void)state;
  struct campaign_set empty = {NULL, 0};
  assert_null(campaign_current(&empty, d(2024, 1, 1)));
  assert_null(campaign_current(NULL, d(2024, 1, 1)));
  assert_null(campaign_find(&empty, 2024));

  struct campaign_year undated[2] = {{.year = 2030}, {.year = 2031}};
  struct campaign_set s = {undated, 2};
  /* No year has dates: the latest year. */
  assert_int_equal(campaign_current(&s, d(2024, 1, 1))->year, 2031);

  struct campaign_year mixed[3] = {
      {.year = 2030, .dates_known = true, .start = {2030, 6, 10}, .end = {2030, 6, 16}},
      {.year = 2031},
      {.year = 2032, .dates_known = true, .start = {2032, 6, 7}, .end = {2032, 6, 13}},
  };
  s.years = mixed;
  s.n = 3;
  /* After 2030, 2031 is undated, so the next known week is 2032; but in
   * 2031, 2031's own week until its expected week (9 to 15 June) is over. */
  assert_int_equal(campaign_current(&s, d(2030, 7, 1))->year, 2032);
  assert_int_equal(campaign_current(&s, d(2031, 1, 1))->year, 2031);
  assert_int_equal(campaign_current(&s, d(2031, 6, 15))->year, 2031);
  assert_int_equal(campaign_current(&s, d(2031, 6, 16))->year, 2032);
  assert_int_equal(campaign_current(&s, d(2032, 6, 13))->year, 2032);
  assert_int_equal(campaign_current(&s, d(2032, 6, 14))->year, 2032);
  assert_int_equal(campaign_find(&s, 2031)->year, 2031);
}

/* --- Files an admin drops into --content DIR --- */

struct overlay {
  char dir[64];
  char sub[96];
  char file[160];
};

/* Write awareness/<name> into a fresh folder and load built-in content plus it. */
static struct campaign_set *load_with(struct overlay *o, const char *name, const char *text,
                                      char *err, size_t errlen)
{
  strcpy(o->dir, "/tmp/fd-campaign-XXXXXX");
  assert_non_null(mkdtemp(o->dir));
  snprintf(o->sub, sizeof o->sub, "%s/awareness", o->dir);
  assert_int_equal(mkdir(o->sub, 0700), 0);
  snprintf(o->file, sizeof o->file, "%s/%s", o->sub, name);
  FILE *f = fopen(o->file, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  struct content *c = content_load(o->dir, err, errlen);
  assert_non_null(c);
  struct campaign_set *s = campaign_load(c, err, errlen);
  content_free(c);
  unlink(o->file);
  rmdir(o->sub);
  rmdir(o->dir);
  return s;
}

#define GOOD_2027                                                                                  \
  "---\nyear: 2027\nstart: 2027-06-07\nend: 2027-06-13\ntheme: A new theme\n"                      \
  "hashtags: #IMHAW27\norganiser: Parent-Infant Foundation\nsummary: The 2027 week.\n"             \
  "sources: https://example.org/imhaw https://example.org/2027\n---\n## Key messages\n\n- One\n"

static void admin_adds_a_year(void **state)
{
  (void)state;
  struct overlay o;
  char err[512] = "";
  struct campaign_set *s = load_with(&o, "2027.md", GOOD_2027, err, sizeof err);
  assert_non_null(s);
  const struct campaign_year *y = campaign_find(s, 2027);
  assert_non_null(y);
  assert_string_equal(y->theme, "A new theme");
  assert_string_equal(y->sources, "https://example.org/imhaw https://example.org/2027");
  assert_non_null(strstr(y->html, "<h2>Key messages</h2>"));
  assert_null(y->note);
  /* With 2027 on file, the day after the 2025 week looks ahead to 2027. */
  assert_int_equal(campaign_current(s, d(2026, 11, 20))->year, 2027);
  assert_int_equal(campaign_current(s, d(2027, 6, 9))->year, 2027);
  campaign_free(s);
}

static void admin_confirms_2026(void **state)
{
  (void)state;
  struct overlay o;
  char err[512] = "";
  struct campaign_set *s = load_with(&o, "2026.md",
                                     "---\nyear: 2026\nstart: 2026-06-08\nend: 2026-06-14\n"
                                     "theme: unknown\norganiser: Parent-Infant Foundation\n"
                                     "summary: Dates only.\nsources: https://example.org/\n---\n",
                                     err, sizeof err);
  assert_non_null(s);
  const struct campaign_year *y = campaign_find(s, 2026);
  assert_true(y->dates_known);
  assert_null(y->theme);
  assert_null(y->hashtags);
  assert_int_equal(campaign_current(s, d(2026, 6, 8))->year, 2026);
  campaign_free(s);
}

static void other_files_in_the_folder_are_ignored(void **state)
{
  (void)state;
  struct overlay o;
  char err[512] = "";
  struct campaign_set *s = load_with(&o, "notes.txt", "not a year", err, sizeof err);
  assert_non_null(s);
  assert_null(campaign_find(s, 0));
  campaign_free(s);
}

/* Each malformed file is rejected, naming the file and the field. */
static void malformed_files_are_rejected(void **state)
{
  (void)state;
  static const struct {
    const char *name, *text, *want_field;
  } cases[] = {
      {"2027.md",
       "---\nyear: 2027\nstart: 2027-13-01\nend: 2027-06-13\ntheme: T\norganiser: O\n"
       "summary: S\nsources: https://example.org/\n---\n",
       "'start'"},
      {"2027.md",
       "---\nyear: 2027\nstart: 7 June 2027\nend: 2027-06-13\ntheme: T\norganiser: O\n"
       "summary: S\nsources: https://example.org/\n---\n",
       "'start'"},
      {"2027.md",
       "---\nyear: 2027\nstart: 2026-06-07\nend: 2027-06-13\ntheme: T\norganiser: O\n"
       "summary: S\nsources: https://example.org/\n---\n",
       "'start'"},
      {"2027.md",
       "---\nyear: 2027\nstart: 2027-06-13\nend: 2027-06-07\ntheme: T\norganiser: O\n"
       "summary: S\nsources: https://example.org/\n---\n",
       "'end'"},
      {"2027.md",
       "---\nyear: 2027\nstart: 2027-01-01\nend: 2027-06-07\ntheme: T\norganiser: O\n"
       "summary: S\nsources: https://example.org/\n---\n",
       "'end'"},
      {"2027.md",
       "---\nyear: 2027\nstart: unknown\nend: 2027-06-13\ntheme: T\norganiser: O\n"
       "summary: S\nsources: https://example.org/\n---\n",
       "'start'"},
      {"2027.md",
       "---\nyear: 2026\nstart: unknown\nend: unknown\ntheme: T\norganiser: O\n"
       "summary: S\nsources: https://example.org/\n---\n",
       "'year'"},
      {"2027.md",
       "---\nyear: twenty\nstart: unknown\nend: unknown\ntheme: T\norganiser: O\n"
       "summary: S\nsources: https://example.org/\n---\n",
       "'year'"},
      {"2027.md",
       "---\nyear: 2027\nstart: unknown\nend: unknown\norganiser: O\n"
       "summary: S\nsources: https://example.org/\n---\n",
       "'theme'"},
      {"2027.md",
       "---\nyear: 2027\nstart: unknown\nend: unknown\ntheme: T\n"
       "summary: S\nsources: https://example.org/\n---\n",
       "'organiser'"},
      {"2027.md",
       "---\nyear: 2027\nstart: unknown\nend: unknown\ntheme: T\norganiser: O\n"
       "summary:\nsources: https://example.org/\n---\n",
       "'summary'"},
      {"2027.md",
       "---\nyear: 2027\nstart: unknown\nend: unknown\ntheme: T\norganiser: O\n"
       "summary: S\nsources: javascript:alert(1)\n---\n",
       "'sources'"},
      {"2027.md",
       "---\nyear: 2027\nstart: unknown\nend: unknown\ntheme: T\norganiser: O\n"
       "summary: S\n---\n",
       "'sources'"},
      {"2027.md",
       "---\nyear: 2027\nstart: unknown\nend: unknown\ntheme: T\norganiser: O\n"
       "summary: S\nsources: https://example.org/\nhashtag: #X\n---\n",
       "'hashtag'"},
      {"2027.md",
       "---\nyear: 2027\nstart: unknown\nend: unknown\ntheme: T\ntheme: U\n"
       "organiser: O\nsummary: S\nsources: https://example.org/\n---\n",
       "'theme'"},
      {"2010.md",
       "---\nyear: 2010\nstart: unknown\nend: unknown\ntheme: T\norganiser: O\n"
       "summary: S\nsources: https://example.org/\n---\n",
       "'year'"},
      {"2027.md", "---\nyear: 2027\nstart: unknown\n", "front matter"},
      {"27.md", GOOD_2027, "named after its year"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct overlay o;
    char err[512] = "";
    struct campaign_set *s = load_with(&o, cases[i].name, cases[i].text, err, sizeof err);
    if (s)
      fprintf(stderr, "case %zu (%s) was accepted\n", i, cases[i].want_field);
    assert_null(s);
    char file[64];
    snprintf(file, sizeof file, "content/awareness/%s", cases[i].name);
    if (!strstr(err, file) || !strstr(err, cases[i].want_field))
      fprintf(stderr, "case %zu: message '%s' lacks '%s' or '%s'\n", i, err, file,
              cases[i].want_field);
    assert_non_null(strstr(err, file));
    assert_non_null(strstr(err, cases[i].want_field));
  }
}

int main(void)
{
  const struct CMUnitTest builtin_tests[] = {
      cmocka_unit_test(builtin_has_every_year_from_2016),
      cmocka_unit_test(expected_dates_are_the_second_week_of_june),
      cmocka_unit_test(provenance_is_not_the_note),
      cmocka_unit_test(week_near_for_the_home_page),
      cmocka_unit_test(builtin_facts_match_the_reference),
      cmocka_unit_test(current_before_during_after),
  };
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(current_with_unknown_years),
      cmocka_unit_test(admin_adds_a_year),
      cmocka_unit_test(admin_confirms_2026),
      cmocka_unit_test(other_files_in_the_folder_are_ignored),
      cmocka_unit_test(malformed_files_are_rejected),
  };
  int failed = cmocka_run_group_tests_name("campaign (built-in years)", builtin_tests,
                                           setup_builtin, teardown_builtin);
  failed += cmocka_run_group_tests_name("campaign", tests, NULL, NULL);
  return failed ? 1 : 0;
}
