/* server.c: the libmicrohttpd glue. This and nothing else includes
 * <microhttpd.h>. It enforces the limits in http.h, collects bodies, parses
 * the query string and forms, dispatches through the route table, adds the
 * security headers, compresses and logs. */
#include "http.h"
#include "../app.h"
#include "../lib/gz.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
  _Atomic unsigned streams; /* streamed answers being sent */
  unsigned long handed;
  const struct app *app;
  const struct http_route *routes;
  size_t nroutes;
  http_error_renderer render_error;
  long long head_us, body_us; /* the deadlines for a request's head and body */
  long long stream_us;        /* and for reading a streamed answer */
  bool quiet;
  /* Every open connection, for the reaper thread, which closes those that
   * pass their deadline (a request head or body that never arrives whole). */
  pthread_mutex_t watch_mu;
  struct conn_watch *watching;
  pthread_t reaper;
  pthread_mutex_t reaper_mu;
  pthread_cond_t reaper_cv;
  pthread_mutex_t gz_mu;
  struct gz_slot gz_cache[GZ_CACHE_SLOTS]; /* direct-mapped by hash */
};

/* One open connection, as the reaper sees it (MHD's socket context). */
struct conn_watch {
  int fd;
  _Atomic long long deadline_us; /* now_us() by which the connection must move on; 0: none */
  struct conn_watch *prev, *next;
};

/* Per-request state, created by the URI logger (the first callback MHD makes
 * for a request) and freed when MHD reports the request complete. */
struct conn_state {
  struct arena arena;
  char *uri;            /* raw request target (path and query), arena, cut to the limit */
  size_t uri_len;       /* its length as sent */
  bool started;
  struct http_head head;
  struct http_decision dec;
  struct buf body;
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

/* Give the connection c until us microseconds from now to move on; 0 for
 * no deadline. */
static void set_deadline(struct MHD_Connection *c, long long us)
{
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  struct conn_watch *w = ci ? ci->socket_context : NULL;
  if (w)
    w->deadline_us = us ? now_us() + us : 0;
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
  if (!uri)
    uri = "";
  size_t n = strlen(uri);
  st->uri_len = n;
  st->uri = arena_strndup(&st->arena, uri, n > HTTP_LIMIT_URI_BYTES ? HTTP_LIMIT_URI_BYTES : n);
  /* firstdays parses the query itself, from this copy, under its own
   * limits. libmicrohttpd would parse it too, into its fixed connection
   * pool, and a few hundred bare '&' exhaust that pool before any limit of
   * ours can answer. So its copy of the query is cut to nothing: the URI
   * handed here is its own request-line buffer, which it goes on to split
   * at the '?' it has already found and to decode in place. */
  char *q = strchr(uri, '?');
  if (q && q[1])
    q[1] = '\0';
  return st;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
  struct http_server *srv = cls;
  struct conn_state *st = *con_cls;
  if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
    set_deadline(c, srv->head_us); /* for the next request on this connection */
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

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
  (void)kind;
  http_head_add_header(cls, key, value);
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
  if (rq->conn)
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
  for (size_t i = 0; i < rq->nheaders; i++)
    if (strcasecmp(rq->headers[i].key, name) == 0)
      return rq->headers[i].val;
  return NULL;
}

void http_add_header(struct http_resp *rs, const char *name, const char *value)
{
  if (rs->nhdr >= HTTP_MAX_EXTRA_HEADERS)
    fatal("http_add_header: more than %d extra headers", HTTP_MAX_EXTRA_HEADERS);
  rs->hdr_name[rs->nhdr] = name;
  rs->hdr_value[rs->nhdr] = value;
  rs->nhdr++;
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

/* A streamed answer being sent: the part written ahead of the client. */
struct stream {
  struct http_server *srv;
  bool (*fill)(void *ctx, struct buf *b);
  void (*done)(void *ctx);
  void *ctx;
  struct buf part;
  size_t off;   /* bytes of part already handed to MHD */
  bool more;    /* fill has more to write */
};

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
  (void)pos;
  struct stream *sm = cls;
  if (sm->off == sm->part.len) {
    sm->part.len = 0;
    sm->off = 0;
    while (sm->more && sm->part.len == 0)
      sm->more = sm->fill(sm->ctx, &sm->part);
    if (sm->part.len == 0)
      return MHD_CONTENT_READER_END_OF_STREAM;
  }
  size_t n = sm->part.len - sm->off;
  if (n > max)
    n = max;
  memcpy(out, sm->part.data + sm->off, n);
  sm->off += n;
  return (ssize_t)n;
}

static void stream_free(void *cls)
{
  struct stream *sm = cls;
  sm->done(sm->ctx);
  buf_free(&sm->part);
  sm->srv->streams--; /* counted in send_answer */
  free(sm);
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
  if (rs->stream_fill) {
    buf_free(&st->out); /* keep the unused body memory for the next request */
    st->out = rs->body;
    buf_init(&rs->body);
    struct stream *sm = xcalloc(1, sizeof *sm);
    *sm = (struct stream){.srv = srv, .fill = rs->stream_fill, .done = rs->stream_done,
                          .ctx = rs->stream_ctx, .more = true};
    buf_reserve(&sm->part, HTTP_STREAM_PART * 2);
    r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, HTTP_STREAM_PART, stream_read, sm,
                                          stream_free);
    if (!r) {
      stream_free(sm);
      return MHD_NO;
    }
    /* libmicrohttpd 0.9.75 ends a chunked answer to HEAD with its last
     * chunk, which would be read as the start of the next answer: to HEAD,
     * the headers without chunks, and the connection closed after them. */
    if (strcmp(st->head.method, "HEAD") == 0)
      MHD_set_response_options(r, MHD_RF_HTTP_1_0_COMPATIBLE_STRICT, MHD_RO_END);
    compressible = false;
    set_deadline(c, srv->stream_us);
  } else if (rs->static_body) {
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
                     struct conn_state *st)
{
  http_req_init(rq, &st->arena, &st->head, &st->dec);
  rq->app = srv->app;
  rq->conn = c;
  rq->body = buf_cstr(&st->body);
  rq->body_len = st->body.len;
  rq->content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
  rq->accept_gzip = http_accepts_gzip(
      MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING));
}

