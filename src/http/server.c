/* server.c: the libmicrohttpd glue. This and nothing else includes
 * <microhttpd.h>. It enforces the limits in http.h, collects bodies, parses
 * the query string and forms, dispatches through the route table, adds the
 * security headers, compresses and logs. */
#include "http.h"
#include "../app.h"
#include "../lib/gz.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include "../web/web.h"
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CSP                                                                                        \
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "               \
  "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "                     \
  "form-action 'self'; frame-ancestors 'none'"
/* For JSON: nothing may load, nothing may frame it. */
#define CSP_DATA "default-src 'none'; frame-ancestors 'none'"
#define GZIP_MIN_BYTES 1024
#define GZIP_LEVEL 5
#define GZ_CACHE_SLOTS 64            /* compressed public responses kept */
#define GZ_CACHE_MAX_BODY (128 * 1024) /* larger bodies are compressed every time */

/* A compressed copy of a public response body. Content pages are the same
 * bytes for everyone, and compressing one costs far more than rendering it. */
struct gz_slot {
  uint64_t hash;
  char *plain; /* the body it was made from, compared in full before use */
  size_t len;
  char *gz;
  size_t gz_len;
};

struct http_server {
  struct MHD_Daemon *d;
  int lfd;               /* the listening socket, accepted from by `acceptor` */
  unsigned max_conn;
  pthread_t acceptor;
  _Atomic int stopping; /* set before the listening socket is shut down */
  /* Connections MHD has started and closed (its worker threads count them),
   * and those the acceptor has handed over: handed - started are on their
   * way, not yet counted by MHD. */
  _Atomic unsigned long started, closed;
  unsigned long handed;
  const struct app *app;
  const struct http_route *routes;
  size_t nroutes;
  bool quiet;
  pthread_mutex_t gz_mu;
  struct gz_slot gz_cache[GZ_CACHE_SLOTS]; /* direct-mapped by hash */
};

/* Per-request state, created by the URI logger (the first callback MHD makes
 * for a request) and freed when MHD reports the request complete. */
struct conn_state {
  struct arena arena;
  char *uri;            /* raw request target (path and query), arena */
  bool uri_too_long;
  bool started;
  const struct http_route *route;
  int early_status;     /* set when the request is refused before its body */
  const char *early_code;
  const char *early_msg;
  unsigned allowed;     /* for 405 */
  const char *caps[HTTP_MAX_CAPTURES];
  size_t ncaps;
  struct buf body;
  size_t body_max;
  bool body_too_large;
  long long t0_us;
  int status;
  unsigned long long bytes;
  char method[12];
  char *path;           /* copy for the log line (arena), when logging */
  /* The arena's first chunk: most requests need no other allocation. */
  _Alignas(max_align_t) unsigned char arena_mem[4096];
  /* The response body being sent (MHD reads it until the request is
   * complete); its memory is kept for the thread's next request when small. */
  struct buf out;
};

#define KEEP_BODY_MAX 65536 /* larger body buffers are freed, not kept */

