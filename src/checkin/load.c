/* load.c: parse and validate instrument definitions (content/instruments/<id>.json)
 * and a deployment's licensed EPDS wording. Pure: takes text, never files.
 * Every check fails closed with a message that names the field, so a wrong
 * score key, band or threshold stops the service at start instead of giving a
 * parent a wrong answer. The file format is described in docs/api-instruments.md. */
#include "checkin.h"
#include "../content/content.h"
#include "../lib/jread.h"
#include "../lib/util.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCORE_MAX_PER_OPTION 10

static bool get_int(json_t *o, const char *key, int lo, int hi, int *out, char *err, size_t errlen,
                    const char *where)
{
  json_t *v = json_object_get(o, key);
  if (!v)
    return jread_fail(err, errlen, "%s'%s' is missing", where, key);
  if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
    return jread_fail(err, errlen, "%s'%s' must be a whole number from %d to %d", where, key, lo,
                      hi);
  *out = (int)json_integer_value(v);
  return true;
}

/* Parse one option object {"label": "...", "score": n}. */
static bool parse_option(json_t *o, struct instrument_option *opt, char *err, size_t errlen,
                         const char *where)
{
  if (!json_is_object(o))
    return jread_fail(err, errlen, "%s must be an object with a 'score'", where);
  char w[128];
  snprintf(w, sizeof w, "%s: ", where);
  if (!get_int(o, "score", 0, SCORE_MAX_PER_OPTION, &opt->score, err, errlen, w))
    return false;
  return jread_str(o, "label", false, &opt->label, err, errlen, w);
}

static bool parse_items(json_t *root, struct instrument_def *def, char *err, size_t errlen)
{
  json_t *scale = json_object_get(root, "scale");
  struct instrument_option scale_opts[INSTRUMENT_MAX_OPTIONS];
  size_t nscale = 0;
  if (scale) {
    if (!json_is_array(scale) || json_array_size(scale) < 2 ||
        json_array_size(scale) > INSTRUMENT_MAX_OPTIONS)
      return jread_fail(err, errlen, "'scale' must be a list of 2 to %d options",
                        INSTRUMENT_MAX_OPTIONS);
    for (size_t i = 0; i < json_array_size(scale); i++) {
      char w[64];
      snprintf(w, sizeof w, "scale[%zu]", i);
      if (!parse_option(json_array_get(scale, i), &scale_opts[nscale++], err, errlen, w))
        return false;
    }
  }
  json_t *items = json_object_get(root, "items");
  if (!json_is_array(items) || json_array_size(items) == 0 ||
      json_array_size(items) > INSTRUMENT_MAX_ITEMS)
    return jread_fail(err, errlen, "'items' must be a list of 1 to %d items", INSTRUMENT_MAX_ITEMS);
  def->nitems = json_array_size(items);
  for (size_t i = 0; i < def->nitems; i++) {
    struct instrument_item *it = &def->items[i];
    json_t *jo = json_array_get(items, i);
    char w[64];
    snprintf(w, sizeof w, "items[%zu]: ", i);
    if (!json_is_object(jo))
      return jread_fail(err, errlen, "items[%zu] must be an object", i);
    if (!jread_str(jo, "id", true, &it->id, err, errlen, w) ||
        !jread_str(jo, "text", false, &it->text, err, errlen, w) ||
        !jread_str(jo, "hint", false, &it->hint, err, errlen, w))
      return false;
    for (size_t j = 0; j < i; j++)
      if (strcmp(def->items[j].id, it->id) == 0)
        return jread_fail(err, errlen, "items[%zu]: id '%s' is used twice", i, it->id);
    json_t *opts = json_object_get(jo, "options");
    if (opts) {
      if (!json_is_array(opts) || json_array_size(opts) < 2 ||
          json_array_size(opts) > INSTRUMENT_MAX_OPTIONS)
        return jread_fail(err, errlen, "items[%zu]: 'options' must be a list of 2 to %d options", i,
                          INSTRUMENT_MAX_OPTIONS);
      it->noptions = json_array_size(opts);
      for (size_t k = 0; k < it->noptions; k++) {
        char ow[64];
        snprintf(ow, sizeof ow, "items[%zu].options[%zu]", i, k);
        if (!parse_option(json_array_get(opts, k), &it->options[k], err, errlen, ow))
          return false;
      }
    } else if (nscale) {
      memcpy(it->options, scale_opts, nscale * sizeof *scale_opts);
      it->noptions = nscale;
    } else {
      return jread_fail(err, errlen, "items[%zu]: no 'options' and no shared 'scale'", i);
    }
    it->min_score = it->max_score = it->options[0].score;
    for (size_t k = 1; k < it->noptions; k++) {
      if (it->options[k].score < it->min_score)
        it->min_score = it->options[k].score;
      if (it->options[k].score > it->max_score)
        it->max_score = it->options[k].score;
    }
  }
  return true;
}

