/* score.c: the scoring engine. Sums the scores of the chosen options (looked
 * up in each item's own key), places the total in a band, raises the safety
 * flags and decides the care level. Pure: no I/O, no allocation. */
#include "checkin.h"
#include <string.h>

const char *checkin_care_name(enum checkin_care c)
{
  switch (c) {
  case CHECKIN_CARE_URGENT:
    return "urgent";
  case CHECKIN_CARE_NON_URGENT:
    return "non-urgent";
  case CHECKIN_CARE_NONE:
    break;
  }
  return "none";
}

enum checkin_care checkin_care_max(enum checkin_care a, enum checkin_care b)
{
  return a > b ? a : b;
}

const struct instrument_band *instrument_band_for(const struct instrument_def *def, int score)
{
  for (size_t i = 0; i < def->nbands; i++)
    if (score >= def->bands[i].min && score <= def->bands[i].max)
      return &def->bands[i];
  return NULL;
}

/* Score of answer a on item it, or -1 when a is not one of its options. */
static int option_score(const struct instrument_item *it, int a)
{
  if (a < 0 || (size_t)a >= it->noptions)
    return -1;
  return it->options[a].score;
}

size_t instrument_partial_flags(const struct instrument_def *def, const int *answers, size_t n,
                                const struct instrument_flag **flags)
{
  size_t nf = 0;
  for (size_t f = 0; f < def->nflags && nf < INSTRUMENT_MAX_FLAGS; f++) {
    const struct instrument_flag *fl = &def->flags[f];
    if (fl->item >= n || fl->item >= def->nitems)
      continue;
    int s = option_score(&def->items[fl->item], answers[fl->item]);
    if (s >= 0 && s >= fl->min_score)
      flags[nf++] = fl;
  }
  return nf;
}

enum instrument_status instrument_score(const struct instrument_def *def, const int *answers,
                                        size_t n, struct instrument_result *out, size_t *bad_item)
{
  memset(out, 0, sizeof *out);
  if (n != def->nitems)
    return INSTRUMENT_WRONG_COUNT;
  int total = 0;
  for (size_t i = 0; i < n; i++) {
    int s = option_score(&def->items[i], answers[i]);
    if (s < 0) {
      if (bad_item)
        *bad_item = i;
      return INSTRUMENT_BAD_ANSWER;
    }
    total += s;
  }
  out->score = total;
  out->max = def->max;
  out->band = instrument_band_for(def, total);
  if (!out->band)
    return INSTRUMENT_BROKEN;
  out->positive = total >= def->positive_at;
  out->sooner = out->band->sooner;
  out->nflags = instrument_partial_flags(def, answers, n, out->flags);
  if (out->nflags)
    out->care = CHECKIN_CARE_URGENT;
  else if (out->positive)
    out->care = CHECKIN_CARE_NON_URGENT;
  else
    out->care = CHECKIN_CARE_NONE;
  return INSTRUMENT_OK;
}

const struct instrument_def *instrument_find(const struct instrument_set *s, const char *id)
{
  if (!s || !id)
    return NULL;
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->defs[i].id, id) == 0)
      return &s->defs[i];
  return NULL;
}
