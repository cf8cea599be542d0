/* instruments.c: JSON API for the wellbeing-check instruments. Definitions
 * come from app->instruments; scoring is src/checkin's instrument_score().
 * Every client mistake is a 4xx with a stable code and a message saying what
 * to send instead (docs/api-instruments.md lists them). */
#include "instruments.h"
#include "../app.h"
#include "../checkin/checkin.h"
#include "../content/urgent.h"
#include "../lib/util.h"
#include "../view/view.h"
#include "../web/web.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* json_string, or null for a NULL pointer. */
static json_t *str_or_null(const char *s)
{
  return s ? json_string(s) : json_null();
}

/* The fields shared by the list and the definition, with links. */
static json_t *summary_json(const struct instrument_def *d)
{
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:b, s:o, s:o, s:o}", "id", d->id,
                   "name", d->name, "title", d->title, "summary", d->summary, "recall_period",
                   d->recall_period, "item_count", (int)d->nitems, "max", d->max, "positive_at",
                   d->positive_at, "wording_available", d->wording_available, "href",
                   json_sprintf("/api/v1/instruments/%s", d->id), "score_href",
                   json_sprintf("/api/v1/instruments/%s/score", d->id), "page",
                   json_sprintf("/wellbeing-check/%s", d->id));
}

void api_instruments_list(struct http_req *rq, struct http_resp *rs)
{
  const struct instrument_set *s = rq->app->instruments;
  json_t *list = json_array();
  for (size_t i = 0; s && i < s->n; i++)
    json_array_append_new(list, summary_json(&s->defs[i]));
  rs->cache = HTTP_CACHE_SHORT;
  web_send_json(rs, json_pack("{s:o}", "instruments", list));
}

static const struct instrument_def *find_or_404(struct http_req *rq, struct http_resp *rs)
{
  const char *id = rq->ncaptures ? rq->captures[0] : "";
  const struct instrument_def *d = instrument_find(rq->app->instruments, id);
  if (!d)
    web_json_error(rs, 404, "unknown_instrument",
                   "There is no instrument with that id. Use one of: whooley, gad2, phq9, gad7, "
                   "epds (GET /api/v1/instruments lists them).");
  return d;
}

static json_t *definition_json(const struct instrument_def *d)
{
  json_t *o = summary_json(d);
  json_object_set_new(o, "stem", str_or_null(d->stem));
  json_t *items = json_array();
  for (size_t i = 0; i < d->nitems; i++) {
    const struct instrument_item *it = &d->items[i];
    json_t *opts = json_array();
    for (size_t k = 0; k < it->noptions; k++)
      json_array_append_new(opts, json_pack("{s:i, s:o, s:i}", "index", (int)k, "label",
                                            str_or_null(it->options[k].label), "score",
                                            it->options[k].score));
    json_t *item = json_pack("{s:i, s:s, s:o, s:o}", "number", (int)i + 1, "id", it->id, "text",
                             str_or_null(it->text), "options", opts);
    if (it->hint)
      json_object_set_new(item, "hint", json_string(it->hint));
    json_array_append_new(items, item);
  }
  json_object_set_new(o, "items", items);
  if (d->has_followup) {
    json_t *opts = json_array();
    for (size_t k = 0; k < d->followup.noptions; k++)
      json_array_append_new(opts,
                            json_pack("{s:i, s:s, s:s}", "index", (int)k, "id",
                                      d->followup.option_ids[k], "label", d->followup.options[k]));
    json_object_set_new(o, "followup",
                        json_pack("{s:s, s:s, s:s, s:b, s:o}", "id", d->followup.id, "text",
                                  d->followup.text, "asked_when", "positive", "scored", 0,
                                  "options", opts));
  }
  json_object_set_new(o, "scoring",
                      json_pack("{s:s, s:i, s:i}", "method", "sum", "min", d->min, "max", d->max));
  json_t *bands = json_array();
  for (size_t i = 0; i < d->nbands; i++)
    json_array_append_new(bands, json_pack("{s:s, s:s, s:i, s:i, s:b, s:b}", "id", d->bands[i].id,
                                           "label", d->bands[i].label, "min", d->bands[i].min,
                                           "max", d->bands[i].max, "positive",
                                           d->bands[i].min >= d->positive_at, "sooner",
                                           d->bands[i].sooner));
  json_object_set_new(o, "bands", bands);
  json_t *flags = json_array();
  for (size_t i = 0; i < d->nflags; i++)
    json_array_append_new(flags,
                          json_pack("{s:s, s:s, s:s, s:i, s:i, s:s}", "id", d->flags[i].id, "label",
                                    d->flags[i].label, "item", d->items[d->flags[i].item].id,
                                    "item_number", (int)d->flags[i].item + 1, "min_score",
                                    d->flags[i].min_score, "care", "urgent"));
  json_object_set_new(o, "flags", flags);
  json_object_set_new(o, "care_rule",
                      json_string("urgent whenever a flag is raised, whatever the total; "
                                  "non-urgent when the total is at least positive_at; "
                                  "none otherwise"));
  if (d->nthresholds_allowed) {
    json_t *allowed = json_array();
    for (size_t i = 0; i < d->nthresholds_allowed; i++)
      json_array_append_new(allowed, json_integer(d->thresholds_allowed[i]));
    json_object_set_new(
        o, "threshold",
        json_pack("{s:s, s:o}", "setting", d->threshold_setting, "allowed", allowed));
  }
  json_t *sources = json_array();
  for (size_t i = 0; i < d->nsources; i++)
    json_array_append_new(sources, json_string(d->sources[i]));
  json_object_set_new(o, "sources", sources);
  json_object_set_new(o, "licence", json_string(d->licence));
  json_object_set_new(o, "attribution", str_or_null(d->attribution));
  if (d->wording_permission)
    json_object_set_new(o, "permission", json_string(d->wording_permission));
  return o;
}