/* Wording rules: an instrument either ships all of its wording or none of it. */
static bool check_wording(json_t *root, struct instrument_def *def, char *err, size_t errlen)
{
  const char *mode;
  if (!jread_str(root, "wording", false, &mode, err, errlen, ""))
    return false;
  if (!mode)
    mode = "included";
  if (strcmp(mode, "included") && strcmp(mode, "deployment"))
    return jread_fail(err, errlen, "'wording' must be \"included\" or \"deployment\"");
  def->wording_from_deployment = strcmp(mode, "deployment") == 0;
  /* The EPDS is copyright (RCPsych): its wording is never shipped. */
  if (strcmp(def->id, "epds") == 0 && !def->wording_from_deployment)
    return jread_fail(err, errlen,
                      "the EPDS wording is copyright: set \"wording\": \"deployment\" and "
                      "supply the licensed wording with the epds_wording setting");
  for (size_t i = 0; i < def->nitems; i++) {
    const struct instrument_item *it = &def->items[i];
    if (def->wording_from_deployment) {
      if (it->text || it->hint)
        return jread_fail(err, errlen,
                          "items[%zu]: an instrument with \"wording\": \"deployment\" must "
                          "not carry item text",
                          i);
    } else if (!it->text) {
      return jread_fail(err, errlen, "items[%zu]: 'text' is missing", i);
    }
    for (size_t k = 0; k < it->noptions; k++) {
      if (def->wording_from_deployment && it->options[k].label)
        return jread_fail(err, errlen,
                          "items[%zu].options[%zu]: an instrument with \"wording\": "
                          "\"deployment\" must not carry option labels",
                          i, k);
      if (!def->wording_from_deployment && !it->options[k].label)
        return jread_fail(err, errlen, "items[%zu].options[%zu]: 'label' is missing", i, k);
    }
  }
  if (def->wording_from_deployment && def->stem)
    return jread_fail(err, errlen,
                      "an instrument with \"wording\": \"deployment\" must not carry a "
                      "'stem'");
  if (!def->wording_from_deployment && !def->stem)
    return jread_fail(err, errlen, "'stem' is missing");
  def->wording_available = !def->wording_from_deployment;
  return true;
}

/* Bands must cover min..max exactly, in order, and the threshold must fall on
 * a band boundary so that no band is partly positive. */
