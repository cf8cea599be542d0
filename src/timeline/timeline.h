/* timeline.h: "My 1001 days". A family gives a due date, or a baby's date of
 * birth (with the gestation at birth and the number of babies), and the engine
 * works out where they are in the 1001 days (pregnancy week, or age and
 * corrected age), the stage content for now, and every routine contact with
 * its date or window: antenatal appointments, vaccines in pregnancy and the
 * childhood immunisations (chosen by date of birth AND appointment date),
 * newborn screening, health visitor reviews, GP checks, awareness weeks and
 * milestones.
 *
 * The rules are data (content/timeline/schedule.json and
 * content/timeline/stages/ *.md), loaded once at start into an immutable
 * struct timeline_data shared by all threads. Everything here is pure: no I/O,
 * no clock (today is an argument), no globals. */
#ifndef FD_TIMELINE_H
#define FD_TIMELINE_H
#include "../campaign/campaign.h"
#include "../content/content.h"
#include "../lib/arena.h"
#include "../lib/date.h"
#include <stdbool.h>
#include <stddef.h>

#define TL_MAX_VACCINES 8 /* vaccines in one event */
#define TL_MAX_LINES 8    /* detail lines in one event */
#define TL_MAX_ERRORS 8   /* input problems reported at once */

enum timeline_kind {
  TL_ANTENATAL,
  TL_VACCINE,
  TL_SCREENING,
  TL_HEALTH_VISITOR,
  TL_GP,
  TL_CAMPAIGN,
  TL_MILESTONE,
};

/* Where an event stands relative to today. */
enum timeline_when {
  TL_PAST,     /* ended before today */
  TL_NOW,      /* today is inside its window */
  TL_NEXT,     /* starts on the earliest date still to come */
  TL_UPCOMING, /* starts later */
};

enum timeline_first { TL_FIRST_UNKNOWN = 0, TL_FIRST_YES, TL_FIRST_NO };

struct timeline_data; /* loaded rules; see timeline_load() */

/* A validated request. Exactly one of due/born is meaningful (pregnant). */
struct timeline_input {
  bool pregnant;
  struct date due;    /* when pregnant */
  struct date born;   /* when !pregnant */
  int gestation_days; /* at birth (40+0 = 280 when not given); unused when pregnant */
  bool gestation_given;
  int babies; /* 1 .. limits.babies_max */
  enum timeline_first first_pregnancy;
};

/* The query parameters as typed (NULL or "" when absent). */
struct timeline_raw {
  const char *due, *born, *gestation, *babies, *first_pregnancy, *today;
};

/* One problem with the input: which field, a stable code, and a message
 * that says what to fix. */
struct timeline_error {
  const char *field; /* "due", "born", "gestation", "babies", "first_pregnancy", "today" */
  const char *code;  /* e.g. "invalid_date", "born_in_future" (see docs/api-timeline.md) */
  char message[240];
};

/* Text for a stage of pregnancy or of the baby's age (content/timeline/stages). */
struct timeline_stage_text {
  const char *id; /* "pregnancy-movements", "baby-6-months", "baby-born-early" */
  const char *title;
  const char *html; /* rendered Markdown: for your baby, for you, things to do together */
  const char *title_many, *html_many; /* the same for twins or more ({baby} as "babies") */
};

struct timeline_stage {
  bool pregnant;
  int babies;
  /* Pregnant: gestation today. Negative (up to the due-date limit) means the
   * weeks have not started yet; week and day are then 0. */
  int gestation_days;
  int pregnancy_week, pregnancy_day, trimester; /* trimester 1..3 */
  /* Born: age from the actual date of birth (the day of birth is day 0). */
  long age_days;
  int age_weeks, age_week_days, age_months;
  int birth_gestation_days;
  /* Born before 37+0 and not yet two: age counted from the due date, used for
   * development content. Negative before the due date. */
  bool corrected;
  long corrected_age_days;
  int corrected_weeks, corrected_week_days, corrected_months;
  struct date due;        /* pregnant: as given; born: date of birth + (40+0 - gestation) */
  struct date born;       /* born: as given; pregnant: the due date (estimate) */
  struct date lmp;        /* due - 280 days: where pregnancy weeks count from */
  struct date conception; /* due - 266 days: day 1 of the 1001 days */
  struct date end_1001;   /* second birthday (estimated from the due date when pregnant) */
  long day_of_1001;       /* today - conception + 1 (may be <= 0 before conception) */
  long days_in_1001;      /* end_1001 - conception + 1: this family's own count */
  bool after_1001;        /* born: today is after the second birthday */
  struct date follow_until; /* born: the last day this timeline covers (limits.follow_until_age) */
  const struct timeline_stage_text *text;
};

