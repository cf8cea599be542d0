/* fuzz_request.c: libFuzzer target for whole requests. The input is the raw
 * bytes of an HTTP/1.1 request (request line, header lines, blank line,
 * body), split as a server would; the head goes through the same decision
 * the server makes (limits, smuggling shapes, path, route, body size) and
 * the request through the real route table and handlers, with the built-in
 * content and the demo directory loaded. Nothing may crash or leak; every
 * answer has a valid status, a JSON error body that parses, and a stream
 * that ends. */
#include "app.h"
#include "app_init.h"
#include "http/http.h"
#include "lib/conf.h"
#include "routes.h"
#include "web/web.h"
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_HEADERS 64

static struct app app;

static void app_teardown(void)
{
  app_free(&app);
}

static void app_setup(void)
{
  char dir[] = "/tmp/fuzz-request-XXXXXX";
  if (!mkdtemp(dir))
    abort();
  conf_defaults(&app.cfg);
  free(app.cfg.db_path);
  size_t n = strlen(dir) + 16;
  app.cfg.db_path = malloc(n);
  snprintf(app.cfg.db_path, n, "%s/fuzz.db", dir);
  app.cfg.quiet = true;
  char err[512];
  if (!app_init(&app, true, err, sizeof err)) {
    fprintf(stderr, "fuzz_request: %s\n", err);
    abort();
  }
  atexit(app_teardown);
}

/* Next line of s[*pos..n), without its CRLF (or LF); NULL at the end. */
static char *next_line(struct arena *a, const char *s, size_t n, size_t *pos, size_t *len)
{
  if (*pos >= n)
    return NULL;
  const char *start = s + *pos;
  const char *nl = memchr(start, '\n', n - *pos);
  size_t l = nl ? (size_t)(nl - start) : n - *pos;
  *pos += l + (nl ? 1 : 0);
  if (l && start[l - 1] == '\r')
    l--;
  *len = l;
  return arena_strndup(a, start, l);
}

static void check_answer(const struct http_resp *rs)
{
  if (rs->status < 100 || rs->status > 599 || rs->status == 500)
    abort();
  if (rs->body.len && !rs->body.data)
    abort();
  const char *ct = rs->content_type ? rs->content_type : "text/html";
  if (rs->status >= 400 && strcmp(ct, "application/json") == 0) {
    json_error_t je;
    json_t *j = json_loadb(rs->body.data, rs->body.len, 0, &je);
    if (!j || !json_is_string(json_object_get(json_object_get(j, "error"), "code")))
      abort();
    json_decref(j);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (!app.content)
    app_setup();
  const char *s = (const char *)data;
  struct arena a;
  arena_init(&a);
  size_t pos = 0, len;
  char *line = next_line(&a, s, size, &pos, &len);
  if (!line || strlen(line) != len)
    goto done; /* a NUL in the request line: the server cuts it there */
  char *sp1 = strchr(line, ' ');
  char *sp2 = sp1 ? strrchr(sp1 + 1, ' ') : NULL;
  if (!sp1 || !sp2 || sp2 == sp1)
    goto done; /* libmicrohttpd refuses it before any callback */
  *sp1 = '\0';
  *sp2 = '\0';
  const char *target = sp1 + 1;

  struct http_head h = {.method = line, .target = target, .target_len = strlen(target)};
  size_t plen = strcspn(target, "?");
  char *path = http_percent_decode(&a, target, plen, false);
  h.path = path ? path : arena_strndup(&a, target, plen);
  if (h.target_len > HTTP_LIMIT_URI_BYTES)
    h.target = arena_strndup(&a, target, HTTP_LIMIT_URI_BYTES);

  struct http_kv *hdrs = arena_alloc(&a, MAX_HEADERS * sizeof *hdrs);
  size_t nh = 0;
  while ((line = next_line(&a, s, size, &pos, &len)) && len) {
    char *colon = strchr(line, ':');
    if (!colon || nh == MAX_HEADERS)
      goto done; /* a line libmicrohttpd refuses, or more than we feed */
    *colon = '\0';
    char *v = colon + 1;
    while (*v == ' ' || *v == '\t')
      v++;
    hdrs[nh++] = (struct http_kv){.key = line, .val = v};
    http_head_add_header(&h, line, v);
  }
  struct http_decision d;
  http_head_check(app_routes, app_routes_count, &h, &a, &d);

  struct http_req rq;
  http_req_init(&rq, &a, &h, &d);
  rq.app = &app;
  rq.headers = hdrs;
  rq.nheaders = nh;
  rq.content_type = http_header(&rq, "Content-Type");
  rq.accept_gzip = http_accepts_gzip(http_header(&rq, "Accept-Encoding"));
  if (!d.answer_now) {
    /* The body as the server would collect it: Content-Length bytes, at
     * most what the route takes (it was refused above otherwise). */
    size_t avail = size - pos;
    size_t blen = h.content_length < avail ? (size_t)h.content_length : avail;
    char *body = arena_alloc(&a, blen + 1);
    memcpy(body, s + pos, blen);
    body[blen] = '\0';
    rq.body = body;
    rq.body_len = blen;
  }
  struct http_resp rs;
  memset(&rs, 0, sizeof rs);
  rs.status = 200;
  http_dispatch(&d, &rq, &rs, web_render_error);
  if (d.route == NULL && rs.status != d.status)
    abort();
  check_answer(&rs);
  if (rs.stream_fill) {
    struct buf part = BUF_INIT;
    for (int guard = 0; rs.stream_fill(rs.stream_ctx, &part); guard++) {
      if (guard > 100000)
        abort();
      part.len = 0;
    }
    rs.stream_done(rs.stream_ctx);
    buf_free(&part);
  }
  buf_free(&rs.body);
done:
  arena_free(&a);
  return 0;
}