static bool check_bands(const struct instrument_def *def, char *err, size_t errlen)
{
  if (def->nbands == 0)
    return jread_fail(err, errlen, "'bands' must list at least one band");
  if (def->bands[0].min != def->min)
    return jread_fail(err, errlen, "bands[0] must start at the lowest total %d, not %d", def->min,
                      def->bands[0].min);
  for (size_t i = 0; i < def->nbands; i++) {
    const struct instrument_band *b = &def->bands[i];
    if (b->max < b->min)
      return jread_fail(err, errlen, "bands[%zu] ('%s') ends before it starts", i, b->id);
    if (i && b->min != def->bands[i - 1].max + 1)
      return jread_fail(err, errlen, "bands[%zu] ('%s') must start at %d, right after bands[%zu]",
                        i, b->id, def->bands[i - 1].max + 1, i - 1);
    for (size_t j = 0; j < i; j++)
      if (strcmp(def->bands[j].id, b->id) == 0)
        return jread_fail(err, errlen, "bands[%zu]: id '%s' is used twice", i, b->id);
  }
  if (def->bands[def->nbands - 1].max != def->max)
    return jread_fail(err, errlen, "the last band must end at the highest total %d, not %d",
                      def->max, def->bands[def->nbands - 1].max);
  if (def->positive_at <= def->min || def->positive_at > def->max)
    return jread_fail(err, errlen, "'positive_at' must be above %d and at most %d", def->min,
                      def->max);
  bool boundary = false;
  for (size_t i = 0; i < def->nbands; i++)
    if (def->bands[i].min == def->positive_at)
      boundary = true;
  if (!boundary)
    return jread_fail(err, errlen,
                      "'positive_at' %d must be where a band starts, so that no band is "
                      "partly positive",
                      def->positive_at);
  return true;
}

static bool parse_bands(json_t *root, struct instrument_def *def, char *err, size_t errlen)
{
  json_t *bands = json_object_get(root, "bands");
  if (!json_is_array(bands) || json_array_size(bands) == 0 ||
      json_array_size(bands) > INSTRUMENT_MAX_BANDS)
    return jread_fail(err, errlen, "'bands' must be a list of 1 to %d bands", INSTRUMENT_MAX_BANDS);
  def->nbands = json_array_size(bands);
  for (size_t i = 0; i < def->nbands; i++) {
    json_t *b = json_array_get(bands, i);
    char w[64];
    snprintf(w, sizeof w, "bands[%zu]: ", i);
    if (!json_is_object(b))
      return jread_fail(err, errlen, "bands[%zu] must be an object", i);
    struct instrument_band *bd = &def->bands[i];
    if (!jread_str(b, "id", true, &bd->id, err, errlen, w) ||
        !jread_str(b, "label", true, &bd->label, err, errlen, w) ||
        !get_int(b, "min", 0, 1000, &bd->min, err, errlen, w) ||
        !get_int(b, "max", 0, 1000, &bd->max, err, errlen, w))
      return false;
    json_t *soon = json_object_get(b, "sooner");
    if (soon && !json_is_boolean(soon))
      return jread_fail(err, errlen, "bands[%zu]: 'sooner' must be true or false", i);
    bd->sooner = soon && json_is_true(soon);
  }
  return true;
}

/* A band with the sooner step must be a positive one (after the threshold). */
static bool check_sooner(const struct instrument_def *def, char *err, size_t errlen)
{
  for (size_t i = 0; i < def->nbands; i++)
    if (def->bands[i].sooner && def->bands[i].min < def->positive_at)
      return jread_fail(
          err, errlen, "bands[%zu] ('%s'): 'sooner' is only for bands at or above 'positive_at' %d",
          i, def->bands[i].id, def->positive_at);
  return true;
}