struct timeline_event {
  const char *id; /* stable: rule id, plus a year for seasonal and campaign events */
  enum timeline_kind kind;
  struct date start, end; /* end == start for a single day */
  const char *title;
  const char *explain;             /* short explanation, plain text */
  const char *lines[TL_MAX_LINES]; /* details (each vaccine given, deadlines), plain text */
  size_t nlines;
  const char *provider;                  /* who provides it, or NULL */
  const char *source;                    /* URL of the source, or NULL */
  const char *need;                      /* directory need term (e.g. "health-visiting"), or NULL */
  const char *href;                      /* a page on this site about the event, or NULL */
  const char *if_missed; /* what to do if it has not happened (appointments only), or NULL */
  const char *vaccines[TL_MAX_VACCINES]; /* vaccine events: names from the fixed list */
  size_t nvaccines;
  bool has_deadline; /* a dose that cannot be given after this date (rotavirus) */
  struct date deadline;
  bool estimated;            /* computed from a due date: moves with the actual birth */
  bool first_pregnancy_only; /* set only when first_pregnancy is unknown */
  bool after_1001;           /* starts after the end of the 1001 days */
  enum timeline_when when;
};

struct timeline_result {
  struct timeline_stage stage;
  struct timeline_event *events; /* sorted by start, then end; arena memory */
  size_t nevents;
};

/* Load content/timeline/schedule.json, content/timeline/stages/ *.md and
 * content/timeline/bereavement.md from c. Returns NULL with a message naming
 * the file and the field in err when anything is missing or malformed (an
 * unknown vaccine name, a gap between stages, a date that does not exist).
 * Caller frees with timeline_free(). */
struct timeline_data *timeline_load(const struct content *c, char *err, size_t errlen);
void timeline_free(struct timeline_data *d);

/* Validate raw input against the data's limits. server_today is used when
 * raw->today is absent. Fills *in and *today when there are no problems.
 * Returns the number of problems written to errs (at most TL_MAX_ERRORS);
 * 0 means valid. Never fails on any input. */
size_t timeline_parse_input(const struct timeline_data *d, const struct timeline_raw *raw,
                            struct date server_today, struct timeline_input *in, struct date *today,
                            struct timeline_error *errs);

/* Compute the stage and every event for a validated input. campaigns may be
 * NULL (no awareness-week events). All strings and the event array live in
 * arena a or in d; nothing needs freeing but the arena. */
void timeline_compute(const struct timeline_data *d, const struct timeline_input *in,
                      struct date today, const struct campaign_set *campaigns, struct arena *a,
                      struct timeline_result *out);

/* "antenatal", "vaccine", "screening", "health-visitor", "gp", "campaign", "milestone". */
const char *timeline_kind_name(enum timeline_kind k);
/* "past", "now", "next", "upcoming". */
const char *timeline_when_name(enum timeline_when w);
/* Human label for a directory need term ("health visiting teams"), or NULL. */
const char *timeline_need_label(const struct timeline_data *d, const char *need);
/* The bereavement support block: title and rendered HTML. */
const char *timeline_bereavement_title(const struct timeline_data *d);
const char *timeline_bereavement_html(const struct timeline_data *d);
/* Format gestation days as "WW+D" into out (at least 12 bytes). */
void timeline_format_gestation(int days, char *out, size_t outlen);
/* Parse "WW+D" (a space may stand for '+', "WW" alone means +0) into days.
 * Returns false for anything else, including days outside 0..6. */
bool timeline_parse_gestation(const char *s, int *days);

#endif