static long long now_us(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Each worker thread keeps one finished request's state for its next
 * request, which spares a large allocation per request. */
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;

static void spare_free(void *p)
{
  struct conn_state *st = p;
  buf_free(&st->out);
  free(st);
}

static void spare_init(void)
{
  if (pthread_key_create(&spare_key, spare_free) != 0)
    fatal("http: cannot create a thread key");
}

static struct conn_state *state_new(void)
{
  pthread_once(&spare_once, spare_init);
  struct conn_state *st = pthread_getspecific(spare_key);
  if (st) {
    pthread_setspecific(spare_key, NULL);
  } else {
    st = xmalloc(sizeof *st);
    buf_init(&st->out);
  }
  memset(st, 0, offsetof(struct conn_state, arena_mem));
  arena_init_with(&st->arena, st->arena_mem, sizeof st->arena_mem);
  buf_init(&st->body);
  st->t0_us = now_us();
  return st;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
  (void)cls;
  (void)c;
  struct conn_state *st = state_new();
  size_t n = strlen(uri);
  if (n > HTTP_LIMIT_URI_BYTES) {
    st->uri_too_long = true;
    n = HTTP_LIMIT_URI_BYTES;
  }
  st->uri = arena_strndup(&st->arena, uri, n);
  return st;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
  (void)c;
  (void)toe;
  struct http_server *srv = cls;
  struct conn_state *st = *con_cls;
  if (!st)
    return;
  if (!srv->quiet && st->started)
    log_request(st->method, st->path ? st->path : "-", st->status, st->bytes,
                now_us() - st->t0_us);
  buf_free(&st->body);
  arena_free(&st->arena);
  st->out.len = 0;
  if (st->out.cap > KEEP_BODY_MAX)
    buf_free(&st->out);
  if (pthread_getspecific(spare_key) || pthread_setspecific(spare_key, st) != 0)
    spare_free(st);
  *con_cls = NULL;
}

static enum MHD_Result sum_headers(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
  (void)kind;
  size_t *sum = cls;
  *sum += strlen(key) + (value ? strlen(value) : 0) + 4;
  return MHD_YES;
}

const char *http_query(const struct http_req *rq, const char *key)
{
  for (size_t i = 0; i < rq->nquery; i++)
    if (rq->query[i].key[0] == key[0] && strcmp(rq->query[i].key, key) == 0)
      return rq->query[i].val;
  return NULL;
}

const char *http_form(const struct http_req *rq, const char *key)
{
  for (size_t i = 0; i < rq->nform; i++)
    if (strcmp(rq->form[i].key, key) == 0)
      return rq->form[i].val;
  return NULL;
}

const char *http_header(const struct http_req *rq, const char *name)
{
  if (!rq->conn)
    return NULL;
  return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

void http_add_header(struct http_resp *rs, const char *name, const char *value)
{
  if (rs->nhdr >= HTTP_MAX_EXTRA_HEADERS)
    fatal("http_add_header: more than %d extra headers", HTTP_MAX_EXTRA_HEADERS);
  rs->hdr_name[rs->nhdr] = name;
  rs->hdr_value[rs->nhdr] = value;
  rs->nhdr++;
}

static bool accepts_gzip(struct MHD_Connection *c)
{
  const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
  if (!ae)
    return false;
  /* Accept "gzip" as a token unless it carries q=0. */
  const char *p = ae;
  while ((p = strstr(p, "gzip")) != NULL) {
    bool start_ok = (p == ae) || p[-1] == ' ' || p[-1] == ',';
    const char *e = p + 4;
    if (start_ok && (*e == '\0' || *e == ',' || *e == ';' || *e == ' ')) {
      const char *q = strchr(e, ';');
      const char *comma = strchr(e, ',');
      if (q && (!comma || q < comma)) {
        while (*++q == ' ')
          ;
        if (strncmp(q, "q=0", 3) == 0 && (q[3] == '\0' || q[3] == ',' ||
                                          (q[3] == '.' && strspn(q + 4, "0") > 0 &&
                                           (q[4 + strspn(q + 4, "0")] == '\0' ||
                                            q[4 + strspn(q + 4, "0")] == ','))))
          return false;
      }
      return true;
    }
    p = e;
  }
  return false;
}

static const char *cache_value(enum http_cache c)
{
  switch (c) {
  case HTTP_CACHE_SHORT: return "public, max-age=300";
  case HTTP_CACHE_DAY: return "public, max-age=86400";
  case HTTP_CACHE_IMMUTABLE: return "public, max-age=31536000, immutable";
  case HTTP_CACHE_NO_STORE: break;
  }
  return "no-store";
}

/* True for the API's JSON and NDJSON, which no browser renders as a page. */
static bool is_json(const char *ct)
{
  return str_starts(ct, "application/json") || str_starts(ct, "application/x-ndjson");
}

static void add_common_headers(struct MHD_Response *r, const struct http_resp *rs, const char *ct)
{
  if (is_json(ct)) {
    /* Data, not documents: the headers the OWASP REST Security Cheat Sheet
     * lists for APIs, with a policy that lets the body load nothing at all.
     * Referrer, permissions and opener policies only act on documents, and
     * each header costs the server time on every search. */
    MHD_add_response_header(r, "Content-Security-Policy", CSP_DATA);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
  } else {
    MHD_add_response_header(r, "Content-Security-Policy", CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(r, "Permissions-Policy",
                            "camera=(), microphone=(), geolocation=(), interest-cohort=()");
  }
  MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cache_value(rs->cache));
  if (rs->cors)
    MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
  if (rs->etag)
    MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, rs->etag);
  for (size_t i = 0; i < rs->nhdr; i++)
    MHD_add_response_header(r, rs->hdr_name[i], rs->hdr_value[i]);
}

/* Hash of a body, eight bytes at a time; only picks the cache slot (a hit is
 * confirmed by comparing the whole body). */
static uint64_t body_hash(const char *p, size_t n)
{
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    memcpy(&w, p + i, 8);
    h = (h ^ w) * 0x100000001b3ULL;
    h ^= h >> 29;
  }
  for (; i < n; i++)
    h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  return h ^ (h >> 33);
}

