/* compute.c: the timeline engine. From a validated input and today's date it
 * works out the stage (pregnancy week, age, corrected age, day of the 1001
 * days) and every event, applying the rules loaded by load.c. Immunisations
 * are chosen by date of birth and by appointment date; vaccines follow the
 * actual date of birth, development content the corrected age. */
#include "timeline_internal.h"
#include "../lib/util.h"
#include <stdio.h>
#include <string.h>

#define PREGNANCY_DAYS 280 /* 40+0: due date from the first day of the last period */
#define CONCEPTION_DAY 14  /* conception is counted as 2+0 */

struct builder {
  const struct timeline_data *d;
  const struct timeline_input *in;
  struct arena *a;
  struct timeline_stage *st;
  struct timeline_event *ev;
  size_t n, cap;
};

/* The form of a text for this family's number of babies. */
static const char *text(const struct builder *B, struct tl_text t)
{
  return B->in->babies > 1 ? t.many : t.one;
}

static struct timeline_event *new_event(struct builder *B, const char *id, enum timeline_kind k)
{
  if (B->n == B->cap) {
    size_t cap = B->cap ? B->cap * 2 : 64;
    struct timeline_event *ev = arena_alloc(B->a, cap * sizeof *ev);
    if (B->n)
      memcpy(ev, B->ev, B->n * sizeof *ev);
    B->ev = ev;
    B->cap = cap;
  }
  struct timeline_event *e = &B->ev[B->n++];
  memset(e, 0, sizeof *e);
  e->id = id;
  e->kind = k;
  return e;
}

static void add_line(struct timeline_event *e, const char *line)
{
  if (e->nlines < TL_MAX_LINES)
    e->lines[e->nlines++] = line;
}

static void fill_from_rule(struct builder *B, struct timeline_event *e, const struct tl_rule *r)
{
  e->title = text(B, r->title);
  e->explain = text(B, r->explain);
  e->provider = r->provider;
  e->source = r->source;
  e->need = r->need;
  for (size_t i = 0; i < r->nvaccines; i++)
    e->vaccines[e->nvaccines++] = r->vaccines[i];
}

/* Flu-style rules: one event per season that overlaps the window. */
static void add_seasonal(struct builder *B, const struct tl_rule *r, struct date start,
                         struct date end)
{
  for (int y = start.y - 1; y <= end.y; y++) {
    struct date s = {y, r->season_from_m, r->season_from_d};
    int uy =
        (r->season_until_m * 100 + r->season_until_d < r->season_from_m * 100 + r->season_from_d)
            ? y + 1
            : y;
    struct date u = {uy, r->season_until_m, r->season_until_d};
    if (!date_valid(s) || !date_valid(u)) /* 29 February in a common year */
      continue;
    struct date from = tl_days(s, start) > 0 ? start : s;
    struct date to = tl_days(u, end) < 0 ? end : u;
    if (tl_days(from, to) < 0)
      continue;
    struct timeline_event *e = new_event(B, arena_printf(B->a, "%s-%d", r->id, y), r->kind);
    fill_from_rule(B, e, r);
    e->start = from;
    e->end = to;
    if (r->kind == TL_VACCINE)
      e->if_missed = B->d->if_missed_pregnancy;
  }
}