static bool parse_flags(json_t *root, struct instrument_def *def, char *err, size_t errlen)
{
  json_t *flags = json_object_get(root, "flags");
  if (!flags)
    return true;
  if (!json_is_array(flags) || json_array_size(flags) > INSTRUMENT_MAX_FLAGS)
    return jread_fail(err, errlen, "'flags' must be a list of at most %d flags",
                      INSTRUMENT_MAX_FLAGS);
  def->nflags = json_array_size(flags);
  for (size_t i = 0; i < def->nflags; i++) {
    json_t *f = json_array_get(flags, i);
    struct instrument_flag *fl = &def->flags[i];
    char w[64];
    snprintf(w, sizeof w, "flags[%zu]: ", i);
    const char *item;
    if (!json_is_object(f))
      return jread_fail(err, errlen, "flags[%zu] must be an object", i);
    if (!jread_str(f, "id", true, &fl->id, err, errlen, w) ||
        !jread_str(f, "label", true, &fl->label, err, errlen, w) ||
        !jread_str(f, "says", true, &fl->says, err, errlen, w) ||
        !jread_str(f, "item", true, &item, err, errlen, w) ||
        !get_int(f, "min_score", 1, SCORE_MAX_PER_OPTION, &fl->min_score, err, errlen, w))
      return false;
    size_t k;
    for (k = 0; k < def->nitems; k++)
      if (strcmp(def->items[k].id, item) == 0)
        break;
    if (k == def->nitems)
      return jread_fail(err, errlen, "flags[%zu]: there is no item '%s'", i, item);
    fl->item = k;
    if (fl->min_score > def->items[k].max_score)
      return jread_fail(err, errlen, "flags[%zu]: min_score %d can never be reached on item '%s'",
                        i, fl->min_score, item);
  }
  return true;
}

static bool parse_followup(json_t *root, struct instrument_def *def, char *err, size_t errlen)
{
  json_t *f = json_object_get(root, "followup");
  if (!f)
    return true;
  const char *when;
  if (!json_is_object(f))
    return jread_fail(err, errlen, "'followup' must be an object");
  struct instrument_followup *fu = &def->followup;
  if (!jread_str(f, "id", true, &fu->id, err, errlen, "followup: ") ||
      !jread_str(f, "text", true, &fu->text, err, errlen, "followup: ") ||
      !jread_str(f, "hint", false, &fu->hint, err, errlen, "followup: ") ||
      !jread_str(f, "asked_when", true, &when, err, errlen, "followup: "))
    return false;
  if (strcmp(when, "positive") != 0)
    return jread_fail(err, errlen, "followup: 'asked_when' must be \"positive\"");
  json_t *opts = json_object_get(f, "options");
  if (!json_is_array(opts) || json_array_size(opts) < 2 ||
      json_array_size(opts) > INSTRUMENT_MAX_OPTIONS)
    return jread_fail(err, errlen, "followup: 'options' must be a list of 2 to %d options",
                      INSTRUMENT_MAX_OPTIONS);
  fu->noptions = json_array_size(opts);
  for (size_t i = 0; i < fu->noptions; i++) {
    json_t *o = json_array_get(opts, i);
    char w[64];
    snprintf(w, sizeof w, "followup: options[%zu]: ", i);
    if (!json_is_object(o))
      return jread_fail(err, errlen,
                        "followup: options[%zu] must be an object with 'id' and 'label'", i);
    if (!jread_str(o, "id", true, &fu->option_ids[i], err, errlen, w) ||
        !jread_str(o, "label", true, &fu->options[i], err, errlen, w))
      return false;
  }
  def->has_followup = true;
  return true;
}

static bool parse_threshold(json_t *root, struct instrument_def *def, char *err, size_t errlen)
{
  json_t *t = json_object_get(root, "threshold");
  if (!t)
    return true;
  if (!json_is_object(t))
    return jread_fail(err, errlen, "'threshold' must be an object");
  if (!jread_str(t, "setting", true, &def->threshold_setting, err, errlen, "threshold: "))
    return false;
  json_t *allowed = json_object_get(t, "allowed");
  if (!json_is_array(allowed) || json_array_size(allowed) == 0 ||
      json_array_size(allowed) > ARRAY_LEN(def->thresholds_allowed))
    return jread_fail(err, errlen, "threshold: 'allowed' must be a list of 1 to %zu totals",
                      ARRAY_LEN(def->thresholds_allowed));
  bool has_default = false;
  for (size_t i = 0; i < json_array_size(allowed); i++) {
    json_t *v = json_array_get(allowed, i);
    if (!json_is_integer(v) || json_integer_value(v) <= def->min ||
        json_integer_value(v) > def->max)
      return jread_fail(err, errlen, "threshold: allowed[%zu] must be a total from %d to %d", i,
                        def->min + 1, def->max);
    def->thresholds_allowed[def->nthresholds_allowed++] = (int)json_integer_value(v);
    if (json_integer_value(v) == def->positive_at)
      has_default = true;
  }
  if (!has_default)
    return jread_fail(err, errlen, "threshold: 'allowed' must include 'positive_at' (%d)",
                      def->positive_at);
  return true;
}