/* Answer the request: its handler's page, or the refusal decided from its
 * head. */
static enum MHD_Result send_answer(struct http_server *srv, struct MHD_Connection *c,
                                   struct conn_state *st)
{
  struct http_req rq;
  fill_req(&rq, srv, c, st);
  struct http_resp rs;
  memset(&rs, 0, sizeof rs);
  rs.status = 200;
  rs.body = st->out; /* the memory of an earlier response, empty */
  buf_init(&st->out);
  if (rs.body.data)
    rs.body.data[0] = '\0';
  http_dispatch(&st->dec, &rq, &rs, srv->render_error);
  if (rs.stream_fill && ++srv->streams > HTTP_LIMIT_STREAMS) {
    /* A streamed answer holds its search and its part in memory while the
     * client reads: so many at once and no more. */
    srv->streams--;
    rs.stream_done(rs.stream_ctx);
    rs.stream_fill = NULL;
    http_refuse(&rq, &rs, srv->render_error, 503, "busy",
                "The server is sending as many large answers as it can at once. Try again in a "
                "minute.", 0, false);
    http_add_header(&rs, "Retry-After", "60");
  }
  return send_resp(srv, c, st, &rs, rq.accept_gzip);
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
    st->uri_len = strlen(url);
    *con_cls = st;
  }
  if (!st->started) {
    st->started = true;
    if (!srv->quiet) {
      size_t mn = strnlen(method, sizeof st->method - 1);
      memcpy(st->method, method, mn);
      st->method[mn] = '\0';
      st->path = arena_strndup(&st->arena, url, strnlen(url, 256)); /* bounded for the log */
    }
    st->head.method = method;
    st->head.target = st->uri;
    st->head.target_len = st->uri_len;
    st->head.path = url;
    MHD_get_connection_values(c, MHD_HEADER_KIND, add_header, &st->head);
    http_head_check(srv->routes, srv->nroutes, &st->head, &st->arena, &st->dec);
    if (st->dec.answer_now) {
      set_deadline(c, 0);
      return send_answer(srv, c, st);
    }
    set_deadline(c, st->head.content_length ? srv->body_us : 0);
    return MHD_YES;
  }
  if (*upload_size) {
    /* Content-Length is at most the route's limit (checked above) and
     * libmicrohttpd delivers no more than it, so this holds; if it ever did
     * not, the connection is dropped rather than the body kept. */
    if (st->body.len + *upload_size > st->dec.body_max)
      return MHD_NO;
    buf_append(&st->body, upload_data, *upload_size);
    *upload_size = 0;
    return MHD_YES;
  }
  set_deadline(c, 0);
  return send_answer(srv, c, st);
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
  struct http_server *srv = cls;
  if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
    srv->started++;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    struct conn_watch *w = xcalloc(1, sizeof *w);
    w->fd = ci ? ci->connect_fd : -1;
    w->deadline_us = now_us() + srv->head_us;
    pthread_mutex_lock(&srv->watch_mu);
    w->next = srv->watching;
    if (w->next)
      w->next->prev = w;
    srv->watching = w;
    pthread_mutex_unlock(&srv->watch_mu);
    *socket_context = w;
  } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
    /* MHD reports the close before it closes the socket, so the reaper,
     * under the same lock, never shuts down a number already reused. */
    struct conn_watch *w = *socket_context;
    if (w) {
      pthread_mutex_lock(&srv->watch_mu);
      if (w->prev)
        w->prev->next = w->next;
      else
        srv->watching = w->next;
      if (w->next)
        w->next->prev = w->prev;
      pthread_mutex_unlock(&srv->watch_mu);
      free(w);
      *socket_context = NULL;
    }
    srv->closed++;
  }
}

