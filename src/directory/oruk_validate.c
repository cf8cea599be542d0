/* oruk_validate.c: the ORUK 3.0 service checker. Two passes over a service:
 * the first is driven by tables (one per ORUK object, taken from the compiled
 * UK service schema plus the HSDS 3.0 extras firstdays emits) and checks
 * presence, types, formats, enumerations and ranges; the second walks the
 * known structure and checks what relates fields to each other (foreign keys,
 * from/to order, schedule rules, firstdays taxonomy terms). */
#include "oruk_validate.h"
#include "../lib/date.h"
#include "../lib/util.h"
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- vocabulary ---- */

struct oruk_vocab {
  struct oruk_vocab_term *terms;
  size_t nterms;
  char **taxonomy_ids;
  size_t ntaxonomies;
  json_t *doc; /* holds the strings the terms point at */
};

void oruk_vocab_free(struct oruk_vocab *v)
{
  if (!v)
    return;
  free(v->terms);
  free(v->taxonomy_ids);
  json_decref(v->doc);
  free(v);
}

struct oruk_vocab *oruk_vocab_from_json(const json_t *doc, char *err, size_t errlen)
{
  json_t *taxonomies = json_object_get(doc, "taxonomies");
  if (!json_is_array(taxonomies)) {
    snprintf(err, errlen, "the taxonomy document needs a \"taxonomies\" array");
    return NULL;
  }
  struct oruk_vocab *v = xcalloc(1, sizeof *v);
  v->doc = json_incref((json_t *)doc);
  size_t i;
  json_t *tax;
  json_array_foreach(taxonomies, i, tax)
  {
    const char *tid = json_string_value(json_object_get(tax, "id"));
    const char *tname = json_string_value(json_object_get(tax, "name"));
    json_t *terms = json_object_get(tax, "taxonomy_terms");
    if (!tid || !oruk_is_uuid(tid) || !tname || !json_is_array(terms)) {
      snprintf(err, errlen, "taxonomies[%zu] needs a UUID id, a name and a taxonomy_terms array",
               i);
      goto fail;
    }
    v->taxonomy_ids = xrealloc(v->taxonomy_ids, (v->ntaxonomies + 1) * sizeof *v->taxonomy_ids);
    v->taxonomy_ids[v->ntaxonomies++] = (char *)tid;
    size_t j;
    json_t *term;
    json_array_foreach(terms, j, term)
    {
      struct oruk_vocab_term t = {
          .id = json_string_value(json_object_get(term, "id")),
          .slug = json_string_value(json_object_get(term, "term")),
          .name = json_string_value(json_object_get(term, "name")),
          .taxonomy_id = tid,
          .taxonomy = tname,
      };
      if (!t.id || !oruk_is_uuid(t.id) || !t.slug || !t.name) {
        snprintf(err, errlen,
                 "taxonomies[%zu].taxonomy_terms[%zu] needs a UUID id, a name and a term", i, j);
        goto fail;
      }
      if (oruk_vocab_term_by_id(v, t.id)) {
        snprintf(err, errlen, "taxonomies[%zu].taxonomy_terms[%zu]: id %s is used twice", i, j,
                 t.id);
        goto fail;
      }
      v->terms = xrealloc(v->terms, (v->nterms + 1) * sizeof *v->terms);
      v->terms[v->nterms++] = t;
    }
  }
  return v;
fail:
  oruk_vocab_free(v);
  return NULL;
}

const struct oruk_vocab_term *oruk_vocab_term_by_id(const struct oruk_vocab *v, const char *id)
{
  for (size_t i = 0; v && id && i < v->nterms; i++)
    if (strcasecmp(v->terms[i].id, id) == 0)
      return &v->terms[i];
  return NULL;
}

const struct oruk_vocab_term *oruk_vocab_term_by_slug(const struct oruk_vocab *v,
                                                      const char *taxonomy, const char *slug)
{
  for (size_t i = 0; v && slug && i < v->nterms; i++)
    if (strcmp(v->terms[i].taxonomy, taxonomy) == 0 && strcmp(v->terms[i].slug, slug) == 0)
      return &v->terms[i];
  return NULL;
}

bool oruk_vocab_has_taxonomy(const struct oruk_vocab *v, const char *id)
{
  for (size_t i = 0; v && id && i < v->ntaxonomies; i++)
    if (strcasecmp(v->taxonomy_ids[i], id) == 0)
      return true;
  return false;
}

/* ---- small format checks ---- */

bool oruk_is_uuid(const char *s)
{
  if (!s || strlen(s) != 36)
    return false;
  for (int i = 0; i < 36; i++) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-')
        return false;
    } else if (!isxdigit((unsigned char)s[i])) {
      return false;
    }
  }
  return true;
}

static bool two_digits(const char *s, int *out)
{
  if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
    return false;
  *out = (s[0] - '0') * 10 + (s[1] - '0');
  return true;
}

/* "Z", "+01:00" or "-05:00" at s, to the end. */
static bool is_zone(const char *s)
{
  int h, m;
  if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0')
    return true;
  return (s[0] == '+' || s[0] == '-') && two_digits(s + 1, &h) && h <= 23 && s[3] == ':' &&
         two_digits(s + 4, &m) && m <= 59 && s[6] == '\0';
}

