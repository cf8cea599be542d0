/* campaign.h: Infant Mental Health Awareness Week years, loaded from
 * content/awareness/YYYY.md (front matter + Markdown body). Pure: no I/O
 * beyond the already-loaded struct content. Immutable once loaded. */
#ifndef FD_CAMPAIGN_H
#define FD_CAMPAIGN_H
#include "../content/content.h"
#include "../lib/date.h"
#include <stdbool.h>
#include <stddef.h>

struct campaign_year {
  int year;
  bool dates_known;       /* false when the dates are not confirmed */
  struct date start, end; /* valid when dates_known */
  char *theme;            /* NULL when the theme is not known */
  char *hashtags;         /* NULL when not known, e.g. "#IMHAW21 #IncludingInfants" */
  char *organiser;        /* e.g. "Parent-Infant Foundation" */
  char *summary;          /* one sentence for lists and calendar descriptions */
  char *sources;          /* where the facts come from: http(s) URLs separated by one space */
  char *html;             /* rendered body: what the theme means, key messages */
  char *note;             /* optional caution about how sure the facts are, or NULL */
};

struct campaign_set {
  struct campaign_year *years; /* sorted by year, ascending */
  size_t n;
};

/* Load every content/awareness/YYYY.md (other files in that folder that do not
 * end in .md are ignored). A malformed file is an error: NULL is returned and
 * err names the file and the field. Caller frees with campaign_free(). */
struct campaign_set *campaign_load(const struct content *c, char *err, size_t errlen);
void campaign_free(struct campaign_set *s);
/* The year, or NULL when there is no file for it. Points into s. */
const struct campaign_year *campaign_find(const struct campaign_set *s, int year);
/* The week to show on /awareness-week for today: the one happening now; else
 * this year's (from 1 January, even while its dates and theme are not
 * confirmed) until its week, known or expected, is over and a later week has
 * dates; else the next one with known dates, else the most recent past one
 * with known dates, else (no year has dates) the latest year. NULL only when
 * s is empty. */
const struct campaign_year *campaign_current(const struct campaign_set *s, struct date today);

/* When year's week is expected while its dates are not confirmed: it has
 * begun on the second Monday of June in most years since 2016 (the first
 * Monday in 2016 and 2021), so from that Monday to the Sunday after. */
void campaign_expected_dates(int year, struct date *start, struct date *end);
/* True when today is in the days before today.y's week or in the week
 * itself, with that week's dates in *start and *end: y's known dates, or the
 * expected ones when y is NULL (no file for the year) or has none. */
bool campaign_week_near(const struct campaign_year *y, struct date today, int days,
                        struct date *start, struct date *end);

#endif
