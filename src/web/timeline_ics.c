/* timeline_ics.c: GET /my-1001-days.ics, the family's timeline as an
 * RFC 5545 calendar of all-day events (windows as multi-day events) that
 * Google, Apple and Outlook calendars import. Impossible input is a 400. */
#include "timeline_web.h"
#include "web.h"
#include "../view/ical.h"
#include <stdio.h>
#include <time.h>

/* A stable, non-secret fingerprint of the answers (FNV-1a, 64 bits), so a
 * re-downloaded calendar updates its events instead of duplicating them. */
static unsigned long long fingerprint(const char *s)
{
  unsigned long long h = 1469598103934665603ULL;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ULL;
  }
  return h;
}

void web_timeline_ics(struct http_req *rq, struct http_resp *rs)
{
  struct timeline_req *t = arena_alloc(rq->arena, sizeof *t);
  if (!timeline_web_run(rq, rs, t))
    return;
  if (t->nerrs) {
    web_render_error(rq, rs, 400, t->errs[0].code, t->errs[0].message);
    return;
  }
  const struct timeline_result *r = &t->res;
  unsigned long long fp = fingerprint(timeline_web_query(rq, t, false));
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  char stamp[32];
  strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);

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
  for (size_t i = 0; i < r->nevents; i++) {
    const struct timeline_event *e = &r->events[i];
    struct buf desc = BUF_INIT;
    buf_puts(&desc, e->explain);
    for (size_t k = 0; k < e->nlines; k++)
      buf_printf(&desc, "%s- %s", k ? "\n" : "\n\n", e->lines[k]);
    if (e->provider)
      buf_printf(&desc, "\n\nWith: %s", e->provider);
    if (e->estimated)
      buf_puts(&desc, "\nEstimated from the due date: the real date depends on the birth.");
    if (e->first_pregnancy_only)
      buf_puts(&desc, "\nOffered in a first pregnancy.");
    if (e->source)
      buf_printf(&desc, "\nSource: %s", e->source);
    ical_prop(b, "BEGIN", "VEVENT");
    ical_prop(b, "UID", arena_printf(rq->arena, "%016llx-%s@firstdays", fp, e->id));
    ical_prop(b, "DTSTAMP", stamp);
    ical_date(b, "DTSTART", e->start);
    ical_date(b, "DTEND", date_from_days(date_to_days(e->end) + 1)); /* exclusive */
    ical_text(b, "SUMMARY", e->title);
    ical_text(b, "DESCRIPTION", buf_cstr(&desc));
    ical_text(b, "CATEGORIES", timeline_kind_name(e->kind));
    ical_prop(b, "TRANSP", "TRANSPARENT");
    ical_prop(b, "END", "VEVENT");
    buf_free(&desc);
  }
  ical_prop(b, "END", "VCALENDAR");
  rs->content_type = "text/calendar; charset=utf-8";
  http_add_header(rs, "Content-Disposition", "attachment; filename=\"my-1001-days.ics\"");
}
