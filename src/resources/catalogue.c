/* catalogue.c: the curated resources list (content/resources.json) and its
 * stage/topic filter. The file looks like:
 *
 *   { "stages": [ {"id": "pregnancy", "label": "Pregnancy"}, ... ],
 *     "topics": [ {"id": "bonding", "label": "Bonding"}, ... ],
 *     "resources": [ { "title": "...", "url": "https://...", "organisation": "...",
 *                      "description": "...", "stages": ["pregnancy"],
 *                      "topics": ["bonding"] }, ... ] }
 *
 * Every rule is checked at load, so the page never shows a half-valid entry. */
#include "catalogue.h"
#include "../lib/util.h"
#include "../lib/utf8.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CATALOGUE_MAX_ID 40 /* longest stage or topic id */

static void terms_free(struct catalogue_term *t, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    free(t[i].id);
    free(t[i].label);
  }
  free(t);
}

void catalogue_free(struct resource_catalogue *cat)
{
  if (!cat)
    return;
  terms_free(cat->stages, cat->nstages);
  terms_free(cat->topics, cat->ntopics);
  for (size_t i = 0; i < cat->n; i++) {
    struct catalogue_entry *e = &cat->entries[i];
    free(e->title);
    free(e->url);
    free(e->organisation);
    free(e->description);
  }
  free(cat->entries);
  free(cat);
}

/* An id is 1..CATALOGUE_MAX_ID of a-z, 0-9 and '-', so it is safe in a URL as it is. */
static bool valid_id(const char *s)
{
  size_t n = strlen(s);
  if (n == 0 || n > CATALOGUE_MAX_ID)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
      return false;
  return true;
}

static bool valid_url(const char *s)
{
  if (!str_starts(s, "https://") && !str_starts(s, "http://"))
    return false;
  if (strlen(s) <= strlen("https://"))
    return false;
  for (const char *p = s; *p; p++)
    if ((unsigned char)*p < 0x21 || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
      return false;
  return true;
}

/* Read "stages" or "topics": an array of {"id", "label"}. */
static bool parse_terms(json_t *root, const char *key, const char *file,
                        struct catalogue_term **out, size_t *nout, char *err, size_t errlen)
{
  json_t *arr = json_object_get(root, key);
  if (!json_is_array(arr) || json_array_size(arr) == 0) {
    snprintf(err, errlen, "%s: '%s' must be a list of {\"id\", \"label\"} with at least one entry",
             file, key);
    return false;
  }
  size_t n = json_array_size(arr);
  if (n > CATALOGUE_MAX_TERMS) {
    snprintf(err, errlen, "%s: '%s' has %zu entries; at most %d are allowed", file, key, n,
             CATALOGUE_MAX_TERMS);
    return false;
  }
  *out = xcalloc(n, sizeof **out);
  for (size_t i = 0; i < n; i++) {
    json_t *t = json_array_get(arr, i);
    const char *id = json_string_value(json_object_get(t, "id"));
    const char *label = json_string_value(json_object_get(t, "label"));
    if (!id || !valid_id(id)) {
      snprintf(err, errlen,
               "%s: %s entry %zu: field 'id' must be lower-case letters, digits and "
               "'-' (at most %d)",
               file, key, i + 1, CATALOGUE_MAX_ID);
      return false;
    }
    if (!label || !*label) {
      snprintf(err, errlen, "%s: %s entry %zu ('%s'): field 'label' is missing or empty", file, key,
               i + 1, id);
      return false;
    }
    for (size_t j = 0; j < i; j++) {
      if (strcmp((*out)[j].id, id) == 0) {
        snprintf(err, errlen, "%s: %s entry %zu: id '%s' is used twice", file, key, i + 1, id);
        return false;
      }
    }
    (*out)[i].id = xstrdup(id);
    (*out)[i].label = xstrdup(label);
    (*nout)++;
  }
  return true;
}

static int term_index(const struct catalogue_term *t, size_t n, const char *id)
{
  for (size_t i = 0; i < n; i++)
    if (strcasecmp(t[i].id, id) == 0)
      return (int)i;
  return -1;
}

/* "pregnancy, 0-12-months, 1-2-years" into buf. */
static void term_list(const struct catalogue_term *t, size_t n, char *buf, size_t len)
{
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n && used < len; i++)
    used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", t[i].id);
}

/* A resource's "stages" or "topics": a non-empty list of known ids, as a bit mask. */
static bool parse_mask(json_t *res, const char *key, const struct catalogue_term *terms,
                       size_t nterms, const char *where, unsigned *mask, char *err, size_t errlen)
{
  json_t *arr = json_object_get(res, key);
  if (!json_is_array(arr) || json_array_size(arr) == 0) {
    snprintf(err, errlen, "%s: field '%s' must be a list with at least one id", where, key);
    return false;
  }
  *mask = 0;
  for (size_t i = 0; i < json_array_size(arr); i++) {
    const char *id = json_string_value(json_array_get(arr, i));
    int k = id ? term_index(terms, nterms, id) : -1;
    if (k < 0) {
      char allowed[512];
      term_list(terms, nterms, allowed, sizeof allowed);
      snprintf(err, errlen, "%s: field '%s': '%s' is not one of the %s (%s)", where, key,
               id ? id : "(not text)", key, allowed);
      return false;
    }
    *mask |= 1u << k;
  }
  return true;
}

