/* input.c: checks what a family typed (or what an API client sent) against
 * the limits in the schedule, and says exactly what to fix. Pure: the
 * server's date comes in as an argument. */
#include "timeline_internal.h"
#include "../lib/util.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define FIELD_MAX 40 /* longest value we try to read; longer is an error */

struct checker {
  struct timeline_error *errs;
  size_t n;
};

static void add_error(struct checker *c, const char *field, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add_error(struct checker *c, const char *field, const char *code, const char *fmt, ...)
{
  if (c->n == TL_MAX_ERRORS)
    return;
  struct timeline_error *e = &c->errs[c->n++];
  e->field = field;
  e->code = code;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->message, sizeof e->message, fmt, ap);
  va_end(ap);
}

/* Copy s without surrounding white space into out. Returns false when s is
 * absent or blank; *too_long when it does not fit. */
static bool trimmed(const char *s, char *out, size_t outlen, bool *too_long)
{
  *too_long = false;
  out[0] = '\0';
  if (!s)
    return false;
  while (isspace((unsigned char)*s))
    s++;
  size_t n = strlen(s);
  while (n && isspace((unsigned char)s[n - 1]))
    n--;
  if (n == 0)
    return false;
  if (n >= outlen) {
    *too_long = true;
    return true;
  }
  memcpy(out, s, n);
  out[n] = '\0';
  return true;
}

/* Read a date field. On failure add an error saying why: the shape, or a day
 * that does not exist (30 February). */
static bool read_date(struct checker *c, const char *field, const char *what, const char *raw,
                      struct date *out)
{
  char s[FIELD_MAX];
  bool too_long;
  trimmed(raw, s, sizeof s, &too_long);
  if (!too_long && date_parse(s, out))
    return true;
  int y, m, d;
  char tail;
  if (!too_long && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3) {
    if (m < 1 || m > 12) {
      add_error(c, field, "invalid_date",
                "Enter %s as a real date: the month must be from 01 to 12, for example "
                "2027-03-15.",
                what);
      return false;
    }
    int dim = date_days_in_month(y, m);
    if (y >= 1900 && y <= 2200 && (d < 1 || d > dim)) {
      add_error(c, field, "invalid_date",
                "Enter %s as a real date: %s %d has %d days, so day %02d does not exist.", what,
                date_month_name(m), y, dim, d);
      return false;
    }
  }
  add_error(c, field, "invalid_date",
            "Enter %s as a real date with the year, month and day, for example 2027-03-15.", what);
  return false;
}

/* "3 years and 4 months", "2 years", "30 days" for a span. */
static void span_words(struct tl_span sp, char *out, size_t outlen)
{
  int y = sp.months / 12, m = sp.months % 12;
  char part[2][24];
  int n = 0;
  if (y)
    snprintf(part[n++], sizeof part[0], "%d year%s", y, y == 1 ? "" : "s");
  if (m)
    snprintf(part[n++], sizeof part[0], "%d month%s", m, m == 1 ? "" : "s");
  if (n == 2)
    snprintf(out, outlen, "%s and %s", part[0], part[1]);
  else if (n == 1)
    snprintf(out, outlen, "%s%s%d days", part[0], sp.days ? " and " : "", sp.days);
  else
    snprintf(out, outlen, "%d days", sp.days);
  if (n == 1 && !sp.days)
    snprintf(out, outlen, "%s", part[0]);
}

size_t timeline_parse_input(const struct timeline_data *d, const struct timeline_raw *raw,
                            struct date server_today, struct timeline_input *in, struct date *today,
                            struct timeline_error *errs)
{
  struct checker c = {errs, 0};
  struct timeline_input r = {.gestation_days = d->gest_default, .babies = 1};
  struct date now = server_today;
  char buf[FIELD_MAX], a[24], b[24];
  bool too_long;

  bool today_ok = true;
  if (trimmed(raw->today, buf, sizeof buf, &too_long))
    today_ok = read_date(&c, "today", "the date to plan from", raw->today, &now);

  bool has_due = trimmed(raw->due, buf, sizeof buf, &too_long);
  bool has_born = trimmed(raw->born, buf, sizeof buf, &too_long);
  if (!has_due && !has_born)
    add_error(&c, "due", "missing_date",
              "Enter your due date if you are pregnant, or your baby's date of birth if your "
              "baby has been born.");
  if (has_due && has_born)
    add_error(&c, "born", "both_dates",
              "Enter either a due date or a date of birth, not both: a due date while you are "
              "pregnant, a date of birth once your baby is born.");
  r.pregnant = has_due;

