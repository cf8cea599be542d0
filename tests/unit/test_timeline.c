/* test_timeline.c: worked examples for every timeline rule: the immunisation
 * cohorts of the July 2025 and January 2026 changes (by date of birth and by
 * appointment date), rotavirus age limits, preterm corrected age, leap-day
 * births, twins, due dates far ahead, babies near two, first and later
 * pregnancies, input validation, and the loader's checks on the data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/util.h"
#include "timeline/timeline_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct content *content;
static struct timeline_data *data;

static int setup(void **state)
{
  (void)state;
  char err[512] = "";
  content = content_load(NULL, err, sizeof err);
  if (!content) {
    fprintf(stderr, "content: %s\n", err);
    return -1;
  }
  data = timeline_load(content, err, sizeof err);
  if (!data) {
    fprintf(stderr, "timeline: %s\n", err);
    return -1;
  }
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  timeline_free(data);
  content_free(content);
  return 0;
}

static struct date D(const char *s) {
  struct date d = {0, 0, 0};
  if (!date_parse(s, &d))
    fail_msg("bad test date %s", s);
  return d;
}

static const char *
iso(struct date d)
{
  static char buf[4][11];
  static int i;
  i = (i + 1) % 4;
  date_format_iso(d, buf[i]);
  return buf[i];
}

/* A computed timeline with its own arena. */
struct run {
  struct arena a;
  struct timeline_input in;
  struct timeline_result r;
};

static void run_born(struct run *t, const char *born, const char *gestation, int babies,
                     const char *today)
{
  arena_init(&t->a);
  memset(&t->in, 0, sizeof t->in);
  t->in.born = D(born);
  t->in.gestation_days = 280;
  if (gestation) {
    assert_true(timeline_parse_gestation(gestation, &t->in.gestation_days));
    t->in.gestation_given = true;
  }
  t->in.babies = babies;
  timeline_compute(data, &t->in, D(today ? today : born), NULL, &t->a, &t->r);
}

static void run_due(struct run *t, const char *due, enum timeline_first first, const char *today)
{
  arena_init(&t->a);
  memset(&t->in, 0, sizeof t->in);
  t->in.pregnant = true;
  t->in.due = D(due);
  t->in.gestation_days = 280;
  t->in.babies = 1;
  t->in.first_pregnancy = first;
  timeline_compute(data, &t->in, D(today), NULL, &t->a, &t->r);
}

static void done(struct run *t)
{
  arena_free(&t->a);
}

static const struct timeline_event *find(const struct run *t, const char *id)
{
  for (size_t i = 0; i < t->r.nevents; i++)
    if (strcmp(t->r.events[i].id, id) == 0)
      return &t->r.events[i];
  return NULL;
}

/* The vaccines of one event joined with commas ("" when the event is absent). */
static const char *vaccines(const struct run *t, const char *id)
{
  static char buf[256];
  buf[0] = '\0';
  const struct timeline_event *e = find(t, id);
  for (size_t i = 0; e && i < e->nvaccines; i++) {
    if (i)
      strcat(buf, ",");
    strcat(buf, e->vaccines[i]);
  }
  return buf;
}

static bool has_line(const struct timeline_event *e, const char *needle)
{
  for (size_t i = 0; e && i < e->nlines; i++)
    if (strstr(e->lines[i], needle))
      return true;
  return false;
}

static size_t count_kind(const struct run *t, enum timeline_kind k)
{
  size_t n = 0;
  for (size_t i = 0; i < t->r.nevents; i++)
    n += t->r.events[i].kind == k;
  return n;
}

#define V8 "vaccines-8-weeks"
#define V12 "vaccines-12-weeks"
#define V16 "vaccines-16-weeks"
#define V1Y "vaccines-1-year"
#define V18M "vaccines-18-months"
#define V3Y "vaccines-3-years-4-months"

/* --- the data itself --- */

static void test_vaccine_names_are_the_fixed_list(void **state)
{
  (void)state;
  static const char *want[] = {"6-in-1", "MenB",   "rotavirus",      "PCV", "Hib/MenC", "MMR",
                               "MMRV",   "4-in-1", "RSV", "whooping cough", "flu"};
  assert_int_equal(data->nvaccine_names, 11);
  for (size_t i = 0; i < 11; i++) {
    bool found = false;
    for (size_t j = 0; j < data->nvaccine_names; j++)
      found |= strcmp(want[i], data->vaccine_names[j]) == 0;
    assert_true(found);
  }
}

static void test_every_rule_has_a_source(void **state)
{
  (void)state;
  for (size_t i = 0; i < data->nrules; i++)
    if (data->rules[i].kind != TL_MILESTONE || data->rules[i].source)
      assert_non_null(data->rules[i].source);
  for (size_t i = 0; i < data->nappts; i++)
    assert_true(str_starts(data->appts[i].source, "http"));
}

static void test_worked_examples_in_the_data(void **state)
{
  (void)state;
  assert_true(data->nexamples >= 10); /* checked by timeline_load() itself */
}

static void test_limits(void **state)
{
  (void)state;
  assert_int_equal(data->gest_min, 22 * 7);
  assert_int_equal(data->gest_max, 44 * 7 + 6);
  assert_int_equal(data->preterm_before, 37 * 7);
  assert_int_equal(data->due_ahead_max_days, 308);
  assert_string_equal(iso(data->born_from), "2022-09-01");
}

/* --- durations, gestation and calendar arithmetic --- */

static void test_spans(void **state)
{
  (void)state;
  struct tl_span s;
  assert_true(tl_parse_span("P3Y4M", &s));
  assert_int_equal(s.months, 40);
  assert_int_equal(s.days, 0);
  assert_true(tl_parse_span("P8W", &s));
  assert_int_equal(s.days, 56);
  assert_true(tl_parse_span("P11W2D", &s));
  assert_int_equal(s.days, 79);
  assert_false(tl_parse_span("P", &s));
  assert_false(tl_parse_span("8W", &s));
  assert_false(tl_parse_span("P2D1W", &s)); /* units out of order */
  assert_false(tl_parse_span("P1M1M", &s));
  assert_false(tl_parse_span("P-1D", &s));
  assert_false(tl_parse_span("P99999999D", &s));
}

static void test_gestation_parse(void **state)
{
  (void)state;
  int g;
  assert_true(timeline_parse_gestation("40+0", &g));
  assert_int_equal(g, 280);
  assert_true(timeline_parse_gestation("33+4", &g));
  assert_int_equal(g, 235);
  assert_true(timeline_parse_gestation("33 4", &g)); /* '+' decoded as a space in a URL */
  assert_int_equal(g, 235);
  assert_true(timeline_parse_gestation("38", &g));
  assert_int_equal(g, 266);
  assert_false(timeline_parse_gestation("12+9", &g));
  assert_false(timeline_parse_gestation("12+", &g));
  assert_false(timeline_parse_gestation("+3", &g));
  assert_false(timeline_parse_gestation("123+0", &g));
  assert_false(timeline_parse_gestation("40+00", &g));
  assert_false(timeline_parse_gestation("forty", &g));
  char out[12];
  timeline_format_gestation(235, out, sizeof out);
  assert_string_equal(out, "33+4");
}