/* HH:MM or HH:MM:SS with optional fraction of a second; returns the rest. */
static const char *parse_clock(const char *s, bool need_seconds)
{
  int h, m, sec;
  if (!two_digits(s, &h) || h > 23 || s[2] != ':' || !two_digits(s + 3, &m) || m > 59)
    return NULL;
  s += 5;
  if (*s == ':') {
    if (!two_digits(s + 1, &sec) || sec > 60)
      return NULL;
    s += 3;
    if (*s == '.') {
      s++;
      if (!isdigit((unsigned char)*s))
        return NULL;
      while (isdigit((unsigned char)*s))
        s++;
    }
  } else if (need_seconds) {
    return NULL;
  }
  return s;
}

static bool is_time(const char *s)
{
  const char *rest = parse_clock(s, false);
  return rest && (*rest == '\0' || is_zone(rest));
}

static bool is_date(const char *s)
{
  struct date d;
  return date_parse(s, &d);
}

static bool is_datetime(const char *s)
{
  char day[11];
  if (strlen(s) < 20)
    return false;
  memcpy(day, s, 10);
  day[10] = '\0';
  if (!is_date(day) || (s[10] != 'T' && s[10] != 't'))
    return false;
  const char *rest = parse_clock(s + 11, true);
  return rest && is_zone(rest);
}

static bool is_uri(const char *s)
{
  if (!isalpha((unsigned char)*s))
    return false;
  const char *p = s + 1;
  while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
    p++;
  if (*p != ':' || p[1] == '\0')
    return false;
  for (; *p; p++)
    if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
      return false;
  return true;
}

static bool is_email(const char *s)
{
  const char *at = strchr(s, '@');
  if (!at || at == s || strchr(at + 1, '@') || strlen(s) > 254)
    return false;
  const char *dot = strrchr(at + 1, '.');
  if (!dot || dot == at + 1 || dot[1] == '\0')
    return false;
  for (const char *p = s; *p; p++)
    if ((unsigned char)*p <= ' ' || *p == ',' || *p == ';' || *p == '<' || *p == '>')
      return false;
  return true;
}

static bool is_country(const char *s)
{
  return isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]) && s[2] == '\0';
}

/* ---- the checking context ---- */

struct vctx {
  const struct oruk_vocab *vocab;
  oruk_report_fn report;
  void *cls;
  size_t problems;
  char path[ORUK_PATH_MAX];
  size_t plen;
};

__attribute__((format(printf, 2, 3))) static void problem(struct vctx *c, const char *fmt, ...)
{
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  c->problems++;
  c->report(c->cls, c->path, msg);
}

/* Append ".key" (or "key" at the root) to the path; returns the old length.
 * A path too long for the buffer is cut short, never overrun. */
static size_t push_key(struct vctx *c, const char *key)
{
  size_t old = c->plen, room = sizeof c->path - 1 - c->plen, klen = strlen(key);
  if (c->plen && room > 0) {
    c->path[c->plen++] = '.';
    room--;
  }
  if (klen > room)
    klen = room;
  memcpy(c->path + c->plen, key, klen);
  c->plen += klen;
  c->path[c->plen] = '\0';
  return old;
}

static size_t push_index(struct vctx *c, size_t i)
{
  size_t old = c->plen;
  char tmp[32];
  int n = snprintf(tmp, sizeof tmp, "[%zu]", i);
  size_t room = sizeof c->path - 1 - c->plen;
  size_t len = n > 0 ? (size_t)n : 0;
  if (len > room)
    len = room;
  memcpy(c->path + c->plen, tmp, len);
  c->plen += len;
  c->path[c->plen] = '\0';
  return old;
}

static void pop(struct vctx *c, size_t old)
{
  c->plen = old;
  c->path[old] = '\0';
}

/* A value quoted for a message, shortened when long. */
static void quote(const json_t *v, char *out, size_t outlen)
{
  if (json_is_string(v)) {
    const char *s = json_string_value(v);
    if (strlen(s) > 40)
      snprintf(out, outlen, "'%.37s...'", s);
    else
      snprintf(out, outlen, "'%s'", s);
  } else if (json_is_number(v)) {
    snprintf(out, outlen, "%g", json_number_value(v));
  } else if (json_is_true(v) || json_is_false(v)) {
    snprintf(out, outlen, "%s", json_is_true(v) ? "true" : "false");
  } else {
    snprintf(out, outlen, "%s",
             json_is_null(v)    ? "null"
             : json_is_array(v) ? "a list"
                                : "an object");
  }
}

static const char *type_name(const json_t *v)
{
  switch (json_typeof(v)) {
  case JSON_OBJECT:
    return "an object";
  case JSON_ARRAY:
    return "a list";
  case JSON_STRING:
    return "text";
  case JSON_INTEGER:
  case JSON_REAL:
    return "a number";
  case JSON_TRUE:
  case JSON_FALSE:
    return "true/false";
  default:
    return "null";
  }
}

/* ---- the tables ---- */

enum fkind {
  F_TEXT,
  F_UUID,
  F_URI,
  F_EMAIL,
  F_DATE,
  F_DATETIME,
  F_TIME,
  F_COUNTRY,
  F_ENUM,
  F_NUMBER,
  F_OBJECT,
  F_ARRAY,
};

struct shape;
struct field {
  const char *name;
  enum fkind kind;
  bool required;
  const char *hint;          /* what to give, for a missing field or a bad number */
  const char *const *values; /* F_ENUM: NULL-terminated */
  const struct shape *sub;   /* F_OBJECT, F_ARRAY (of objects) */
  double min, max;           /* F_NUMBER */
};

struct shape {
  const struct field *fields;
  size_t n;
};