/* The reaper thread: twice a second, shuts down each connection past its
 * deadline. libmicrohttpd's own timeout counts from the last byte, so a
 * client that sends one byte every few seconds would keep a connection for
 * ever; the deadline counts from when the request could begin. The
 * worker thread then sees the socket end and closes the connection as for
 * any client that went away. */
static void *reaper_main(void *p)
{
  struct http_server *srv = p;
  pthread_mutex_lock(&srv->reaper_mu);
  while (!srv->stopping) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 500000000;
    if (ts.tv_nsec >= 1000000000) {
      ts.tv_sec++;
      ts.tv_nsec -= 1000000000;
    }
    pthread_cond_timedwait(&srv->reaper_cv, &srv->reaper_mu, &ts);
    if (srv->stopping)
      break;
    long long now = now_us();
    unsigned closed = 0;
    pthread_mutex_lock(&srv->watch_mu);
    for (struct conn_watch *w = srv->watching; w; w = w->next) {
      long long d = w->deadline_us;
      if (d && now > d && w->fd >= 0) {
        shutdown(w->fd, SHUT_RDWR);
        w->deadline_us = 0;
        closed++;
      }
    }
    pthread_mutex_unlock(&srv->watch_mu);
    if (closed)
      log_msg("info", "http: closed %u connection(s) whose request did not arrive in time",
              closed);
  }
  pthread_mutex_unlock(&srv->reaper_mu);
  return NULL;
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

/* Free what http_server_start allocated, once every thread has stopped. */
static void server_free(struct http_server *s)
{
  for (size_t i = 0; i < GZ_CACHE_SLOTS; i++) {
    free(s->gz_cache[i].plain);
    free(s->gz_cache[i].gz);
  }
  pthread_mutex_destroy(&s->gz_mu);
  pthread_mutex_destroy(&s->watch_mu);
  pthread_mutex_destroy(&s->reaper_mu);
  pthread_cond_destroy(&s->reaper_cv);
  free(s);
}

static void stop_reaper(struct http_server *s)
{
  pthread_mutex_lock(&s->reaper_mu);
  s->stopping = 1;
  pthread_cond_signal(&s->reaper_cv);
  pthread_mutex_unlock(&s->reaper_mu);
  pthread_join(s->reaper, NULL);
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
  srv->render_error = o->render_error;
  srv->head_us = (long long)(o->head_timeout_s ? o->head_timeout_s : HTTP_LIMIT_HEAD_S) * 1000000;
  srv->body_us = (long long)(o->body_timeout_s ? o->body_timeout_s : HTTP_LIMIT_BODY_S) * 1000000;
  srv->stream_us = (long long)HTTP_LIMIT_STREAM_S * 1000000;
  pthread_mutex_init(&srv->watch_mu, NULL);
  pthread_mutex_init(&srv->reaper_mu, NULL);
  pthread_cond_init(&srv->reaper_cv, NULL);
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
    server_free(srv);
    return NULL;
  }
  /* MHD takes each connection from the acceptor thread (MHD_USE_ITC wakes
   * the worker it goes to) and never listens itself. Its workers use poll():
   * with epoll, libmicrohttpd 0.9.75 leaves a connection whose partial
   * request and close arrive together open until a deadline ends it, so a
   * client sending "GET /b" and closing, a few times a second, would hold
   * every connection slot (tests/e2e/hardening.test.mjs). */
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG |
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
  if (!srv->d || pthread_create(&srv->reaper, NULL, reaper_main, srv) != 0) {
    fprintf(stderr, "firstdays: cannot start the web server on %s\n", o->listen);
    if (srv->d)
      MHD_stop_daemon(srv->d);
    close(srv->lfd);
    server_free(srv);
    return NULL;
  }
  if (pthread_create(&srv->acceptor, NULL, acceptor_main, srv) != 0) {
    fprintf(stderr, "firstdays: cannot start the web server on %s\n", o->listen);
    stop_reaper(srv);
    MHD_stop_daemon(srv->d);
    close(srv->lfd);
    server_free(srv);
    return NULL;
  }
  log_msg("info",
          "http: %u threads, at most %u connections (%u per address), idle timeout %u s, "
          "request head within %lld s, body within %lld s",
          threads, max_conn, per_ip, timeout_s, srv->head_us / 1000000, srv->body_us / 1000000);
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
  stop_reaper(s);
  close(s->lfd);
  MHD_stop_daemon(s->d);
  server_free(s);
}