static void test_month_arithmetic_never_counts_a_child_older(void **state)
{
  (void)state;
  struct tl_span y1 = {12, 0}, y2 = {24, 0}, m6 = {6, 0}, m1 = {1, 0};
  assert_string_equal(iso(tl_add_span(D("2024-02-29"), y1)), "2025-03-01");
  assert_string_equal(iso(tl_add_span(D("2024-02-29"), y2)), "2026-03-01");
  assert_string_equal(iso(tl_add_span(D("2024-02-29"), (struct tl_span){48, 0})), "2028-02-29");
  assert_string_equal(iso(tl_add_span(D("2024-08-31"), m6)), "2025-03-01");
  assert_string_equal(iso(tl_add_span(D("2024-01-31"), m1)), "2024-03-01");
  assert_string_equal(iso(tl_add_span(D("2024-12-15"), m1)), "2025-01-15");
  assert_int_equal(tl_whole_months(D("2024-02-29"), D("2025-02-28")), 11);
  assert_int_equal(tl_whole_months(D("2024-02-29"), D("2025-03-01")), 12);
  assert_int_equal(tl_whole_months(D("2024-01-31"), D("2024-02-29")), 0);
  assert_int_equal(tl_whole_months(D("2024-01-31"), D("2024-03-01")), 1);
  assert_int_equal(tl_whole_months(D("2025-05-10"), D("2025-05-09")), 0);
}

static void test_date_ranges_for_people(void **state)
{
  (void)state;
  char out[64];
  date_format_range(D("2027-03-12"), D("2027-03-12"), out);
  assert_string_equal(out, "12 March 2027");
  date_format_range(D("2027-03-12"), D("2027-03-14"), out);
  assert_string_equal(out, "12 to 14 March 2027");
  date_format_range(D("2027-02-28"), D("2027-03-03"), out);
  assert_string_equal(out, "28 February to 3 March 2027");
  date_format_range(D("2026-12-01"), D("2027-01-31"), out);
  assert_string_equal(out, "1 December 2026 to 31 January 2027");
  assert_string_equal(date_month_name(9), "September");
  assert_string_equal(date_month_name(13), "");
}

/* --- immunisation cohorts --- */

/* Born 1 Sep 2022 - 30 Jun 2024: the old infant schedule throughout,
 * Hib/MenC and MMR at one year, one MMRV at 3 years 4 months. */
static void test_cohort_2022_to_june_2024(void **state)
{
  (void)state;
  struct run t;
  run_born(&t, "2024-03-01", NULL, 1, "2024-03-01");
  assert_string_equal(vaccines(&t, V8), "6-in-1,MenB,rotavirus");
  assert_string_equal(vaccines(&t, V12), "6-in-1,PCV,rotavirus");
  assert_string_equal(vaccines(&t, V16), "6-in-1,MenB");
  assert_false(has_line(find(&t, V16), "schedule changed"));
  assert_string_equal(vaccines(&t, V1Y), "Hib/MenC,PCV,MenB,MMR");
  assert_string_equal(iso(find(&t, V1Y)->start), "2025-03-01");
  assert_null(find(&t, V18M));
  assert_string_equal(vaccines(&t, V3Y), "4-in-1,MMRV");
  assert_string_equal(iso(find(&t, V3Y)->start), "2027-07-01");
  assert_true(has_line(find(&t, V3Y), "one dose"));
  assert_true(find(&t, V3Y)->after_1001);
  done(&t);

  /* The first and last days of the cohort. */
  run_born(&t, "2022-09-01", NULL, 1, "2022-09-01");
  assert_string_equal(vaccines(&t, V1Y), "Hib/MenC,PCV,MenB,MMR");
  assert_string_equal(iso(find(&t, V3Y)->start), "2026-01-01");
  assert_string_equal(vaccines(&t, V3Y), "4-in-1,MMRV");
  done(&t);
  run_born(&t, "2024-06-30", NULL, 1, "2024-06-30");
  assert_string_equal(vaccines(&t, V1Y), "Hib/MenC,PCV,MenB,MMR");
  assert_null(find(&t, V18M));
  assert_string_equal(vaccines(&t, V3Y), "4-in-1,MMRV");
  done(&t);
}

/* Born 1 Jul - 31 Dec 2024: no Hib/MenC; MMR at 12 months; MMRV at 18 months
 * (the new appointment from 1 Jan 2026) and again at 3 years 4 months. */
static void test_cohort_july_to_december_2024(void **state)
{
  (void)state;
  struct run t;
  run_born(&t, "2024-07-01", NULL, 1, "2024-07-01");
  assert_string_equal(vaccines(&t, V12), "6-in-1,PCV,rotavirus");
  assert_string_equal(vaccines(&t, V16), "6-in-1,MenB");
  assert_string_equal(vaccines(&t, V1Y), "PCV,MenB,MMR");
  assert_string_equal(vaccines(&t, V18M), "6-in-1,MMRV");
  assert_string_equal(iso(find(&t, V18M)->start), "2026-01-01");
  assert_true(has_line(find(&t, V18M), "1st MMRV dose"));
  assert_string_equal(vaccines(&t, V3Y), "4-in-1,MMRV");
  assert_true(has_line(find(&t, V3Y), "2nd MMRV dose"));
  done(&t);

  run_born(&t, "2024-12-31", NULL, 1, "2024-12-31");
  assert_string_equal(vaccines(&t, V1Y), "PCV,MenB,MMR");
  assert_string_equal(iso(find(&t, V1Y)->start), "2025-12-31");
  assert_string_equal(vaccines(&t, V18M), "6-in-1,MMRV");
  assert_string_equal(iso(find(&t, V18M)->start), "2026-07-01");
  assert_string_equal(vaccines(&t, V3Y), "4-in-1,MMRV");
  done(&t);
}

/* Born 1 Jan 2025 onwards: MMRV at 12 and 18 months, nothing MMR-like at
 * 3 years 4 months. Born by 10 Mar 2025 all infant doses were before July. */
