/* timeline.c (api): GET /api/v1/timeline, the family's timeline as JSON
 * {"input", "stage", "events", "links"}; documented in docs/api-timeline.md.
 * Bad input is a JSON 400 with a stable error code. */
#include "../web/timeline_web.h"
#include "../app.h"
#include "../web/web.h"
#include <jansson.h>
#include <stdlib.h>

static json_t *jdate(struct date d)
{
  char s[11];
  date_format_iso(d, s);
  return json_string(s);
}

static json_t *jint_or_null(bool present, long v)
{
  return present ? json_integer(v) : json_null();
}

static json_t *jstr_or_null(const char *s)
{
  return s ? json_string(s) : json_null();
}

static json_t *input_json(const struct timeline_req *t)
{
  const struct timeline_input *in = &t->in;
  char g[12];
  timeline_format_gestation(in->gestation_days, g, sizeof g);
  return json_pack(
      "{s:o, s:o, s:o, s:i, s:o, s:o}", "due", in->pregnant ? jdate(in->due) : json_null(), "born",
      in->pregnant ? json_null() : jdate(in->born), "gestation",
      in->pregnant ? json_null() : json_string(g), "babies", in->babies, "first_pregnancy",
      in->first_pregnancy == TL_FIRST_YES  ? json_string("yes")
      : in->first_pregnancy == TL_FIRST_NO ? json_string("no")
                                           : json_null(),
      "today", jdate(t->today));
}

static json_t *stage_json(const struct timeline_stage *st)
{
  bool preg = st->pregnant, weeks_started = preg && st->gestation_days >= 0;
  bool corr = st->corrected, corr_started = corr && st->corrected_age_days >= 0;
  json_t *o = json_object();
  json_object_set_new(o, "phase", json_string(preg ? "pregnancy" : "baby"));
  json_object_set_new(o, "pregnancy_week", jint_or_null(weeks_started, st->pregnancy_week));
  json_object_set_new(o, "pregnancy_day", jint_or_null(weeks_started, st->pregnancy_day));
  json_object_set_new(o, "gestation_days", jint_or_null(preg, st->gestation_days));
  json_object_set_new(o, "trimester", jint_or_null(preg, st->trimester));
  json_object_set_new(o, "age_days", jint_or_null(!preg, st->age_days));
  json_object_set_new(o, "age_weeks", jint_or_null(!preg, st->age_weeks));
  json_object_set_new(o, "age_months", jint_or_null(!preg, st->age_months));
  json_object_set_new(o, "corrected_age_days", jint_or_null(corr, st->corrected_age_days));
  json_object_set_new(o, "corrected_age_weeks", jint_or_null(corr_started, st->corrected_weeks));
  json_object_set_new(o, "corrected_age_months", jint_or_null(corr_started, st->corrected_months));
  json_object_set_new(o, "preterm", json_boolean(!preg && corr));
  json_object_set_new(o, "babies", json_integer(st->babies));
  json_object_set_new(o, "due", jdate(st->due));
  json_object_set_new(o, "born", preg ? json_null() : jdate(st->born));
  json_object_set_new(o, "conception", jdate(st->conception));
  json_object_set_new(o, "end_of_1001_days", jdate(st->end_1001));
  json_object_set_new(o, "day_of_1001", json_integer(st->day_of_1001));
  json_object_set_new(o, "days_in_1001", json_integer(st->days_in_1001));
  json_object_set_new(o, "after_1001_days", json_boolean(st->after_1001));
  json_object_set_new(o, "follow_until", preg ? json_null() : jdate(st->follow_until));
  json_object_set_new(o, "id", jstr_or_null(st->text ? st->text->id : NULL));
  bool many = st->babies > 1;
  json_object_set_new(o, "title",
                      jstr_or_null(st->text ? (many ? st->text->title_many : st->text->title) : NULL));
  json_object_set_new(o, "html",
                      jstr_or_null(st->text ? (many ? st->text->html_many : st->text->html) : NULL));
  return o;
}

static json_t *event_json(struct http_req *rq, const struct timeline_event *e)
{
  json_t *o = json_object();
  json_object_set_new(o, "id", json_string(e->id));
  json_object_set_new(o, "kind", json_string(timeline_kind_name(e->kind)));
  json_object_set_new(o, "start", jdate(e->start));
  if (date_to_days(e->end) != date_to_days(e->start))
    json_object_set_new(o, "end", jdate(e->end));
  json_object_set_new(o, "title", json_string(e->title));
  json_object_set_new(o, "description", json_string(e->explain));
  json_t *details = json_array();
  for (size_t i = 0; i < e->nlines; i++)
    json_array_append_new(details, json_string(e->lines[i]));
  json_object_set_new(o, "details", details);
  if (e->kind == TL_VACCINE) {
    json_t *v = json_array();
    for (size_t i = 0; i < e->nvaccines; i++)
      json_array_append_new(v, json_string(e->vaccines[i]));
    json_object_set_new(o, "vaccines", v);
  }
  if (e->has_deadline)
    json_object_set_new(o, "deadline", jdate(e->deadline));
  json_object_set_new(o, "provider", jstr_or_null(e->provider));
  json_object_set_new(o, "source", jstr_or_null(e->source));
  json_object_set_new(o, "url", jstr_or_null(e->href));
  json_object_set_new(o, "support",
                      e->need
                          ? json_string(arena_printf(rq->arena, "/find-support?need=%s", e->need))
                          : json_null());
  json_object_set_new(o, "status", json_string(timeline_when_name(e->when)));
  json_object_set_new(o, "estimated", json_boolean(e->estimated));
  json_object_set_new(o, "first_pregnancy_only", json_boolean(e->first_pregnancy_only));
  json_object_set_new(o, "after_1001_days", json_boolean(e->after_1001));
  json_object_set_new(o, "if_missed", jstr_or_null(e->if_missed));
  return o;
}

void api_timeline(struct http_req *rq, struct http_resp *rs)
{
  struct timeline_req *t = arena_alloc(rq->arena, sizeof *t);
  rs->cors = true;
  if (!timeline_web_run(rq, rs, t))
    return;
  if (t->nerrs) {
    web_json_error(rs, 400, t->errs[0].code, t->errs[0].message);
    return;
  }
  json_t *events = json_array();
  for (size_t i = 0; i < t->res.nevents; i++)
    json_array_append_new(events, event_json(rq, &t->res.events[i]));
  const char *q = timeline_web_query(rq, t, true);
  json_t *root = json_pack("{s:o, s:o, s:o, s:{s:s, s:s}}", "input", input_json(t), "stage",
                           stage_json(&t->res.stage), "events", events, "links", "page",
                           arena_printf(rq->arena, "/my-1001-days?%s", q), "ics",
                           arena_printf(rq->arena, "/my-1001-days.ics?%s", q));
  web_send_json(rs, root);
}
