/* outcomes.c: parse and check the outcome wording of the wellbeing pages
 * (content/wellbeing/outcomes.json; see checkin.h). Pure: takes text, never
 * files. Every field is checked, and a message names it, so a deployment's
 * broken copy is set aside at start and the built-in wording serves. */
#include "checkin.h"
#include "../content/urgent.h"
#include "../lib/jread.h"
#include "../lib/util.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* The string at path "a.b" (one or two levels), required. */
static bool text(json_t *root, const char *obj, const char *key, const char **out, char *err,
                 size_t errlen)
{
  json_t *o = obj ? json_object_get(root, obj) : root;
  json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
  *out = NULL;
  if (!json_is_string(v) || json_string_length(v) == 0)
    return jread_fail(err, errlen, "'%s%s%s' must be a non-empty string", obj ? obj : "",
                      obj ? "." : "", key);
  *out = json_string_value(v);
  return true;
}

static bool texts(json_t *root, const char *obj, const char *key, struct checkin_texts *out,
                  char *err, size_t errlen)
{
  json_t *o = obj ? json_object_get(root, obj) : root;
  json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
  out->n = 0;
  if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > CHECKIN_MAX_TEXTS)
    return jread_fail(err, errlen, "'%s%s%s' must be a list of 1 to %d texts", obj ? obj : "",
                      obj ? "." : "", key, CHECKIN_MAX_TEXTS);
  for (size_t i = 0; i < json_array_size(v); i++) {
    json_t *t = json_array_get(v, i);
    if (!json_is_string(t) || json_string_length(t) == 0)
      return jread_fail(err, errlen, "'%s%s%s[%zu]' must be a non-empty string", obj ? obj : "",
                        obj ? "." : "", key, i);
    out->t[out->n++] = json_string_value(t);
  }
  return true;
}

static bool card(json_t *o, const char *where, struct checkin_card *c, char *err, size_t errlen)
{
  memset(c, 0, sizeof *c);
  if (!json_is_object(o))
    return jread_fail(err, errlen, "'%s' must be an object", where);
  char w[256];
  if (!text(o, NULL, "heading", &c->heading, err, errlen) ||
      !texts(o, NULL, "paragraphs", &c->paragraphs, err, errlen)) {
    snprintf(w, sizeof w, "%s", err);
    return jread_fail(err, errlen, "%s: %s", where, w);
  }
  json_t *link = json_object_get(o, "link");
  if (link) {
    const char *t = json_string_value(json_object_get(link, "text"));
    const char *h = json_string_value(json_object_get(link, "href"));
    if (!t || !*t || !h || !str_starts(h, "https://"))
      return jread_fail(err, errlen,
                        "%s: 'link' must have a 'text' and an 'href' starting https://", where);
    c->link_text = t;
    c->link_href = h;
  }
  return true;
}

/* {"text": "...", "routes": ["111", ...]}: every id a national route. */
static bool routes_text(json_t *root, const char *key, struct checkin_routes_text *r, char *err,
                        size_t errlen)
{
  json_t *o = json_object_get(root, key);
  r->n = 0;
  if (!text(root, key, "text", &r->text, err, errlen))
    return false;
  json_t *ids = json_object_get(o, "routes");
  if (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > CHECKIN_MAX_TEXTS)
    return jread_fail(err, errlen, "'%s.routes' must be a list of 1 to %d urgent-help route ids",
                      key, CHECKIN_MAX_TEXTS);
  const struct urgent_set *national = urgent_builtin();
  for (size_t i = 0; i < json_array_size(ids); i++) {
    const char *id = json_string_value(json_array_get(ids, i));
    const struct urgent_route *u = id ? urgent_find(national, id) : NULL;
    if (!u || u->local)
      return jread_fail(err, errlen,
                        "'%s.routes[%zu]' must name a national urgent-help route in "
                        "content/urgent/routes.json",
                        key, i);
    r->ids[r->n++] = u->id;
  }
  return true;
}

bool checkin_outcomes_parse(const char *json, size_t len, struct checkin_outcomes *o, void **doc,
                            char *err, size_t errlen)
{
  memset(o, 0, sizeof *o);
  *doc = NULL;
  json_error_t je;
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
  if (!root)
    return jread_fail(err, errlen, "not valid JSON (line %d: %s)", je.line, je.text);
  bool ok = json_is_object(root) || jread_fail(err, errlen, "the file must hold one JSON object");
  ok = ok && text(root, "urgent", "title", &o->urgent_title, err, errlen) &&
       texts(root, "urgent", "body", &o->urgent_body, err, errlen) &&
       text(root, "urgent", "after", &o->urgent_after, err, errlen) &&
       text(root, "non_urgent", "title", &o->non_urgent_title, err, errlen) &&
       text(root, "non_urgent", "lede", &o->non_urgent_lede, err, errlen) &&
       text(root, "non_urgent", "help_not_today", &o->help_not_today, err, errlen) &&
       text(root, "non_urgent", "help_no", &o->help_no, err, errlen) &&
       card(json_object_get(root, "sooner"), "sooner", &o->sooner, err, errlen) &&
       text(root, "none", "title", &o->none_title, err, errlen) &&
       text(root, "none", "lede", &o->none_lede, err, errlen) &&
       text(root, "none", "keep_well_heading", &o->keep_well_heading, err, errlen) &&
       texts(root, "none", "keep_well", &o->keep_well, err, errlen) &&
       text(root, "none", "check_again_heading", &o->check_again_heading, err, errlen) &&
       text(root, "none", "check_again", &o->check_again, err, errlen) &&
       text(root, "safety_net", "heading", &o->safety_net_heading, err, errlen) &&
       routes_text(root, "safety_net", &o->safety_net, err, errlen) &&
       routes_text(root, "next_urgent", &o->next_urgent, err, errlen) &&
       text(root, "next", "sooner", &o->next_sooner, err, errlen) &&
       text(root, "next", "non_urgent", &o->next_non_urgent, err, errlen) &&
       text(root, "next", "none", &o->next_none, err, errlen);
  json_t *cards = ok ? json_object_get(root, "cards") : NULL;
  if (ok && (!json_is_array(cards) || json_array_size(cards) == 0 ||
             json_array_size(cards) > CHECKIN_MAX_CARDS))
    ok = jread_fail(err, errlen, "'cards' must be a list of 1 to %d cards", CHECKIN_MAX_CARDS);
  for (size_t i = 0; ok && i < json_array_size(cards); i++) {
    char w[32];
    snprintf(w, sizeof w, "cards[%zu]", i);
    ok = card(json_array_get(cards, i), w, &o->cards[o->ncards++], err, errlen);
  }
  if (!ok) {
    json_decref(root);
    memset(o, 0, sizeof *o);
    return false;
  }
  *doc = root;
  return true;
}