static void test_cohort_from_january_2025(void **state)
{
  (void)state;
  struct run t;
  run_born(&t, "2025-01-01", NULL, 1, "2025-01-01");
  assert_string_equal(vaccines(&t, V12), "6-in-1,PCV,rotavirus");
  assert_string_equal(vaccines(&t, V16), "6-in-1,MenB");
  assert_string_equal(vaccines(&t, V1Y), "PCV,MenB,MMRV");
  assert_string_equal(vaccines(&t, V18M), "6-in-1,MMRV");
  assert_true(has_line(find(&t, V18M), "MMRV vaccine, 2nd dose"));
  /* The pre-school booster is still due after the 1001 days (clinical reference 8.4). */
  assert_string_equal(vaccines(&t, V3Y), "4-in-1");
  assert_string_equal(iso(find(&t, V3Y)->start), "2028-05-01");
  assert_true(find(&t, V3Y)->after_1001);
  done(&t);
  run_born(&t, "2025-03-10", NULL, 1, "2025-03-10"); /* 16 weeks on 30 June 2025 */
  assert_string_equal(iso(find(&t, V16)->start), "2025-06-30");
  assert_string_equal(vaccines(&t, V16), "6-in-1,MenB");
  assert_false(has_line(find(&t, V16), "schedule changed"));
  done(&t);
}

/* Born about 8 Mar - 7 Apr 2025: the 12-week dose under the old schedule
 * (PCV), so MenB at 16 weeks even when that falls after 1 July 2025. */
static void test_cohort_march_april_2025_menb_at_16_weeks(void **state)
{
  (void)state;
  static const char *born[] = {"2025-03-08", "2025-03-11", "2025-03-20", "2025-04-07"};
  for (size_t i = 0; i < ARRAY_LEN(born); i++) {
    struct run t;
    run_born(&t, born[i], NULL, 1, born[i]);
    assert_string_equal(vaccines(&t, V8), "6-in-1,MenB,rotavirus");
    assert_string_equal(vaccines(&t, V12), "6-in-1,PCV,rotavirus");
    assert_string_equal(vaccines(&t, V16), "6-in-1,MenB");
    assert_string_equal(vaccines(&t, V1Y), "PCV,MenB,MMRV");
    done(&t);
  }
  /* From 11 March the 16-week appointment is on or after 1 July: say why. */
  struct run t;
  run_born(&t, "2025-04-07", NULL, 1, "2025-04-07");
  assert_string_equal(iso(find(&t, V12)->start), "2025-06-30");
  assert_string_equal(iso(find(&t, V16)->start), "2025-07-28");
  assert_true(has_line(find(&t, V16), "schedule changed on 1 July 2025"));
  done(&t);
}

/* Born from 8 Apr 2025: the 12-week appointment is on or after 1 July 2025,
 * so the new schedule throughout: MenB 8 + 12 weeks, PCV at 16 weeks. */
static void test_cohort_from_8_april_2025_new_schedule(void **state)
{
  (void)state;
  static const char *born[] = {"2025-04-08", "2025-06-15", "2026-11-20"};
  for (size_t i = 0; i < ARRAY_LEN(born); i++) {
    struct run t;
    run_born(&t, born[i], NULL, 1, born[i]);
    assert_string_equal(vaccines(&t, V8), "6-in-1,MenB,rotavirus");
    assert_string_equal(vaccines(&t, V12), "6-in-1,MenB,rotavirus");
    assert_string_equal(vaccines(&t, V16), "6-in-1,PCV");
    assert_string_equal(vaccines(&t, V1Y), "PCV,MenB,MMRV");
    assert_string_equal(vaccines(&t, V18M), "6-in-1,MMRV");
    assert_string_equal(vaccines(&t, V3Y), "4-in-1");
    done(&t);
  }
  struct run t;
  run_born(&t, "2025-04-08", NULL, 1, "2025-04-08");
  assert_string_equal(iso(find(&t, V12)->start), "2025-07-01");
  done(&t);
}

/* Every date of birth the timeline supports: each child gets one PCV and
 * two MenB infant doses, MMR or MMRV (never both) at one year, Hib/MenC only
 * if born before 1 Jul 2024, and the 18-month visit only if born after. */
static void test_cohort_invariants_every_birth_date(void **state)
{
  (void)state;
  long first = date_to_days(D("2022-09-01")), last = date_to_days(D("2026-12-31"));
  long jul24 = date_to_days(D("2024-07-01")), jan25 = date_to_days(D("2025-01-01"));
  for (long day = first; day <= last; day++) {
    struct date b = date_from_days(day);
    struct run t;
    run_born(&t, iso(b), NULL, 1, iso(b));
    int pcv = 0, menb = 0;
    const char *infant[] = {V8, V12, V16};
    for (int k = 0; k < 3; k++) {
      const char *v = vaccines(&t, infant[k]);
      pcv += strstr(v, "PCV") != NULL;
      menb += strstr(v, "MenB") != NULL;
      assert_non_null(strstr(v, "6-in-1"));
    }
    assert_int_equal(pcv, 1);
    assert_int_equal(menb, 2);
    assert_non_null(strstr(vaccines(&t, V8), "rotavirus"));
    assert_non_null(strstr(vaccines(&t, V12), "rotavirus"));
    const char *y1 = vaccines(&t, V1Y);
    bool mmrv = strstr(y1, "MMRV") != NULL;
    bool mmr = strstr(y1, "MMR,") || (strlen(y1) >= 3 && strcmp(y1 + strlen(y1) - 3, "MMR") == 0);
    assert_true(mmr != mmrv);
    assert_int_equal(mmrv, day >= jan25);
    assert_int_equal(strstr(y1, "Hib/MenC") != NULL, day < jul24);
    assert_int_equal(find(&t, V18M) != NULL, day >= jul24);
    assert_non_null(strstr(vaccines(&t, V3Y), "4-in-1"));
    assert_int_equal(strstr(vaccines(&t, V3Y), "MMRV") != NULL, day < jan25);
    done(&t);
  }
}

/* Rotavirus: no first dose from 15 weeks, no dose at all from 24 weeks. */
static void test_rotavirus_age_limits(void **state)
{
  (void)state;
  struct run t;
  run_born(&t, "2026-01-10", NULL, 1, "2026-01-10");
  const struct timeline_event *e8 = find(&t, V8), *e12 = find(&t, V12);
  assert_true(e8->has_deadline);
  assert_string_equal(iso(e8->deadline), "2026-04-24"); /* birth + 105 days - 1 */
  assert_true(e12->has_deadline);
  assert_string_equal(iso(e12->deadline), "2026-06-26"); /* birth + 168 days - 1 */
  assert_true(has_line(e8, "can only be given up to 24 April 2026"));
  assert_false(find(&t, V16)->has_deadline);
  done(&t);
}

