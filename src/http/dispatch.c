/* dispatch.c: what happens to a request apart from the socket. From its head
 * alone: the limits, the request-smuggling shapes, the path's characters,
 * the route and the body's size; then the query and form parsed once and
 * the handler run. server.c calls these from libmicrohttpd's callbacks;
 * tests/fuzz/fuzz_request.c calls them in-process on whole requests. */
#include "http.h"
#include "../lib/utf8.h"
#include "../lib/util.h"
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void http_head_add_header(struct http_head *h, const char *name, const char *value)
{
  size_t vlen = value ? strlen(value) : 0;
  h->header_bytes += strlen(name) + vlen + 4;
  if (strcasecmp(name, "Content-Length") == 0) {
    if (h->n_content_length++ == 0)
      h->content_length = value ? strtoull(value, NULL, 10) : 0;
  } else if (strcasecmp(name, "Transfer-Encoding") == 0) {
    h->transfer_encoding = true;
  }
}

/* Text that may stand in a path: well-formed UTF-8 with no control
 * character at all (a tab, CR or LF in a path is never a real address). */
static bool path_text_ok(const char *s, size_t n)
{
  if (!http_valid_text(s, n))
    return false;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20)
      return false;
  return true;
}

/* True when the path part of the raw target has well-formed %-escapes that
 * decode to text that may stand in a path. The server's own decoding would
 * let "%00" cut the path short. */
static bool raw_path_ok(struct arena *a, const char *raw)
{
  size_t n = strcspn(raw, "?");
  char *dec = http_percent_decode(a, raw, n, false);
  return dec && path_text_ok(dec, strlen(dec));
}

static void refuse(struct http_decision *d, int status, const char *code, const char *message)
{
  d->status = status;
  d->code = code;
  d->message = message;
}

void http_head_check(const struct http_route *routes, size_t nroutes, const struct http_head *h,
                     struct arena *a, struct http_decision *d)
{
  memset(d, 0, sizeof *d);
  d->method = http_method_from(h->method);
  d->body_max = HTTP_LIMIT_BODY_DEFAULT;
  bool has_body = h->content_length > 0 || h->transfer_encoding;
  if (h->transfer_encoding && h->n_content_length) {
    /* RFC 9112 section 6.3: either framing could be the real one, so
     * whatever follows could be read as a second request. */
    refuse(d, 400, "ambiguous_length",
           "The request gives both Content-Length and Transfer-Encoding. Send one of them.");
  } else if (h->n_content_length > 1) {
    refuse(d, 400, "ambiguous_length",
           "The request gives Content-Length more than once. Send it once.");
  } else if (h->transfer_encoding) {
    refuse(d, 411, "length_required",
           "Send the request body with a Content-Length header, not in chunks.");
  } else if (h->target_len > HTTP_LIMIT_URI_BYTES) {
    refuse(d, 414, "uri_too_long", "The web address is too long. Shorten it and try again.");
  } else if (h->header_bytes > HTTP_LIMIT_HEADER_BYTES) {
    refuse(d, 431, "headers_too_large",
           "The request headers are too large. Clear this site's cookies and try again.");
  } else if (!raw_path_ok(a, h->target) || !path_text_ok(h->path, strlen(h->path))) {
    refuse(d, 400, "bad_path", "The web address contains characters that are not allowed.");
  } else {
    d->route = http_route_match(routes, nroutes, d->method, h->path, a, d->caps, &d->ncaps,
                                &d->allowed);
    if (!d->route && d->allowed) {
      refuse(d, 405, "method_not_allowed", "This page cannot be used with that kind of request.");
    } else if (!d->route) {
      refuse(d, 404, "not_found", "We could not find the page you were looking for.");
    } else {
      if (d->route->body_max)
        d->body_max = d->route->body_max;
      if (h->content_length > d->body_max) {
        d->route = NULL;
        refuse(d, 413, "body_too_large", "The information sent is too large.");
      }
    }
  }
  /* A page that is not found, or a method the path does not take, keeps
   * the connection when there is no body to skip; every other refusal
   * (and any refusal of a request with a body) is answered before the body
   * is read, and the connection closed. */
  if (d->status)
    d->answer_now = has_body || (d->status != 404 && d->status != 405);
}