/* Score every worked example in the file and compare with what it states. */
static bool check_examples(json_t *root, const struct instrument_def *def, char *err, size_t errlen)
{
  json_t *ex = json_object_get(root, "examples");
  if (!ex)
    return true;
  if (!json_is_array(ex))
    return jread_fail(err, errlen, "'examples' must be a list");
  for (size_t i = 0; i < json_array_size(ex); i++) {
    json_t *e = json_array_get(ex, i);
    json_t *ans = json_object_get(e, "answers");
    int a[INSTRUMENT_MAX_ITEMS];
    size_t n = json_array_size(ans);
    if (!json_is_array(ans) || n > INSTRUMENT_MAX_ITEMS)
      return jread_fail(err, errlen, "examples[%zu]: 'answers' must be a list", i);
    for (size_t k = 0; k < n; k++) {
      json_t *v = json_array_get(ans, k);
      if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100)
        return jread_fail(err, errlen, "examples[%zu]: answers[%zu] must be an option index", i, k);
      a[k] = (int)json_integer_value(v);
    }
    struct instrument_result r;
    if (instrument_score(def, a, n, &r, NULL) != INSTRUMENT_OK)
      return jread_fail(err, errlen, "examples[%zu]: the answers cannot be scored", i);
    int score;
    const char *band, *care;
    char w[64];
    snprintf(w, sizeof w, "examples[%zu]: ", i);
    if (!get_int(e, "score", 0, 1000, &score, err, errlen, w) ||
        !jread_str(e, "band", true, &band, err, errlen, w) ||
        !jread_str(e, "care", true, &care, err, errlen, w))
      return false;
    if (r.score != score)
      return jread_fail(err, errlen, "examples[%zu]: scores %d, but the example says %d", i,
                        r.score, score);
    if (strcmp(r.band->id, band) != 0)
      return jread_fail(err, errlen, "examples[%zu]: falls in band '%s', but the example says '%s'",
                        i, r.band->id, band);
    if (strcmp(checkin_care_name(r.care), care) != 0)
      return jread_fail(err, errlen, "examples[%zu]: gives care '%s', but the example says '%s'", i,
                        checkin_care_name(r.care), care);
    json_t *soon = json_object_get(e, "sooner");
    if (soon && (!json_is_boolean(soon) || json_is_true(soon) != r.sooner))
      return jread_fail(err, errlen,
                        "examples[%zu]: the sooner step is %s, but the example says %s", i,
                        r.sooner ? "shown" : "not shown", json_is_true(soon) ? "true" : "false");
    json_t *fl = json_object_get(e, "flags");
    if (!json_is_array(fl) || json_array_size(fl) != r.nflags)
      return jread_fail(err, errlen, "examples[%zu]: raises %zu flag(s), but the example lists %zu",
                        i, r.nflags, json_is_array(fl) ? json_array_size(fl) : 0);
    for (size_t k = 0; k < r.nflags; k++)
      if (!json_is_string(json_array_get(fl, k)) ||
          strcmp(json_string_value(json_array_get(fl, k)), r.flags[k]->id) != 0)
        return jread_fail(err, errlen, "examples[%zu]: flags[%zu] should be '%s'", i, k,
                          r.flags[k]->id);
  }
  return true;
}