static void test_rotavirus_dropped_when_the_appointment_is_too_late(void **state)
{
  (void)state;
  /* A deployment's schedule that puts the 12-week visit after 24 weeks
   * (as a test of the rule, not a real schedule): rotavirus is left out. */
  struct timeline_data copy = *data;
  struct tl_appt appts[16];
  memcpy(appts, data->appts, data->nappts * sizeof *appts);
  appts[1].age = (struct tl_span){0, 25 * 7};
  copy.appts = appts;
  struct arena a;
  arena_init(&a);
  struct timeline_input in = {.born = D("2026-01-10"), .gestation_days = 280, .babies = 1};
  struct timeline_result r;
  timeline_compute(&copy, &in, D("2026-01-10"), NULL, &a, &r);
  bool found = false;
  for (size_t i = 0; i < r.nevents; i++)
    if (strcmp(r.events[i].id, V12) == 0) {
      found = true;
      for (size_t k = 0; k < r.events[i].nvaccines; k++)
        assert_string_not_equal(r.events[i].vaccines[k], "rotavirus");
    }
  assert_true(found);
  arena_free(&a);
}

/* --- preterm babies --- */

static void test_preterm_corrected_age(void **state)
{
  (void)state;
  struct run t;
  /* Born at 30+0 on 1 Jan 2026: due date 12 Mar 2026. */
  run_born(&t, "2026-01-01", "30+0", 1, "2026-02-01");
  const struct timeline_stage *st = &t.r.stage;
  assert_true(st->corrected);
  assert_string_equal(iso(st->due), "2026-03-12");
  assert_int_equal(st->age_days, 31);
  assert_int_equal(st->corrected_age_days, -39);
  assert_string_equal(st->text->id, "baby-born-early");
  /* Vaccines follow the actual date of birth. */
  assert_string_equal(iso(find(&t, V8)->start), "2026-02-26");
  done(&t);

  run_born(&t, "2026-01-01", "30+0", 1, "2026-05-01");
  st = &t.r.stage;
  assert_int_equal(st->age_days, 120);
  assert_int_equal(st->age_months, 4);
  assert_int_equal(st->corrected_age_days, 50);
  assert_int_equal(st->corrected_weeks, 7);
  assert_int_equal(st->corrected_week_days, 1);
  assert_int_equal(st->corrected_months, 1);
  /* Development content by corrected age (7 weeks), not actual age (4 months). */
  assert_string_equal(st->text->id, "baby-6-weeks");
  done(&t);

  /* Until age two only. */
  run_born(&t, "2025-01-01", "30+0", 1, "2027-01-01");
  assert_false(t.r.stage.corrected);
  done(&t);
  run_born(&t, "2025-01-01", "30+0", 1, "2026-12-31");
  assert_true(t.r.stage.corrected);
  done(&t);
}

static void test_preterm_boundary_is_37_weeks(void **state)
{
  (void)state;
  struct run t;
  run_born(&t, "2026-06-01", "36+6", 1, "2026-07-01");
  assert_true(t.r.stage.corrected);
  assert_int_equal(t.r.stage.corrected_age_days, 8); /* due 23 June */
  done(&t);
  run_born(&t, "2026-06-01", "37+0", 1, "2026-07-01");
  assert_false(t.r.stage.corrected);
  assert_string_equal(t.r.stage.text->id, "baby-early-weeks");
  done(&t);
}

/* --- leap day, twins, near two --- */

static void test_leap_day_birth(void **state)
{
  (void)state;
  struct run t;
  run_born(&t, "2024-02-29", NULL, 1, "2025-02-28");
  assert_int_equal(t.r.stage.age_months, 11);
  assert_string_equal(iso(find(&t, V1Y)->start), "2025-03-01");
  assert_string_equal(iso(find(&t, "milestone-first-birthday")->start), "2025-03-01");
  assert_string_equal(iso(find(&t, "milestone-end-1001")->start), "2026-03-01");
  assert_string_equal(iso(t.r.stage.end_1001), "2026-03-01");
  assert_null(find(&t, V18M)); /* born before 1 July 2024 */
  assert_string_equal(iso(find(&t, "hv-1-year")->start), "2024-11-29");
  assert_string_equal(iso(find(&t, "hv-2-years")->end), "2026-08-29");
  assert_string_equal(iso(find(&t, V8)->start), "2024-04-25");
  done(&t);
  run_born(&t, "2024-02-29", NULL, 1, "2025-03-01");
  assert_int_equal(t.r.stage.age_months, 12);
  done(&t);
}

static void test_twins(void **state)
{
  (void)state;
  struct run one, two;
  run_born(&one, "2026-10-01", "35+0", 1, "2026-11-20");
  run_born(&two, "2026-10-01", "35+0", 2, "2026-11-20");
  assert_int_equal(one.r.nevents, two.r.nevents);
  for (size_t i = 0; i < one.r.nevents; i++) {
    assert_string_equal(one.r.events[i].id, two.r.events[i].id);
    assert_int_equal(date_to_days(one.r.events[i].start), date_to_days(two.r.events[i].start));
  }
  assert_int_equal(two.r.stage.babies, 2);
  assert_string_equal(find(&two, "gp-baby-6-8-weeks")->title,
                      "Your babies' 6 to 8 week check with the GP");
  assert_string_equal(find(&one, "gp-baby-6-8-weeks")->title,
                      "Your baby's 6 to 8 week check with the GP");
  assert_non_null(strstr(find(&two, "hv-new-birth")->explain, "your babies are doing"));
  assert_null(strchr(find(&two, V8)->explain, '{'));
  done(&one);
  done(&two);
}

static void test_babies_near_two(void **state)
{
  (void)state;
  struct run t;
  run_born(&t, "2024-11-21", NULL, 1, "2026-11-20");
  assert_int_equal(t.r.stage.age_months, 23);
  assert_string_equal(t.r.stage.text->id, "baby-18-months");
  const struct timeline_event *end = find(&t, "milestone-end-1001");
  assert_int_equal(end->when, TL_NEXT);
  assert_string_equal(iso(end->start), "2026-11-21");
  assert_int_equal(find(&t, V1Y)->when, TL_PAST);
  done(&t);
  run_born(&t, "2024-11-20", NULL, 1, "2026-11-20"); /* the second birthday */
  assert_int_equal(t.r.stage.age_months, 24);
  assert_int_equal(find(&t, "milestone-end-1001")->when, TL_NOW);
  assert_int_equal(t.r.stage.day_of_1001, t.r.stage.days_in_1001);
  done(&t);
}

/* --- pregnancy --- */

static void test_pregnancy_stage(void **state)
{
  (void)state;
  struct run t;
  run_due(&t, "2027-03-15", TL_FIRST_YES, "2026-11-20");
  const struct timeline_stage *st = &t.r.stage;
  assert_true(st->pregnant);
  assert_string_equal(iso(st->lmp), "2026-06-08");
  assert_int_equal(st->pregnancy_week, 23);
  assert_int_equal(st->pregnancy_day, 4);
  assert_int_equal(st->trimester, 2);
  assert_string_equal(iso(st->conception), "2026-06-22");
  assert_int_equal(st->day_of_1001, 152);
  assert_string_equal(iso(st->end_1001), "2029-03-15");
  assert_string_equal(st->text->id, "pregnancy-movements");
  /* After-birth events are estimated from the due date. */
  assert_true(find(&t, V8)->estimated);
  assert_string_equal(iso(find(&t, V8)->start), "2027-05-10");
  assert_false(find(&t, "antenatal-28")->estimated);
  done(&t);
}

