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
#include "../view/view.h"
#include "../web/web.h"
#include "../lib/utf8.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ORUK_VERSION "HSDS-UK-3.0"
#define ORUK_PROFILE_URL "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
#define ORUK_OPENAPI_FILE "openreferral/openapi.json" /* in content/ */
#define ORUK_MAX_SEARCH 200

#define STR_(x) #x
#define STR(x) STR_(x)

static bool check_uuid(const char *s, struct http_param_value *v)
{
  (void)v;
  return oruk_is_uuid(s);
}

static bool check_datetime(const char *s, struct http_param_value *v)
{
  int64_t t;
  if (!directory_parse_datetime(s, &t))
    return false;
  v->i = t;
  return true;
}

static bool check_time(const char *s, struct http_param_value *v)
{
  return (v->i = directory_parse_time(s)) >= 0;
}

static bool check_day(const char *s, struct http_param_value *v)
{
  static const char *const names[] = {"monday", "tuesday",  "wednesday", "thursday",
                                      "friday", "saturday", "sunday"};
  for (unsigned d = 0; d < 7; d++)
    if (strcasecmp(s, names[d]) == 0)
      return (v->bits = 1u << d) != 0;
  return strlen(s) <= 20 && (v->bits = directory_parse_days(s)) != 0;
}

/* A NUMBER whose lower bound is exclusive: more than 0. */
static bool check_proximity(const char *s, struct http_param_value *v)
{
  return http_parse_number(s, &v->num) && v->num > 0 && v->num <= DIRECTORY_MAX_PROXIMITY_M;
}

static const char *const formats[] = {"json", "ndjson", NULL};
_Static_assert((long)DIRECTORY_MAX_PROXIMITY_M == 1000000, "the proximity message names the limit");

/* The parameters of the list endpoints, each once; the endpoints' lists
 * below are made of these. Names that start with "_" (cache busters) are
 * always ignored. */
#define P_PAGE                                                                                     \
  {.name = "page", .kind = HTTP_PARAM_INT, .min = 1, .max = ORUK_PAGE_MAX, .code = "bad_page",    \
   .message = "page must be a whole number from 1 to " STR(ORUK_PAGE_MAX) ", like page=2."}
#define P_PER_PAGE                                                                                 \
  {.name = "per_page", .kind = HTTP_PARAM_INT, .min = 1, .max = ORUK_PER_PAGE_MAX,                \
   .code = "bad_per_page",                                                                         \
   .message = "per_page must be a whole number from 1 to " STR(ORUK_PER_PAGE_MAX) ", like "       \
              "per_page=20."}
#define P_SEARCH(n)                                                                                \
  {.name = n, .kind = HTTP_PARAM_TEXT, .max = ORUK_MAX_SEARCH, .code = "bad_search",              \
   .message = "search must be at most " STR(ORUK_MAX_SEARCH) " characters."}
#define P_FORMAT                                                                                   \
  {.name = "format", .kind = HTTP_PARAM_CHOICE, .choices = formats, .code = "bad_format",         \
   .message = "format must be json or ndjson."}
#define P_BOOL(n)                                                                                  \
  {.name = n, .kind = HTTP_PARAM_BOOL, .code = "bad_boolean", .message = n " must be true or false."}
#define P_UUID(n)                                                                                  \
  {.name = n, .kind = HTTP_PARAM_CUSTOM, .check = check_uuid, .code = "bad_id",                   \
   .message = n " must be a UUID, like 3f7b145d-84af-42d7-8fae-eaca714b02b2."}
#define P_TERM(n)                                                                                  \
  {.name = n, .kind = HTTP_PARAM_TEXT, .min = 1, .max = 100, .code = "bad_term",                  \
   .message = n " must be a taxonomy term id or code of at most 100 characters."}
#define P_AGE(n, eg)                                                                               \
  {.name = n, .kind = HTTP_PARAM_NUMBER, .min = 0, .max = 150, .code = "bad_age",                 \
   .message = n " must be an age in years from 0 to 150, like " n "=" eg "."}
#define P_TIME(n, eg)                                                                              \
  {.name = n, .kind = HTTP_PARAM_CUSTOM, .check = check_time, .code = "bad_time",                 \
   .message = n " must be a time of day, like " eg "."}
#define P_SERVICES                                                                                 \
  P_SEARCH("search"), P_SEARCH("text"), P_PAGE, P_PER_PAGE, P_TERM("taxonomy_term_id"),            \
      P_UUID("taxonomy_id"), P_AGE("minimum_age", "0"), P_AGE("maximum_age", "2"),                 \
      P_TIME("start_time", "09:30"), P_TIME("end_time", "17:00"),                                  \
      {.name = "day", .kind = HTTP_PARAM_CUSTOM, .check = check_day, .code = "bad_day",            \
       .message = "day must be a day of the week, like MO or monday."},                            \
      P_FORMAT, P_UUID("organization_id"),                                                         \
      {.name = "modified_after", .kind = HTTP_PARAM_CUSTOM, .check = check_datetime,               \
       .code = "bad_date",                                                                         \
       .message = "modified_after must be a date or date-time, like 2025-01-31 or "                \
                  "2025-01-31T09:00:00Z."},                                                        \
      P_BOOL("full"), {.name = "postcode", .kind = HTTP_PARAM_TEXT, .max = 16,                     \
                       .code = "bad_postcode", .message = "postcode must be a UK postcode, like "  \
                                                          "SW1A 1AA."},                            \
      {.name = "proximity", .kind = HTTP_PARAM_CUSTOM, .check = check_proximity,                   \
       .code = "bad_proximity",                                                                    \
       .message = "proximity must be a distance in metres, more than 0 and at most "               \
                  "1000000, like proximity=10000."},                                          \
      P_TERM("need"), P_TERM("stage"), P_TERM("referral")