/* Compress body into out (empty on entry), reusing the compressed copy of an
 * identical earlier body. Only responses that may be cached publicly are kept,
 * so nothing personal stays in memory. Returns false when gzip fails. */
static bool gzip_body(struct http_server *srv, const struct http_resp *rs, struct buf *out)
{
  const char *body = rs->body.data;
  size_t n = rs->body.len;
  bool keep = rs->cache != HTTP_CACHE_NO_STORE && rs->status == 200 && n <= GZ_CACHE_MAX_BODY;
  if (!keep)
    return gz_compress(body, n, GZIP_LEVEL, out);
  uint64_t h = body_hash(body, n);
  struct gz_slot *slot = &srv->gz_cache[h % GZ_CACHE_SLOTS];
  pthread_mutex_lock(&srv->gz_mu);
  if (slot->gz && slot->hash == h && slot->len == n && memcmp(slot->plain, body, n) == 0) {
    buf_append(out, slot->gz, slot->gz_len);
    pthread_mutex_unlock(&srv->gz_mu);
    return true;
  }
  pthread_mutex_unlock(&srv->gz_mu);
  if (!gz_compress(body, n, GZIP_LEVEL, out))
    return false;
  char *plain = xmalloc(n), *gz = xmalloc(out->len);
  memcpy(plain, body, n);
  memcpy(gz, out->data, out->len);
  pthread_mutex_lock(&srv->gz_mu);
  char *old_plain = slot->plain, *old_gz = slot->gz;
  *slot = (struct gz_slot){.hash = h, .plain = plain, .len = n, .gz = gz, .gz_len = out->len};
  pthread_mutex_unlock(&srv->gz_mu);
  free(old_plain);
  free(old_gz);
  return true;
}

