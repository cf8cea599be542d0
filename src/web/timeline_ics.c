/* timeline_ics.c: GET /my-1001-days.ics, the family's timeline as an
 * RFC 5545 calendar of all-day events that Google, Apple and Outlook
 * calendars import. A window of up to ICS_BLOCK_MAX_DAYS is one multi-day
 * event; a longer one is a one-day event where it opens, with a note of the
 * whole window, so a calendar is not blocked for months. remind=day or
 * remind=week adds a reminder (VALARM) before each appointment. Impossible
 * input is a 400. */
#include "timeline_web.h"
#include "web.h"
#include "../view/ical.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

#define ICS_BLOCK_MAX_DAYS 14 /* longer windows become a start-of-window event */

/* A stable, non-secret fingerprint of the pregnancy (FNV-1a, 64 bits, of the
 * due date), so a re-downloaded calendar updates its events instead of
 * duplicating them, also after "Our baby has arrived" turns the due date into
 * a date of birth and gestation (which give the same due date back). */
static unsigned long long fingerprint(const char *s)
{
  unsigned long long h = 1469598103934665603ULL;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ULL;
  }
  return h;
}

/* Appointments get reminders; milestones and awareness weeks do not. */
static bool is_appointment(enum timeline_kind k)
{
  return k != TL_MILESTONE && k != TL_CAMPAIGN;
}

struct reminder {
  const char *trigger; /* before DTSTART (midnight of the day) */
  int days_before;     /* the day the reminder shows, counted back from the start */
  const char *words;
};

/* 9am the day before, or 9am a week before. */
static const struct reminder reminders[] = {
    {"-PT15H", 1, "Tomorrow"},
    {"-P6DT15H", 7, "In a week"},
};

void web_timeline_ics(struct http_req *rq, struct http_resp *rs)
{
  struct timeline_req *t = arena_alloc(rq->arena, sizeof *t);
  if (!timeline_web_run(rq, rs, t))
    return;
  if (t->nerrs) {
    web_render_error(rq, rs, 400, t->errs[0].code, t->errs[0].message);
    return;
  }
  const char *remind = http_query(rq, "remind");
  const struct reminder *rem = NULL;
  if (remind && strcmp(remind, "day") == 0)
    rem = &reminders[0];
  else if (remind && strcmp(remind, "week") == 0)
    rem = &reminders[1];
  else if (remind && *remind && strcmp(remind, "none") != 0) {
    web_render_error(rq, rs, 400, "invalid_remind",
                     "Choose a reminder the day before (remind=day), a week before "
                     "(remind=week) or none (remind=none).");
    return;
  }
  const struct timeline_result *r = &t->res;
  char due[11];
  date_format_iso(r->stage.due, due);
  unsigned long long fp = fingerprint(due);
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  char stamp[32];
  strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  /* The dates after the birth are estimates until it happens: a later
   * download from the date of birth replaces them (RFC 5545 3.8.7.4). */
  const char *sequence = r->stage.pregnant ? "0" : "1";

  struct buf *b = &rs->body;
  ical_prop(b, "BEGIN", "VCALENDAR");
  ical_prop(b, "VERSION", "2.0");
  ical_prop(b, "PRODID", "-//firstdays//My 1001 days//EN");
  ical_prop(b, "CALSCALE", "GREGORIAN");
  ical_prop(b, "METHOD", "PUBLISH");
  ical_text(b, "X-WR-CALNAME", "My 1001 days");
  ical_text(b, "X-WR-CALDESC",
            "Appointments, checks, vaccines and milestones in the first 1001 days, from "
            "pregnancy to the second birthday.");
  long today = date_to_days(t->today);
  for (size_t i = 0; i < r->nevents; i++) {
    const struct timeline_event *e = &r->events[i];
    long start = date_to_days(e->start), end = date_to_days(e->end);
    bool long_window = end - start + 1 > ICS_BLOCK_MAX_DAYS;
    struct buf desc = BUF_INIT;
    if (long_window) {
      char range[64];
      date_format_range(e->start, e->end, range);
      buf_printf(&desc,
                 "This can be at any time from %s. This calendar entry marks the start.\n\n",
                 range);
    }
    buf_puts(&desc, e->explain);
    for (size_t k = 0; k < e->nlines; k++)
      buf_printf(&desc, "%s- %s", k ? "\n" : "\n\n", e->lines[k]);
    if (e->provider)
      buf_printf(&desc, "\n\nWith: %s", e->provider);
    if (e->estimated)
      buf_puts(&desc, "\nEstimated from the due date: the real date depends on the birth.");
    if (e->first_pregnancy_only)
      buf_puts(&desc, "\nOffered in a first pregnancy.");
    if (e->if_missed)
      buf_printf(&desc, "\n%s", e->if_missed);
    if (e->source)
      buf_printf(&desc, "\nSource: %s", e->source);
    ical_prop(b, "BEGIN", "VEVENT");
    ical_prop(b, "UID", arena_printf(rq->arena, "%016llx-%s@firstdays", fp, e->id));
    ical_prop(b, "DTSTAMP", stamp);
    ical_prop(b, "SEQUENCE", sequence);
    ical_date(b, "DTSTART", e->start);
    ical_date(b, "DTEND", date_from_days((long_window ? start : end) + 1)); /* exclusive */
    ical_text(b, "SUMMARY",
              long_window ? arena_printf(rq->arena, "%s (from this day)", e->title) : e->title);
    ical_text(b, "DESCRIPTION", buf_cstr(&desc));
    ical_text(b, "CATEGORIES", timeline_kind_name(e->kind));
    ical_prop(b, "TRANSP", "TRANSPARENT");
    /* No reminder whose moment has already gone: some calendars show it at once. */
    if (rem && is_appointment(e->kind) && start - rem->days_before > today) {
      ical_prop(b, "BEGIN", "VALARM");
      ical_prop(b, "ACTION", "DISPLAY");
      ical_prop(b, "TRIGGER", rem->trigger);
      ical_text(b, "DESCRIPTION", arena_printf(rq->arena, "%s: %s", rem->words, e->title));
      ical_prop(b, "END", "VALARM");
    }
    ical_prop(b, "END", "VEVENT");
    buf_free(&desc);
  }
  ical_prop(b, "END", "VCALENDAR");
  rs->content_type = "text/calendar; charset=utf-8";
  http_add_header(rs, "Content-Disposition", "attachment; filename=\"my-1001-days.ics\"");
}
