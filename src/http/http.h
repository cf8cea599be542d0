/* http.h: what handlers see of HTTP. Only src/http/ includes <microhttpd.h>;
 * handlers get an already-parsed, validated request and fill in a response.
 *
 * Limits are named constants here so that they can be tested and documented. */
#ifndef FD_HTTP_H
#define FD_HTTP_H
#include "../lib/arena.h"
#include "../lib/buf.h"
#include <stdbool.h>
#include <stddef.h>

/* --- Limits (each one has a test in tests/e2e/limits.test.mjs) --- */
#define HTTP_LIMIT_URI_BYTES 2048        /* request target; 414 above it */
#define HTTP_LIMIT_HEADER_BYTES 16384    /* all header names and values; 431 above it */
#define HTTP_LIMIT_QUERY_ARGS 32         /* query parameters; 400 above it */
#define HTTP_LIMIT_FORM_FIELDS 64        /* form fields in a urlencoded body; 400 above it */
#define HTTP_LIMIT_BODY_DEFAULT 65536    /* default request body cap per route; 413 above it */
#define HTTP_LIMIT_CONNECTIONS 512       /* simultaneous connections in total */
#define HTTP_LIMIT_PER_IP 64             /* simultaneous connections from one address */
#define HTTP_LIMIT_TIMEOUT_S 30          /* idle connection timeout in seconds */
#define HTTP_LIMIT_HEAD_S 10             /* request line and headers must arrive within this many
                                            seconds of the connection opening or the previous
                                            answer ending; the connection is closed otherwise */
#define HTTP_LIMIT_BODY_S 30             /* a body must arrive whole within this many seconds of
                                            its headers; the connection is closed otherwise */
#define HTTP_LIMIT_CONN_MEMORY 32768     /* per-connection memory pool (MHD) */
#define HTTP_LIMIT_STREAMS 16           /* answers written as the client reads them, at once;
                                            503 above it */
#define HTTP_LIMIT_STREAM_S 300          /* such an answer must be read whole within this many
                                            seconds; the connection is closed otherwise */
#define HTTP_STREAM_PART 16384           /* bytes a stream writes ahead of the client */
#define HTTP_MAX_CAPTURES 4
#define HTTP_MAX_EXTRA_HEADERS 8

enum http_method {
  HTTP_GET = 1 << 0,
  HTTP_HEAD = 1 << 1,
  HTTP_POST = 1 << 2,
  HTTP_PUT = 1 << 3,
  HTTP_DELETE = 1 << 4,
  HTTP_OPTIONS = 1 << 5,
  HTTP_PATCH = 1 << 6,
  HTTP_OTHER = 1 << 7,
};

struct http_kv {
  const char *key; /* NUL-terminated, decoded, arena memory */
  const char *val;
};

struct app;

/* --- Query and form parameters, declared as data on the route --- */
enum http_param_kind {
  HTTP_PARAM_TEXT,   /* any text of min to max bytes (max 0: no limit) */
  HTTP_PARAM_INT,    /* a whole number of digits alone, from min to max */
  HTTP_PARAM_NUMBER, /* a decimal number from min to max */
  HTTP_PARAM_BOOL,   /* true, false, 1 or 0 */
  HTTP_PARAM_CHOICE, /* one of choices; the value is its index */
  HTTP_PARAM_CUSTOM, /* text that check accepts */
};

/* A parameter's value once checked; set is false when it was not sent. */
struct http_param_value {
  bool set;
  const char *text; /* as sent, decoded */
  long long i;      /* INT; CHOICE: the index */
  double num;       /* INT and NUMBER */
  bool b;           /* BOOL */
  unsigned bits;    /* CUSTOM: what check made of it */
};

struct http_param {
  const char *name;
  enum http_param_kind kind;
  double min, max;
  const char *const *choices; /* CHOICE: NULL-terminated */
  /* CUSTOM: true when text is acceptable; may fill v (num, i, bits). */
  bool (*check)(const char *text, struct http_param_value *v);
  bool required;
  const char *code;    /* the error code when the value is wrong or missing */
  const char *message; /* what to send instead, e.g. "page must be a whole number ..." */
};

/* The parameters a route takes. Names not in the list are refused (400
 * unknown_parameter, naming those it takes) unless ignore_unknown; names
 * that start with '_' (cache busters) are always ignored. */
struct http_params {
  const struct http_param *list;
  size_t n;
  bool ignore_unknown;
};
#define HTTP_PARAMS(arr) {(arr), sizeof(arr) / sizeof((arr)[0]), false}
#define HTTP_PARAMS_LAX(arr) {(arr), sizeof(arr) / sizeof((arr)[0]), true}