/* Turn a filled-in http_resp into an MHD response and queue it. */
static enum MHD_Result send_resp(struct http_server *srv, struct MHD_Connection *c,
                                 struct conn_state *st, struct http_resp *rs, bool gzip_ok)
{
  const char *ct = rs->content_type ? rs->content_type : "text/html; charset=utf-8";
  bool compressible = gz_compressible(ct);
  struct MHD_Response *r;
  bool gz = false;
  /* Conditional GET on a strong ETag. */
  if (rs->etag && rs->status == 200) {
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (inm && strstr(inm, rs->etag)) {
      buf_free(&rs->body);
      r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
      add_common_headers(r, rs, ct);
      if (compressible)
        MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
      st->status = 304;
      enum MHD_Result ret = MHD_queue_response(c, 304, r);
      MHD_destroy_response(r);
      return ret;
    }
  }
  if (rs->static_body) {
    buf_free(&st->out); /* keep the unused body memory for the next request */
    st->out = rs->body;
    buf_init(&rs->body);
    if (gzip_ok && rs->static_gz) {
      r = MHD_create_response_from_buffer(rs->static_gz_len, (void *)rs->static_gz,
                                          MHD_RESPMEM_PERSISTENT);
      gz = true;
      st->bytes = rs->static_gz_len;
    } else {
      r = MHD_create_response_from_buffer(rs->static_len, (void *)rs->static_body,
                                          MHD_RESPMEM_PERSISTENT);
      st->bytes = rs->static_len;
    }
  } else {
    struct buf out = BUF_INIT;
    if (gzip_ok && compressible && rs->body.len >= GZIP_MIN_BYTES && gzip_body(srv, rs, &out)) {
      buf_free(&rs->body);
      gz = true;
    } else {
      buf_free(&out);
      out = rs->body;
      buf_init(&rs->body);
    }
    /* The request state owns the body until MHD reports the request
     * complete, so MHD needs no copy and nothing to free. */
    buf_free(&st->out);
    st->out = out;
    st->bytes = out.len;
    r = MHD_create_response_from_buffer(out.len, out.data ? out.data : (void *)"",
                                        MHD_RESPMEM_PERSISTENT);
  }
  if (!r)
    return MHD_NO;
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ct);
  if (gz)
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
  if (compressible)
    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
  add_common_headers(r, rs, ct);
  st->status = rs->status;
  enum MHD_Result ret = MHD_queue_response(c, (unsigned)rs->status, r);
  MHD_destroy_response(r);
  return ret;
}

static void fill_req(struct http_req *rq, struct http_server *srv, struct MHD_Connection *c,
                     struct conn_state *st, enum http_method m, const char *path)
{
  memset(rq, 0, sizeof *rq);
  rq->arena = &st->arena;
  rq->app = srv->app;
  rq->method = m;
  rq->path = path;
  rq->conn = c;
  const char *q = st->uri ? strchr(st->uri, '?') : NULL;
  rq->query_string = q ? q + 1 : "";
  rq->body = buf_cstr(&st->body);
  rq->body_len = st->body.len;
  rq->content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
  rq->accept_gzip = accepts_gzip(c);
  memcpy(rq->captures, st->caps, sizeof st->caps);
  rq->ncaptures = st->ncaps;
}

/* Queue an error page (HTML or JSON by path) with a stable code and a message. */
static enum MHD_Result send_error(struct http_server *srv, struct MHD_Connection *c,
                                  struct conn_state *st, enum http_method m, const char *path,
                                  int status, const char *code, const char *msg)
{
  struct http_req rq;
  struct http_resp rs;
  fill_req(&rq, srv, c, st, m, path);
  memset(&rs, 0, sizeof rs);
  rs.status = status;
  web_render_error(&rq, &rs, status, code, msg);
  if (status == 405) {
    static const struct {
      unsigned m;
      const char *name;
    } names[] = {{HTTP_GET, "GET"},       {HTTP_HEAD, "HEAD"},       {HTTP_POST, "POST"},
                 {HTTP_PUT, "PUT"},       {HTTP_DELETE, "DELETE"},   {HTTP_OPTIONS, "OPTIONS"},
                 {HTTP_PATCH, "PATCH"}};
    struct buf allow = BUF_INIT;
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
      if (st->allowed & names[i].m) {
        if (allow.len)
          buf_puts(&allow, ", ");
        buf_puts(&allow, names[i].name);
      }
    http_add_header(&rs, "Allow", arena_strdup(&st->arena, buf_cstr(&allow)));
    buf_free(&allow);
  }
  return send_resp(srv, c, st, &rs, rq.accept_gzip);
}

/* True when the path part of the raw request target has well-formed
 * %-escapes that decode to valid text (no NUL, no control characters, valid
 * UTF-8). MHD decodes the path itself and would let "%00" cut it short. */