#define SHAPE(f)                                                                                   \
  {                                                                                                \
    f, sizeof f / sizeof f[0]                                                                      \
  }

static const char *const service_status[] = {"active", "inactive", "defunct", "temporarily closed",
                                             NULL};
static const char *const location_types[] = {"physical", "postal", "virtual", NULL};
static const char *const freqs[] = {"WEEKLY", "MONTHLY", NULL};
static const char *const extent_types[] = {"geojson", "topojson", "kml", "text", NULL};

static const struct field taxonomy_term_fields[] = {
    {"id", F_UUID, true, "give the term's UUID", NULL, NULL, 0, 0},
    {"name", F_TEXT, true, "give the term's name", NULL, NULL, 0, 0},
    {"description", F_TEXT, true, "give a short description of the term", NULL, NULL, 0, 0},
    {"parent_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"taxonomy", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"taxonomy_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"term_uri", F_URI, false, NULL, NULL, NULL, 0, 0},
    {"term", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"code", F_TEXT, false, NULL, NULL, NULL, 0, 0},
};
static const struct shape taxonomy_term_shape = SHAPE(taxonomy_term_fields);

static const struct field attribute_fields[] = {
    {"id", F_UUID, true, "give the attribute a UUID", NULL, NULL, 0, 0},
    {"link_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"taxonomy_term_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"link_type", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"link_entity", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"value", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"taxonomy_term", F_OBJECT, false, NULL, NULL, &taxonomy_term_shape, 0, 0},
};
static const struct shape attribute_shape = SHAPE(attribute_fields);

#define ATTRIBUTES                                                                                 \
  {                                                                                                \
    "attributes", F_ARRAY, false, NULL, NULL, &attribute_shape, 0, 0                               \
  }

static const struct field address_fields[] = {
    {"id", F_UUID, true, "give the address a UUID", NULL, NULL, 0, 0},
    {"location_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"attention", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"address_1", F_TEXT, true, "give the first line of the address (building and street)", NULL,
     NULL, 0, 0},
    {"address_2", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"city", F_TEXT, true, "give the town or city", NULL, NULL, 0, 0},
    {"region", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"state_province", F_TEXT, true, "give the county or area (ORUK requires it)", NULL, NULL, 0,
     0},
    {"postal_code", F_TEXT, true, "give the postcode", NULL, NULL, 0, 0},
    {"country", F_COUNTRY, true, "give the two-letter ISO 3166-1 country code, GB in the UK", NULL,
     NULL, 0, 0},
    {"address_type", F_ENUM, true, "give physical, postal or virtual", location_types, NULL, 0, 0},
    ATTRIBUTES,
};
static const struct shape address_shape = SHAPE(address_fields);