void http_req_init(struct http_req *rq, struct arena *a, const struct http_head *h,
                   const struct http_decision *d)
{
  memset(rq, 0, sizeof *rq);
  rq->arena = a;
  rq->method = d->method;
  rq->path = h->path;
  const char *q = strchr(h->target, '?');
  rq->query_string = q ? q + 1 : "";
  rq->body = "";
  memcpy(rq->captures, d->caps, sizeof d->caps);
  rq->ncaptures = d->ncaps;
}

void http_refuse(struct http_req *rq, struct http_resp *rs, http_error_renderer render_error,
                 int status, const char *code, const char *message, unsigned allowed, bool close)
{
  rs->status = status;
  render_error(rq, rs, status, code, message);
  if (status == 405) {
    static const struct {
      unsigned m;
      const char *name;
    } names[] = {{HTTP_GET, "GET"},       {HTTP_HEAD, "HEAD"},       {HTTP_POST, "POST"},
                 {HTTP_PUT, "PUT"},       {HTTP_DELETE, "DELETE"},   {HTTP_OPTIONS, "OPTIONS"},
                 {HTTP_PATCH, "PATCH"}};
    struct buf allow = BUF_INIT;
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
      if (allowed & names[i].m) {
        if (allow.len)
          buf_puts(&allow, ", ");
        buf_puts(&allow, names[i].name);
      }
    http_add_header(rs, "Allow", arena_strdup(rq->arena, buf_cstr(&allow)));
    buf_free(&allow);
  }
  if (close)
    http_add_header(rs, "Connection", "close");
}

/* Parse urlencoded text into *out, or render the refusal and return false. */
static bool parse_pairs(struct http_req *rq, struct http_resp *rs, http_error_renderer render_error,
                        const char *s, size_t n, size_t max, struct http_kv **out, size_t *nout,
                        bool form)
{
  enum http_parse_status ps = http_parse_urlencoded(rq->arena, s, n, max, out, nout);
  if (ps == HTTP_PARSE_OK)
    return true;
  if (ps == HTTP_PARSE_TOO_MANY)
    http_refuse(rq, rs, render_error, 400, form ? "too_many_fields" : "too_many_parameters",
                form ? "The form sent has too many fields."
                     : "The web address has too many parameters.",
                0, false);
  else
    http_refuse(rq, rs, render_error, 400, form ? "bad_form" : "bad_query",
                form ? "The form sent is not encoded correctly."
                     : "The web address is not encoded correctly.",
                0, false);
  return false;
}

static const struct http_param_value unset;

const struct http_param_value *http_param(const struct http_req *rq, const char *name)
{
  if (!rq->params)
    return &unset;
  for (size_t i = 0; i < rq->params->n; i++)
    if (rq->params->list[i].name[0] == name[0] && strcmp(rq->params->list[i].name, name) == 0)
      return &rq->param[i];
  return &unset;
}

/* A whole number of 1 to 15 digits and nothing else, into *out. */
static bool whole_number(const char *s, long long *out)
{
  long long v = 0;
  size_t n = 0;
  for (; s[n] >= '0' && s[n] <= '9'; n++) {
    if (n == 15)
      return false;
    v = v * 10 + (s[n] - '0');
  }
  *out = v;
  return n && !s[n];
}

bool http_parse_number(const char *s, double *out)
{
  if (!*s || strlen(s) > 32 || isspace((unsigned char)s[0]))
    return false;
  long long i;
  if (whole_number(s, &i)) { /* the usual case, exactly and without strtod */
    *out = (double)i;
    return true;
  }
  char *end;
  *out = strtod(s, &end);
  return !*end && isfinite(*out);
}

