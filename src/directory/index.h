/* index.h: the in-memory directory index and directory_search(). Pure C, no
 * I/O, no SQL: the index is built from fully nested Open Referral UK 3.0
 * service objects (jansson) and postcode centroids, and is immutable once
 * built, so any number of threads may search it at once.
 *
 * What it holds:
 *  - services, sorted by name, each with its JSON already serialised in parts
 *    (one-to-one fields, nested arrays, organisation, locations) so that a
 *    request only concatenates bytes; the rarely read parts are kept deflated;
 *  - service_at_location records flattened with their coordinates, and a grid
 *    of 0.05 degree cells over them for radius searches;
 *  - the postcode table: 12 bytes per postcode (a packed 32-bit key and the
 *    centroid in 1e-7 degrees), sorted, so 2.7 million postcodes take 32 MB;
 *  - organisations, taxonomies and taxonomy terms found in the services;
 *  - a word index over names and descriptions for text search.
 *
 * Lifetime: an index is reference counted (directory_index_ref/unref) so that
 * a new one can replace it while requests still read the old one; see
 * src/directory/state.h. */
#ifndef FD_DIRECTORY_INDEX_H
#define FD_DIRECTORY_INDEX_H
#include "../lib/arena.h"
#include "../lib/buf.h"
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* firstdays' own facts are ORUK attributes whose taxonomy_term belongs to one
 * of these taxonomies (docs/directory-data.md, section 3). A term is placed by
 * its taxonomy_id, else by its taxonomy name ("firstdays needs"; the forms
 * "firstdays-needs" and "firstdays need" are accepted too). */
enum directory_kind {
  DIRECTORY_KIND_OTHER = 0,
  DIRECTORY_KIND_NEED,     /* what a family needs help with: "feeding", ... */
  DIRECTORY_KIND_STAGE,    /* "pregnancy", "0-12-months", "1-2-years" */
  DIRECTORY_KIND_REFERRAL, /* how to be referred; the attribute's value says what to do */
};
#define DIRECTORY_TAXONOMY_NEEDS "60933e18-f812-56c7-87fc-b57a1a5dd026"
#define DIRECTORY_TAXONOMY_STAGES "19c08f08-373d-5ff0-b226-cab2054afffa"
#define DIRECTORY_TAXONOMY_REFERRAL "7b44cfc1-b434-54f3-becb-577b6fae09ee"

#define DIRECTORY_NONE UINT32_MAX
#define DIRECTORY_EARTH_RADIUS_M 6371008.8
#define DIRECTORY_MAX_PROXIMITY_M 1000000.0 /* 1,000 km: the UK fits inside */
#define DIRECTORY_MAX_TEXT 200              /* bytes of a text query that are read */

struct directory_index;
struct directory_builder;

/* --- Building --- */

/* A new, empty builder. Free it with directory_builder_finish() or _free(). */
struct directory_builder *directory_builder_new(void);
/* Add one fully nested ORUK service (borrowed; not modified). Nulls, empty
 * strings and empty arrays are dropped from every level, so the output never
 * holds them. A service with no string "id" or "name", or with an id seen
 * before, is refused: returns false with a message naming the service in err.
 * The builder is unchanged in that case. */
bool directory_builder_add_service(struct directory_builder *b, const json_t *service, char *err,
                                   size_t errlen);
/* Add a taxonomy (taxonomy.json, with its taxonomy_terms nested) so that
 * /taxonomies and /taxonomy_terms describe it fully, even terms no service
 * uses yet. Add taxonomies before services. Returns false with err when it
 * has no string "id" and "name". */
bool directory_builder_add_taxonomy(struct directory_builder *b, const json_t *taxonomy, char *err,
                                    size_t errlen);
/* Add one postcode centroid. pc may be typed any way; it is normalised.
 * Returns false for a malformed postcode or coordinates outside -90..90 and
 * -180..180. A postcode added twice keeps its last centroid. */
bool directory_builder_add_postcode(struct directory_builder *b, const char *pc, double lat,
                                    double lon);
/* Turn the builder into an index (reference count 1) and free the builder. */
struct directory_index *directory_builder_finish(struct directory_builder *b);
void directory_builder_free(struct directory_builder *b);

/* An index with nothing in it (reference count 1). */
struct directory_index *directory_index_empty(void);
/* Take one more reference (thread-safe). */
void directory_index_ref(struct directory_index *ix);
/* Drop a reference; the last one frees the index. NULL is ignored. */
void directory_index_unref(struct directory_index *ix);

