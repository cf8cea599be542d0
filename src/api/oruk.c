/* oruk.c: the Open Referral UK 3.0 API. Every response carries
 * Access-Control-Allow-Origin: *. Lists use the ORUK 3.0 page envelope
 * (total_items, total_pages, page_number, size, first_page, last_page, empty,
 * contents) or, with format=ndjson, one JSON object per line and no paging.
 * Items are the JSON the index serialised when it was built; this file only
 * writes the envelope around them (numbers and booleans). Client mistakes are
 * 400s with a stable code and a message that says what to send instead. */
#include "oruk.h"
#include "../app.h"
#include "../content/content.h"
#include "../directory/index.h"
#include "../directory/oruk_validate.h"
#include "../directory/postcode.h"
#include "../directory/state.h"
#include "../lib/util.h"
#include "../web/web.h"
#include "../lib/utf8.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ORUK_VERSION "HSDS-UK-3.0"
#define ORUK_PROFILE_URL "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
#define ORUK_OPENAPI_FILE "openreferral/openapi.json" /* in content/ */
#define ORUK_MAX_SEARCH 200

/* Parameters each kind of endpoint takes (NULL-terminated). Names that start
 * with "_" (cache busters) are always ignored. The first list is for
 * /services and /service_at_locations, which does not take "minimal". */
static const char *const services_params[] = {"search",
                                              "text",
                                              "page",
                                              "per_page",
                                              "taxonomy_term_id",
                                              "taxonomy_id",
                                              "minimum_age",
                                              "maximum_age",
                                              "start_time",
                                              "end_time",
                                              "day",
                                              "format",
                                              "organization_id",
                                              "modified_after",
                                              "full",
                                              "postcode",
                                              "proximity",
                                              "need",
                                              "stage",
                                              "referral",
                                              "minimal",
                                              NULL};
static const char *const taxonomies_params[] = {"page", "per_page", "search", "format", NULL};
static const char *const terms_params[] = {"page",        "per_page", "search",    "format",
                                           "taxonomy_id", "top_only", "parent_id", NULL};
static const char *const orgs_params[] = {"page", "per_page",     "search", "format",
                                          "full", "full_service", NULL};
static const char *const org_params[] = {"full_service", NULL};
static const char *const no_params[] = {NULL};

/* What a list request asked for, once checked. */
struct oruk_req {
  struct directory_query q;
  size_t page, per_page;
  bool ndjson, full, minimal, full_service, top_only;
  const char *search, *taxonomy_id, *parent_id;
  bool has_per_page;
};

static void api_error(struct http_resp *rs, int status, const char *code, const char *message)
{
  web_json_error(rs, status, code, message);
  rs->cors = true;
}