  if (has_due && read_date(&c, "due", "the due date", raw->due, &r.due) && today_ok) {
    long ahead = tl_days(now, r.due);
    int gest_today = 280 - (int)(ahead > 100000 ? 100000 : ahead < -100000 ? -100000 : ahead);
    if (ahead > d->due_ahead_max_days) {
      date_format_long(tl_plus_days(now, d->due_ahead_max_days), a);
      add_error(&c, "due", "due_too_far",
                "The due date is more than %ld weeks away. Check the year, and enter a due date "
                "no later than %s.",
                d->due_ahead_max_days / 7, a);
    } else if (gest_today > d->pregnancy_max) {
      add_error(&c, "due", "due_past",
                "That due date was more than %d weeks ago. If your baby has been born, enter "
                "the date of birth instead of the due date.",
                (d->pregnancy_max - 280) / 7);
    } else if (tl_days(d->born_from, r.due) < 0) {
      date_format_long(d->born_from, a);
      add_error(&c, "due", "before_supported",
                "This timeline covers babies born from %s onwards. Enter a later due date.", a);
    }
  }

  if (has_born && read_date(&c, "born", "your baby's date of birth", raw->born, &r.born) &&
      today_ok) {
    date_format_long(now, a);
    if (tl_days(now, r.born) > 0) {
      add_error(&c, "born", "born_in_future",
                "The date of birth is after today (%s). Check the date, or enter a due date "
                "instead if your baby has not been born yet.",
                a);
    } else if (tl_days(tl_add_span(r.born, d->follow_until), now) > 0) {
      char age[48];
      span_words(d->follow_until, age, sizeof age);
      date_format_long(tl_add_span(r.born, d->follow_until), b);
      add_error(&c, "born", "after_timeline",
                "Your child is more than %s old, so this timeline has nothing more to show: "
                "it follows a child up to the age of %s, which for this date of birth was %s. "
                "Check the year of birth.",
                age, age, b);
    } else if (tl_days(d->born_from, r.born) < 0) {
      date_format_long(d->born_from, b);
      add_error(&c, "born", "before_supported",
                "This timeline covers babies born from %s onwards. Check the year of birth.", b);
    }
  }

  char gmin[12], gmax[12];
  timeline_format_gestation(d->gest_min, gmin, sizeof gmin);
  timeline_format_gestation(d->gest_max, gmax, sizeof gmax);
  if (trimmed(raw->gestation, buf, sizeof buf, &too_long)) {
    int g;
    if (has_due && !has_born)
      add_error(&c, "gestation", "gestation_without_birth",
                "The gestation is how many weeks pregnant you were when your baby was born, so "
                "it goes with a date of birth. For a pregnancy, enter only the due date.");
    else if (too_long || !timeline_parse_gestation(buf, &g))
      add_error(&c, "gestation", "invalid_gestation",
                "Enter the gestation at birth as weeks+days, for example 38+4. The days go from "
                "0 to 6.");
    else if (g < d->gest_min || g > d->gest_max)
      add_error(&c, "gestation", "gestation_out_of_range",
                "Enter a gestation at birth between %s and %s weeks, for example 38+4.", gmin,
                gmax);
    else {
      r.gestation_days = g;
      r.gestation_given = true;
    }
  }

  if (trimmed(raw->babies, buf, sizeof buf, &too_long)) {
    int n = 0;
    bool digits = !too_long && strlen(buf) <= 2;
    for (const char *p = buf; digits && *p; p++)
      if (*p < '0' || *p > '9')
        digits = false;
      else
        n = n * 10 + (*p - '0');
    if (!digits || n < 1 || n > d->babies_max)
      add_error(&c, "babies", "invalid_babies",
                "Enter the number of babies as a number from 1 to %d (2 for twins, 3 for "
                "triplets).",
                d->babies_max);
    else
      r.babies = n;
  }

  if (trimmed(raw->first_pregnancy, buf, sizeof buf, &too_long)) {
    if (!too_long && strcasecmp(buf, "yes") == 0)
      r.first_pregnancy = TL_FIRST_YES;
    else if (!too_long && strcasecmp(buf, "no") == 0)
      r.first_pregnancy = TL_FIRST_NO;
    else
      add_error(&c, "first_pregnancy", "invalid_first_pregnancy",
                "Answer yes or no: is this your first pregnancy?");
  }

  if (c.n == 0) {
    *in = r;
    *today = now;
  }
  return c.n;
}