static void add_rules(struct builder *B)
{
  const struct timeline_stage *st = B->st;
  for (size_t i = 0; i < B->d->nrules; i++) {
    const struct tl_rule *r = &B->d->rules[i];
    struct date start, end;
    bool flag_first = false;
    if (r->anchor == TL_ANCHOR_PREGNANCY) {
      if (!st->pregnant)
        continue; /* a birth date is given: the pregnancy is over */
      if (r->first_pregnancy_only) {
        if (B->in->first_pregnancy == TL_FIRST_NO)
          continue;
        flag_first = B->in->first_pregnancy == TL_FIRST_UNKNOWN;
      }
      start = tl_plus_days(st->lmp, r->at_gest);
      end = r->has_until ? tl_plus_days(st->lmp, r->until_gest) : start;
      if (r->seasonal) {
        add_seasonal(B, r, start, end);
        continue;
      }
    } else {
      start = tl_add_span(st->born, r->at_age);
      end = r->has_until ? tl_add_span(st->born, r->until_age) : start;
    }
    struct timeline_event *e = new_event(B, r->id, r->kind);
    fill_from_rule(B, e, r);
    e->start = start;
    e->end = end;
    e->first_pregnancy_only = flag_first;
    e->estimated = st->pregnant && r->anchor == TL_ANCHOR_BIRTH;
    if (r->anchor == TL_ANCHOR_PREGNANCY && r->kind == TL_VACCINE)
      e->if_missed = B->d->if_missed_pregnancy;
  }
}

static bool clauses_hold(const struct tl_clause *w, size_t n, struct date dob,
                         const struct date *appt_dates, size_t self)
{
  for (size_t i = 0; i < n; i++) {
    struct date x = w[i].date_of == TL_OF_BIRTH  ? dob
                    : w[i].date_of == TL_OF_THIS ? appt_dates[self]
                                                 : appt_dates[w[i].date_of];
    long diff = tl_days(w[i].date, x); /* x - bound */
    if (w[i].before ? diff >= 0 : diff < 0)
      return false;
  }
  return true;
}

static void add_immunisations(struct builder *B)
{
  const struct timeline_data *d = B->d;
  struct date dob = B->st->born; /* vaccines follow the actual date of birth */
  struct date *dates = arena_alloc(B->a, d->nappts * sizeof *dates);
  for (size_t i = 0; i < d->nappts; i++)
    dates[i] = tl_add_span(dob, d->appts[i].age);
  for (size_t i = 0; i < d->nappts; i++) {
    const struct tl_appt *ap = &d->appts[i];
    if (!clauses_hold(ap->when, ap->nwhen, dob, dates, i))
      continue;
    struct timeline_event *e = new_event(B, ap->id, TL_VACCINE);
    const char *notes[TL_MAX_LINES];
    size_t nnotes = 0;
    for (size_t j = 0; j < ap->ndoses; j++) {
      const struct tl_dose *ds = &ap->doses[j];
      if (!clauses_hold(ds->when, ds->nwhen, dob, dates, i))
        continue;
      const char *line = text(B, ds->label);
      if (ds->has_age_before) {
        struct date last = tl_plus_days(tl_add_span(dob, ds->age_before), -1);
        if (tl_days(dates[i], last) < 0)
          continue; /* the child is too old for this dose by the appointment date */
        char when[24];
        date_format_long(last, when);
        line = arena_printf(B->a, "%s: it can only be given up to %s", line, when);
        if (!e->has_deadline || tl_days(last, e->deadline) > 0) {
          e->has_deadline = true;
          e->deadline = last;
        }
      }
      bool seen = false;
      for (size_t k = 0; k < e->nvaccines; k++)
        seen |= strcmp(e->vaccines[k], ds->vaccine) == 0;
      if (!seen && e->nvaccines < TL_MAX_VACCINES)
        e->vaccines[e->nvaccines++] = ds->vaccine;
      add_line(e, line);
      if (ds->note.one && nnotes < TL_MAX_LINES)
        notes[nnotes++] = text(B, ds->note);
    }
    if (e->nvaccines == 0) { /* nothing due for this child at this age */
      B->n--;
      continue;
    }
    for (size_t k = 0; k < nnotes; k++)
      add_line(e, notes[k]);
    e->title = text(B, ap->title);
    e->explain = text(B, ap->explain);
    e->provider = d->imm_provider;
    e->source = ap->source;
    e->start = e->end = dates[i];
    e->estimated = B->st->pregnant;
  }
}