struct http_req {
  struct arena *arena;     /* request memory; freed when the response is done */
  const struct app *app;   /* read-only application state */
  enum http_method method;
  const char *path;        /* decoded path, e.g. "/awareness-week/2021" */
  const char *query_string;/* raw query without '?', "" when none */
  struct http_kv *query;
  size_t nquery;
  struct http_kv *form;    /* fields of an application/x-www-form-urlencoded body */
  size_t nform;
  const char *body;        /* raw body, NUL-terminated, "" when none */
  size_t body_len;
  const char *content_type;/* Content-Type header or NULL */
  const char *captures[HTTP_MAX_CAPTURES]; /* '*' segments of the route pattern */
  size_t ncaptures;
  bool accept_gzip;
  void *conn;              /* opaque: the server's connection, or NULL in-process */
  const struct http_kv *headers; /* in-process (conn NULL): the request headers */
  size_t nheaders;
  const struct http_params *params; /* the route's, or NULL */
  struct http_param_value *param;   /* one per params->list entry, checked */
};

enum http_cache {
  HTTP_CACHE_NO_STORE = 0, /* default: dynamic pages, may hold personal answers */
  HTTP_CACHE_SHORT,        /* public, 5 minutes: content pages, API listings */
  HTTP_CACHE_DAY,          /* public, one day: unversioned static files */
  HTTP_CACHE_IMMUTABLE,    /* public, one year, immutable: versioned static files */
};

struct http_resp {
  int status;                 /* default 200 */
  const char *content_type;   /* default "text/html; charset=utf-8" */
  struct buf body;            /* dynamic body */
  const void *static_body;    /* or a body that outlives the response (static files) */
  size_t static_len;
  const void *static_gz;      /* optional precompressed copy of static_body */
  size_t static_gz_len;
  const char *etag;           /* optional strong ETag (quoted) */
  enum http_cache cache;
  bool cors;                  /* add Access-Control-Allow-Origin: * */
  /* Or a body written in parts as the client reads it, so that no answer
   * is held whole in memory: fill appends the next part (about
   * HTTP_STREAM_PART bytes) to b and returns false once it has written the
   * last; done(ctx) is called once, however the answer ends (also when it
   * is never sent). Not compressed. */
  bool (*stream_fill)(void *ctx, struct buf *b);
  void (*stream_done)(void *ctx);
  void *stream_ctx;
  const char *hdr_name[HTTP_MAX_EXTRA_HEADERS];
  const char *hdr_value[HTTP_MAX_EXTRA_HEADERS];
  size_t nhdr;
};

typedef void (*http_handler)(struct http_req *rq, struct http_resp *rs);

enum http_route_flags {
  HTTP_ROUTE_PREFIX = 1 << 0, /* pattern's final "**" matches the rest of the path */
};

/* Who may call a route. Staff roles are added here as they come. */
enum http_access {
  HTTP_ACCESS_PUBLIC = 0, /* anyone; the answer reads and sets no cookie */
};

/* One row of the route table (src/routes.c), fields named:
 *   {.methods = HTTP_GET, .path = "/things", .handler = fn, .params = &thing_params} */
struct http_route {
  unsigned methods;    /* mask of enum http_method; GET implies HEAD */
  const char *path;    /* "/a/b"; "*" matches one segment; a final "**" the rest */
  http_handler handler;
  size_t body_max;     /* 0: HTTP_LIMIT_BODY_DEFAULT */
  enum http_access access;
  const struct http_params *params; /* NULL: the handler reads the query itself */
};

/* A decimal number of at most 32 characters and nothing else (no leading
 * space, no inf or nan), as HTTP_PARAM_NUMBER takes it, into *out. */
bool http_parse_number(const char *s, double *out);
/* The checked value of the route's parameter name; an unset value when the
 * request did not send it or the route does not declare it. */
const struct http_param_value *http_param(const struct http_req *rq, const char *name);
/* Value of query parameter key (first occurrence), or NULL. */
const char *http_query(const struct http_req *rq, const char *key);
/* Value of form field key (first occurrence), or NULL. */
const char *http_form(const struct http_req *rq, const char *key);
/* Request header value, or NULL. */
const char *http_header(const struct http_req *rq, const char *name);
/* Add a response header; name and value must outlive the response (use the arena). */
void http_add_header(struct http_resp *rs, const char *name, const char *value);

/* Renders an error answer (an HTML page or JSON by path) with a stable code
 * and a message a person can act on. http/ knows no page: the site passes
 * its renderer in. */
typedef void (*http_error_renderer)(struct http_req *rq, struct http_resp *rs, int status,
                                    const char *code, const char *message);

/* --- Handling a request, apart from the socket (dispatch.c; fuzzed whole) --- */

/* A request once its line and headers have arrived. */
struct http_head {
  const char *method;         /* as sent */
  const char *target;         /* raw request target (path and query), perhaps cut to the limit */
  size_t target_len;          /* the target's length as sent */
  const char *path;           /* the decoded path */
  size_t header_bytes;        /* name + value + 4, summed over every header */
  unsigned n_content_length;  /* Content-Length headers sent */
  bool transfer_encoding;     /* a Transfer-Encoding header was sent */
  unsigned long long content_length; /* the first Content-Length's value, 0 when none */
};