static bool parse_entry(json_t *res, size_t i, const char *file, struct resource_catalogue *cat,
                        struct catalogue_entry *e, char *err, size_t errlen)
{
  static const char *const text_fields[] = {"title", "url", "organisation", "description"};
  char where[300];
  if (!json_is_object(res)) {
    snprintf(err, errlen, "%s: resource %zu is not an object", file, i + 1);
    return false;
  }
  const char *title = json_string_value(json_object_get(res, "title"));
  if (!title)
    title = "no title";
  snprintf(where, sizeof where, "%s: resource %zu (\"%.*s\")", file, i + 1,
           (int)utf8_prefix(title, strlen(title), 60), title);
  const char *vals[4];
  for (size_t k = 0; k < ARRAY_LEN(text_fields); k++) {
    vals[k] = json_string_value(json_object_get(res, text_fields[k]));
    if (!vals[k] || !*vals[k]) {
      snprintf(err, errlen, "%s: field '%s' is missing or empty", where, text_fields[k]);
      return false;
    }
  }
  if (!valid_url(vals[1])) {
    snprintf(err, errlen, "%s: field 'url': '%.80s' is not a web address starting with https://",
             where, vals[1]);
    return false;
  }
  if (!parse_mask(res, "stages", cat->stages, cat->nstages, where, &e->stages, err, errlen) ||
      !parse_mask(res, "topics", cat->topics, cat->ntopics, where, &e->topics, err, errlen))
    return false;
  e->title = xstrdup(vals[0]);
  e->url = xstrdup(vals[1]);
  e->organisation = xstrdup(vals[2]);
  e->description = xstrdup(vals[3]);
  return true;
}

struct resource_catalogue *catalogue_parse(const char *json, size_t len, const char *file,
                                           char *err, size_t errlen)
{
  json_error_t jerr;
  struct resource_catalogue *cat = xcalloc(1, sizeof *cat);
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
  if (!root) {
    snprintf(err, errlen, "%s: line %d: %s", file, jerr.line, jerr.text);
    goto fail;
  }
  if (!json_is_object(root)) {
    snprintf(err, errlen,
             "%s: the file must hold one JSON object with stages, topics and "
             "resources",
             file);
    goto fail;
  }
  if (!parse_terms(root, "stages", file, &cat->stages, &cat->nstages, err, errlen) ||
      !parse_terms(root, "topics", file, &cat->topics, &cat->ntopics, err, errlen))
    goto fail;
  json_t *list = json_object_get(root, "resources");
  if (!json_is_array(list)) {
    snprintf(err, errlen, "%s: 'resources' must be a list", file);
    goto fail;
  }
  cat->entries = xcalloc(json_array_size(list) + 1, sizeof *cat->entries);
  for (size_t i = 0; i < json_array_size(list); i++) {
    if (!parse_entry(json_array_get(list, i), i, file, cat, &cat->entries[cat->n], err, errlen))
      goto fail;
    cat->n++;
  }
  json_decref(root);
  return cat;

fail:
  json_decref(root);
  catalogue_free(cat);
  return NULL;
}

struct resource_catalogue *catalogue_load(const struct content *c, char *err, size_t errlen)
{
  const struct content_file *f = content_get(c, "resources.json");
  if (!f) {
    snprintf(err, errlen, "content/resources.json is missing");
    return NULL;
  }
  return catalogue_parse(f->data, f->len, "content/resources.json", err, errlen);
}

unsigned catalogue_query_parse(const struct resource_catalogue *cat, const char *stage,
                               const char *topic, struct catalogue_query *q)
{
  unsigned bad = CATALOGUE_OK;
  q->stage = q->topic = -1;
  if (stage && *stage && (q->stage = term_index(cat->stages, cat->nstages, stage)) < 0)
    bad |= CATALOGUE_BAD_STAGE;
  if (topic && *topic && (q->topic = term_index(cat->topics, cat->ntopics, topic)) < 0)
    bad |= CATALOGUE_BAD_TOPIC;
  return bad;
}

size_t catalogue_filter(const struct resource_catalogue *cat, struct catalogue_query q, size_t *out)
{
  size_t n = 0;
  for (size_t i = 0; i < cat->n; i++) {
    const struct catalogue_entry *e = &cat->entries[i];
    if (q.stage >= 0 && !(e->stages & (1u << q.stage)))
      continue;
    if (q.topic >= 0 && !(e->topics & (1u << q.topic)))
      continue;
    out[n++] = i;
  }
  return n;
}
