/* timeline_internal.h: the loaded rules shared by load.c, input.c and
 * compute.c. Not for use outside src/timeline/. */
#ifndef FD_TIMELINE_INTERNAL_H
#define FD_TIMELINE_INTERNAL_H
#include "timeline.h"

#define TL_MAX_CLAUSES 4
#define TL_MAX_NEEDS 16
#define TL_MAX_NAMES 16

/* A length of time after birth: calendar months (years folded in) then days
 * (weeks folded in). "P3Y4M" is {40, 0}; "P8W" is {0, 56}. */
struct tl_span {
  int months, days;
};

enum tl_anchor { TL_ANCHOR_PREGNANCY, TL_ANCHOR_BIRTH };

/* A text in two forms, made at load time from "{baby}" and "{baby's}":
 * for one baby and for twins or more. Both NULL when the text is absent. */
struct tl_text {
  const char *one, *many;
};

/* A validity bound: the date of birth, this appointment's date or another
 * appointment's date is before / on or after a fixed date. */
#define TL_OF_BIRTH (-2)
#define TL_OF_THIS (-1)
struct tl_clause {
  int date_of; /* TL_OF_BIRTH, TL_OF_THIS, or an appointment index */
  bool before; /* true: date_of < date; false: date_of >= date */
  struct date date;
};

/* A general event rule (antenatal, screening, reviews, checks, milestones,
 * vaccines in pregnancy). */
struct tl_rule {
  const char *id;
  enum timeline_kind kind;
  enum tl_anchor anchor;
  int at_gest, until_gest;          /* pregnancy anchor: gestation days */
  struct tl_span at_age, until_age; /* birth anchor */
  bool has_until;
  bool first_pregnancy_only;
  bool seasonal; /* windows cut to each season [from, until] (month, day) */
  int season_from_m, season_from_d, season_until_m, season_until_d;
  struct tl_text title, explain;
  const char *provider, *need, *source;
  const char *vaccines[TL_MAX_VACCINES];
  size_t nvaccines;
};

struct tl_dose {
  const char *vaccine, *source;
  struct tl_text label, note;
  struct tl_clause when[TL_MAX_CLAUSES];
  size_t nwhen;
  bool has_age_before; /* only while the child is younger than this */
  struct tl_span age_before;
};

struct tl_appt {
  const char *id, *source;
  struct tl_text title, explain; /* explain starts with immunisations.explain */
  struct tl_span age;
  struct tl_clause when[TL_MAX_CLAUSES];
  size_t nwhen;
  struct tl_dose *doses;
  size_t ndoses;
};

enum tl_phase { TL_PHASE_PREGNANCY, TL_PHASE_BABY, TL_PHASE_BORN_EARLY };

struct tl_stage {
  struct timeline_stage_text text;
  enum tl_phase phase;
  int from_gest, until_gest;          /* pregnancy */
  struct tl_span from_age, until_age; /* baby (corrected age for preterm babies) */
};

/* A worked example from the data: the vaccines one appointment must give a
 * child born on a given date. Checked at load. */
struct tl_example {
  struct date born;
  const char *appointment;
  const char *vaccines[TL_MAX_VACCINES];
  size_t nvaccines;
};

struct timeline_data {
  struct arena mem; /* every string and array below */
  struct tl_rule *rules;
  size_t nrules;
  struct tl_appt *appts;
  size_t nappts;
  const char *imm_provider;
  struct tl_stage *stages; /* in file-name order: pregnancy bands, then baby bands */
  size_t nstages;
  /* limits */
  int gest_min, gest_max, gest_default, preterm_before, pregnancy_max;
  long due_ahead_max_days;
  int babies_max;
  struct date born_from;
  int second_trimester_from, third_trimester_from;
  const char *need_ids[TL_MAX_NEEDS], *need_labels[TL_MAX_NEEDS];
  size_t nneeds;
  const char *vaccine_names[TL_MAX_NAMES];
  size_t nvaccine_names;
  const char *bereavement_title, *bereavement_html;
  struct tl_span follow_until; /* a born child is followed up to this age (P3Y4M) */
  struct tl_text if_missed[TL_MILESTONE + 1]; /* by kind; .one NULL for none */
  struct tl_text if_missed_preterm;           /* added to vaccines for a baby born early */
  const char *if_missed_pregnancy;            /* vaccines in pregnancy */
  struct tl_example *examples;
  size_t nexamples;
};

/* Parse an ISO 8601 duration subset "P[nY][nM][nW][nD]" (at least one part). */
bool tl_parse_span(const char *s, struct tl_span *out);
/* Add a span to a date. Months first: when the day does not exist in the
 * target month, the 1st of the following month is used, so the result is
 * never earlier than the full span. Then days. */
struct date tl_add_span(struct date d, struct tl_span s);
/* Whole calendar months from `from` to `to` (0 when to < from), consistent
 * with tl_add_span. */
int tl_whole_months(struct date from, struct date to);
/* Days between two dates (b - a). */
long tl_days(struct date a, struct date b);
struct date tl_plus_days(struct date d, long n);

#endif