static const struct http_param services_list[] = {P_SERVICES, P_BOOL("minimal")};
static const struct http_param sal_list[] = {P_SERVICES};
static const struct http_param taxonomies_list[] = {P_PAGE, P_PER_PAGE, P_SEARCH("search"),
                                                    P_FORMAT};
static const struct http_param terms_list[] = {P_PAGE,           P_PER_PAGE,          P_SEARCH("search"),
                                               P_FORMAT,         P_UUID("taxonomy_id"), P_BOOL("top_only"),
                                               P_UUID("parent_id")};
static const struct http_param orgs_list[] = {P_PAGE,   P_PER_PAGE,    P_SEARCH("search"),
                                              P_FORMAT, P_BOOL("full"), P_BOOL("full_service")};
static const struct http_param org_list[] = {P_BOOL("full_service")};

const struct http_params oruk_services_params = HTTP_PARAMS(services_list);
const struct http_params oruk_sal_params = HTTP_PARAMS(sal_list);
const struct http_params oruk_taxonomies_params = HTTP_PARAMS(taxonomies_list);
const struct http_params oruk_terms_params = HTTP_PARAMS(terms_list);
const struct http_params oruk_orgs_params = HTTP_PARAMS(orgs_list);
const struct http_params oruk_org_params = HTTP_PARAMS(org_list);
const struct http_params oruk_no_params = {NULL, 0, false};

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

/* Take the checked parameters (src/http/dispatch.c checked each against its
 * declaration above) and look the postcode up. On a mistake, writes the 400
 * and returns false. */
static bool parse_request(struct http_req *rq, struct http_resp *rs,
                          const struct directory_index *ix, struct oruk_req *r)
{
  memset(r, 0, sizeof *r);
  r->page = 1;
  r->per_page = ORUK_PER_PAGE_DEFAULT;
  const struct http_param_value *v;
  if ((v = http_param(rq, "page"))->set)
    r->page = (size_t)v->i;
  if ((v = http_param(rq, "per_page"))->set) {
    r->per_page = (size_t)v->i;
    r->has_per_page = true;
  }
  r->ndjson = http_param(rq, "format")->i == 1;
  r->full = http_param(rq, "full")->b;
  r->minimal = http_param(rq, "minimal")->b;
  r->full_service = http_param(rq, "full_service")->b;
  r->top_only = http_param(rq, "top_only")->b;
  struct directory_query *q = &r->q;
  r->search = http_param(rq, "search")->text;
  if (!r->search)
    r->search = http_param(rq, "text")->text;
  q->text = r->search;
  q->organization_id = http_param(rq, "organization_id")->text;
  q->taxonomy_id = r->taxonomy_id = http_param(rq, "taxonomy_id")->text;
  r->parent_id = http_param(rq, "parent_id")->text;
  q->taxonomy_term = http_param(rq, "taxonomy_term_id")->text;
  q->need = http_param(rq, "need")->text;
  q->stage = http_param(rq, "stage")->text;
  q->referral = http_param(rq, "referral")->text;
  if ((v = http_param(rq, "minimum_age"))->set) {
    q->min_age = v->num;
    q->has_min_age = true;
  }
  if ((v = http_param(rq, "maximum_age"))->set) {
    q->max_age = v->num;
    q->has_max_age = true;
  }
  if ((v = http_param(rq, "modified_after"))->set) {
    q->modified_after = v->i;
    q->has_modified_after = true;
  }
  if ((v = http_param(rq, "start_time"))->set) {
    q->start_min = (int)v->i;
    q->has_start = true;
  }
  if ((v = http_param(rq, "end_time"))->set) {
    q->end_min = (int)v->i;
    q->has_end = true;
  }
  q->day_mask = http_param(rq, "day")->bits;
  const char *pc = http_param(rq, "postcode")->text;
  if ((v = http_param(rq, "proximity"))->set) {
    q->proximity_m = v->num;
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
  if (directory_state_loading(rq->app->directory)) {
    api_error(rs, 503, "directory_loading",
              "The server has just started and is still loading the service directory. Try "
              "again in a few seconds.");
    http_add_header(rs, "Retry-After", "5");
    return NULL;
  }
  return directory_state_acquire(rq->app->directory);
}

void oruk_root(struct http_req *rq, struct http_resp *rs)
{
  start_json(rs, false);
  const char *base = view_base_url(rq);
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
  if (!parse_request(rq, rs, ix, &r))
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
  {
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
  if (parse_request(rq, rs, ix, &r)) {
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
  if (parse_request(rq, rs, ix, &r)) {
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
  if (parse_request(rq, rs, ix, &r)) {
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
  if (parse_request(rq, rs, ix, &r)) {
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