struct directory_stats {
  size_t services, service_at_locations, located, organizations, taxonomies, terms, postcodes,
      words;
  size_t bytes;                      /* memory held by the index, roughly */
  size_t json_plain;                 /* bytes of JSON parts kept as they are */
  size_t json_packed, json_unpacked; /* deflated parts: bytes held, and inflated */
};
void directory_index_stats(const struct directory_index *ix, struct directory_stats *out);

/* --- Geography --- */

/* Great-circle distance in metres between two WGS84 points (haversine, mean
 * Earth radius DIRECTORY_EARTH_RADIUS_M). */
double directory_distance_m(double lat1, double lon1, double lat2, double lon2);
/* Look up a normalised postcode ("SW1A 1AA"). Returns false if unknown. */
bool directory_postcode_find(const struct directory_index *ix, const char *norm, double *lat,
                             double *lon);

/* --- Parsing helpers shared with the API --- */

/* "YYYY-MM-DD" or an RFC 3339 date-time ("2024-05-01T10:30:00Z", offsets and
 * fractions allowed) into seconds since the epoch. False for anything else. */
bool directory_parse_datetime(const char *s, int64_t *out);
/* "HH:MM" or "HH:MM:SS" into minutes after midnight; -1 if malformed. */
int directory_parse_time(const char *s);
/* An RRULE BYDAY list ("MO,TU", "1MO") into a mask, bit 0 Monday; 0 if malformed. */
unsigned directory_parse_days(const char *s);
/* The vocabulary of a taxonomy_term object: its "taxonomy", else "vocabulary",
 * else taxonomy_detail.name; NULL if none. */
const char *directory_term_vocabulary(const json_t *term);
/* The short code of a term, used in web addresses: "term", else "code"; NULL if none. */
const char *directory_term_code(const json_t *term);
/* Which firstdays vocabulary a taxonomy_term object belongs to. */
enum directory_kind directory_term_kind(const json_t *term);

/* Number of postcodes, and the i-th in key order (for benchmarks and tests). */
size_t directory_postcode_count(const struct directory_index *ix);
bool directory_postcode_nth(const struct directory_index *ix, size_t i, char out[9], double *lat,
                            double *lon);

/* --- Searching --- */

enum directory_unit {
  DIRECTORY_UNIT_SERVICE = 0,        /* one hit per service */
  DIRECTORY_UNIT_SERVICE_AT_LOCATION /* one hit per service at a location */
};

enum directory_located {
  DIRECTORY_LOCATED_ANY = 0, /* with or without coordinates */
  DIRECTORY_LOCATED_ONLY,    /* only hits with coordinates (a place to go) */
  DIRECTORY_LOCATED_NONE,    /* only services with no located place (phone, online) */
};

/* A query. Zero-initialise, then set what is wanted; every filter set is
 * combined with AND. Strings are borrowed for the call. */
struct directory_query {
  enum directory_unit unit;
  /* Origin for distances. With proximity_m > 0 only hits within that many
   * metres are returned; with proximity_m == 0 every hit is returned, located
   * ones nearest first, then the rest. Hits are then sorted by distance. */
  bool has_origin;
  double lat, lon, proximity_m;
  const char *text;          /* every word must begin a word of the service */
  const char *taxonomy_term; /* term id or code; narrower terms match too */
  const char *taxonomy_id;   /* any term of that taxonomy */
  const char *need;          /* need term id or code (and narrower terms) */
  const char *stage;         /* stage term id or code; services with no stage term
                                make no claim and match every stage */
  const char *referral;      /* referral route term id or code */
  const char *organization_id;
  bool has_min_age, has_max_age; /* containment: service min <= q min, service max >= q max */
  double min_age, max_age;
  bool has_modified_after;
  int64_t modified_after; /* seconds since the epoch, UTC: last_modified >= this */
  /* Schedule filters: some schedule of the service is on a day in day_mask
   * (bit 0 Monday .. bit 6 Sunday; 0: any), opens at or after start_min and
   * closes at or before end_min (minutes after midnight). */
  unsigned day_mask;
  bool has_start, has_end;
  int start_min, end_min;
  bool active_only; /* only services whose status is "active" */
  enum directory_located located;
  size_t page;     /* 1-based; 0 is taken as 1 */
  size_t per_page; /* 0: every hit on one page */
};

struct directory_hit {
  uint32_t service;  /* service number */
  uint32_t sal;      /* service_at_location number; for the service unit, its nearest
                        place when there is an origin; else DIRECTORY_NONE */
  double distance_m; /* from the origin; negative when unknown */
};