/* The first web address in a space-separated list of sources. */
static const char *first_url(struct arena *a, const char *sources)
{
  if (!sources)
    return NULL;
  const char *p = strstr(sources, "http");
  if (!p)
    return NULL;
  size_t n = strcspn(p, " \t\n,;");
  return arena_strndup(a, p, n);
}

static void add_campaigns(struct builder *B, const struct campaign_set *cs)
{
  if (!cs)
    return;
  for (size_t i = 0; i < cs->n; i++) {
    const struct campaign_year *y = &cs->years[i];
    if (!y->dates_known || tl_days(B->st->conception, y->end) < 0 ||
        tl_days(y->start, B->st->end_1001) < 0)
      continue;
    struct timeline_event *e = new_event(B, arena_printf(B->a, "imhaw-%d", y->year), TL_CAMPAIGN);
    e->start = y->start;
    e->end = y->end;
    e->title = y->theme ? arena_printf(B->a, "Infant Mental Health Awareness Week %d: %s", y->year,
                                       y->theme)
                        : arena_printf(B->a, "Infant Mental Health Awareness Week %d", y->year);
    e->explain = y->summary ? y->summary
                            : "A week each year when organisations across the UK talk about "
                              "babies' emotional wellbeing and the first 1001 days.";
    e->provider = y->organiser;
    e->source = first_url(B->a, y->sources);
    e->href = arena_printf(B->a, "/awareness-week/%d", y->year);
  }
}

/* Order: start date, then end date, then kind; equal events keep rule order
 * (insertion sort is stable, and n is small). */
static bool before(const struct timeline_event *x, const struct timeline_event *y)
{
  long ds = tl_days(y->start, x->start);
  if (ds)
    return ds < 0;
  long de = tl_days(y->end, x->end);
  if (de)
    return de < 0;
  return x->kind < y->kind;
}

static void sort_events(struct timeline_event *ev, size_t n)
{
  for (size_t i = 1; i < n; i++) {
    struct timeline_event t = ev[i];
    size_t j = i;
    while (j > 0 && before(&t, &ev[j - 1])) {
      ev[j] = ev[j - 1];
      j--;
    }
    ev[j] = t;
  }
}

static void mark_when(struct timeline_event *ev, size_t n, struct date today, struct date end_1001)
{
  long next = -1;
  for (size_t i = 0; i < n; i++) {
    long s = tl_days(today, ev[i].start), e = tl_days(today, ev[i].end);
    ev[i].after_1001 = tl_days(end_1001, ev[i].start) > 0;
    if (e < 0)
      ev[i].when = TL_PAST;
    else if (s <= 0)
      ev[i].when = TL_NOW;
    else {
      ev[i].when = TL_UPCOMING;
      if (next < 0 || s < next)
        next = s;
    }
  }
  for (size_t i = 0; i < n; i++)
    if (ev[i].when == TL_UPCOMING && tl_days(today, ev[i].start) == next)
      ev[i].when = TL_NEXT;
}

static const struct timeline_stage_text *
pick_text(const struct timeline_data *d, const struct timeline_stage *st, struct date today)
{
  const struct tl_stage *fallback = NULL;
  for (size_t i = 0; i < d->nstages; i++) {
    const struct tl_stage *s = &d->stages[i];
    if (st->pregnant) {
      int g = st->gestation_days < 0 ? 0 : st->gestation_days;
      if (s->phase == TL_PHASE_PREGNANCY && g >= s->from_gest && g < s->until_gest)
        return &s->text;
    } else if (st->corrected && st->corrected_age_days < 0) {
      if (s->phase == TL_PHASE_BORN_EARLY)
        return &s->text;
    } else if (s->phase == TL_PHASE_BABY) {
      /* development follows the corrected age: count from the due date */
      struct date from = st->corrected ? st->due : st->born;
      fallback = s;
      if (tl_days(tl_add_span(from, s->from_age), today) >= 0 &&
          tl_days(today, tl_add_span(from, s->until_age)) > 0)
        return &s->text;
    }
  }
  return fallback ? &fallback->text : NULL;
}