bool instrument_def_parse(const char *json, size_t len, struct instrument_def *def, void **doc,
                          char *err, size_t errlen)
{
  memset(def, 0, sizeof *def);
  *doc = NULL;
  json_error_t je;
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
  if (!root)
    return jread_fail(err, errlen, "not valid JSON (line %d: %s)", je.line, je.text);
  if (!json_is_object(root)) {
    json_decref(root);
    return jread_fail(err, errlen, "the file must hold one JSON object");
  }
  int declared_max, declared_min;
  const char *method;
  json_t *scoring = json_object_get(root, "scoring");
  bool ok = jread_str(root, "id", true, &def->id, err, errlen, "") &&
            jread_str(root, "name", true, &def->name, err, errlen, "") &&
            jread_str(root, "title", true, &def->title, err, errlen, "") &&
            jread_str(root, "summary", true, &def->summary, err, errlen, "") &&
            jread_str(root, "about", true, &def->about, err, errlen, "") &&
            jread_str(root, "recall_period", true, &def->recall_period, err, errlen, "") &&
            jread_str(root, "stem", false, &def->stem, err, errlen, "") &&
            jread_str(root, "licence", true, &def->licence, err, errlen, "") &&
            jread_str(root, "attribution", false, &def->attribution, err, errlen, "") &&
            parse_items(root, def, err, errlen) && check_wording(root, def, err, errlen);
  if (ok && !json_is_object(scoring))
    ok = jread_fail(err, errlen, "'scoring' is missing");
  ok = ok && jread_str(scoring, "method", true, &method, err, errlen, "scoring: ") &&
       get_int(scoring, "min", 0, 1000, &declared_min, err, errlen, "scoring: ") &&
       get_int(scoring, "max", 0, 1000, &declared_max, err, errlen, "scoring: ");
  if (ok && strcmp(method, "sum") != 0)
    ok = jread_fail(err, errlen, "scoring: 'method' must be \"sum\"");
  if (ok) {
    for (size_t i = 0; i < def->nitems; i++) {
      def->min += def->items[i].min_score;
      def->max += def->items[i].max_score;
    }
    if (def->min != declared_min || def->max != declared_max)
      ok = jread_fail(err, errlen,
                      "scoring: the items' scores give totals %d to %d, but the file "
                      "declares %d to %d; check every option's score",
                      def->min, def->max, declared_min, declared_max);
  }
  ok = ok && get_int(root, "positive_at", 0, 1000, &def->positive_at, err, errlen, "") &&
       parse_bands(root, def, err, errlen) && check_bands(def, err, errlen) &&
       check_sooner(def, err, errlen) && parse_flags(root, def, err, errlen) &&
       parse_followup(root, def, err, errlen) && parse_threshold(root, def, err, errlen);
  json_t *sources = json_object_get(root, "sources");
  if (ok && (!json_is_array(sources) || json_array_size(sources) == 0 ||
             json_array_size(sources) > ARRAY_LEN(def->sources)))
    ok = jread_fail(err, errlen, "'sources' must be a list of 1 to %zu addresses",
                    ARRAY_LEN(def->sources));
  for (size_t i = 0; ok && i < json_array_size(sources); i++) {
    json_t *s = json_array_get(sources, i);
    if (!json_is_string(s) || strncmp(json_string_value(s), "http", 4) != 0)
      ok = jread_fail(err, errlen, "sources[%zu] must be a web address", i);
    else
      def->sources[def->nsources++] = json_string_value(s);
  }
  ok = ok && check_examples(root, def, err, errlen);
  if (!ok) {
    json_decref(root);
    memset(def, 0, sizeof *def);
    return false;
  }
  *doc = root;
  return true;
}

void instrument_doc_free(void *doc)
{
  json_decref(doc);
}

bool instrument_set_threshold(struct instrument_def *def, int threshold, char *err, size_t errlen)
{
  if (threshold == def->positive_at)
    return true;
  bool allowed = false;
  for (size_t i = 0; i < def->nthresholds_allowed; i++)
    if (def->thresholds_allowed[i] == threshold)
      allowed = true;
  if (!allowed)
    return jread_fail(err, errlen, "%s: the threshold cannot be set to %d", def->id, threshold);
  for (size_t i = 1; i < def->nbands; i++) {
    if (def->bands[i].min == def->positive_at) {
      /* The band below must stay non-empty and the band above must too. */
      if (threshold <= def->bands[i - 1].min || threshold > def->bands[i].max)
        return jread_fail(err, errlen, "%s: threshold %d would empty a band", def->id, threshold);
      def->bands[i - 1].max = threshold - 1;
      def->bands[i].min = threshold;
      def->positive_at = threshold;
      return check_bands(def, err, errlen);
    }
  }
  return jread_fail(err, errlen, "%s: no band starts at the threshold", def->id);
}