struct directory_result {
  struct directory_hit *hits; /* the requested page, arena memory */
  size_t nhits;
  size_t total; /* hits on all pages */
};

/* Run q against ix. Result memory comes from a. Never fails: unknown terms or
 * organisations simply match nothing. */
void directory_search(const struct directory_index *ix, const struct directory_query *q,
                      struct arena *a, struct directory_result *out);

/* --- Reading records --- */

size_t directory_service_count(const struct directory_index *ix);
size_t directory_sal_count(const struct directory_index *ix);
/* Service number for an id, or DIRECTORY_NONE. */
uint32_t directory_service_find(const struct directory_index *ix, const char *id);
uint32_t directory_sal_find(const struct directory_index *ix, const char *id);
const char *directory_service_id(const struct directory_index *ix, uint32_t s);
const char *directory_service_name(const struct directory_index *ix, uint32_t s);
/* last_modified as the service gave it (when it parses as a date-time), or NULL. */
const char *directory_service_last_modified(const struct directory_index *ix, uint32_t s);
/* Service number of a service_at_location. */
uint32_t directory_sal_service(const struct directory_index *ix, uint32_t sal);
/* Coordinates of a service_at_location; false when it has none. */
bool directory_sal_point(const struct directory_index *ix, uint32_t sal, double *lat, double *lon);
/* The service_at_location numbers of service s: *first .. *first + count - 1. */
size_t directory_service_sals(const struct directory_index *ix, uint32_t s, uint32_t *first);

enum directory_form {
  DIRECTORY_FORM_LIST = 0, /* one-to-one fields and the organisation (the *_list schemas) */
  DIRECTORY_FORM_FULL,     /* fully nested (service.json, service_at_location.json) */
};

/* Append the JSON of service s to out. A distance >= 0 is added as an extra
 * "distance" field in metres. */
void directory_write_service(const struct directory_index *ix, uint32_t s, enum directory_form f,
                             double distance_m, struct buf *out);
/* Ask the processor to start loading what directory_write_sal() will read
 * for these hits, so that writing a page waits on memory once, not per item. */
void directory_prefetch_hits(const struct directory_index *ix, const struct directory_hit *hits,
                             size_t n);
/* Append the JSON of a service_at_location: LIST is service_at_location_list
 * (location and service without nested arrays), FULL is service_at_location.json. */
void directory_write_sal(const struct directory_index *ix, uint32_t sal, enum directory_form f,
                         double distance_m, struct buf *out);
/* The fully nested service as a new jansson object (caller decrefs). */
json_t *directory_service_json(const struct directory_index *ix, uint32_t s);
/* The fully nested location of a service_at_location (caller decrefs). */
json_t *directory_sal_location_json(const struct directory_index *ix, uint32_t sal);

/* Organisations, sorted by name. */
size_t directory_org_count(const struct directory_index *ix);
uint32_t directory_org_find(const struct directory_index *ix, const char *id);
const char *directory_org_name(const struct directory_index *ix, uint32_t o);
/* LIST: organization_list.json; FULL: organization.json with its services (as
 * list items, or fully nested when full_services). */
void directory_write_org(const struct directory_index *ix, uint32_t o, enum directory_form f,
                         bool full_services, struct buf *out);
/* Service numbers of organisation o, in name order. */
size_t directory_org_services(const struct directory_index *ix, uint32_t o,
                              const uint32_t **services);

/* Taxonomies, sorted by name, and taxonomy terms, sorted by vocabulary then name. */
size_t directory_taxonomy_count(const struct directory_index *ix);
uint32_t directory_taxonomy_find(const struct directory_index *ix, const char *id);
const char *directory_taxonomy_name(const struct directory_index *ix, uint32_t t);
/* Append taxonomy t (taxonomy.json), with its terms nested when with_terms. */
void directory_write_taxonomy(const struct directory_index *ix, uint32_t t, bool with_terms,
                              struct buf *out);
size_t directory_term_count(const struct directory_index *ix);
uint32_t directory_term_find(const struct directory_index *ix, const char *id);
void directory_write_term(const struct directory_index *ix, uint32_t t, struct buf *out);

struct directory_term_info {
  const char *id, *name, *code, *vocabulary, *description; /* NULL when absent */
  uint32_t taxonomy, parent;                               /* DIRECTORY_NONE when absent */
  enum directory_kind kind;
  size_t services; /* services carrying the term */
  bool listed;     /* false for a term known only by the id an attribute gives */
};
void directory_term_info(const struct directory_index *ix, uint32_t t,
                         struct directory_term_info *out);

#endif