static void test_trimester_boundaries(void **state)
{
  (void)state;
  /* LMP 2026-01-01 (due 2026-10-08): 12+6, 13+0, 27+6, 28+0. */
  static const struct {
    const char *today;
    int week, day, trimester;
  } cases[] = {{"2026-04-01", 12, 6, 1},
               {"2026-04-02", 13, 0, 2},
               {"2026-07-15", 27, 6, 2},
               {"2026-07-16", 28, 0, 3}};
  for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
    struct run t;
    run_due(&t, "2026-10-08", TL_FIRST_NO, cases[i].today);
    assert_int_equal(t.r.stage.pregnancy_week, cases[i].week);
    assert_int_equal(t.r.stage.pregnancy_day, cases[i].day);
    assert_int_equal(t.r.stage.trimester, cases[i].trimester);
    done(&t);
  }
}

static void test_first_and_later_pregnancy_contacts(void **state)
{
  (void)state;
  struct run yes, no, unknown;
  run_due(&yes, "2027-05-01", TL_FIRST_YES, "2026-11-20");
  run_due(&no, "2027-05-01", TL_FIRST_NO, "2026-11-20");
  run_due(&unknown, "2027-05-01", TL_FIRST_UNKNOWN, "2026-11-20");
  assert_int_equal(count_kind(&yes, TL_ANTENATAL), 12);
  assert_int_equal(count_kind(&no, TL_ANTENATAL), 9);
  assert_int_equal(count_kind(&unknown, TL_ANTENATAL), 12);
  static const char *extras[] = {"antenatal-25", "antenatal-31", "antenatal-40"};
  for (size_t i = 0; i < 3; i++) {
    assert_non_null(find(&yes, extras[i]));
    assert_false(find(&yes, extras[i])->first_pregnancy_only);
    assert_null(find(&no, extras[i]));
    assert_true(find(&unknown, extras[i])->first_pregnancy_only);
  }
  /* Appointments every pregnancy has, at their weeks (LMP 2026-07-25). */
  assert_string_equal(iso(find(&no, "antenatal-28")->start), "2027-02-06");
  assert_string_equal(iso(find(&no, "antenatal-41")->start), "2027-05-08");
  const struct timeline_event *scan = find(&no, "antenatal-dating-scan");
  assert_string_equal(iso(scan->start), "2026-10-12"); /* 11+2 */
  assert_string_equal(iso(scan->end), "2026-11-01");   /* 14+1 */
  assert_string_equal(vaccines(&no, "pregnancy-whooping-cough"), "whooping cough");
  assert_string_equal(vaccines(&no, "pregnancy-rsv"), "RSV");
  assert_string_equal(iso(find(&no, "pregnancy-rsv")->start), "2027-02-06");
  assert_non_null(find(&no, "hv-antenatal"));
  done(&yes);
  done(&no);
  done(&unknown);
}

static void test_flu_in_pregnancy_each_season(void **state)
{
  (void)state;
  struct run t;
  run_due(&t, "2026-11-20", TL_FIRST_NO, "2026-05-01"); /* LMP 2026-02-13 */
  const struct timeline_event *a = find(&t, "pregnancy-flu-2025");
  const struct timeline_event *b = find(&t, "pregnancy-flu-2026");
  assert_non_null(a);
  assert_non_null(b);
  assert_string_equal(iso(a->start), "2026-02-13");
  assert_string_equal(iso(a->end), "2026-03-31");
  assert_string_equal(iso(b->start), "2026-09-01");
  assert_string_equal(iso(b->end), "2026-11-20");
  assert_string_equal(vaccines(&t, "pregnancy-flu-2026"), "flu");
  done(&t);
  run_due(&t, "2026-08-31", TL_FIRST_NO, "2026-05-01"); /* LMP 2025-11-24 */
  assert_non_null(find(&t, "pregnancy-flu-2025"));
  assert_null(find(&t, "pregnancy-flu-2026"));
  done(&t);
}

static void test_due_date_far_ahead(void **state)
{
  (void)state;
  struct run t;
  /* 308 days ahead: 4 weeks before the first day of the last period. */
  run_due(&t, "2027-09-24", TL_FIRST_UNKNOWN, "2026-11-20");
  assert_int_equal(t.r.stage.gestation_days, -28);
  assert_int_equal(t.r.stage.pregnancy_week, 0);
  assert_int_equal(t.r.stage.pregnancy_day, 0);
  assert_string_equal(t.r.stage.text->id, "pregnancy-early");
  assert_true(t.r.stage.day_of_1001 <= 0);
  assert_int_equal(find(&t, "pregnancy-flu-2026")->when, TL_NEXT); /* from 18 Dec 2026 */
  assert_int_equal(find(&t, "antenatal-booking")->when, TL_UPCOMING);
  done(&t);
}

static void test_stage_texts_cover_every_week_and_age(void **state)
{
  (void)state;
  for (int g = -28; g <= 44 * 7 + 6; g++) {
    struct run t;
    struct date today = D("2026-11-20");
    run_due(&t, iso(tl_plus_days(today, 280 - g)), TL_FIRST_YES, "2026-11-20");
    assert_non_null(t.r.stage.text);
    done(&t);
  }
  for (long age = 0; age <= 730; age++) { /* to the second birthday, 20 November 2026 */
    struct run t;
    struct date today = D("2026-11-20");
    run_born(&t, iso(tl_plus_days(today, -age)), "25+0", 1, "2026-11-20");
    assert_non_null(t.r.stage.text);
    assert_false(t.r.stage.after_1001);
    done(&t);
  }
  /* After it the baby stages are over: no stage text, and the stage says so. */
  struct run t;
  run_born(&t, "2024-11-19", NULL, 1, "2026-11-20");
  assert_null(t.r.stage.text);
  assert_true(t.r.stage.after_1001);
  done(&t);
}

/* Every appointment says what to do if it has not happened; vaccines for a
 * baby born early add that a neonatal unit may have given them; the text
 * agrees with the number of babies; milestones and campaigns have none. */