static void bad(struct http_req *rq, struct http_resp *rs, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void bad(struct http_req *rq, struct http_resp *rs, const char *code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *msg = arena_vprintf(rq->arena, fmt, ap);
  va_end(ap);
  api_error(rs, 400, code, msg);
}

/* name is in list and is not except (which may be NULL). */
static bool in_list(const char *const *list, const char *except, const char *name)
{
  if (except && strcmp(name, except) == 0)
    return false;
  for (; *list; list++)
    if ((*list)[0] == name[0] && strcmp(*list, name) == 0)
      return true;
  return false;
}

static bool check_names(struct http_req *rq, struct http_resp *rs, const char *const *allowed,
                        const char *except)
{
  for (size_t i = 0; i < rq->nquery; i++) {
    const char *k = rq->query[i].key;
    if (k[0] == '_' || in_list(allowed, except, k))
      continue;
    struct buf names = BUF_INIT;
    for (const char *const *a = allowed; *a; a++) {
      if (except && strcmp(*a, except) == 0)
        continue;
      if (names.len)
        buf_puts(&names, ", ");
      buf_puts(&names, *a);
    }
    const char *shown = utf8_clip(rq->arena, k, 60);
    if (names.len)
      bad(rq, rs, "unknown_parameter",
          "This endpoint does not take the parameter '%s'. It takes: %s.", shown, buf_cstr(&names));
    else
      bad(rq, rs, "unknown_parameter",
          "This endpoint does not take the parameter '%s', nor any other.", shown);
    buf_free(&names);
    return false;
  }
  return true;
}

/* The value of s when it is 1 to 9 digits and nothing else, else -1. */
static long digits_value(const char *s)
{
  long v = 0;
  size_t n = 0;
  for (; s[n] >= '0' && s[n] <= '9'; n++) {
    if (n == 9)
      return -1;
    v = v * 10 + (s[n] - '0');
  }
  return n && !s[n] ? v : -1;
}

/* A whole number from lo to hi. */
static bool parse_size(const char *s, size_t lo, size_t hi, size_t *out)
{
  long v = s ? digits_value(s) : -1;
  if (v < 0 || (size_t)v < lo || (size_t)v > hi)
    return false;
  *out = (size_t)v;
  return true;
}

static bool parse_number(const char *s, double lo, double hi, double *out)
{
  if (!s || !*s || strlen(s) > 32 || isspace((unsigned char)s[0]))
    return false;
  /* Whole numbers, the usual case, exactly and without strtod. */
  long d = digits_value(s);
  double v;
  if (d >= 0) {
    v = (double)d;
  } else {
    char *end;
    v = strtod(s, &end);
    if (*end || !isfinite(v))
      return false;
  }
  if (v < lo || v > hi)
    return false;
  *out = v;
  return true;
}

static bool parse_bool(const char *s, bool *out)
{
  if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
    *out = true;
  else if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
    *out = false;
  else
    return false;
  return true;
}

static unsigned parse_day(const char *s)
{
  static const char *const names[] = {"monday", "tuesday",  "wednesday", "thursday",
                                      "friday", "saturday", "sunday"};
  for (unsigned d = 0; d < 7; d++)
    if (strcasecmp(s, names[d]) == 0)
      return 1u << d;
  return strlen(s) <= 20 ? directory_parse_days(s) : 0;
}

/* Read and check every parameter. On a mistake, writes the 400 and returns false. */
static bool parse_request(struct http_req *rq, struct http_resp *rs,
                          const struct directory_index *ix, const char *const *allowed,
                          const char *except, struct oruk_req *r)
{
  memset(r, 0, sizeof *r);
  r->page = 1;
  r->per_page = ORUK_PER_PAGE_DEFAULT;
  if (!check_names(rq, rs, allowed, except))
    return false;
  const char *v;
  if ((v = http_query(rq, "page")) && !parse_size(v, 1, ORUK_PAGE_MAX, &r->page)) {
    bad(rq, rs, "bad_page", "page must be a whole number from 1 to %d, like page=2.",
        ORUK_PAGE_MAX);
    return false;
  }
  if ((v = http_query(rq, "per_page"))) {
    if (!parse_size(v, 1, ORUK_PER_PAGE_MAX, &r->per_page)) {
      bad(rq, rs, "bad_per_page", "per_page must be a whole number from 1 to %d, like per_page=20.",
          ORUK_PER_PAGE_MAX);
      return false;
    }
    r->has_per_page = true;
  }
  if ((v = http_query(rq, "format"))) {
    if (strcmp(v, "ndjson") == 0)
      r->ndjson = true;
    else if (strcmp(v, "json") != 0) {
      bad(rq, rs, "bad_format", "format must be json or ndjson.");
      return false;
    }
  }
  static const char *const bools[] = {"full", "minimal", "full_service", "top_only"};
  bool *bool_out[] = {&r->full, &r->minimal, &r->full_service, &r->top_only};
  for (size_t i = 0; i < ARRAY_LEN(bools); i++)
    if ((v = http_query(rq, bools[i])) && !parse_bool(v, bool_out[i])) {
      bad(rq, rs, "bad_boolean", "%s must be true or false.", bools[i]);
      return false;
    }
  struct directory_query *q = &r->q;
  r->search = http_query(rq, "search");
  if (!r->search)
    r->search = http_query(rq, "text");
  if (r->search && strlen(r->search) > ORUK_MAX_SEARCH) {
    bad(rq, rs, "bad_search", "search must be at most %d characters.", ORUK_MAX_SEARCH);
    return false;
  }
  q->text = r->search;
  static const char *const uuids[] = {"organization_id", "taxonomy_id", "parent_id"};
  const char **uuid_out[] = {&q->organization_id, &r->taxonomy_id, &r->parent_id};
  for (size_t i = 0; i < ARRAY_LEN(uuids); i++)
    if ((v = http_query(rq, uuids[i]))) {
      if (!oruk_is_uuid(v)) {
        bad(rq, rs, "bad_id", "%s must be a UUID, like 3f7b145d-84af-42d7-8fae-eaca714b02b2.",
            uuids[i]);
        return false;
      }
      *uuid_out[i] = v;
    }
  q->taxonomy_id = r->taxonomy_id;
  static const char *const terms[] = {"taxonomy_term_id", "need", "stage", "referral"};
  const char **term_out[] = {&q->taxonomy_term, &q->need, &q->stage, &q->referral};
  for (size_t i = 0; i < ARRAY_LEN(terms); i++)
    if ((v = http_query(rq, terms[i]))) {
      if (!*v || strlen(v) > 100) {
        bad(rq, rs, "bad_term", "%s must be a taxonomy term id or code of at most 100 characters.",
            terms[i]);
        return false;
      }
      *term_out[i] = v;
    }
  if ((v = http_query(rq, "minimum_age"))) {
    if (!parse_number(v, 0, 150, &q->min_age)) {
      bad(rq, rs, "bad_age",
          "minimum_age must be an age in years from 0 to 150, like minimum_age=0.");
      return false;
    }
    q->has_min_age = true;
  }
  if ((v = http_query(rq, "maximum_age"))) {
    if (!parse_number(v, 0, 150, &q->max_age)) {
      bad(rq, rs, "bad_age",
          "maximum_age must be an age in years from 0 to 150, like maximum_age=2.");
      return false;
    }
    q->has_max_age = true;
  }
  if ((v = http_query(rq, "modified_after"))) {
    if (!directory_parse_datetime(v, &q->modified_after)) {
      bad(rq, rs, "bad_date",
          "modified_after must be a date or date-time, like 2025-01-31 or 2025-01-31T09:00:00Z.");
      return false;
    }
    q->has_modified_after = true;
  }
  if ((v = http_query(rq, "start_time"))) {
    if ((q->start_min = directory_parse_time(v)) < 0) {
      bad(rq, rs, "bad_time", "start_time must be a time of day, like 09:30.");
      return false;
    }
    q->has_start = true;
  }
  if ((v = http_query(rq, "end_time"))) {
    if ((q->end_min = directory_parse_time(v)) < 0) {
      bad(rq, rs, "bad_time", "end_time must be a time of day, like 17:00.");
      return false;
    }
    q->has_end = true;
  }
  if ((v = http_query(rq, "day")) && !(q->day_mask = parse_day(v))) {
    bad(rq, rs, "bad_day", "day must be a day of the week, like MO or monday.");
    return false;
  }
  const char *pc = http_query(rq, "postcode"), *prox = http_query(rq, "proximity");
  if (prox) {
    if (!parse_number(prox, 0, DIRECTORY_MAX_PROXIMITY_M, &q->proximity_m) || q->proximity_m <= 0) {
      bad(rq, rs, "bad_proximity",
          "proximity must be a distance in metres, more than 0 and at most %.0f, like "
          "proximity=10000.",
          DIRECTORY_MAX_PROXIMITY_M);
      return false;
    }
    if (!pc) {
      bad(rq, rs, "proximity_without_postcode",
          "proximity needs a postcode to measure from, like postcode=SW1A1AA&proximity=10000.");
      return false;
    }
  }
  if (pc) {
    char norm[POSTCODE_MAX];
    enum postcode_status ps = postcode_normalise(pc, norm);
    if (ps != POSTCODE_OK) {
      bad(rq, rs, postcode_code(ps), "postcode: %s.", postcode_message(ps));
      return false;
    }
    if (!directory_postcode_find(ix, norm, &q->lat, &q->lon)) {
      bad(rq, rs, "postcode_unknown",
          "We do not know the postcode %s. Check that it is a current UK postcode.", norm);
      return false;
    }
    q->has_origin = true;
  }
  return true;
}

static void start_json(struct http_resp *rs, bool ndjson)
{
  rs->content_type = ndjson ? "application/x-ndjson" : "application/json";
  rs->cors = true;
  rs->cache = HTTP_CACHE_SHORT;
}

static void page_head(struct buf *b, size_t total, size_t page, size_t per_page, size_t size)
{
  size_t pages = per_page ? (total + per_page - 1) / per_page : (total ? 1 : 0);
  /* By hand: this runs on every search, and printf costs more than the rest. */
  buf_puts(b, "{\"total_items\":");
  buf_put_uint(b, total);
  buf_puts(b, ",\"total_pages\":");
  buf_put_uint(b, pages);
  buf_puts(b, ",\"page_number\":");
  buf_put_uint(b, page);
  buf_puts(b, ",\"size\":");
  buf_put_uint(b, size);
  buf_puts(b, page == 1 ? ",\"first_page\":true" : ",\"first_page\":false");
  buf_puts(b, page >= pages ? ",\"last_page\":true" : ",\"last_page\":false");
  buf_puts(b, total == 0 ? ",\"empty\":true,\"contents\":[" : ",\"empty\":false,\"contents\":[");
}

/* Separator before item i: a comma in a page, a newline after each ndjson line. */
static void item_sep(struct buf *b, bool ndjson, size_t i)
{
  if (!ndjson && i)
    buf_putc(b, ',');
}

static void item_end(struct buf *b, bool ndjson)
{
  if (ndjson)
    buf_putc(b, '\n');
}

static void page_tail(struct buf *b, bool ndjson)
{
  if (!ndjson)
    buf_puts(b, "]}\n");
}

static struct directory_index *index_or_503(struct http_req *rq, struct http_resp *rs)
{
  if (!rq->app->directory) {
    api_error(rs, 503, "directory_unavailable", "The service directory is not loaded.");
    return NULL;
  }
  return directory_state_acquire(rq->app->directory);
}

void oruk_root(struct http_req *rq, struct http_resp *rs)
{
  if (!check_names(rq, rs, no_params, NULL))
    return;
  start_json(rs, false);
  const char *base = rq->app->cfg.base_url ? rq->app->cfg.base_url : "";
  size_t n = strlen(base);
  while (n && base[n - 1] == '/')
    n--;
  char *openapi = arena_printf(rq->arena, "%.*s/openreferral/openapi.json", (int)n, base);
  web_send_json(rs, json_pack("{s:s, s:s, s:s}", "version", ORUK_VERSION, "profile",
                              ORUK_PROFILE_URL, "openapi_url", openapi));
}

void oruk_openapi(struct http_req *rq, struct http_resp *rs)
{
  const struct content_file *f = content_get(rq->app->content, ORUK_OPENAPI_FILE);
  if (!check_names(rq, rs, no_params, NULL))
    return;
  if (!f) {
    api_error(rs, 404, "not_found", "This deployment publishes no OpenAPI description.");
    return;
  }
  start_json(rs, false);
  rs->static_body = f->data;
  rs->static_len = f->len;
}

static void minimal_item(const struct directory_index *ix, uint32_t s, struct buf *b)
{
  json_t *o = json_pack("{s:s}", "id", directory_service_id(ix, s));
  const char *lm = directory_service_last_modified(ix, s);
  if (lm)
    json_object_set_new(o, "last_modified", json_string(lm));
  if (!web_json_append(b, o))
    fatal("oruk: cannot write a service's id as JSON");
}

/* One item of a list: a service at a location, a minimal service or a service. */
static void write_item(const struct directory_index *ix, const struct directory_hit *h,
                       enum directory_unit unit, bool minimal, enum directory_form f,
                       struct buf *b)
{
  if (unit == DIRECTORY_UNIT_SERVICE_AT_LOCATION)
    directory_write_sal(ix, h->sal, f, h->distance_m, b);
  else if (minimal)
    minimal_item(ix, h->service, b);
  else
    directory_write_service(ix, h->service, f, h->distance_m, b);
}

/* format=ndjson, written as the client reads it: one search's hits and
 * the index they come from, held until the last line is sent. */
struct ndjson_stream {
  struct directory_index *ix; /* a reference of its own */
  struct directory_hit *hits; /* malloc'd copy: the request's arena may go first */
  size_t nhits, next;
  enum directory_unit unit;
  bool minimal;
  enum directory_form form;
};

static bool ndjson_fill(void *ctx, struct buf *b)
{
  struct ndjson_stream *ns = ctx;
  while (ns->next < ns->nhits && b->len < HTTP_STREAM_PART) {
    write_item(ns->ix, &ns->hits[ns->next++], ns->unit, ns->minimal, ns->form, b);
    buf_putc(b, '\n');
  }
  return ns->next < ns->nhits;
}

static void ndjson_done(void *ctx)
{
  struct ndjson_stream *ns = ctx;
  directory_index_unref(ns->ix);
  free(ns->hits);
  free(ns);
}

/* /services and /service_at_locations. */
static void search_list(struct http_req *rq, struct http_resp *rs, enum directory_unit unit)
{
  struct directory_index *ix = index_or_503(rq, rs);
  if (!ix)
    return;
  struct oruk_req r;
  if (!parse_request(rq, rs, ix, services_params, unit == DIRECTORY_UNIT_SERVICE ? NULL : "minimal",
                     &r))
    goto done;
  r.q.unit = unit;
  r.q.page = r.ndjson ? 1 : r.page;
  /* minimal asks for everything on one page unless per_page says otherwise. */
  r.q.per_page = r.ndjson || (r.minimal && !r.has_per_page) ? 0 : r.per_page;
  struct directory_result res;
  directory_search(ix, &r.q, rq->arena, &res);
  size_t cap = r.full ? ORUK_NDJSON_MAX_FULL : ORUK_NDJSON_MAX;
  if (r.ndjson && res.total > cap) {
    bad(rq, rs, "too_many_for_ndjson",
        "format=ndjson%s sends at most %zu results and this search has %zu. Narrow it (postcode, "
        "taxonomy_term_id, organization_id, modified_after, ...) or read it page by page.",
        r.full ? " with full=true" : "", cap, res.total);
    goto done;
  }
  start_json(rs, r.ndjson);
  enum directory_form f = r.full ? DIRECTORY_FORM_FULL : DIRECTORY_FORM_LIST;
  if (r.ndjson) {
    struct ndjson_stream *ns = xmalloc(sizeof *ns);
    *ns = (struct ndjson_stream){.ix = ix, .nhits = res.nhits, .unit = unit,
                                 .minimal = r.minimal, .form = f};
    ns->hits = xmalloc((res.nhits ? res.nhits : 1) * sizeof *ns->hits);
    memcpy(ns->hits, res.hits, res.nhits * sizeof *ns->hits);
    directory_index_ref(ix);
    rs->stream_fill = ndjson_fill;
    rs->stream_done = ndjson_done;
    rs->stream_ctx = ns;
    goto done;
  }
  struct buf *b = &rs->body;
  buf_reserve(b, 1024 + res.nhits * (r.full ? 4096 : 1024));
  page_head(b, res.total, r.q.per_page ? r.page : 1, r.q.per_page ? r.q.per_page : res.total,
            res.nhits);
  directory_prefetch_hits(ix, res.hits, res.nhits);
  for (size_t i = 0; i < res.nhits; i++) {
    item_sep(b, false, i);
    write_item(ix, &res.hits[i], unit, r.minimal, f, b);
  }
  page_tail(b, false);
done:
  directory_index_unref(ix);
}

void oruk_services(struct http_req *rq, struct http_resp *rs)
{
  search_list(rq, rs, DIRECTORY_UNIT_SERVICE);
}

void oruk_service_at_locations(struct http_req *rq, struct http_resp *rs)
{
  search_list(rq, rs, DIRECTORY_UNIT_SERVICE_AT_LOCATION);
}

static void not_found(struct http_resp *rs, const char *what)
{
  char msg[160];
  snprintf(msg, sizeof msg, "There is no %s with that id. Check the id, or list them all.", what);
  api_error(rs, 404, "not_found", msg);
}

/* One record by the id in the path: find it, then write it. */
static void detail(struct http_req *rq, struct http_resp *rs, const char *what,
                   uint32_t (*find)(const struct directory_index *, const char *),
                   void (*write)(const struct directory_index *, uint32_t, struct buf *))
{
  struct directory_index *ix = index_or_503(rq, rs);
  if (!ix)
    return;
  if (check_names(rq, rs, no_params, NULL)) {
    uint32_t n = find(ix, rq->captures[0]);
    if (n == DIRECTORY_NONE) {
      not_found(rs, what);
    } else {
      start_json(rs, false);
      write(ix, n, &rs->body);
      buf_putc(&rs->body, '\n');
    }
  }
  directory_index_unref(ix);
}

static void write_service_full(const struct directory_index *ix, uint32_t s, struct buf *b)
{
  directory_write_service(ix, s, DIRECTORY_FORM_FULL, -1, b);
}

static void write_sal_full(const struct directory_index *ix, uint32_t s, struct buf *b)
{
  directory_write_sal(ix, s, DIRECTORY_FORM_FULL, -1, b);
}

static void write_taxonomy_full(const struct directory_index *ix, uint32_t t, struct buf *b)
{
  directory_write_taxonomy(ix, t, true, b);
}

/* Terms known only by the id an attribute gives are not published. */
static uint32_t find_listed_term(const struct directory_index *ix, const char *id)
{
  uint32_t t = directory_term_find(ix, id);
  struct directory_term_info ti;
  if (t == DIRECTORY_NONE)
    return t;
  directory_term_info(ix, t, &ti);
  return ti.listed ? t : DIRECTORY_NONE;
}

void oruk_service(struct http_req *rq, struct http_resp *rs)
{
  detail(rq, rs, "service", directory_service_find, write_service_full);
}

void oruk_service_at_location(struct http_req *rq, struct http_resp *rs)
{
  detail(rq, rs, "service at location", directory_sal_find, write_sal_full);
}

void oruk_taxonomy(struct http_req *rq, struct http_resp *rs)
{
  detail(rq, rs, "taxonomy", directory_taxonomy_find, write_taxonomy_full);
}

void oruk_taxonomy_term(struct http_req *rq, struct http_resp *rs)
{
  detail(rq, rs, "taxonomy term", find_listed_term, directory_write_term);
}

/* Case-insensitive "needle occurs in hay"; NULL needle matches everything. */
static bool contains(const char *hay, const char *needle)
{
  return !needle || (hay && strcasestr(hay, needle));
}

/* Write a small list (taxonomies, terms, organisations) from the indices that
 * passed the caller's filter. */
static void small_list(struct http_resp *rs, const struct oruk_req *r, const uint32_t *ids,
                       size_t n,
                       void (*write)(const struct directory_index *, uint32_t,
                                     const struct oruk_req *, struct buf *),
                       const struct directory_index *ix)
{
  size_t per_page = r->ndjson ? (n ? n : 1) : r->per_page;
  size_t from = r->ndjson ? 0 : (r->page - 1) * per_page;
  if (from > n)
    from = n;
  size_t to = n - from < per_page ? n : from + per_page;
  start_json(rs, r->ndjson);
  struct buf *b = &rs->body;
  if (!r->ndjson)
    page_head(b, n, r->page, per_page, to - from);
  for (size_t i = from; i < to; i++) {
    item_sep(b, r->ndjson, i - from);
    write(ix, ids[i], r, b);
    item_end(b, r->ndjson);
  }
  page_tail(b, r->ndjson);
}

static void write_taxonomy_item(const struct directory_index *ix, uint32_t t,
                                const struct oruk_req *r, struct buf *b)
{
  (void)r;
  directory_write_taxonomy(ix, t, false, b);
}

static void write_term_item(const struct directory_index *ix, uint32_t t, const struct oruk_req *r,
                            struct buf *b)
{
  (void)r;
  directory_write_term(ix, t, b);
}

static void write_org_item(const struct directory_index *ix, uint32_t o, const struct oruk_req *r,
                           struct buf *b)
{
  bool full = r->full || r->full_service;
  directory_write_org(ix, o, full ? DIRECTORY_FORM_FULL : DIRECTORY_FORM_LIST, r->full_service, b);
}

void oruk_taxonomies(struct http_req *rq, struct http_resp *rs)
{
  struct directory_index *ix = index_or_503(rq, rs);
  if (!ix)
    return;
  struct oruk_req r;
  if (parse_request(rq, rs, ix, taxonomies_params, NULL, &r)) {
    size_t n = directory_taxonomy_count(ix), m = 0;
    uint32_t *ids = arena_alloc(rq->arena, (n ? n : 1) * sizeof *ids);
    for (uint32_t t = 0; t < n; t++)
      if (contains(directory_taxonomy_name(ix, t), r.search))
        ids[m++] = t;
    small_list(rs, &r, ids, m, write_taxonomy_item, ix);
  }
  directory_index_unref(ix);
}

void oruk_taxonomy_terms(struct http_req *rq, struct http_resp *rs)
{
  struct directory_index *ix = index_or_503(rq, rs);
  if (!ix)
    return;
  struct oruk_req r;
  if (parse_request(rq, rs, ix, terms_params, NULL, &r)) {
    size_t n = directory_term_count(ix), m = 0;
    uint32_t tax = r.taxonomy_id ? directory_taxonomy_find(ix, r.taxonomy_id) : DIRECTORY_NONE;
    uint32_t parent = r.parent_id ? directory_term_find(ix, r.parent_id) : DIRECTORY_NONE;
    uint32_t *ids = arena_alloc(rq->arena, (n ? n : 1) * sizeof *ids);
    for (uint32_t t = 0; t < n; t++) {
      struct directory_term_info ti;
      directory_term_info(ix, t, &ti);
      if (!ti.listed || (r.taxonomy_id && ti.taxonomy != tax) ||
          (r.parent_id && (parent == DIRECTORY_NONE || ti.parent != parent)) ||
          (r.top_only && ti.parent != DIRECTORY_NONE))
        continue;
      if (r.search && !contains(ti.name, r.search) && !contains(ti.code, r.search) &&
          !contains(ti.description, r.search))
        continue;
      ids[m++] = t;
    }
    small_list(rs, &r, ids, m, write_term_item, ix);
  }
  directory_index_unref(ix);
}

void oruk_organizations(struct http_req *rq, struct http_resp *rs)
{
  struct directory_index *ix = index_or_503(rq, rs);
  if (!ix)
    return;
  struct oruk_req r;
  if (parse_request(rq, rs, ix, orgs_params, NULL, &r)) {
    size_t n = directory_org_count(ix), m = 0;
    uint32_t *ids = arena_alloc(rq->arena, (n ? n : 1) * sizeof *ids);
    for (uint32_t o = 0; o < n; o++) {
      const char *name = directory_org_name(ix, o);
      if (name && contains(name, r.search))
        ids[m++] = o;
    }
    small_list(rs, &r, ids, m, write_org_item, ix);
  }
  directory_index_unref(ix);
}

void oruk_organization(struct http_req *rq, struct http_resp *rs)
{
  struct directory_index *ix = index_or_503(rq, rs);
  if (!ix)
    return;
  struct oruk_req r;
  if (parse_request(rq, rs, ix, org_params, NULL, &r)) {
    uint32_t o = directory_org_find(ix, rq->captures[0]);
    if (o == DIRECTORY_NONE) {
      not_found(rs, "organization");
    } else {
      start_json(rs, false);
      directory_write_org(ix, o, DIRECTORY_FORM_FULL, r.full_service, &rs->body);
      buf_putc(&rs->body, '\n');
    }
  }
  directory_index_unref(ix);
}