static bool raw_path_valid(struct arena *a, const char *raw)
{
  if (!raw)
    return true;
  size_t n = strcspn(raw, "?");
  return http_percent_decode(a, raw, n, false) != NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
  (void)version;
  struct http_server *srv = cls;
  struct conn_state *st = *con_cls;
  if (!st) {
    st = state_new();
    st->uri = arena_strdup(&st->arena, url);
    *con_cls = st;
  }
  enum http_method m = http_method_from(method);
  if (!st->started) {
    st->started = true;
    if (!srv->quiet) {
      size_t mn = strnlen(method, sizeof st->method - 1);
      memcpy(st->method, method, mn);
      st->method[mn] = '\0';
      st->path = arena_strndup(&st->arena, url, strnlen(url, 256)); /* bounded for the log */
    }
    st->body_max = HTTP_LIMIT_BODY_DEFAULT;
    size_t hbytes = 0;
    MHD_get_connection_values(c, MHD_HEADER_KIND, sum_headers, &hbytes);
    if (st->uri_too_long) {
      st->early_status = 414;
      st->early_code = "uri_too_long";
      st->early_msg = "The web address is too long. Shorten it and try again.";
    } else if (hbytes > HTTP_LIMIT_HEADER_BYTES) {
      st->early_status = 431;
      st->early_code = "headers_too_large";
      st->early_msg = "The request headers are too large. Clear this site's cookies and try again.";
    } else if (!raw_path_valid(&st->arena, st->uri) || !http_valid_text(url, strlen(url))) {
      st->early_status = 400;
      st->early_code = "bad_path";
      st->early_msg = "The web address contains characters that are not allowed.";
    } else {
      st->route = http_route_match(srv->routes, srv->nroutes, m, url, &st->arena, st->caps,
                                   &st->ncaps, &st->allowed);
      if (!st->route && st->allowed) {
        st->early_status = 405;
        st->early_code = "method_not_allowed";
        st->early_msg = "This page cannot be used with that kind of request.";
      } else if (!st->route) {
        st->early_status = 404;
        st->early_code = "not_found";
        st->early_msg = "We could not find the page you were looking for.";
      } else {
        if (st->route->body_max)
          st->body_max = st->route->body_max;
        const char *cl =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > st->body_max) {
          st->early_status = 413;
          st->early_code = "body_too_large";
          st->early_msg = "The information sent is too large.";
        }
      }
    }
    if (st->early_status && st->early_status != 404 && st->early_status != 405)
      return send_error(srv, c, st, m, url, st->early_status, st->early_code, st->early_msg);
    return MHD_YES;
  }
  if (*upload_size) {
    if (!st->body_too_large && st->body.len + *upload_size <= st->body_max)
      buf_append(&st->body, upload_data, *upload_size);
    else {
      st->body_too_large = true;
      buf_free(&st->body);
    }
    *upload_size = 0;
    return MHD_YES;
  }
  if (st->early_status)
    return send_error(srv, c, st, m, url, st->early_status, st->early_code, st->early_msg);
  if (st->body_too_large)
    return send_error(srv, c, st, m, url, 413, "body_too_large",
                      "The information sent is too large.");

  struct http_req rq;
  fill_req(&rq, srv, c, st, m, url);
  enum http_parse_status ps =
      http_parse_urlencoded(&st->arena, rq.query_string, strlen(rq.query_string),
                            HTTP_LIMIT_QUERY_ARGS, &rq.query, &rq.nquery);
  if (ps == HTTP_PARSE_TOO_MANY)
    return send_error(srv, c, st, m, url, 400, "too_many_parameters",
                      "The web address has too many parameters.");
  if (ps != HTTP_PARSE_OK)
    return send_error(srv, c, st, m, url, 400, "bad_query",
                      "The web address is not encoded correctly.");
  if (rq.content_type && str_starts(rq.content_type, "application/x-www-form-urlencoded")) {
    ps = http_parse_urlencoded(&st->arena, rq.body, rq.body_len, HTTP_LIMIT_FORM_FIELDS, &rq.form,
                               &rq.nform);
    if (ps == HTTP_PARSE_TOO_MANY)
      return send_error(srv, c, st, m, url, 400, "too_many_fields",
                        "The form sent has too many fields.");
    if (ps != HTTP_PARSE_OK)
      return send_error(srv, c, st, m, url, 400, "bad_form",
                        "The form sent is not encoded correctly.");
  }
  struct http_resp rs;
  memset(&rs, 0, sizeof rs);
  rs.status = 200;
  rs.body = st->out; /* the memory of an earlier response, empty */
  buf_init(&st->out);
  if (rs.body.data)
    rs.body.data[0] = '\0';
  st->route->fn(&rq, &rs);
  return send_resp(srv, c, st, &rs, rq.accept_gzip);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
  (void)cls;
  char msg[512];
  vsnprintf(msg, sizeof msg, fmt, ap);
  size_t n = strlen(msg);
  while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
    msg[--n] = '\0';
  log_msg("warn", "http: %s", msg);
}