static const struct field accessibility_fields[] = {
    {"id", F_UUID, true, "give the accessibility entry a UUID", NULL, NULL, 0, 0},
    {"location_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"description", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"details", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"url", F_URI, false, NULL, NULL, NULL, 0, 0},
    {"accessibility", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    ATTRIBUTES,
};
static const struct shape accessibility_shape = SHAPE(accessibility_fields);

static const struct field location_fields[] = {
    {"id", F_UUID, true, "give the location a UUID", NULL, NULL, 0, 0},
    {"location_type", F_ENUM, true, "give physical, postal or virtual", location_types, NULL, 0, 0},
    {"name", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"description", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"latitude", F_NUMBER, false, "give a latitude between -90 and 90 (WGS84 decimal degrees)",
     NULL, NULL, -90, 90},
    {"longitude", F_NUMBER, false, "give a longitude between -180 and 180 (WGS84 decimal degrees)",
     NULL, NULL, -180, 180},
    {"external_identifier", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"external_identifier_type", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"url", F_URI, false, NULL, NULL, NULL, 0, 0},
    {"addresses", F_ARRAY, false, NULL, NULL, &address_shape, 0, 0},
    {"accessibility", F_ARRAY, false, NULL, NULL, &accessibility_shape, 0, 0},
    ATTRIBUTES,
};
static const struct shape location_shape = SHAPE(location_fields);

static const struct field service_at_location_fields[] = {
    {"id", F_UUID, true, "give the service_at_location a UUID", NULL, NULL, 0, 0},
    {"service_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"location_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"location", F_OBJECT, true,
     "nest the location object (id, location_type, ...): firstdays imports fully nested services",
     NULL, &location_shape, 0, 0},
};
static const struct shape service_at_location_shape = SHAPE(service_at_location_fields);

static const struct field schedule_fields[] = {
    {"id", F_UUID, true, "give the schedule a UUID", NULL, NULL, 0, 0},
    {"service_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"service_at_location_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"valid_from", F_DATE, false, NULL, NULL, NULL, 0, 0},
    {"valid_to", F_DATE, false, NULL, NULL, NULL, 0, 0},
    {"dtstart", F_DATE, false, NULL, NULL, NULL, 0, 0},
    {"freq", F_ENUM, false, NULL, freqs, NULL, 0, 0},
    {"interval", F_NUMBER, false, "give a whole number of weeks or months, 1 or more", NULL, NULL,
     1, 1000},
    {"byday", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"bymonthday", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"description", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"opens_at", F_TIME, false, NULL, NULL, NULL, 0, 0},
    {"closes_at", F_TIME, false, NULL, NULL, NULL, 0, 0},
    {"schedule_link", F_URI, false, NULL, NULL, NULL, 0, 0},
    {"attending_type", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"notes", F_TEXT, false, NULL, NULL, NULL, 0, 0},
};
static const struct shape schedule_shape = SHAPE(schedule_fields);

static const struct field service_area_fields[] = {
    {"id", F_UUID, true, "give the service area a UUID", NULL, NULL, 0, 0},
    {"service_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"name", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"extent", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"extent_type", F_ENUM, false, NULL, extent_types, NULL, 0, 0},
    {"uri", F_URI, false, NULL, NULL, NULL, 0, 0},
    {"service_area", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"description", F_TEXT, false, NULL, NULL, NULL, 0, 0},
};
static const struct shape service_area_shape = SHAPE(service_area_fields);

static const struct field language_fields[] = {
    {"id", F_UUID, true, "give the language entry a UUID", NULL, NULL, 0, 0},
    {"service_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"phone_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"name", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"code", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"note", F_TEXT, false, NULL, NULL, NULL, 0, 0},
};
static const struct shape language_shape = SHAPE(language_fields);

static const struct field org_identifier_fields[] = {
    {"id", F_UUID, true, "give the identifier entry a UUID", NULL, NULL, 0, 0},
    {"organization_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"identifier_scheme", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"identifier_type", F_TEXT, true, "say what kind of identifier it is, e.g. 'Charity number'",
     NULL, NULL, 0, 0},
    {"identifier", F_TEXT, true, "give the identifier itself", NULL, NULL, 0, 0},
    ATTRIBUTES,
};
static const struct shape org_identifier_shape = SHAPE(org_identifier_fields);

static const struct field organization_fields[] = {
    {"id", F_UUID, true, "give the organization a UUID", NULL, NULL, 0, 0},
    {"name", F_TEXT, true, "give the organization's name", NULL, NULL, 0, 0},
    {"description", F_TEXT, true, "give a short description of the organization", NULL, NULL, 0, 0},
    {"email", F_EMAIL, false, NULL, NULL, NULL, 0, 0},
    {"website", F_URI, false, NULL, NULL, NULL, 0, 0},
    {"logo", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"uri", F_URI, false, NULL, NULL, NULL, 0, 0},
    {"parent_organization_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"organization_identifiers", F_ARRAY, false, NULL, NULL, &org_identifier_shape, 0, 0},
    ATTRIBUTES,
};
static const struct shape organization_shape = SHAPE(organization_fields);

static const struct field funding_fields[] = {
    {"id", F_UUID, true, "give the funding entry a UUID", NULL, NULL, 0, 0},
    {"service_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"source", F_TEXT, false, NULL, NULL, NULL, 0, 0},
};
static const struct shape funding_shape = SHAPE(funding_fields);

static const struct field cost_option_fields[] = {
    {"id", F_UUID, true, "give the cost option a UUID", NULL, NULL, 0, 0},
    {"service_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"valid_from", F_DATE, false, NULL, NULL, NULL, 0, 0},
    {"valid_to", F_DATE, false, NULL, NULL, NULL, 0, 0},
    {"option", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"amount", F_NUMBER, false, "give the cost as a number of pounds, 0 or more", NULL, NULL, 0,
     1e9},
    {"currency", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"amount_description", F_TEXT, false, NULL, NULL, NULL, 0, 0},
};
static const struct shape cost_option_shape = SHAPE(cost_option_fields);

/* phone is not nested in the UK profile; firstdays carries it as the HSDS 3.0
 * contact.phones[] extra. */
static const struct field phone_fields[] = {
    {"id", F_UUID, true, "give the phone a UUID", NULL, NULL, 0, 0},
    {"contact_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"number", F_TEXT, true, "give the phone number", NULL, NULL, 0, 0},
    {"extension", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"type", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"description", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"languages", F_ARRAY, false, NULL, NULL, &language_shape, 0, 0},
};
static const struct shape phone_shape = SHAPE(phone_fields);

static const struct field contact_fields[] = {
    {"id", F_UUID, true, "give the contact a UUID", NULL, NULL, 0, 0},
    {"service_id", F_UUID, false, NULL, NULL, NULL, 0, 0},
    {"name", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"title", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"department", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"email", F_EMAIL, false, NULL, NULL, NULL, 0, 0},
    {"phones", F_ARRAY, false, NULL, NULL, &phone_shape, 0, 0},
    ATTRIBUTES,
};
static const struct shape contact_shape = SHAPE(contact_fields);

static const struct field service_fields[] = {
    {"id", F_UUID, true, "give the service a UUID", NULL, NULL, 0, 0},
    {"organization_id", F_UUID, true, "give the id of the organization that provides the service",
     NULL, NULL, 0, 0},
    {"name", F_TEXT, true, "give the service's public name", NULL, NULL, 0, 0},
    {"description", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"url", F_URI, false, NULL, NULL, NULL, 0, 0},
    {"email", F_EMAIL, false, NULL, NULL, NULL, 0, 0},
    {"status", F_ENUM, true, "give one of: active, inactive, defunct, temporarily closed",
     service_status, NULL, 0, 0},
    {"fees", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"fees_description", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"accreditations", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"eligibility_description", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"application_process", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"minimum_age", F_NUMBER, false, "give an age in years between 0 and 130", NULL, NULL, 0, 130},
    {"maximum_age", F_NUMBER, false, "give an age in years between 0 and 130", NULL, NULL, 0, 130},
    {"assured_date", F_DATE, false, NULL, NULL, NULL, 0, 0},
    {"assurer_email", F_EMAIL, false, NULL, NULL, NULL, 0, 0},
    {"alert", F_TEXT, false, NULL, NULL, NULL, 0, 0},
    {"last_modified", F_DATETIME, false, NULL, NULL, NULL, 0, 0},
    {"schedules", F_ARRAY, false, NULL, NULL, &schedule_shape, 0, 0},
    {"service_areas", F_ARRAY, false, NULL, NULL, &service_area_shape, 0, 0},
    {"service_at_locations", F_ARRAY, false, NULL, NULL, &service_at_location_shape, 0, 0},
    {"languages", F_ARRAY, false, NULL, NULL, &language_shape, 0, 0},
    {"organization", F_OBJECT, true,
     "nest the organization object (id, name, description): firstdays imports fully nested "
     "services",
     NULL, &organization_shape, 0, 0},
    {"funding", F_ARRAY, false, NULL, NULL, &funding_shape, 0, 0},
    {"cost_options", F_ARRAY, false, NULL, NULL, &cost_option_shape, 0, 0},
    {"contacts", F_ARRAY, false, NULL, NULL, &contact_shape, 0, 0},
    ATTRIBUTES,
};
static const struct shape service_shape = SHAPE(service_fields);
/* check_object keeps one bit per field; the service has the most fields. */
_Static_assert(ARRAY_LEN(service_fields) <= 64, "too many fields for check_object");

/* ---- pass 1: fields by table ---- */

static void check_object(struct vctx *c, const json_t *obj, const struct shape *sh);

static void check_enum(struct vctx *c, const json_t *v, const struct field *f)
{
  const char *s = json_string_value(v);
  for (const char *const *e = f->values; *e; e++)
    if (strcmp(s, *e) == 0)
      return;
  char q[64], list[256] = "";
  for (const char *const *e = f->values; *e; e++)
    snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", e == f->values ? "" : ", ",
             *e);
  quote(v, q, sizeof q);
  problem(c, "%s is not allowed; use one of: %s", q, list);
}

static void check_text_format(struct vctx *c, const json_t *v, const struct field *f)
{
  const char *s = json_string_value(v);
  size_t len = json_string_length(v);
  if (len > ORUK_MAX_TEXT) {
    problem(c, "text of %zu bytes is too long; keep it under %d characters", len, ORUK_MAX_TEXT);
    return;
  }
  const char *what = NULL; /* what is wrong and what to do, after the quoted value */
  switch (f->kind) {
  case F_UUID:
    if (!oruk_is_uuid(s))
      what = "is not a UUID; give an RFC 4122 UUID such as 1c2a5e4f-3b6d-4e8a-9f10-2b3c4d5e6f70";
    break;
  case F_URI:
    if (!is_uri(s))
      what = "is not a URI; give a full address such as https://www.example.org/page";
    break;
  case F_EMAIL:
    if (!is_email(s))
      what = "is not an email address; give one such as name@example.org";
    break;
  case F_DATE:
    if (!is_date(s))
      what = "is not a date; use YYYY-MM-DD, for example 2025-03-31";
    break;
  case F_DATETIME:
    if (!is_datetime(s))
      what = "is not a date-time; use RFC 3339 with a time zone, for example 2025-03-31T09:30:00Z";
    break;
  case F_TIME:
    if (!is_time(s))
      what = "is not a time of day; use HH:MM or HH:MM:SS (00:00 to 23:59), optionally followed "
             "by Z or an offset such as +01:00";
    break;
  case F_COUNTRY:
    if (!is_country(s))
      what = "is not a country code; give the two-letter ISO 3166-1 code in capitals, GB in the UK";
    break;
  case F_ENUM:
    check_enum(c, v, f);
    break;
  default:
    break;
  }
  if (what) {
    char q[64];
    quote(v, q, sizeof q);
    problem(c, "%s %s", q, what);
  }
}

static void check_number(struct vctx *c, const json_t *v, const struct field *f)
{
  double x = json_number_value(v);
  bool range = !isfinite(x) || x < f->min || x > f->max;
  bool whole = strcmp(f->name, "interval") == 0 && x != floor(x);
  if (range || whole) {
    char q[64];
    quote(v, q, sizeof q);
    problem(c, "%s is %s; %s", q, range ? "out of range" : "not a whole number", f->hint);
  }
}

/* Ids must be unique within one list. */
static void check_unique_ids(struct vctx *c, const json_t *arr)
{
  size_t n = json_array_size(arr);
  for (size_t i = 1; i < n; i++) {
    const char *id = json_string_value(json_object_get(json_array_get(arr, i), "id"));
    if (!id)
      continue;
    for (size_t j = 0; j < i; j++) {
      const char *other = json_string_value(json_object_get(json_array_get(arr, j), "id"));
      if (other && strcasecmp(id, other) == 0) {
        size_t old = push_index(c, i);
        size_t old2 = push_key(c, "id");
        problem(c, "'%s' is also the id of entry %zu of this list; give each entry its own id", id,
                j);
        pop(c, old2);
        pop(c, old);
        break;
      }
    }
  }
}

/* One member of an object (v NULL: absent) against its table entry. */
static void check_field(struct vctx *c, const json_t *v, const struct field *f)
{
  size_t old = push_key(c, f->name);
  bool empty = !v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v));
  if (empty) {
    if (f->required)
      problem(c, "required field is missing; %s", f->hint);
    else if (v && json_is_null(v))
      problem(c, "null is not allowed; leave the field out when it has no value");
    goto done;
  }
  switch (f->kind) {
  case F_OBJECT:
    if (!json_is_object(v))
      problem(c, "expected an object, found %s", type_name(v));
    else
      check_object(c, v, f->sub);
    break;
  case F_ARRAY:
    if (!json_is_array(v)) {
      problem(c, "expected a list, found %s", type_name(v));
    } else if (json_array_size(v) > ORUK_MAX_ITEMS) {
      problem(c, "list of %zu entries is too long; firstdays takes at most %d", json_array_size(v),
              ORUK_MAX_ITEMS);
    } else {
      size_t i;
      const json_t *item;
      json_array_foreach(v, i, item)
      {
        size_t o2 = push_index(c, i);
        if (!json_is_object(item))
          problem(c, "expected an object, found %s", type_name(item));
        else
          check_object(c, item, f->sub);
        pop(c, o2);
      }
      check_unique_ids(c, v);
    }
    break;
  case F_NUMBER:
    if (!json_is_number(v))
      problem(c, "expected a number, found %s; write it without quotes", type_name(v));
    else
      check_number(c, v, f);
    break;
  default:
    if (!json_is_string(v))
      problem(c, "expected text, found %s; write it in double quotes", type_name(v));
    else
      check_text_format(c, v, f);
    break;
  }
done:
  pop(c, old);
}

/* Walk the members present (no lookup per known field: most optional fields
 * are absent), then report the required ones that were not there. Members
 * the table does not know are extras, allowed by ORUK. */
static void check_object(struct vctx *c, const json_t *obj, const struct shape *sh)
{
  unsigned long long seen = 0;
  const char *key;
  const json_t *v;
  json_object_foreach((json_t *)obj, key, v)
  {
    for (size_t i = 0; i < sh->n; i++) {
      const char *name = sh->fields[i].name;
      if (name[0] == key[0] && strcmp(name, key) == 0) {
        seen |= 1ull << i;
        check_field(c, v, &sh->fields[i]);
        break;
      }
    }
  }
  for (size_t i = 0; i < sh->n; i++)
    if (sh->fields[i].required && !(seen & (1ull << i)))
      check_field(c, NULL, &sh->fields[i]);
}

/* ---- pass 2: relations between fields ---- */

static const char *str_at(const json_t *obj, const char *key)
{
  return json_string_value(json_object_get(obj, key));
}

/* obj[key], when present, must equal want (the id of the enclosing object). */
static void check_ref(struct vctx *c, const json_t *obj, const char *key, const char *want,
                      const char *what)
{
  const char *got = str_at(obj, key);
  if (!got || !want || !oruk_is_uuid(got) || !oruk_is_uuid(want) || strcasecmp(got, want) == 0)
    return;
  size_t old = push_key(c, key);
  problem(c,
          "'%s' does not match the id of the %s it belongs to ('%s'); give %s or leave the "
          "field out",
          got, what, want, want);
  pop(c, old);
}

/* Every object of arr[]: key must equal want. */
static void check_refs_in(struct vctx *c, const json_t *parent, const char *list, const char *key,
                          const char *want, const char *what)
{
  const json_t *arr = json_object_get(parent, list);
  if (!json_is_array(arr))
    return;
  size_t old = push_key(c, list), i;
  const json_t *item;
  json_array_foreach(arr, i, item)
  {
    size_t o2 = push_index(c, i);
    check_ref(c, item, key, want, what);
    pop(c, o2);
  }
  pop(c, old);
}

/* from <= to for two YYYY-MM-DD fields (ISO dates compare as text). */
static void check_period(struct vctx *c, const json_t *obj)
{
  const char *from = str_at(obj, "valid_from"), *to = str_at(obj, "valid_to");
  if (from && to && is_date(from) && is_date(to) && strcmp(from, to) > 0) {
    size_t old = push_key(c, "valid_to");
    problem(c, "'%s' is before valid_from '%s'; swap them or correct the dates", to, from);
    pop(c, old);
  }
}

static void check_attributes(struct vctx *c, const json_t *owner, const char *what)
{
  const json_t *arr = json_object_get(owner, "attributes");
  const char *owner_id = str_at(owner, "id");
  if (!json_is_array(arr))
    return;
  size_t old = push_key(c, "attributes"), i;
  const json_t *a;
  json_array_foreach(arr, i, a)
  {
    size_t o2 = push_index(c, i);
    check_ref(c, a, "link_id", owner_id, what);
    const json_t *term = json_object_get(a, "taxonomy_term");
    const char *tid = str_at(a, "taxonomy_term_id");
    const char *nested = json_is_object(term) ? str_at(term, "id") : NULL;
    if (!tid && !term)
      problem(c, "the attribute names no term; give taxonomy_term_id or a nested taxonomy_term");
    if (tid && nested && oruk_is_uuid(tid) && oruk_is_uuid(nested) && strcasecmp(tid, nested)) {
      size_t o3 = push_key(c, "taxonomy_term_id");
      problem(c, "'%s' does not match taxonomy_term.id '%s'; make them the same", tid, nested);
      pop(c, o3);
    }
    const char *id = nested ? nested : tid;
    const char *tax = json_is_object(term) ? str_at(term, "taxonomy_id") : NULL;
    const struct oruk_vocab_term *known = oruk_vocab_term_by_id(c->vocab, id);
    if (c->vocab && tax && oruk_vocab_has_taxonomy(c->vocab, tax) && !known && id &&
        oruk_is_uuid(id)) {
      size_t o3 = push_key(c, nested ? "taxonomy_term.id" : "taxonomy_term_id");
      problem(c,
              "'%s' is not a term of the firstdays taxonomy %s; use a term id from "
              "content/directory/taxonomy.json",
              id, tax);
      pop(c, o3);
    } else if (known && tax && strcasecmp(tax, known->taxonomy_id) != 0) {
      size_t o3 = push_key(c, "taxonomy_term.taxonomy_id");
      problem(c, "'%s' is not the taxonomy of term '%s' (%s); give %s", tax, known->slug,
              known->taxonomy, known->taxonomy_id);
      pop(c, o3);
    }
    pop(c, o2);
  }
  pop(c, old);
}

/* byday: comma-separated MO..SU, each optionally preceded by a signed ordinal
 * (only when freq is MONTHLY). */
static void check_byday(struct vctx *c, const char *s, bool monthly)
{
  static const char *const days[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
  const char *p = s;
  for (;;) {
    const char *start = p;
    if (*p == '+' || *p == '-')
      p++;
    int ord = 0;
    while (isdigit((unsigned char)*p) && ord < 100)
      ord = ord * 10 + (*p++ - '0');
    bool has_ord = p != start;
    bool day = false;
    for (size_t i = 0; i < 7; i++)
      if (strncmp(p, days[i], 2) == 0)
        day = true;
    if (!day || (has_ord && (ord < 1 || ord > 5))) {
      problem(c,
              "'%s' is not a list of days; use two-letter days separated by commas, such as "
              "MO,TU,WE (a MONTHLY schedule may put 1 to 5 or -1 before a day: 2MO)",
              s);
      return;
    }
    if (has_ord && !monthly) {
      problem(c,
              "'%s' numbers a weekday, which only a MONTHLY schedule may do; set freq to "
              "MONTHLY or drop the number",
              s);
      return;
    }
    p += 2;
    if (*p == '\0')
      return;
    if (*p++ != ',') {
      problem(c, "'%s' is not a list of days; separate the days with commas, such as MO,TU,WE", s);
      return;
    }
  }
}

static void check_bymonthday(struct vctx *c, const char *s)
{
  const char *p = s;
  for (;;) {
    char *end;
    long d = strtol(p, &end, 10);
    if (end == p || d == 0 || d < -31 || d > 31 || (*end != ',' && *end != '\0')) {
      problem(c,
              "'%s' is not a list of days of the month; use numbers from 1 to 31 (or -1 for "
              "the last day) separated by commas",
              s);
      return;
    }
    if (*end == '\0')
      return;
    p = end + 1;
  }
}

static void check_schedule(struct vctx *c, const json_t *sch, const json_t *svc)
{
  check_period(c, sch);
  const char *freq = str_at(sch, "freq");
  const char *byday = str_at(sch, "byday");
  const char *bymonthday = str_at(sch, "bymonthday");
  bool monthly = freq && strcmp(freq, "MONTHLY") == 0;
  if (byday) {
    size_t old = push_key(c, "byday");
    check_byday(c, byday, monthly);
    pop(c, old);
  }
  if (bymonthday) {
    size_t old = push_key(c, "bymonthday");
    if (!monthly)
      problem(c, "days of the month need freq MONTHLY; set freq to MONTHLY or use byday");
    else
      check_bymonthday(c, bymonthday);
    pop(c, old);
  }
  const json_t *interval = json_object_get(sch, "interval");
  if (interval && !json_is_null(interval) && !freq) {
    size_t old = push_key(c, "freq");
    problem(c, "an interval needs a frequency; give WEEKLY or MONTHLY");
    pop(c, old);
  }
  const char *sal = str_at(sch, "service_at_location_id");
  if (sal && oruk_is_uuid(sal)) {
    const json_t *sals = json_object_get(svc, "service_at_locations");
    bool found = false;
    size_t i;
    const json_t *x;
    json_array_foreach(sals, i, x)
    {
      const char *id = str_at(x, "id");
      if (id && strcasecmp(id, sal) == 0)
        found = true;
    }
    if (!found) {
      size_t old = push_key(c, "service_at_location_id");
      problem(c,
              "'%s' is not the id of any of this service's service_at_locations; give one of "
              "their ids or leave the field out",
              sal);
      pop(c, old);
    }
  }
}

static void check_location(struct vctx *c, const json_t *loc)
{
  const char *lid = str_at(loc, "id");
  bool has_lat = json_object_get(loc, "latitude") != NULL;
  bool has_lon = json_object_get(loc, "longitude") != NULL;
  if (has_lat != has_lon) {
    size_t old = push_key(c, has_lat ? "longitude" : "latitude");
    problem(c, "required with %s; give both latitude and longitude or neither",
            has_lat ? "latitude" : "longitude");
    pop(c, old);
  }
  check_refs_in(c, loc, "addresses", "location_id", lid, "location");
  check_refs_in(c, loc, "accessibility", "location_id", lid, "location");
  check_attributes(c, loc, "location");
  const json_t *arr;
  size_t i;
  const json_t *x;
  if ((arr = json_object_get(loc, "addresses")) && json_is_array(arr)) {
    size_t old = push_key(c, "addresses");
    json_array_foreach(arr, i, x)
    {
      size_t o2 = push_index(c, i);
      check_attributes(c, x, "address");
      pop(c, o2);
    }
    pop(c, old);
  }
  if ((arr = json_object_get(loc, "accessibility")) && json_is_array(arr)) {
    size_t old = push_key(c, "accessibility");
    json_array_foreach(arr, i, x)
    {
      size_t o2 = push_index(c, i);
      check_attributes(c, x, "accessibility entry");
      pop(c, o2);
    }
    pop(c, old);
  }
}

static void check_organization(struct vctx *c, const json_t *org)
{
  const char *oid = str_at(org, "id");
  check_refs_in(c, org, "organization_identifiers", "organization_id", oid, "organization");
  check_attributes(c, org, "organization");
  const json_t *arr = json_object_get(org, "organization_identifiers");
  if (json_is_array(arr)) {
    size_t old = push_key(c, "organization_identifiers"), i;
    const json_t *x;
    json_array_foreach(arr, i, x)
    {
      size_t o2 = push_index(c, i);
      check_attributes(c, x, "organization identifier");
      pop(c, o2);
    }
    pop(c, old);
  }
}

static void check_relations(struct vctx *c, const json_t *svc)
{
  const char *sid = str_at(svc, "id");
  static const char *const with_service_id[] = {
      "schedules",    "service_areas", "service_at_locations", "languages", "funding",
      "cost_options", "contacts"};
  for (size_t i = 0; i < ARRAY_LEN(with_service_id); i++)
    check_refs_in(c, svc, with_service_id[i], "service_id", sid, "service");

  const json_t *org = json_object_get(svc, "organization");
  if (json_is_object(org)) {
    const char *want = str_at(svc, "organization_id");
    const char *got = str_at(org, "id");
    if (want && got && oruk_is_uuid(want) && oruk_is_uuid(got) && strcasecmp(want, got)) {
      size_t old = push_key(c, "organization.id");
      problem(c, "'%s' does not match the service's organization_id '%s'; make them the same", got,
              want);
      pop(c, old);
    }
    size_t old = push_key(c, "organization");
    check_organization(c, org);
    pop(c, old);
  }

  const json_t *min = json_object_get(svc, "minimum_age");
  const json_t *max = json_object_get(svc, "maximum_age");
  if (json_is_number(min) && json_is_number(max) &&
      json_number_value(min) > json_number_value(max)) {
    size_t old = push_key(c, "maximum_age");
    problem(c, "%g is below minimum_age %g; swap them or correct the ages", json_number_value(max),
            json_number_value(min));
    pop(c, old);
  }

  size_t i;
  const json_t *x, *arr;
  if ((arr = json_object_get(svc, "service_at_locations")) && json_is_array(arr)) {
    size_t old = push_key(c, "service_at_locations");
    json_array_foreach(arr, i, x)
    {
      size_t o2 = push_index(c, i);
      const json_t *loc = json_object_get(x, "location");
      if (json_is_object(loc)) {
        check_ref(c, x, "location_id", str_at(loc, "id"), "nested location");
        size_t o3 = push_key(c, "location");
        check_location(c, loc);
        pop(c, o3);
      }
      pop(c, o2);
    }
    pop(c, old);
  }
  if ((arr = json_object_get(svc, "schedules")) && json_is_array(arr)) {
    size_t old = push_key(c, "schedules");
    json_array_foreach(arr, i, x)
    {
      size_t o2 = push_index(c, i);
      check_schedule(c, x, svc);
      pop(c, o2);
    }
    pop(c, old);
  }
  if ((arr = json_object_get(svc, "cost_options")) && json_is_array(arr)) {
    size_t old = push_key(c, "cost_options");
    json_array_foreach(arr, i, x)
    {
      size_t o2 = push_index(c, i);
      check_period(c, x);
      pop(c, o2);
    }
    pop(c, old);
  }
  if ((arr = json_object_get(svc, "contacts")) && json_is_array(arr)) {
    size_t old = push_key(c, "contacts");
    json_array_foreach(arr, i, x)
    {
      size_t o2 = push_index(c, i);
      check_refs_in(c, x, "phones", "contact_id", str_at(x, "id"), "contact");
      check_attributes(c, x, "contact");
      pop(c, o2);
    }
    pop(c, old);
  }
  check_attributes(c, svc, "service");
}

size_t oruk_validate_service(const json_t *svc, const struct oruk_vocab *vocab,
                             oruk_report_fn report, void *cls)
{
  struct vctx c = {.vocab = vocab, .report = report, .cls = cls};
  if (!json_is_object(svc)) {
    problem(&c, "a service must be a JSON object, not %s", svc ? type_name(svc) : "nothing");
    return c.problems;
  }
  check_object(&c, svc, &service_shape);
  check_relations(&c, svc);
  return c.problems;
}

/* ---- canonical form ---- */

static bool is_empty(const json_t *v)
{
  return json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0) ||
         (json_is_array(v) && json_array_size(v) == 0) ||
         (json_is_object(v) && json_object_size(v) == 0);
}

bool oruk_canonicalise(json_t *v)
{
  bool changed = false;
  if (json_is_object(v)) {
    const char *key;
    json_t *val;
    void *tmp;
    json_object_foreach_safe(v, tmp, key, val)
    {
      changed |= oruk_canonicalise(val);
      if (is_empty(val)) {
        json_object_del(v, key);
        changed = true;
      }
    }
  } else if (json_is_array(v)) {
    for (size_t i = json_array_size(v); i-- > 0;) {
      json_t *item = json_array_get(v, i);
      changed |= oruk_canonicalise(item);
      if (json_is_null(item)) {
        json_array_remove(v, i);
        changed = true;
      }
    }
  }
  return changed;
}