static void test_if_missed(void **state)
{
  (void)state;
  struct run t;
  run_born(&t, "2026-09-01", "33+4", 1, "2026-11-20");
  const struct timeline_event *v8 = find(&t, V8);
  assert_non_null(v8->if_missed);
  assert_non_null(strstr(v8->if_missed, "contact your GP practice"));
  assert_non_null(strstr(v8->if_missed, "neonatal unit"));
  assert_non_null(strstr(v8->if_missed, "your baby stayed"));
  assert_non_null(strstr(find(&t, "hv-new-birth")->if_missed, "health visiting team"));
  assert_non_null(strstr(find(&t, "screening-blood-spot")->if_missed, "midwife"));
  assert_non_null(strstr(find(&t, "gp-mother-6-8-weeks")->if_missed, "GP practice"));
  assert_null(find(&t, "milestone-first-birthday")->if_missed);
  assert_null(strstr(find(&t, "hv-new-birth")->if_missed, "neonatal"));
  done(&t);

  run_born(&t, "2026-09-01", "39+0", 2, "2026-11-20"); /* twins at term */
  v8 = find(&t, V8);
  assert_non_null(strstr(v8->if_missed, "have not been given"));
  assert_null(strstr(v8->if_missed, "neonatal"));
  assert_non_null(strstr(find(&t, "hv-6-8-weeks")->explain, "how your babies are growing"));
  assert_non_null(strstr(find(&t, "screening-blood-spot")->explain, "your babies are 6 to 8"));
  done(&t);
  run_born(&t, "2026-09-01", "33+4", 3, "2026-11-20"); /* triplets born early */
  assert_non_null(strstr(find(&t, V8)->if_missed, "your babies stayed"));
  done(&t);
  /* A twin pregnancy: the pregnancy texts agree too. */
  struct timeline_input twins = {.pregnant = true, .due = D("2027-03-15"), .babies = 2,
                                 .first_pregnancy = TL_FIRST_YES};
  struct arena a;
  arena_init(&a);
  struct timeline_result r;
  timeline_compute(data, &twins, D("2026-11-20"), NULL, &a, &r);
  for (size_t i = 0; i < r.nevents; i++) {
    assert_null(strstr(r.events[i].explain, "baby is"));
    assert_null(strstr(r.events[i].explain, "baby has"));
    assert_null(strstr(r.events[i].explain, "your baby "));
    if (strcmp(r.events[i].id, "antenatal-anomaly-scan") == 0)
      assert_non_null(strstr(r.events[i].explain, "how your babies are growing"));
  }
  arena_free(&a);

  run_due(&t, "2027-03-15", TL_FIRST_YES, "2026-11-20");
  assert_non_null(strstr(find(&t, "antenatal-booking")->if_missed, "midwife"));
  assert_non_null(strstr(find(&t, "pregnancy-whooping-cough")->if_missed, "this vaccine"));
  assert_null(find(&t, "milestone-due-date")->if_missed);
  done(&t);
}

/* --- events in order and relative to today --- */

static void test_events_sorted_and_marked(void **state)
{
  (void)state;
  struct run t;
  run_born(&t, "2025-03-20", NULL, 1, "2025-05-01");
  for (size_t i = 1; i < t.r.nevents; i++)
    assert_true(date_to_days(t.r.events[i - 1].start) <= date_to_days(t.r.events[i].start));
  assert_int_equal(find(&t, "hv-new-birth")->when, TL_PAST);
  assert_int_equal(find(&t, "hv-6-8-weeks")->when, TL_NOW); /* 6 weeks today */
  assert_int_equal(find(&t, V8)->when, TL_NEXT);
  assert_int_equal(find(&t, V12)->when, TL_UPCOMING);
  for (size_t i = 0; i < t.r.nevents; i++)
    assert_true(date_to_days(t.r.events[i].end) >= date_to_days(t.r.events[i].start));
  done(&t);
}

static void test_campaign_weeks_in_the_1001_days(void **state)
{
  (void)state;
  struct campaign_year years[] = {
      {.year = 2024, .dates_known = true, .start = D("2024-06-10"), .end = D("2024-06-16")},
      {.year = 2025,
       .dates_known = true,
       .start = D("2025-06-09"),
       .end = D("2025-06-15"),
       .theme = "Who is holding the baby?",
       .organiser = "Parent-Infant Foundation",
       .summary = "A summary.",
       .sources = "http://parentinfantfoundation.org.uk/imhaw https://example.org/x"},
      {.year = 2026, .dates_known = false},
  };
  struct campaign_set cs = {years, 3};
  struct arena a;
  arena_init(&a);
  /* Born 1 Mar 2025 at term: conceived about 8 Jun 2024, so the 2024 week
   * (10-16 Jun) is inside the 1001 days. */
  struct timeline_input in = {.born = D("2025-03-01"), .gestation_days = 280, .babies = 1};
  struct timeline_result r;
  timeline_compute(data, &in, D("2025-05-01"), &cs, &a, &r);
  const struct timeline_event *e24 = NULL, *e25 = NULL, *e26 = NULL;
  for (size_t i = 0; i < r.nevents; i++) {
    if (strcmp(r.events[i].id, "imhaw-2024") == 0)
      e24 = &r.events[i];
    if (strcmp(r.events[i].id, "imhaw-2025") == 0)
      e25 = &r.events[i];
    if (strcmp(r.events[i].id, "imhaw-2026") == 0)
      e26 = &r.events[i];
  }
  assert_non_null(e24);
  assert_int_equal(e24->when, TL_PAST);
  assert_non_null(e25);
  assert_null(e26); /* dates not known */
  assert_int_equal(e25->kind, TL_CAMPAIGN);
  assert_int_equal(e25->when, TL_UPCOMING);
  assert_string_equal(e25->title,
                      "Infant Mental Health Awareness Week 2025: Who is holding the baby?");
  assert_string_equal(e25->href, "/awareness-week/2025");
  assert_string_equal(e25->source, "http://parentinfantfoundation.org.uk/imhaw");
  assert_string_equal(iso(e25->end), "2025-06-15");
  arena_free(&a);

  /* Born 20 Mar 2025: conceived about 27 Jun 2024, after the 2024 week. */
  arena_init(&a);
  struct timeline_input later = {.born = D("2025-03-20"), .gestation_days = 280, .babies = 1};
  timeline_compute(data, &later, D("2025-05-01"), &cs, &a, &r);
  for (size_t i = 0; i < r.nevents; i++)
    assert_string_not_equal(r.events[i].id, "imhaw-2024");
  arena_free(&a);

  /* No campaign data: no campaign events. */
  struct run t;
  run_born(&t, "2025-03-20", NULL, 1, "2025-05-01");
  assert_int_equal(count_kind(&t, TL_CAMPAIGN), 0);
  done(&t);
}

/* --- input validation --- */

static size_t parse(const char *due, const char *born, const char *gestation, const char *babies,
                    const char *first, const char *today, struct timeline_input *in,
                    struct timeline_error *errs)
{
  struct timeline_raw raw = {due, born, gestation, babies, first, today};
  struct date t;
  return timeline_parse_input(data, &raw, D("2026-11-20"), in, &t, errs);
}