/* Parse "host:port", "[v6]:port" or ":port" into a socket address. */
static bool parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len, bool *v6)
{
  char host[256];
  const char *port;
  if (s[0] == '[') {
    const char *e = strchr(s, ']');
    if (!e || e[1] != ':' || (size_t)(e - s - 1) >= sizeof host)
      return false;
    memcpy(host, s + 1, (size_t)(e - s - 1));
    host[e - s - 1] = '\0';
    port = e + 2;
  } else {
    const char *colon = strrchr(s, ':');
    if (!colon || (size_t)(colon - s) >= sizeof host)
      return false;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    port = colon + 1;
  }
  if (!*port || strspn(port, "0123456789") != strlen(port) || atoi(port) > 65535)
    return false;
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  if (getaddrinfo(*host ? host : NULL, port, &hints, &res) != 0 || !res)
    return false;
  memcpy(ss, res->ai_addr, res->ai_addrlen);
  *len = res->ai_addrlen;
  *v6 = res->ai_family == AF_INET6;
  freeaddrinfo(res);
  return true;
}

static int listen_on(const struct sockaddr_storage *ss, socklen_t len, bool v6)
{
  int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (v6)
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (bind(fd, (const struct sockaddr *)ss, len) != 0 || listen(fd, 1024) != 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

/* MHD's worker threads report each connection started and closed. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
  (void)c;
  (void)socket_context;
  struct http_server *srv = cls;
  if (toe == MHD_CONNECTION_NOTIFY_STARTED)
    srv->started++;
  else if (toe == MHD_CONNECTION_NOTIFY_CLOSED)
    srv->closed++;
}

/* The acceptor thread: accepts every connection and hands it to MHD, which
 * gives it to a worker thread by the socket's number, so the workers carry
 * nearly equal numbers of connections. When MHD's workers accept for
 * themselves, whichever wakes first takes the connection, and a few
 * long-lived keep-alive connections (from a reverse proxy, say) can end up
 * on one worker while the other CPUs wait. */
static void *acceptor_main(void *p)
{
  struct http_server *srv = p;
  long long last_handed_us = 0;
  while (!srv->stopping) {
    /* At the connection limit, leave new connections waiting in the
     * backlog rather than accepting and closing them. MHD takes a handed
     * connection on in its worker thread, a moment later, so those still
     * on their way count as open. One that MHD dropped before starting it
     * (out of memory) stops counting after a second. */
    unsigned long started = srv->started, closed = srv->closed;
    unsigned long pending = srv->handed > started ? srv->handed - started : 0;
    if (pending && now_us() - last_handed_us > 1000000) {
      srv->handed = started;
      pending = 0;
    }
    if (started - closed + pending >= srv->max_conn) {
      usleep(10000);
      continue;
    }
    struct sockaddr_storage addr;
    socklen_t alen = sizeof addr;
    int fd = accept4(srv->lfd, (struct sockaddr *)&addr, &alen, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) {
      if (srv->stopping)
        break;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        log_msg("warn", "http: cannot accept a connection: %s", strerror(errno));
        usleep(100000);
      }
      continue; /* EINTR, ECONNABORTED and the like: try again */
    }
    /* MHD closes the socket itself when it cannot take it (over the limit
     * for one address, say). */
    if (MHD_add_connection(srv->d, fd, (struct sockaddr *)&addr, alen) == MHD_YES) {
      srv->handed++;
      last_handed_us = now_us();
    }
  }
  return NULL;
}

struct http_server *http_server_start(const struct http_server_opts *o, const struct app *app,
                                      const struct http_route *routes, size_t nroutes)
{
  struct sockaddr_storage ss;
  socklen_t sslen;
  bool v6;
  if (!parse_listen(o->listen, &ss, &sslen, &v6)) {
    fprintf(stderr, "firstdays: cannot use listen address '%s': give HOST:PORT, "
                    "for example 127.0.0.1:8080 or [::1]:8080\n", o->listen);
    return NULL;
  }
  struct http_server *srv = xcalloc(1, sizeof *srv);
  pthread_mutex_init(&srv->gz_mu, NULL);
  srv->app = app;
  srv->routes = routes;
  srv->nroutes = nroutes;
  srv->quiet = o->quiet;
  unsigned threads = o->threads;
  if (!threads) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    threads = n > 0 ? (unsigned)n : 2;
  }
  unsigned max_conn = o->max_connections ? o->max_connections : HTTP_LIMIT_CONNECTIONS;
  unsigned per_ip = o->per_ip ? o->per_ip : HTTP_LIMIT_PER_IP;
  unsigned timeout_s = o->timeout_s ? o->timeout_s : HTTP_LIMIT_TIMEOUT_S;
  srv->max_conn = max_conn;
  srv->lfd = listen_on(&ss, sslen, v6);
  if (srv->lfd < 0) {
    fprintf(stderr, "firstdays: cannot listen on %s: %s\n", o->listen, strerror(errno));
    pthread_mutex_destroy(&srv->gz_mu);
    free(srv);
    return NULL;
  }
  /* MHD takes each connection from the acceptor thread (MHD_USE_ITC wakes
   * the worker it goes to) and never listens itself. */
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG |
                   MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC;
  if (v6)
    flags |= MHD_USE_IPv6;
  srv->d = MHD_start_daemon(
      flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, srv,
      /* The acceptor keeps to max_conn; MHD's own limit, above it, is
       * never what turns a connection away. */
      MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT, max_conn + 64,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip, MHD_OPTION_CONNECTION_TIMEOUT, timeout_s,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_LIMIT_CONN_MEMORY,
      MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION,
      on_connection, srv,
      MHD_OPTION_END);
  if (!srv->d || pthread_create(&srv->acceptor, NULL, acceptor_main, srv) != 0) {
    fprintf(stderr, "firstdays: cannot start the web server on %s\n", o->listen);
    if (srv->d)
      MHD_stop_daemon(srv->d);
    close(srv->lfd);
    pthread_mutex_destroy(&srv->gz_mu);
    free(srv);
    return NULL;
  }
  log_msg("info", "http: %u threads, at most %u connections (%u per address), idle timeout %u s",
          threads, max_conn, per_ip, timeout_s);
  return srv;
}

unsigned http_server_port(const struct http_server *s)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getsockname(s->lfd, (struct sockaddr *)&ss, &len) != 0)
    return 0;
  if (ss.ss_family == AF_INET6)
    return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
  return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

void http_server_stop(struct http_server *s)
{
  if (!s)
    return;
  /* Shutting the listening socket down wakes the acceptor from accept(). */
  s->stopping = 1;
  shutdown(s->lfd, SHUT_RDWR);
  pthread_join(s->acceptor, NULL);
  close(s->lfd);
  MHD_stop_daemon(s->d);
  for (size_t i = 0; i < GZ_CACHE_SLOTS; i++) {
    free(s->gz_cache[i].plain);
    free(s->gz_cache[i].gz);
  }
  pthread_mutex_destroy(&s->gz_mu);
  free(s);
}