/* Check text against p, filling v. */
static bool param_ok(const struct http_param *p, const char *text, struct http_param_value *v)
{
  v->set = true;
  v->text = text;
  switch (p->kind) {
  case HTTP_PARAM_TEXT: {
    size_t n = strlen(text);
    return n >= (size_t)p->min && (p->max == 0 || n <= (size_t)p->max);
  }
  case HTTP_PARAM_INT:
    if (!whole_number(text, &v->i))
      return false;
    v->num = (double)v->i;
    return v->num >= p->min && v->num <= p->max;
  case HTTP_PARAM_NUMBER:
    return http_parse_number(text, &v->num) && v->num >= p->min && v->num <= p->max;
  case HTTP_PARAM_BOOL:
    if (strcmp(text, "true") == 0 || strcmp(text, "1") == 0)
      v->b = true;
    else if (strcmp(text, "false") == 0 || strcmp(text, "0") == 0)
      v->b = false;
    else
      return false;
    return true;
  case HTTP_PARAM_CHOICE:
    for (size_t i = 0; p->choices[i]; i++)
      if (strcmp(p->choices[i], text) == 0) {
        v->i = (long long)i;
        return true;
      }
    return false;
  case HTTP_PARAM_CUSTOM:
    return p->check(text, v);
  }
  return false;
}

/* The names the route takes, for the message that refuses another. */
static const char *param_names(struct arena *a, const struct http_params *ps)
{
  struct buf b = BUF_INIT;
  for (size_t i = 0; i < ps->n; i++) {
    if (i)
      buf_puts(&b, ", ");
    buf_puts(&b, ps->list[i].name);
  }
  const char *s = arena_strdup(a, buf_cstr(&b));
  buf_free(&b);
  return s;
}

/* Check the query against the route's parameters into rq->param, or render
 * the refusal and return false. */
static bool check_params(struct http_req *rq, struct http_resp *rs,
                         http_error_renderer render_error)
{
  const struct http_params *ps = rq->params;
  rq->param = arena_alloc(rq->arena, (ps->n ? ps->n : 1) * sizeof *rq->param);
  memset(rq->param, 0, (ps->n ? ps->n : 1) * sizeof *rq->param);
  for (size_t k = 0; k < rq->nquery; k++) {
    const char *name = rq->query[k].key;
    size_t i = 0;
    while (i < ps->n && (ps->list[i].name[0] != name[0] || strcmp(ps->list[i].name, name) != 0))
      i++;
    if (i == ps->n) {
      if (name[0] == '_' || ps->ignore_unknown)
        continue;
      const char *shown = utf8_clip(rq->arena, name, 60);
      const char *msg =
          ps->n ? arena_printf(rq->arena, "This address does not take the parameter '%s'. It "
                                          "takes: %s.",
                               shown, param_names(rq->arena, ps))
                : arena_printf(rq->arena,
                               "This address does not take the parameter '%s', nor any other.",
                               shown);
      http_refuse(rq, rs, render_error, 400, "unknown_parameter", msg, 0, false);
      return false;
    }
    if (rq->param[i].set)
      continue; /* the first one sent counts */
    if (!param_ok(&ps->list[i], rq->query[k].val, &rq->param[i])) {
      http_refuse(rq, rs, render_error, 400, ps->list[i].code, ps->list[i].message, 0, false);
      return false;
    }
  }
  for (size_t i = 0; i < ps->n; i++)
    if (ps->list[i].required && !rq->param[i].set) {
      http_refuse(rq, rs, render_error, 400, ps->list[i].code, ps->list[i].message, 0, false);
      return false;
    }
  return true;
}

void http_dispatch(const struct http_decision *d, struct http_req *rq, struct http_resp *rs,
                   http_error_renderer render_error)
{
  if (!d->route) {
    http_refuse(rq, rs, render_error, d->status, d->code, d->message, d->allowed, d->answer_now);
    return;
  }
  if (!parse_pairs(rq, rs, render_error, rq->query_string, strlen(rq->query_string),
                   HTTP_LIMIT_QUERY_ARGS, &rq->query, &rq->nquery, false))
    return;
  if (rq->content_type && str_starts(rq->content_type, "application/x-www-form-urlencoded") &&
      !parse_pairs(rq, rs, render_error, rq->body, rq->body_len, HTTP_LIMIT_FORM_FIELDS,
                   &rq->form, &rq->nform, true))
    return;
  rq->params = d->route->params;
  if (rq->params && !check_params(rq, rs, render_error))
    return;
  d->route->handler(rq, rs);
}