static void expect_error(size_t n, const struct timeline_error *errs, const char *field,
                         const char *code, const char *fragment)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(errs[i].code, code) == 0 && strcmp(errs[i].field, field) == 0) {
      if (fragment && !strstr(errs[i].message, fragment))
        fail_msg("message '%s' lacks '%s'", errs[i].message, fragment);
      return;
    }
  fail_msg("no error %s on %s (got %zu errors, first %s)", code, field, n, n ? errs[0].code : "-");
}

static void test_input_valid(void **state)
{
  (void)state;
  struct timeline_input in;
  struct timeline_error e[TL_MAX_ERRORS];
  assert_int_equal(parse("2027-03-15", NULL, NULL, NULL, "yes", NULL, &in, e), 0);
  assert_true(in.pregnant);
  assert_int_equal(in.first_pregnancy, TL_FIRST_YES);
  assert_int_equal(in.babies, 1);
  assert_int_equal(parse(NULL, " 2026-10-01 ", "33+4", "2", "", "", &in, e), 0);
  assert_false(in.pregnant);
  assert_int_equal(in.gestation_days, 235);
  assert_true(in.gestation_given);
  assert_int_equal(in.babies, 2);
  assert_int_equal(in.first_pregnancy, TL_FIRST_UNKNOWN);
  assert_int_equal(parse(NULL, "2026-10-01", NULL, NULL, "NO", NULL, &in, e), 0);
  assert_int_equal(in.gestation_days, 280);
  assert_false(in.gestation_given);
}

static void test_input_impossible(void **state)
{
  (void)state;
  struct timeline_input in;
  struct timeline_error e[TL_MAX_ERRORS];
  size_t n = parse("2027-02-30", NULL, NULL, NULL, NULL, NULL, &in, e);
  expect_error(n, e, "due", "invalid_date", "February 2027 has 28 days");
  n = parse(NULL, "2026-13-01", NULL, NULL, NULL, NULL, &in, e);
  expect_error(n, e, "born", "invalid_date", "month must be from 01 to 12");
  n = parse("next spring", NULL, NULL, NULL, NULL, NULL, &in, e);
  expect_error(n, e, "due", "invalid_date", "for example");
  n = parse(NULL, "2026-11-21", NULL, NULL, NULL, NULL, &in, e);
  expect_error(n, e, "born", "born_in_future", "after today");
  n = parse(NULL, "2026-10-01", "12+9", NULL, NULL, NULL, &in, e);
  expect_error(n, e, "gestation", "invalid_gestation", "0 to 6");
  n = parse(NULL, "2026-10-01", "12+0", NULL, NULL, NULL, &in, e);
  expect_error(n, e, "gestation", "gestation_out_of_range", "between 22+0 and 44+6");
  n = parse(NULL, "2026-10-01", "45+0", NULL, NULL, NULL, &in, e);
  expect_error(n, e, "gestation", "gestation_out_of_range", NULL);
  n = parse(NULL, NULL, NULL, NULL, NULL, NULL, &in, e);
  expect_error(n, e, "due", "missing_date", "due date");
  n = parse("  ", "", NULL, NULL, NULL, NULL, &in, e);
  expect_error(n, e, "due", "missing_date", NULL);
  n = parse("2027-03-15", "2026-10-01", NULL, NULL, NULL, NULL, &in, e);
  expect_error(n, e, "born", "both_dates", "not both");
  n = parse("2027-09-25", NULL, NULL, NULL, NULL, NULL, &in, e); /* 309 days ahead */
  expect_error(n, e, "due", "due_too_far", "no later than 24 September 2027");
  n = parse("2026-10-16", NULL, NULL, NULL, NULL, NULL, &in, e); /* 35 days ago */
  expect_error(n, e, "due", "due_past", "date of birth");
  assert_int_equal(parse("2026-10-17", NULL, NULL, NULL, NULL, NULL, &in, e), 0); /* 44+6 */
  /* After the second birthday the timeline goes on to the pre-school vaccines
   * at 3 years 4 months: born 20 July 2023 is the last day accepted. */
  assert_int_equal(parse(NULL, "2024-11-19", NULL, NULL, NULL, NULL, &in, e), 0);
  assert_int_equal(parse(NULL, "2023-07-20", NULL, NULL, NULL, NULL, &in, e), 0);
  n = parse(NULL, "2023-07-19", NULL, NULL, NULL, NULL, &in, e);
  expect_error(n, e, "born", "after_timeline", "3 years and 4 months");
  expect_error(n, e, "born", "after_timeline", "19 November 2026");
  assert_int_equal(parse(NULL, "2024-11-20", NULL, NULL, NULL, NULL, &in, e), 0);
  n = parse(NULL, "2026-10-01", NULL, "0", NULL, NULL, &in, e);
  expect_error(n, e, "babies", "invalid_babies", "from 1 to 6");
  n = parse(NULL, "2026-10-01", NULL, "7", NULL, NULL, &in, e);
  expect_error(n, e, "babies", "invalid_babies", NULL);
  n = parse(NULL, "2026-10-01", NULL, "two", NULL, NULL, &in, e);
  expect_error(n, e, "babies", "invalid_babies", NULL);
  n = parse("2027-03-15", NULL, NULL, NULL, "maybe", NULL, &in, e);
  expect_error(n, e, "first_pregnancy", "invalid_first_pregnancy", "yes or no");
  n = parse("2027-03-15", NULL, "38+0", NULL, NULL, NULL, &in, e);
  expect_error(n, e, "gestation", "gestation_without_birth", NULL);
  n = parse("2027-03-15", NULL, NULL, NULL, NULL, "2026-02-29", &in, e);
  expect_error(n, e, "today", "invalid_date", "February 2026 has 28 days");
  n = parse(NULL, "2021-06-01", NULL, NULL, NULL, "2022-01-01", &in, e);
  expect_error(n, e, "born", "before_supported", "1 September 2022");
}

static void test_input_several_problems_at_once(void **state)
{
  (void)state;
  struct timeline_input in;
  struct timeline_error e[TL_MAX_ERRORS];
  size_t n = parse(NULL, "2026-02-30", "12+9", "x", NULL, NULL, &in, e);
  assert_int_equal(n, 3);
  expect_error(n, e, "born", "invalid_date", NULL);
  expect_error(n, e, "gestation", "invalid_gestation", NULL);
  expect_error(n, e, "babies", "invalid_babies", NULL);
}

