/* render.c: in-process timing of page rendering. Builds the application state
 * as `serve` does (without the database), then calls the handler of a page
 * many times, each time with a fresh request arena, as the server would. The
 * baseline in the same run is the least work that yields the same bytes: one
 * arena and one copy of the finished page into a response buffer.
 *
 *   usage: render [ITERATIONS] [PATH]     (defaults: 20000 /)   */
#include "app.h"
#include "app_init.h"
#include "http/http.h"
#include "lib/conf.h"
#include "routes.h"
#include "web/web.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
  long iterations = argc > 1 ? atol(argv[1]) : 20000;
  const char *path = argc > 2 ? argv[2] : "/";
  if (iterations < 1)
    iterations = 1;
  struct app app;
  memset(&app, 0, sizeof app);
  conf_defaults(&app.cfg);
  char err[1024];
  if (!app_init(&app, false, err, sizeof err)) {
    fprintf(stderr, "render: %s\n", err);
    app_free(&app);
    return 1;
  }
  struct arena probe;
  arena_init(&probe);
  const char *caps[HTTP_MAX_CAPTURES];
  size_t ncaps;
  unsigned allowed;
  const struct http_route *r =
      http_route_match(app_routes, app_routes_count, HTTP_GET, path, &probe, caps, &ncaps, &allowed);
  if (!r) {
    fprintf(stderr, "render: no GET route for %s\n", path);
    arena_free(&probe);
    app_free(&app);
    return 1;
  }

  size_t bytes = 0;
  char *page = NULL;
  double t0 = now_s();
  for (long i = 0; i < iterations; i++) {
    struct arena a;
    arena_init(&a);
    struct http_req rq;
    memset(&rq, 0, sizeof rq);
    rq.arena = &a;
    rq.app = &app;
    rq.method = HTTP_GET;
    rq.path = path;
    rq.query_string = "";
    rq.body = "";
    memcpy(rq.captures, caps, sizeof caps);
    rq.ncaptures = ncaps;
    struct http_resp rs;
    memset(&rs, 0, sizeof rs);
    rs.status = 200;
    r->handler(&rq, &rs);
    bytes = rs.body.len;
    if (i == 0)
      page = buf_take(&rs.body, NULL);
    buf_free(&rs.body);
    arena_free(&a);
  }
  double render_s = now_s() - t0;

  t0 = now_s();
  for (long i = 0; i < iterations; i++) {
    struct arena a;
    arena_init(&a);
    (void)arena_alloc(&a, 64);
    struct buf out = BUF_INIT;
    buf_append(&out, page, bytes);
    if (out.len != bytes)
      abort();
    buf_free(&out);
    arena_free(&a);
  }
  double copy_s = now_s() - t0;

  double render_us = render_s * 1e6 / (double)iterations;
  double copy_us = copy_s * 1e6 / (double)iterations;
  printf("render %s: %zu bytes, %ld iterations\n", path, bytes, iterations);
  printf("  firstdays handler   %8.2f us/page  %10.0f pages/s\n", render_us, 1e6 / render_us);
  printf("  baseline copy       %8.2f us/page  %10.0f pages/s\n", copy_us, 1e6 / copy_us);
  printf("  ratio (baseline time / handler time) %.3f\n", copy_us / render_us);
  free(page);
  arena_free(&probe);
  app_free(&app);
  return 0;
}