bool instrument_apply_wording(struct instrument_def *def, const char *json, size_t len, void **doc,
                              char *err, size_t errlen)
{
  *doc = NULL;
  json_error_t je;
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
  if (!root)
    return jread_fail(err, errlen, "not valid JSON (line %d: %s)", je.line, je.text);
  const char *inst, *permission, *stem, *attribution;
  bool ok = json_is_object(root) || jread_fail(err, errlen, "the file must hold one JSON object");
  ok = ok && jread_str(root, "instrument", true, &inst, err, errlen, "") &&
       jread_str(root, "permission", true, &permission, err, errlen, "") &&
       jread_str(root, "stem", true, &stem, err, errlen, "") &&
       jread_str(root, "attribution", true, &attribution, err, errlen, "");
  if (ok && strcmp(inst, def->id) != 0)
    ok = jread_fail(err, errlen, "'instrument' is '%s', expected '%s'", inst, def->id);
  json_t *items = json_object_get(root, "items");
  if (ok && (!json_is_array(items) || json_array_size(items) != def->nitems))
    ok = jread_fail(err, errlen, "'items' must list all %zu items of %s", def->nitems, def->id);
  /* Fill into a copy, so a half-applied file never changes the definition. */
  struct instrument_def copy = *def;
  bool seen[INSTRUMENT_MAX_ITEMS] = {false};
  for (size_t i = 0; ok && i < json_array_size(items); i++) {
    json_t *jo = json_array_get(items, i);
    char w[64];
    snprintf(w, sizeof w, "items[%zu]: ", i);
    const char *id, *text;
    if (!json_is_object(jo)) {
      ok = jread_fail(err, errlen, "items[%zu] must be an object", i);
      break;
    }
    ok = jread_str(jo, "id", true, &id, err, errlen, w) &&
         jread_str(jo, "text", true, &text, err, errlen, w);
    size_t k = 0;
    while (ok && k < copy.nitems && strcmp(copy.items[k].id, id) != 0)
      k++;
    if (ok && k == copy.nitems)
      ok = jread_fail(err, errlen, "items[%zu]: %s has no item '%s'", i, def->id, id);
    if (ok && seen[k])
      ok = jread_fail(err, errlen, "items[%zu]: item '%s' is given twice", i, id);
    if (!ok)
      break;
    seen[k] = true;
    struct instrument_item *it = &copy.items[k];
    json_t *opts = json_object_get(jo, "options");
    if (!json_is_array(opts) || json_array_size(opts) != it->noptions) {
      ok = jread_fail(err, errlen,
                      "items[%zu]: 'options' must list the %zu options of '%s' in printed "
                      "order",
                      i, it->noptions, id);
      break;
    }
    it->text = text;
    for (size_t j = 0; ok && j < it->noptions; j++) {
      json_t *o = json_array_get(opts, j);
      if (!json_is_string(o) || json_string_length(o) == 0)
        ok = jread_fail(err, errlen, "items[%zu]: options[%zu] must be a non-empty string", i, j);
      else
        it->options[j].label = json_string_value(o);
    }
  }
  if (!ok) {
    json_decref(root);
    return false;
  }
  copy.stem = stem;
  copy.wording_permission = permission;
  copy.attribution = attribution;
  copy.wording_available = true;
  *def = copy;
  *doc = root;
  return true;
}

/* Every deployment has these; the pages and the flow rely on them. */
static const char *const required_ids[] = {"whooley", "gad2", "phq9", "gad7", "epds"};