static void test_input_never_crashes(void **state)
{
  (void)state;
  char big[5000];
  memset(big, '9', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  static const char *odd[] = {"",           "-",          "--",         "2026-1-1",    "+",
                              "2026-02-29", "0000-00-00", "9999-99-99", "2026-11-20x", "\t",
                              "44+6",       "99+9",       "1",          "%00",         "2026-11-"};
  struct timeline_input in;
  struct timeline_error e[TL_MAX_ERRORS];
  for (size_t i = 0; i < ARRAY_LEN(odd); i++)
    for (size_t j = 0; j < ARRAY_LEN(odd); j++) {
      parse(odd[i], odd[j], odd[j], odd[i], odd[j], odd[i], &in, e);
      parse(NULL, odd[j], odd[i], NULL, NULL, NULL, &in, e);
    }
  size_t n = parse(big, big, big, big, big, big, &in, e);
  assert_true(n > 0 && n <= TL_MAX_ERRORS);
}

/* --- the loader reports bad data by file and field --- */

static char tmpdir[64];

static void write_file(const char *rel, const char *text)
{
  char path[256];
  snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static char *loaded_error(void)
{
  static char err[512];
  struct content *c = content_load(tmpdir, err, sizeof err);
  assert_non_null(c);
  struct timeline_data *d = timeline_load(c, err, sizeof err);
  if (d) {
    timeline_free(d);
    err[0] = '\0';
  }
  content_free(c);
  return err;
}

/* Replace the first occurrence of `from` in the shipped schedule. */
static void write_schedule_with(const char *from, const char *to)
{
  const struct content_file *f = content_get(content, "timeline/schedule.json");
  const char *at = strstr(f->data, from);
  assert_non_null(at);
  struct buf b = BUF_INIT;
  buf_append(&b, f->data, (size_t)(at - f->data));
  buf_puts(&b, to);
  buf_puts(&b, at + strlen(from));
  write_file("timeline/schedule.json", buf_cstr(&b));
  buf_free(&b);
}

static void test_loader_errors(void **state)
{
  (void)state;
  snprintf(tmpdir, sizeof tmpdir, "/tmp/fd-timeline-XXXXXX");
  assert_non_null(mkdtemp(tmpdir));
  char sub[128];
  snprintf(sub, sizeof sub, "%s/timeline", tmpdir);
  mkdir(sub, 0700);
  snprintf(sub, sizeof sub, "%s/timeline/stages", tmpdir);
  mkdir(sub, 0700);

  write_schedule_with("\"label\": \"MenB vaccine, 1st dose\"", "\"label\": \"MenB\"");
  assert_string_equal(loaded_error(), "");

  write_schedule_with("{\"vaccine\": \"MenB\", \"label\": \"MenB vaccine, 1st dose\"}",
                      "{\"vaccine\": \"Men B\", \"label\": \"MenB vaccine, 1st dose\"}");
  assert_non_null(strstr(loaded_error(), "'Men B' is not in vaccine_names"));
  assert_non_null(strstr(loaded_error(), "immunisations.appointments[0].doses[1]"));

  write_schedule_with("\"at\": \"11+2\"", "\"at\": \"11+9\"");
  assert_non_null(strstr(loaded_error(), "events[1].at"));

  write_schedule_with("\"before\": \"2025-07-01\"", "\"before\": \"2025-02-30\"");
  assert_non_null(strstr(loaded_error(), "not a real date"));

  write_schedule_with("\"date_of\": \"vaccines-12-weeks\"", "\"date_of\": \"vaccines-13-weeks\"");
  assert_non_null(strstr(loaded_error(), "date_of 'vaccines-13-weeks'"));

  write_schedule_with("\"need\": \"maternity\"", "\"need\": \"midwives\"");
  assert_non_null(strstr(loaded_error(), "'midwives' is not one of the terms"));

  /* A rule change that breaks a worked example stops the load. */
  write_schedule_with("{\"date_of\": \"birth\", \"before\": \"2024-07-01\"}",
                      "{\"date_of\": \"birth\", \"before\": \"2024-01-01\"}");
  assert_non_null(strstr(loaded_error(), "a child born 2024-03-01 should get [Hib/MenC, PCV, "
                                         "MenB, MMR] at vaccines-1-year, but the rules give "
                                         "[PCV, MenB, MMR]"));

  write_schedule_with("\"limits\": {", "\"limits\": {,");
  assert_non_null(strstr(loaded_error(), "schedule.json: line"));

  /* Restore the schedule, then break the stages: a gap. */
  write_schedule_with("\"about\"", "\"about\"");
  write_file("timeline/stages/03-pregnancy-second-trimester.md",
             "---\nid: x\nphase: pregnancy\nfrom: 14+0\nuntil: 20+0\ntitle: X\n---\nBody\n");
  assert_non_null(strstr(loaded_error(), "03-pregnancy-second-trimester.md: starts at 14+0"));
  write_file("timeline/stages/03-pregnancy-second-trimester.md",
             "---\nid: x\nphase: toddler\ntitle: X\n---\nBody\n");
  assert_non_null(strstr(loaded_error(), "phase 'toddler'"));

  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
  assert_int_equal(system(cmd), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_vaccine_names_are_the_fixed_list),
      cmocka_unit_test(test_every_rule_has_a_source),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_worked_examples_in_the_data),
      cmocka_unit_test(test_spans),
      cmocka_unit_test(test_gestation_parse),
      cmocka_unit_test(test_month_arithmetic_never_counts_a_child_older),
      cmocka_unit_test(test_date_ranges_for_people),
      cmocka_unit_test(test_cohort_2022_to_june_2024),
      cmocka_unit_test(test_cohort_july_to_december_2024),
      cmocka_unit_test(test_cohort_from_january_2025),
      cmocka_unit_test(test_cohort_march_april_2025_menb_at_16_weeks),
      cmocka_unit_test(test_cohort_from_8_april_2025_new_schedule),
      cmocka_unit_test(test_cohort_invariants_every_birth_date),
      cmocka_unit_test(test_rotavirus_age_limits),
      cmocka_unit_test(test_rotavirus_dropped_when_the_appointment_is_too_late),
      cmocka_unit_test(test_preterm_corrected_age),
      cmocka_unit_test(test_preterm_boundary_is_37_weeks),
      cmocka_unit_test(test_leap_day_birth),
      cmocka_unit_test(test_twins),
      cmocka_unit_test(test_babies_near_two),
      cmocka_unit_test(test_pregnancy_stage),
      cmocka_unit_test(test_trimester_boundaries),
      cmocka_unit_test(test_first_and_later_pregnancy_contacts),
      cmocka_unit_test(test_flu_in_pregnancy_each_season),
      cmocka_unit_test(test_due_date_far_ahead),
      cmocka_unit_test(test_stage_texts_cover_every_week_and_age),
      cmocka_unit_test(test_if_missed),
      cmocka_unit_test(test_events_sorted_and_marked),
      cmocka_unit_test(test_campaign_weeks_in_the_1001_days),
      cmocka_unit_test(test_input_valid),
      cmocka_unit_test(test_input_impossible),
      cmocka_unit_test(test_input_several_problems_at_once),
      cmocka_unit_test(test_input_never_crashes),
      cmocka_unit_test(test_loader_errors),
  };
  return cmocka_run_group_tests_name("timeline", tests, setup, teardown);
}