void api_instrument_get(struct http_req *rq, struct http_resp *rs)
{
  const struct instrument_def *d = find_or_404(rq, rs);
  if (!d)
    return;
  rs->cache = HTTP_CACHE_SHORT;
  web_send_json(rs, definition_json(d));
}

/* True when the Content-Type is application/json, with or without parameters. */
static bool is_json_type(const char *ct)
{
  if (!ct)
    return false;
  size_t n = strcspn(ct, "; \t");
  return str_ieq_n(ct, n, "application/json");
}

/* The routes an urgent outcome shows first: the emergency route and every
 * mental-health route, national then the deployment's (content/urgent/). */
static json_t *urgent_help_json(const struct urgent_set *s)
{
  json_t *routes = json_array();
  for (size_t i = 0; i < s->n; i++) {
    const struct urgent_route *u = &s->routes[i];
    if (strcmp(u->level, "emergency") != 0 &&
        !(strcmp(u->level, "urgent") == 0 && (u->topics & URGENT_TOPIC_MENTAL_HEALTH)))
      continue;
    json_array_append_new(routes, json_pack("{s:s, s:s, s:s, s:o, s:s, s:b}", "id", u->id, "name",
                                            u->name, "action", u->action, "href",
                                            str_or_null(u->href), "when", u->when, "local",
                                            u->local));
  }
  return json_pack("{s:s, s:o}", "page", "/urgent-help", "routes", routes);
}

void api_instrument_score(struct http_req *rq, struct http_resp *rs)
{
  const struct instrument_def *d = find_or_404(rq, rs);
  if (!d)
    return;
  char msg[512];
  if (!is_json_type(rq->content_type)) {
    web_json_error(rs, 415, "unsupported_media_type",
                   "Send the answers as JSON with the header Content-Type: application/json.");
    return;
  }
  json_error_t je;
  json_t *body = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
  if (!body) {
    snprintf(
        msg, sizeof msg,
        "The body is not valid JSON (line %d, column %d: %s). Send {\"answers\": [0, 1, ...]}.",
        je.line, je.column, je.text);
    web_json_error(rs, 400, "bad_json", msg);
    return;
  }
  json_t *answers = json_is_object(body) ? json_object_get(body, "answers") : NULL;
  if (!json_is_array(answers)) {
    web_json_error(rs, 400, "answers_missing",
                   "Send a JSON object with an \"answers\" list: one option index per question, "
                   "in question order, for example {\"answers\": [0, 1, 0]}.");
    goto done;
  }
  size_t n = json_array_size(answers);
  if (n != d->nitems) {
    snprintf(msg, sizeof msg,
             "%s has %zu questions: send %zu answers, one per question in order "
             "(you sent %zu).",
             d->id, d->nitems, d->nitems, n);
    web_json_error(rs, 400, "wrong_answer_count", msg);
    goto done;
  }
  int a[INSTRUMENT_MAX_ITEMS];
  for (size_t i = 0; i < n; i++) {
    json_t *v = json_array_get(answers, i);
    if (!json_is_integer(v)) {
      snprintf(msg, sizeof msg,
               "answers[%zu] must be a whole number: the 0-based index of the "
               "chosen option for question %zu.",
               i, i + 1);
      web_json_error(rs, 400, "answer_not_integer", msg);
      goto done;
    }
    json_int_t x = json_integer_value(v);
    if (x < 0 || (size_t)x >= d->items[i].noptions) {
      snprintf(msg, sizeof msg,
               "answers[%zu] is %lld, but question %zu has %zu options: use an "
               "index from 0 to %zu.",
               i, (long long)x, i + 1, d->items[i].noptions, d->items[i].noptions - 1);
      web_json_error(rs, 400, "answer_out_of_range", msg);
      goto done;
    }
    a[i] = (int)x;
  }
  struct instrument_result r;
  if (instrument_score(d, a, n, &r, NULL) != INSTRUMENT_OK) {
    static const char *const ids[] = {"999", "111", "samaritans"};
    char routes[256];
    urgent_join_short(view_urgent(rq), ids, ARRAY_LEN(ids), routes, sizeof routes);
    snprintf(msg, sizeof msg, "We could not score these answers. If you need help now, %s.",
             routes);
    web_json_error(rs, 500, "scoring_failed", msg);
    goto done;
  }
  json_t *flags = json_array();
  for (size_t i = 0; i < r.nflags; i++)
    json_array_append_new(flags, json_string(r.flags[i]->id));
  json_t *out =
      json_pack("{s:s, s:i, s:i, s:s, s:b, s:o, s:s, s:i}", "instrument", d->id, "score", r.score,
                "max", r.max, "band", r.band->id, "positive", r.positive, "flags", flags, "care",
                checkin_care_name(r.care), "positive_at", d->positive_at);
  json_object_set_new(out, "sooner", json_boolean(r.positive && r.sooner));
  if (r.care == CHECKIN_CARE_URGENT)
    json_object_set_new(out, "urgent_help", urgent_help_json(view_urgent(rq)));
  rs->cache = HTTP_CACHE_NO_STORE;
  web_send_json(rs, out);
done:
  json_decref(body);
}