/* What to do with a request, decided from its head alone. */
struct http_decision {
  enum http_method method;
  const struct http_route *route; /* NULL when refused */
  int status;                     /* refused: the answer's status, code and message */
  const char *code;
  const char *message;
  bool answer_now;    /* refused before its body: answer at once, read no body, close */
  unsigned allowed;   /* for 405: the methods the path takes */
  const char *caps[HTTP_MAX_CAPTURES];
  size_t ncaps;
  size_t body_max;    /* bytes of body the route takes */
};

/* Add h's header name and value to its sums (header_bytes, Content-Length,
 * Transfer-Encoding). Call once per header, in order. */
void http_head_add_header(struct http_head *h, const char *name, const char *value);
/* Decide from the head alone: limits, request-smuggling shapes (RFC 9112
 * section 6.3), the path's characters, the route and the body's size. d's
 * strings are static or in a. */
void http_head_check(const struct http_route *routes, size_t nroutes, const struct http_head *h,
                     struct arena *a, struct http_decision *d);
/* Fill rq from the head and the decision (the caller sets app, body,
 * content_type, accept_gzip and conn or headers). */
void http_req_init(struct http_req *rq, struct arena *a, const struct http_head *h,
                   const struct http_decision *d);
/* Parse the query and the form and run the route's handler, or render the
 * refusal in d. rs must be zeroed with status 200 and an empty body. */
void http_dispatch(const struct http_decision *d, struct http_req *rq, struct http_resp *rs,
                   http_error_renderer render_error);
/* Render a refusal: the error page, with Allow for 405 and Connection:
 * close when the connection will not be kept. */
void http_refuse(struct http_req *rq, struct http_resp *rs, http_error_renderer render_error,
                 int status, const char *code, const char *message, unsigned allowed,
                 bool close);

/* --- Pure parsers (no I/O; fuzzed in tests/fuzz) --- */
/* True when an Accept-Encoding value accepts gzip (not with q=0). */
bool http_accepts_gzip(const char *accept_encoding);
enum http_parse_status { HTTP_PARSE_OK = 0, HTTP_PARSE_TOO_MANY, HTTP_PARSE_BAD_ENCODING };
/* Parse "a=1&b=two+words" (query or urlencoded body) into arena memory.
 * Returns HTTP_PARSE_TOO_MANY when more than max pairs, HTTP_PARSE_BAD_ENCODING
 * for a malformed %-escape or a decoded NUL or invalid UTF-8. */
enum http_parse_status http_parse_urlencoded(struct arena *a, const char *s, size_t n, size_t max,
                                             struct http_kv **out, size_t *nout);
/* Parse a Cookie header ("a=1; b=2") into arena memory; at most max cookies. */
enum http_parse_status http_parse_cookies(struct arena *a, const char *s, size_t n, size_t max,
                                          struct http_kv **out, size_t *nout);
/* Percent-decode s into arena memory ('+' becomes space when plus_space). NULL if malformed. */
char *http_percent_decode(struct arena *a, const char *s, size_t n, bool plus_space);
/* True when s[0..n) is valid UTF-8 with no NUL or C0 control other than tab/CR/LF. */
bool http_valid_text(const char *s, size_t n);

/* --- Router --- */
/* Match method+path against the table. Returns the route or NULL; when the path
 * matches some route but not the method, *allowed gets the mask of methods
 * that would match (for 405). Captures go into caps (arena memory). */
const struct http_route *http_route_match(const struct http_route *routes, size_t nroutes,
                                          enum http_method m, const char *path,
                                          struct arena *a, const char **caps, size_t *ncaps,
                                          unsigned *allowed);
enum http_method http_method_from(const char *s);

/* --- Server --- */
struct http_server_opts {
  const char *listen;      /* "127.0.0.1:8080" or "[::1]:8080" or ":8080" */
  unsigned threads;        /* worker threads (0: number of CPUs) */
  unsigned max_connections;
  unsigned per_ip;
  unsigned timeout_s;
  unsigned head_timeout_s; /* 0: HTTP_LIMIT_HEAD_S */
  unsigned body_timeout_s; /* 0: HTTP_LIMIT_BODY_S */
  bool quiet;              /* no per-request log line */
  http_error_renderer render_error;
};
struct http_server;
/* Start serving the route table with app as context. Returns NULL with a
 * message on stderr when the address cannot be bound. */
struct http_server *http_server_start(const struct http_server_opts *o, const struct app *app,
                                      const struct http_route *routes, size_t nroutes);
/* The port actually bound (useful with port 0). */
unsigned http_server_port(const struct http_server *s);
void http_server_stop(struct http_server *s);

#endif
