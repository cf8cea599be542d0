/* test_checkin.c: worked examples for every wellbeing-check instrument and
 * every rule of the scoring engine (src/checkin). The numbers come from
 * reference clinical.md sections 1 to 4; the hazard log
 * (docs/clinical-safety/hazard-log.md) names the tests below as its evidence. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkin/checkin.h"
#include "content/content.h"

static struct content *content;
static struct instrument_set *set13; /* EPDS threshold 13 (default) */
static struct instrument_set *set10; /* EPDS threshold 10 */

static int setup(void **state)
{
  (void)state;
  char err[512];
  content = content_load(NULL, err, sizeof err);
  if (!content) {
    fprintf(stderr, "content: %s\n", err);
    return -1;
  }
  set13 = instrument_set_build(content, 13, NULL, 0, err, sizeof err);
  if (!set13) {
    fprintf(stderr, "instruments: %s\n", err);
    return -1;
  }
  set10 = instrument_set_build(content, 10, NULL, 0, err, sizeof err);
  if (!set10) {
    fprintf(stderr, "instruments (10): %s\n", err);
    return -1;
  }
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  instrument_set_free(set13);
  instrument_set_free(set10);
  content_free(content);
  return 0;
}

static const struct instrument_def *def13(const char *id)
{
  const struct instrument_def *d = instrument_find(set13, id);
  assert_non_null(d);
  return d;
}

/* Score answers and check total, band, care and the number of flags. */
static void expect(const struct instrument_def *d, const int *answers, size_t n, int score,
                   const char *band, const char *care, size_t nflags)
{
  struct instrument_result r;
  assert_int_equal(instrument_score(d, answers, n, &r, NULL), INSTRUMENT_OK);
  assert_int_equal(r.score, score);
  assert_non_null(r.band);
  assert_string_equal(r.band->id, band);
  assert_string_equal(checkin_care_name(r.care), care);
  assert_int_equal(r.nflags, nflags);
  assert_int_equal(r.max, d->max);
  assert_int_equal(r.positive, score >= d->positive_at);
}

#define EXPECT(d, score, band, care, nflags, ...)                                                  \
  do {                                                                                             \
    const int a_[] = {__VA_ARGS__};                                                                \
    expect((d), a_, sizeof a_ / sizeof a_[0], (score), (band), (care), (nflags));                  \
  } while (0)

/* --- the set --- */

static void test_all_five_instruments_load(void **state)
{
  (void)state;
  static const struct {
    const char *id;
    size_t items;
    int max, positive_at;
  } want[] = {{"whooley", 2, 2, 1},
              {"gad2", 2, 6, 3},
              {"phq9", 9, 27, 10},
              {"gad7", 7, 21, 10},
              {"epds", 10, 30, 13}};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const struct instrument_def *d = def13(want[i].id);
    assert_int_equal(d->nitems, want[i].items);
    assert_int_equal(d->min, 0);
    assert_int_equal(d->max, want[i].max);
    assert_int_equal(d->positive_at, want[i].positive_at);
  }
  assert_null(instrument_find(set13, "phq2"));
  assert_null(instrument_find(set13, ""));
  assert_null(instrument_find(NULL, "phq9"));
}

/* PHQ and GAD items: not at all 0, several days 1, more than half the days 2,
 * nearly every day 3 (clinical.md section 1). */
static void test_phq_gad_response_scale(void **state)
{
  (void)state;
  static const char *const ids[] = {"gad2", "phq9", "gad7"};
  static const char *const labels[] = {"Not at all", "Several days", "More than half the days",
                                       "Nearly every day"};
  for (size_t i = 0; i < 3; i++) {
    const struct instrument_def *d = def13(ids[i]);
    for (size_t k = 0; k < d->nitems; k++) {
      assert_int_equal(d->items[k].noptions, 4);
      for (int o = 0; o < 4; o++) {
        assert_string_equal(d->items[k].options[o].label, labels[o]);
        assert_int_equal(d->items[k].options[o].score, o);
      }
    }
  }
}

/* --- Whooley --- */

static void test_whooley(void **state)
{
  (void)state;
  const struct instrument_def *d = def13("whooley");
  assert_string_equal(d->items[0].options[0].label, "No");
  assert_int_equal(d->items[0].options[0].score, 0);
  assert_string_equal(d->items[0].options[1].label, "Yes");
  assert_int_equal(d->items[0].options[1].score, 1);
  EXPECT(d, 0, "negative", "none", 0, 0, 0);
  EXPECT(d, 1, "positive", "non-urgent", 0, 1, 0);
  EXPECT(d, 1, "positive", "non-urgent", 0, 0, 1);
  EXPECT(d, 2, "positive", "non-urgent", 0, 1, 1);
}