static void keep_doc(struct instrument_set *s, void *doc)
{
  if (s->njson == ARRAY_LEN(s->json))
    fatal("instrument_set: more than %zu documents", ARRAY_LEN(s->json));
  s->json[s->njson++] = doc;
}

struct instrument_set *instrument_set_build(const struct content *c, int epds_threshold,
                                            const char *wording, size_t wording_len, char *err,
                                            size_t errlen)
{
  const struct content_file *const *files;
  size_t nfiles = content_list(c, "instruments/", &files);
  struct instrument_set *s = xcalloc(1, sizeof *s);
  s->defs = xcalloc(nfiles ? nfiles : 1, sizeof *s->defs);
  char sub[256];
  for (size_t i = 0; i < nfiles; i++) {
    const struct content_file *f = files[i];
    if (!str_ends(f->name, ".json"))
      continue;
    if (s->njson + 3 >= ARRAY_LEN(s->json)) { /* room for the outcomes and the wording */
      snprintf(err, errlen, "content/instruments: too many instrument files");
      goto fail;
    }
    struct instrument_def *def = &s->defs[s->n];
    void *doc;
    if (!instrument_def_parse(f->data, f->len, def, &doc, sub, sizeof sub)) {
      snprintf(err, errlen, "content/%s: %s", f->name, sub);
      goto fail;
    }
    keep_doc(s, doc);
    s->n++;
    const char *base = f->name + strlen("instruments/");
    if (strlen(base) != strlen(def->id) + 5 || strncmp(base, def->id, strlen(def->id)) != 0) {
      snprintf(err, errlen, "content/%s: 'id' is '%s'; the file must be named %s.json", f->name,
               def->id, def->id);
      goto fail;
    }
  }
  /* Put the required instruments first, in the order the NICE CG192 flow uses them. */
  for (size_t i = 0; i < ARRAY_LEN(required_ids); i++) {
    size_t k = 0;
    while (k < s->n && strcmp(s->defs[k].id, required_ids[i]) != 0)
      k++;
    if (k == s->n) {
      snprintf(err, errlen, "content/instruments/%s.json is missing", required_ids[i]);
      goto fail;
    }
    struct instrument_def tmp = s->defs[i];
    s->defs[i] = s->defs[k];
    s->defs[k] = tmp;
  }
  const struct content_file *of = content_get(c, "wellbeing/outcomes.json");
  if (!of) {
    snprintf(err, errlen, "content/wellbeing/outcomes.json is missing");
    goto fail;
  }
  void *odoc;
  if (!checkin_outcomes_parse(of->data, of->len, &s->outcomes, &odoc, sub, sizeof sub)) {
    snprintf(err, errlen, "content/wellbeing/outcomes.json: %s", sub);
    goto fail;
  }
  keep_doc(s, odoc);
  struct instrument_def *epds = (struct instrument_def *)instrument_find(s, "epds");
  if (!epds->threshold_setting || strcmp(epds->threshold_setting, "epds_threshold") != 0) {
    snprintf(err, errlen,
             "content/instruments/epds.json: threshold setting must be "
             "\"epds_threshold\"");
    goto fail;
  }
  if (!instrument_set_threshold(epds, epds_threshold, sub, sizeof sub)) {
    snprintf(err, errlen, "epds_threshold: %s", sub);
    goto fail;
  }
  if (wording) {
    void *doc;
    if (!instrument_apply_wording(epds, wording, wording_len, &doc, sub, sizeof sub)) {
      snprintf(err, errlen, "epds_wording: %s", sub);
      goto fail;
    }
    keep_doc(s, doc);
  }
  return s;
fail:
  instrument_set_free(s);
  return NULL;
}

void instrument_set_free(struct instrument_set *s)
{
  if (!s)
    return;
  for (size_t i = 0; i < s->njson; i++)
    json_decref(s->json[i]);
  free(s->defs);
  free(s);
}