static void compute_stage(const struct timeline_data *d, const struct timeline_input *in,
                          struct date today, struct timeline_stage *st)
{
  memset(st, 0, sizeof *st);
  st->pregnant = in->pregnant;
  st->babies = in->babies;
  if (in->pregnant) {
    st->due = st->born = in->due;
    st->lmp = tl_plus_days(in->due, -PREGNANCY_DAYS);
    st->gestation_days = (int)tl_days(st->lmp, today);
    if (st->gestation_days >= 0) {
      st->pregnancy_week = st->gestation_days / 7;
      st->pregnancy_day = st->gestation_days % 7;
    }
    st->trimester = st->gestation_days >= d->third_trimester_from    ? 3
                    : st->gestation_days >= d->second_trimester_from ? 2
                                                                     : 1;
  } else {
    st->born = in->born;
    st->birth_gestation_days = in->gestation_days;
    st->lmp = tl_plus_days(in->born, -in->gestation_days);
    st->due = tl_plus_days(st->lmp, PREGNANCY_DAYS);
    st->age_days = tl_days(in->born, today);
    st->age_weeks = (int)(st->age_days / 7);
    st->age_week_days = (int)(st->age_days % 7);
    st->age_months = tl_whole_months(in->born, today);
  }
  st->conception = tl_plus_days(st->lmp, CONCEPTION_DAY);
  st->end_1001 = tl_add_span(st->born, (struct tl_span){24, 0});
  st->after_1001 = !in->pregnant && tl_days(st->end_1001, today) > 0;
  st->follow_until = tl_add_span(st->born, d->follow_until);
  st->day_of_1001 = tl_days(st->conception, today) + 1;
  st->days_in_1001 = tl_days(st->conception, st->end_1001) + 1;
  /* Corrected age: for babies born before 37+0, until the second birthday. */
  if (!in->pregnant && in->gestation_days < d->preterm_before && tl_days(today, st->end_1001) > 0) {
    st->corrected = true;
    st->corrected_age_days = tl_days(st->due, today);
    if (st->corrected_age_days >= 0) {
      st->corrected_weeks = (int)(st->corrected_age_days / 7);
      st->corrected_week_days = (int)(st->corrected_age_days % 7);
      st->corrected_months = tl_whole_months(st->due, today);
    }
  }
  /* After the second birthday the baby stages no longer apply. */
  st->text = st->after_1001 ? NULL : pick_text(d, st, today);
}

/* What to do if an appointment has passed without happening; for a baby
 * born early, vaccines also say that a neonatal unit may have given them. */
static void add_if_missed(struct builder *B)
{
  bool preterm = !B->in->pregnant && B->in->gestation_days < B->d->preterm_before;
  for (size_t i = 0; i < B->n; i++) {
    struct timeline_event *e = &B->ev[i];
    if (e->if_missed) /* a vaccine in pregnancy */
      continue;
    e->if_missed = text(B, B->d->if_missed[e->kind]);
    if (e->if_missed && preterm && e->kind == TL_VACCINE)
      e->if_missed =
          arena_printf(B->a, "%s %s", e->if_missed, text(B, B->d->if_missed_preterm));
  }
}

void timeline_compute(const struct timeline_data *d, const struct timeline_input *in,
                      struct date today, const struct campaign_set *campaigns, struct arena *a,
                      struct timeline_result *out)
{
  memset(out, 0, sizeof *out);
  compute_stage(d, in, today, &out->stage);
  struct builder B = {.d = d, .in = in, .a = a, .st = &out->stage};
  add_rules(&B);
  add_immunisations(&B);
  add_campaigns(&B, campaigns);
  add_if_missed(&B);
  sort_events(B.ev, B.n);
  mark_when(B.ev, B.n, today, out->stage.end_1001);
  out->events = B.ev;
  out->nevents = B.n;
}