static void test_whooley_help_question_only_when_positive(void **state)
{
  (void)state;
  const struct instrument_def *d = def13("whooley");
  assert_true(d->has_followup);
  assert_string_equal(d->followup.text, "Is this something you feel you need or want help with?");
  assert_int_equal(d->followup.noptions, 3);
  /* Other instruments have no follow-up question. */
  assert_false(def13("phq9")->has_followup);
  assert_false(def13("gad2")->has_followup);
}

/* --- GAD-2: 2 negative, 3 positive --- */

static void test_gad2_boundaries(void **state)
{
  (void)state;
  const struct instrument_def *d = def13("gad2");
  EXPECT(d, 0, "negative", "none", 0, 0, 0);
  EXPECT(d, 2, "negative", "none", 0, 1, 1);
  EXPECT(d, 2, "negative", "none", 0, 2, 0);
  EXPECT(d, 3, "positive", "non-urgent", 0, 2, 1);
  EXPECT(d, 3, "positive", "non-urgent", 0, 0, 3);
  EXPECT(d, 6, "positive", "non-urgent", 0, 3, 3);
}

/* --- PHQ-9 --- */

static void test_phq9_minimum_and_maximum(void **state)
{
  (void)state;
  const struct instrument_def *d = def13("phq9");
  EXPECT(d, 0, "minimal", "none", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  EXPECT(d, 27, "severe", "urgent", 1, 3, 3, 3, 3, 3, 3, 3, 3, 3);
}

static void test_phq9_band_boundaries(void **state)
{
  (void)state;
  const struct instrument_def *d = def13("phq9");
  EXPECT(d, 4, "minimal", "none", 0, 1, 1, 1, 1, 0, 0, 0, 0, 0);
  EXPECT(d, 5, "mild", "none", 0, 1, 1, 1, 1, 1, 0, 0, 0, 0);
  EXPECT(d, 9, "mild", "none", 0, 2, 2, 2, 1, 1, 1, 0, 0, 0);
  EXPECT(d, 10, "moderate", "non-urgent", 0, 2, 2, 2, 2, 1, 1, 0, 0, 0);
  EXPECT(d, 14, "moderate", "non-urgent", 0, 2, 2, 2, 2, 2, 2, 2, 0, 0);
  EXPECT(d, 15, "moderately-severe", "non-urgent", 0, 3, 2, 2, 2, 2, 2, 2, 0, 0);
  EXPECT(d, 19, "moderately-severe", "non-urgent", 0, 3, 3, 3, 3, 3, 2, 2, 0, 0);
  EXPECT(d, 20, "severe", "non-urgent", 0, 3, 3, 3, 3, 3, 3, 2, 0, 0);
  EXPECT(d, 24, "severe", "non-urgent", 0, 3, 3, 3, 3, 3, 3, 3, 3, 0);
}

/* "Every item answered several days gives 9 -> mild" (clinical.md); item 9 is
 * then 1, so the safety flag is raised as well. */
static void test_phq9_several_days_everywhere(void **state)
{
  (void)state;
  const struct instrument_def *d = def13("phq9");
  EXPECT(d, 9, "mild", "urgent", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
}

/* "Item 9 = 1 with total 3 gives band minimal and the safety flag." */
static void test_phq9_item9_flag_whatever_the_total(void **state)
{
  (void)state;
  const struct instrument_def *d = def13("phq9");
  const int a[] = {1, 1, 0, 0, 0, 0, 0, 0, 1};
  struct instrument_result r;
  assert_int_equal(instrument_score(d, a, 9, &r, NULL), INSTRUMENT_OK);
  assert_int_equal(r.score, 3);
  assert_string_equal(r.band->id, "minimal");
  assert_false(r.positive);
  assert_int_equal(r.nflags, 1);
  assert_string_equal(r.flags[0]->id, "self-harm");
  assert_int_equal(r.care, CHECKIN_CARE_URGENT);
  assert_string_equal(checkin_care_name(r.care), "urgent");
  /* Every option above "not at all" on item 9 raises it; "not at all" does not. */
  for (int o = 0; o < 4; o++) {
    int b[9] = {0, 0, 0, 0, 0, 0, 0, 0, o};
    assert_int_equal(instrument_score(d, b, 9, &r, NULL), INSTRUMENT_OK);
    assert_int_equal(r.nflags, o > 0 ? 1 : 0);
    assert_int_equal(r.care, o > 0 ? CHECKIN_CARE_URGENT : CHECKIN_CARE_NONE);
  }
  /* Only item 9 carries the flag: the highest answer on every other item does not. */
  for (int k = 0; k < 8; k++) {
    int b[9] = {0};
    b[k] = 3;
    assert_int_equal(instrument_score(d, b, 9, &r, NULL), INSTRUMENT_OK);
    assert_int_equal(r.nflags, 0);
  }
}

/* --- GAD-7 --- */

static void test_gad7_boundaries(void **state)
{
  (void)state;
  const struct instrument_def *d = def13("gad7");
  EXPECT(d, 0, "minimal", "none", 0, 0, 0, 0, 0, 0, 0, 0);
  EXPECT(d, 4, "minimal", "none", 0, 1, 1, 1, 1, 0, 0, 0);
  EXPECT(d, 5, "mild", "none", 0, 1, 1, 1, 1, 1, 0, 0);
  EXPECT(d, 9, "mild", "none", 0, 2, 2, 2, 1, 1, 1, 0);
  EXPECT(d, 10, "moderate", "non-urgent", 0, 2, 2, 2, 1, 1, 1, 1);
  EXPECT(d, 14, "moderate", "non-urgent", 0, 2, 2, 2, 2, 2, 2, 2);
  EXPECT(d, 15, "severe", "non-urgent", 0, 3, 2, 2, 2, 2, 2, 2);
  EXPECT(d, 21, "severe", "non-urgent", 0, 3, 3, 3, 3, 3, 3, 3);
}

/* --- EPDS --- */

/* The per-item key from clinical.md section 2.5, option 1 -> 4. */
static const int epds_key[10][4] = {
    {0, 1, 2, 3}, {0, 1, 2, 3}, {3, 2, 1, 0}, {0, 1, 2, 3}, {3, 2, 1, 0},
    {3, 2, 1, 0}, {3, 2, 1, 0}, {3, 2, 1, 0}, {3, 2, 1, 0}, {3, 2, 1, 0},
};

static void test_epds_score_keys_reverse_scored(void **state)
{
  (void)state;
  const struct instrument_def *d = def13("epds");
  for (size_t k = 0; k < 10; k++) {
    assert_int_equal(d->items[k].noptions, 4);
    for (size_t o = 0; o < 4; o++)
      assert_int_equal(d->items[k].options[o].score, epds_key[k][o]);
  }
  /* Scored through the engine: each option of each item alone, every other
   * item on its zero-scoring option. */
  for (size_t k = 0; k < 10; k++) {
    for (int o = 0; o < 4; o++) {
      int a[10];
      for (size_t j = 0; j < 10; j++)
        a[j] = epds_key[j][0] == 0 ? 0 : 3;
      a[k] = o;
      struct instrument_result r;
      assert_int_equal(instrument_score(d, a, 10, &r, NULL), INSTRUMENT_OK);
      assert_int_equal(r.score, epds_key[k][o]);
      /* Item 3 (index 2) first option scores 3, not 0: index is never the score. */
      if (k == 2 && o == 0)
        assert_int_equal(r.score, 3);
    }
  }
}

static void test_epds_derived_cases(void **state)
{
  (void)state;
  const struct instrument_def *d = def13("epds");
  /* Top option on every item: 21, item 10 = 3, flagged. */
  EXPECT(d, 21, "positive", "urgent", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  /* Bottom option on every item: 9, no flag. */
  EXPECT(d, 9, "negative", "none", 0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3);
  /* Second option on every item: 17, item 10 = 2, flagged. */
  EXPECT(d, 17, "positive", "urgent", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
  /* Bottom everywhere except item 10 on the third option (score 1): 10, flagged. */
  EXPECT(d, 10, "negative", "urgent", 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2);
}

static void test_epds_minimum_maximum_and_threshold_13(void **state)
{
  (void)state;
  const struct instrument_def *d = def13("epds");
  EXPECT(d, 0, "negative", "none", 0, 0, 0, 3, 0, 3, 3, 3, 3, 3, 3);
  EXPECT(d, 30, "positive", "urgent", 1, 3, 3, 0, 3, 0, 0, 0, 0, 0, 0);
  EXPECT(d, 12, "negative", "none", 0, 3, 3, 0, 3, 3, 3, 3, 3, 3, 3);
  EXPECT(d, 13, "positive", "non-urgent", 0, 3, 3, 0, 3, 2, 3, 3, 3, 3, 3);
}

static void test_epds_item10_flag(void **state)
{
  (void)state;
  const struct instrument_def *d = def13("epds");
  for (int o = 0; o < 4; o++) {
    int a[10] = {0, 0, 3, 0, 3, 3, 3, 3, 3, o};
    struct instrument_result r;
    assert_int_equal(instrument_score(d, a, 10, &r, NULL), INSTRUMENT_OK);
    /* Options 1-3 of item 10 score 3, 2, 1: all flagged. Option 4 scores 0. */
    assert_int_equal(r.score, 3 - o);
    assert_int_equal(r.nflags, o < 3 ? 1 : 0);
    assert_int_equal(r.care, o < 3 ? CHECKIN_CARE_URGENT : CHECKIN_CARE_NONE);
    if (o < 3)
      assert_string_equal(r.flags[0]->id, "self-harm");
  }
}

static void test_epds_threshold_10_versus_13(void **state)
{
  (void)state;
  const struct instrument_def *d10 = instrument_find(set10, "epds");
  const struct instrument_def *d13 = def13("epds");
  assert_int_equal(d10->positive_at, 10);
  assert_int_equal(d13->positive_at, 13);
  /* 9: negative under both. */
  EXPECT(d10, 9, "negative", "none", 0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3);
  EXPECT(d13, 9, "negative", "none", 0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3);
  /* 10 without a flag: positive at 10, negative at 13. */
  EXPECT(d10, 10, "positive", "non-urgent", 0, 3, 3, 3, 3, 2, 3, 3, 3, 3, 3);
  EXPECT(d13, 10, "negative", "none", 0, 3, 3, 3, 3, 2, 3, 3, 3, 3, 3);
  /* 12: positive at 10, negative at 13. */
  EXPECT(d10, 12, "positive", "non-urgent", 0, 3, 3, 0, 3, 3, 3, 3, 3, 3, 3);
  EXPECT(d13, 12, "negative", "none", 0, 3, 3, 0, 3, 3, 3, 3, 3, 3, 3);
  /* The DERIVED 10-with-flag case is urgent whichever threshold. */
  EXPECT(d10, 10, "positive", "urgent", 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2);
  EXPECT(d13, 10, "negative", "urgent", 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2);
  /* Bands still cover 0..30 with the boundary moved. */
  assert_int_equal(d10->bands[0].max, 9);
  assert_int_equal(d10->bands[1].min, 10);
  assert_int_equal(d13->bands[0].max, 12);
  assert_int_equal(d13->bands[1].min, 13);
}

static void test_epds_other_thresholds_refused(void **state)
{
  (void)state;
  char err[256];
  static const int bad[] = {0, 9, 11, 12, 14, 15, 31, -1};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    err[0] = '\0';
    assert_null(instrument_set_build(content, bad[i], NULL, 0, err, sizeof err));
    assert_non_null(strstr(err, "epds_threshold"));
  }
  /* Instruments without a configurable threshold refuse any change. */
  struct instrument_def copy = *def13("phq9");
  assert_false(instrument_set_threshold(&copy, 11, err, sizeof err));
  assert_true(instrument_set_threshold(&copy, 10, err, sizeof err));
}

static void test_epds_ships_no_wording(void **state)
{
  (void)state;
  const struct instrument_def *d = def13("epds");
  assert_false(d->wording_available);
  assert_true(d->wording_from_deployment);
  assert_null(d->stem);
  assert_null(d->attribution);
  for (size_t k = 0; k < d->nitems; k++) {
    assert_null(d->items[k].text);
    assert_null(d->items[k].hint);
    for (size_t o = 0; o < d->items[k].noptions; o++)
      assert_null(d->items[k].options[o].label);
  }
  /* And the built-in file itself holds no "text" or "label" keys. */
  const struct content_file *f = content_get(content, "instruments/epds.json");
  assert_non_null(f);
  assert_null(strstr(f->data, "\"text\""));
  assert_null(strstr(f->data, "{\"label\""));
  assert_null(strstr(f->data, "\"stem\""));
}

/* --- engine errors and partial answers --- */

static void test_wrong_count_and_bad_answers(void **state)
{
  (void)state;
  const struct instrument_def *d = def13("phq9");
  struct instrument_result r;
  size_t bad = 99;
  const int eight[8] = {0};
  const int ten[10] = {0};
  assert_int_equal(instrument_score(d, eight, 8, &r, &bad), INSTRUMENT_WRONG_COUNT);
  assert_int_equal(instrument_score(d, ten, 10, &r, &bad), INSTRUMENT_WRONG_COUNT);
  assert_int_equal(instrument_score(d, NULL, 0, &r, &bad), INSTRUMENT_WRONG_COUNT);
  int a[9] = {0, 0, 0, 4, 0, 0, 0, 0, 0};
  assert_int_equal(instrument_score(d, a, 9, &r, &bad), INSTRUMENT_BAD_ANSWER);
  assert_int_equal(bad, 3);
  a[3] = 0;
  a[7] = -1;
  assert_int_equal(instrument_score(d, a, 9, &r, &bad), INSTRUMENT_BAD_ANSWER);
  assert_int_equal(bad, 7);
  /* A failed score never reports a care level below what it was. */
  assert_int_equal(r.care, CHECKIN_CARE_NONE);
  assert_null(r.band);
  const struct instrument_def *w = def13("whooley");
  int y[2] = {2, 0};
  assert_int_equal(instrument_score(w, y, 2, &r, &bad), INSTRUMENT_BAD_ANSWER);
  assert_int_equal(bad, 0);
}

static void test_partial_flags(void **state)
{
  (void)state;
  const struct instrument_flag *fl[INSTRUMENT_MAX_FLAGS];
  const struct instrument_def *p = def13("phq9");
  int a[9] = {-1, -1, -1, -1, -1, -1, -1, -1, 2};
  assert_int_equal(instrument_partial_flags(p, a, 9, fl), 1);
  assert_string_equal(fl[0]->id, "self-harm");
  a[8] = 0;
  assert_int_equal(instrument_partial_flags(p, a, 9, fl), 0);
  a[8] = -1;
  assert_int_equal(instrument_partial_flags(p, a, 9, fl), 0);
  a[8] = 9; /* not an option: ignored */
  assert_int_equal(instrument_partial_flags(p, a, 9, fl), 0);
  const struct instrument_def *e = def13("epds");
  int b[10] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, 0};
  assert_int_equal(instrument_partial_flags(e, b, 10, fl), 1);
  b[9] = 3;
  assert_int_equal(instrument_partial_flags(e, b, 10, fl), 0);
  /* Too few answers to reach the flagged item: nothing, and no overread. */
  assert_int_equal(instrument_partial_flags(e, b, 5, fl), 0);
  assert_int_equal(instrument_partial_flags(def13("gad7"), a, 7, fl), 0);
}

static void test_care_names_and_max(void **state)
{
  (void)state;
  assert_string_equal(checkin_care_name(CHECKIN_CARE_NONE), "none");
  assert_string_equal(checkin_care_name(CHECKIN_CARE_NON_URGENT), "non-urgent");
  assert_string_equal(checkin_care_name(CHECKIN_CARE_URGENT), "urgent");
  assert_int_equal(checkin_care_max(CHECKIN_CARE_NONE, CHECKIN_CARE_URGENT), CHECKIN_CARE_URGENT);
  assert_int_equal(checkin_care_max(CHECKIN_CARE_URGENT, CHECKIN_CARE_NON_URGENT),
                   CHECKIN_CARE_URGENT);
  assert_int_equal(checkin_care_max(CHECKIN_CARE_NON_URGENT, CHECKIN_CARE_NONE),
                   CHECKIN_CARE_NON_URGENT);
}

/* Every band of every instrument: its lowest and highest total land in it,
 * and positive agrees with the band (no band is partly positive). */
static void test_every_band_edge_of_every_instrument(void **state)
{
  (void)state;
  const struct instrument_set *sets[] = {set13, set10};
  for (size_t s = 0; s < 2; s++) {
    for (size_t i = 0; i < sets[s]->n; i++) {
      const struct instrument_def *d = &sets[s]->defs[i];
      for (size_t b = 0; b < d->nbands; b++) {
        const struct instrument_band *bd = &d->bands[b];
        assert_ptr_equal(instrument_band_for(d, bd->min), bd);
        assert_ptr_equal(instrument_band_for(d, bd->max), bd);
        assert_int_equal(bd->min >= d->positive_at, bd->max >= d->positive_at);
      }
      assert_null(instrument_band_for(d, d->min - 1));
      assert_null(instrument_band_for(d, d->max + 1));
    }
  }
}

/* --- the loader refuses broken definitions --- */

static const char *const good_def =
    "{\"id\":\"t\",\"name\":\"T\",\"title\":\"T\",\"summary\":\"s\",\"about\":\"a\","
    "\"recall_period\":\"r\",\"stem\":\"How often?\",\"licence\":\"l\","
    "\"scale\":[{\"label\":\"No\",\"score\":0},{\"label\":\"Yes\",\"score\":2}],"
    "\"items\":[{\"id\":\"t.1\",\"text\":\"one\"},{\"id\":\"t.2\",\"text\":\"two\"}],"
    "\"scoring\":{\"method\":\"sum\",\"min\":0,\"max\":4},\"positive_at\":2,"
    "\"bands\":[{\"id\":\"low\",\"label\":\"low\",\"min\":0,\"max\":1},"
    "{\"id\":\"high\",\"label\":\"high\",\"min\":2,\"max\":4}],"
    "\"flags\":[{\"id\":\"self-harm\",\"label\":\"x\",\"says\":\"s\",\"item\":\"t.2\",\"min_score\":1}],"
    "\"examples\":[{\"answers\":[1,0],\"score\":2,\"band\":\"high\",\"flags\":[],"
    "\"care\":\"non-urgent\"}],"
    "\"sources\":[\"https://example.org/\"]}";

/* good_def with the first occurrence of from replaced by to. */
static char *variant(const char *from, const char *to)
{
  const char *p = strstr(good_def, from);
  assert_non_null(p);
  size_t n = strlen(good_def) - strlen(from) + strlen(to) + 1;
  char *s = malloc(n);
  snprintf(s, n, "%.*s%s%s", (int)(p - good_def), good_def, to, p + strlen(from));
  return s;
}

/* PHQ-9 20 to 27 and GAD-7 15 to 21 are the severe bands (clinical.md 2.3,
 * 2.4); NICE CG192 says to refer to the GP, or a mental-health professional
 * when a severe problem is suspected (clinical.md 4). Those bands, and only
 * those, call for the sooner step. Worked examples: PHQ-9 19 and 20, GAD-7
 * 14 and 15. */
static void test_severe_bands_call_for_the_sooner_step(void **state)
{
  (void)state;
  const struct instrument_def *phq9 = def13("phq9"), *gad7 = def13("gad7");
  struct instrument_result r;
  int p19[] = {3, 3, 3, 3, 3, 2, 2, 0, 0}, p20[] = {3, 3, 3, 3, 3, 3, 2, 0, 0},
      p10[] = {2, 2, 2, 2, 2, 0, 0, 0, 0}, p27[] = {3, 3, 3, 3, 3, 3, 3, 3, 3};
  assert_int_equal(instrument_score(phq9, p19, 9, &r, NULL), INSTRUMENT_OK);
  assert_int_equal(r.score, 19);
  assert_false(r.sooner);
  assert_int_equal(r.care, CHECKIN_CARE_NON_URGENT);
  assert_int_equal(instrument_score(phq9, p20, 9, &r, NULL), INSTRUMENT_OK);
  assert_int_equal(r.score, 20);
  assert_string_equal(r.band->id, "severe");
  assert_true(r.sooner);
  assert_int_equal(r.care, CHECKIN_CARE_NON_URGENT);
  assert_int_equal(instrument_score(phq9, p10, 9, &r, NULL), INSTRUMENT_OK);
  assert_false(r.sooner);
  assert_int_equal(instrument_score(phq9, p27, 9, &r, NULL), INSTRUMENT_OK);
  assert_true(r.sooner);
  assert_int_equal(r.care, CHECKIN_CARE_URGENT); /* item 9 = 3: the flag still comes first */
  int g14[] = {2, 2, 2, 2, 2, 2, 2}, g15[] = {3, 2, 2, 2, 2, 2, 2}, g21[] = {3, 3, 3, 3, 3, 3, 3};
  assert_int_equal(instrument_score(gad7, g14, 7, &r, NULL), INSTRUMENT_OK);
  assert_int_equal(r.score, 14);
  assert_false(r.sooner);
  assert_int_equal(instrument_score(gad7, g15, 7, &r, NULL), INSTRUMENT_OK);
  assert_int_equal(r.score, 15);
  assert_true(r.sooner);
  assert_int_equal(instrument_score(gad7, g21, 7, &r, NULL), INSTRUMENT_OK);
  assert_true(r.sooner);
  /* No other instrument has a sooner band. */
  static const char *const others[] = {"whooley", "gad2", "epds"};
  for (size_t i = 0; i < 3; i++) {
    const struct instrument_def *d = def13(others[i]);
    for (size_t b = 0; b < d->nbands; b++)
      assert_false(d->bands[b].sooner);
  }
}

/* The urgent panel says what the flagged item asks, in the instrument's own
 * terms: PHQ-9 item 9 is about being better off dead or self-harm
 * (clinical.md 2.3); EPDS item 10 is about thoughts of self-harm
 * (clinical.md 2.5), never the PHQ-9 words. */
static void test_flag_says_the_instruments_own_meaning(void **state)
{
  (void)state;
  const struct instrument_def *phq9 = def13("phq9"), *epds = def13("epds");
  assert_non_null(strstr(phq9->flags[0].says, "better off dead"));
  assert_non_null(strstr(epds->flags[0].says, "harming yourself"));
  assert_null(strstr(epds->flags[0].says, "better off dead"));
}

/* The outcome wording loads, and names only national urgent-help routes. */
static void test_outcome_wording(void **state)
{
  (void)state;
  const struct checkin_outcomes *o = &set13->outcomes;
  assert_string_equal(o->urgent_title, "Please get support now");
  assert_non_null(strstr(o->sooner.heading, "next few days"));
  assert_true(o->ncards >= 1);
  assert_true(o->safety_net.n >= 1);
  const struct content_file *f = content_get(content, "wellbeing/outcomes.json");
  assert_non_null(f);
  const char *at = strstr(f->data, "\"routes\": [\"111\"");
  assert_non_null(at);
  size_t off = (size_t)(at - f->data) + strlen("\"routes\": [\"");
  char *bad = malloc(f->len + 8);
  snprintf(bad, f->len + 8, "%.*snone-such%s", (int)off, f->data, f->data + off + 3);
  struct checkin_outcomes x;
  void *doc;
  char err[256] = "";
  assert_false(checkin_outcomes_parse(bad, strlen(bad), &x, &doc, err, sizeof err));
  assert_non_null(strstr(err, "national urgent-help route"));
  free(bad);
  assert_false(checkin_outcomes_parse("{}", 2, &x, &doc, err, sizeof err));
  assert_non_null(strstr(err, "urgent.title"));
}

static void test_loader_accepts_good_definition(void **state)
{
  (void)state;
  struct instrument_def d;
  void *doc;
  char err[256] = "";
  assert_true(instrument_def_parse(good_def, strlen(good_def), &d, &doc, err, sizeof err));
  assert_int_equal(d.max, 4);
  assert_int_equal(d.flags[0].item, 1);
  instrument_doc_free(doc);
}

static void test_loader_refuses_broken_definitions(void **state)
{
  (void)state;
  static const struct {
    const char *from, *to, *msg;
  } cases[] = {
      {"{\"label\":\"Yes\",\"score\":2}", "{\"label\":\"Yes\"}", "score"},
      {"{\"label\":\"Yes\",\"score\":2}", "{\"label\":\"Yes\",\"score\":2.0}", "score"},
      {"{\"label\":\"Yes\",\"score\":2}", "{\"label\":\"Yes\",\"score\":-1}", "score"},
      {"\"max\":4}", "\"max\":5}", "declares"},
      {"\"min\":2,\"max\":4}", "\"min\":3,\"max\":4}", "must start at 2"},
      {"\"min\":2,\"max\":4}", "\"min\":2,\"max\":3}", "highest total"},
      {"\"positive_at\":2", "\"positive_at\":3", "band starts"},
      {"\"positive_at\":2", "\"positive_at\":0", "positive_at"},
      {"\"item\":\"t.2\"", "\"item\":\"t.9\"", "no item 't.9'"},
      {"\"min_score\":1", "\"min_score\":3", "never be reached"},
      {"\"min_score\":1", "\"min_score\":0", "min_score"},
      {"\"score\":2,\"band\"", "\"score\":3,\"band\"", "example says 3"},
      {"\"band\":\"high\"", "\"band\":\"low\"", "example says 'low'"},
      {"\"care\":\"non-urgent\"", "\"care\":\"none\"", "example says 'none'"},
      {"\"answers\":[1,0]", "\"answers\":[1,0,0]", "cannot be scored"},
      {"\"flags\":[],\"care\"", "\"flags\":[\"self-harm\"],\"care\"", "flag"},
      {"\"text\":\"two\"", "\"text\":\"\"", "text"},
      {"{\"id\":\"t.2\"", "{\"id\":\"t.1\"", "used twice"},
      {"\"method\":\"sum\"", "\"method\":\"mean\"", "method"},
      {"\"sources\":[\"https://example.org/\"]", "\"sources\":[]", "sources"},
      {"\"stem\":\"How often?\",", "", "stem"},
      {"{\"id\":\"t\",", "{\"id\":\"t\",\"id\":\"u\",", "JSON"},
      {"{\"label\":\"No\",\"score\":0},", "", "scale"},
      {"\"licence\":\"l\",", "", "licence"},
      {"\"title\":\"T\",", "\"title\":7,", "title"},
      {"\"says\":\"s\",", "", "says"},
      {"\"max\":1}", "\"max\":1,\"sooner\":true}", "only for bands at or above"},
      {"\"max\":4}]", "\"max\":4,\"sooner\":1}]", "true or false"},
      {"\"care\":\"non-urgent\"}", "\"care\":\"non-urgent\",\"sooner\":true}",
       "sooner step is not shown"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *s = variant(cases[i].from, cases[i].to);
    struct instrument_def d;
    void *doc = (void *)1;
    char err[256] = "";
    bool ok = instrument_def_parse(s, strlen(s), &d, &doc, err, sizeof err);
    if (ok || !strstr(err, cases[i].msg))
      fail_msg("case %zu: ok=%d err='%s' (wanted '%s')", i, ok, err, cases[i].msg);
    assert_null(doc);
    free(s);
  }
  char err[256];
  struct instrument_def d;
  void *doc;
  assert_false(instrument_def_parse("[1]", 3, &d, &doc, err, sizeof err));
  assert_false(instrument_def_parse("", 0, &d, &doc, err, sizeof err));
  assert_false(instrument_def_parse("{", 1, &d, &doc, err, sizeof err));
}

/* The EPDS definition may never carry wording, and a deployment file may not
 * switch it to "included". */
static void test_loader_refuses_epds_wording_in_content(void **state)
{
  (void)state;
  const struct content_file *f = content_get(content, "instruments/epds.json");
  char *s = strdup(f->data);
  char *p = strstr(s, "\"wording\": \"deployment\"");
  assert_non_null(p);
  memcpy(p, "\"wording\": \"included\"  ", strlen("\"wording\": \"deployment\""));
  struct instrument_def d;
  void *doc;
  char err[256] = "";
  assert_false(instrument_def_parse(s, strlen(s), &d, &doc, err, sizeof err));
  assert_non_null(strstr(err, "copyright"));
  free(s);
  /* A deployment-worded instrument that carries text anyway is refused. */
  char *t = variant("\"licence\":\"l\",", "\"licence\":\"l\",\"wording\":\"deployment\",");
  assert_false(instrument_def_parse(t, strlen(t), &d, &doc, err, sizeof err));
  assert_non_null(strstr(err, "must not carry"));
  free(t);
}

/* --- a deployment's licensed EPDS wording --- */

/* Placeholder wording for tests (not the instrument's words). */
static char *fake_wording(int nitems, int nopts_item3, const char *permission)
{
  char *s = malloc(8192);
  size_t n = 0;
  n += (size_t)snprintf(s + n, 8192 - n,
                        "{\"instrument\":\"epds\",%s\"stem\":\"Test stem\","
                        "\"attribution\":\"Test attribution\",\"items\":[",
                        permission ? permission : "");
  for (int i = 1; i <= nitems; i++) {
    n += (size_t)snprintf(s + n, 8192 - n,
                          "%s{\"id\":\"epds.%d\",\"text\":\"Test item %d\","
                          "\"options\":[",
                          i > 1 ? "," : "", i, i);
    int no = i == 3 ? nopts_item3 : 4;
    for (int o = 1; o <= no; o++)
      n += (size_t)snprintf(s + n, 8192 - n, "%s\"Item %d option %d\"", o > 1 ? "," : "", i, o);
    n += (size_t)snprintf(s + n, 8192 - n, "]}");
  }
  snprintf(s + n, 8192 - n, "]}");
  return s;
}

static void test_epds_wording_applied(void **state)
{
  (void)state;
  char err[256] = "";
  char *w = fake_wording(10, 4, "\"permission\":\"Test permission\",");
  struct instrument_set *s = instrument_set_build(content, 13, w, strlen(w), err, sizeof err);
  assert_non_null(s);
  const struct instrument_def *d = instrument_find(s, "epds");
  assert_true(d->wording_available);
  assert_string_equal(d->items[2].text, "Test item 3");
  assert_string_equal(d->items[2].options[0].label, "Item 3 option 1");
  assert_string_equal(d->wording_permission, "Test permission");
  /* Wording never changes the score key. */
  for (size_t k = 0; k < 10; k++)
    for (size_t o = 0; o < 4; o++)
      assert_int_equal(d->items[k].options[o].score, epds_key[k][o]);
  EXPECT(d, 21, "positive", "urgent", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  instrument_set_free(s);
  free(w);
}

static void test_epds_wording_refused_when_incomplete(void **state)
{
  (void)state;
  char err[256];
  char *cases[] = {
      fake_wording(9, 4, "\"permission\":\"p\","),
      fake_wording(10, 3, "\"permission\":\"p\","),
      fake_wording(10, 5, "\"permission\":\"p\","),
      fake_wording(10, 4, NULL),
      fake_wording(10, 4, "\"permission\":\"\","),
      strdup("not json"),
      strdup("{\"instrument\":\"phq9\",\"permission\":\"p\",\"stem\":\"s\",\"attribution\":\"a\","
             "\"items\":[]}"),
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    err[0] = '\0';
    assert_null(instrument_set_build(content, 13, cases[i], strlen(cases[i]), err, sizeof err));
    if (!strstr(err, "epds_wording"))
      fail_msg("case %zu: %s", i, err);
    free(cases[i]);
  }
  /* A failed merge leaves the definition as it was. */
  struct instrument_def copy = *def13("epds");
  void *doc;
  char *w = fake_wording(10, 3, "\"permission\":\"p\",");
  assert_false(instrument_apply_wording(&copy, w, strlen(w), &doc, err, sizeof err));
  assert_false(copy.wording_available);
  assert_null(copy.items[0].text);
  free(w);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_all_five_instruments_load),
      cmocka_unit_test(test_phq_gad_response_scale),
      cmocka_unit_test(test_whooley),
      cmocka_unit_test(test_whooley_help_question_only_when_positive),
      cmocka_unit_test(test_gad2_boundaries),
      cmocka_unit_test(test_phq9_minimum_and_maximum),
      cmocka_unit_test(test_phq9_band_boundaries),
      cmocka_unit_test(test_phq9_several_days_everywhere),
      cmocka_unit_test(test_phq9_item9_flag_whatever_the_total),
      cmocka_unit_test(test_gad7_boundaries),
      cmocka_unit_test(test_epds_score_keys_reverse_scored),
      cmocka_unit_test(test_epds_derived_cases),
      cmocka_unit_test(test_epds_minimum_maximum_and_threshold_13),
      cmocka_unit_test(test_epds_item10_flag),
      cmocka_unit_test(test_epds_threshold_10_versus_13),
      cmocka_unit_test(test_epds_other_thresholds_refused),
      cmocka_unit_test(test_epds_ships_no_wording),
      cmocka_unit_test(test_wrong_count_and_bad_answers),
      cmocka_unit_test(test_partial_flags),
      cmocka_unit_test(test_care_names_and_max),
      cmocka_unit_test(test_every_band_edge_of_every_instrument),
      cmocka_unit_test(test_severe_bands_call_for_the_sooner_step),
      cmocka_unit_test(test_flag_says_the_instruments_own_meaning),
      cmocka_unit_test(test_outcome_wording),
      cmocka_unit_test(test_loader_accepts_good_definition),
      cmocka_unit_test(test_loader_refuses_broken_definitions),
      cmocka_unit_test(test_loader_refuses_epds_wording_in_content),
      cmocka_unit_test(test_epds_wording_applied),
      cmocka_unit_test(test_epds_wording_refused_when_incomplete),
  };
  return cmocka_run_group_tests_name("checkin", tests, setup, teardown);
}
