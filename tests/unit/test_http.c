/* test_http.c: the pure HTTP parsers (query strings, forms, cookies, text
 * validation) and the router (captures, 405 mask, HEAD through GET). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "http/http.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
  struct arena a;
};

static int setup(void **state)
{
  struct fixture *f = calloc(1, sizeof *f);
  arena_init(&f->a);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *f = *state;
  arena_free(&f->a);
  free(f);
  return 0;
}

static enum http_parse_status parse(struct arena *a, const char *s, size_t max, struct http_kv **kv,
                                    size_t *n)
{
  return http_parse_urlencoded(a, s, strlen(s), max, kv, n);
}

static void urlencoded_pairs_and_plus(void **state)
{
  struct fixture *f = *state;
  struct http_kv *kv;
  size_t n;
  assert_int_equal(parse(&f->a, "a=1&b=two+words&c=", 32, &kv, &n), HTTP_PARSE_OK);
  assert_int_equal(n, 3);
  assert_string_equal(kv[0].key, "a");
  assert_string_equal(kv[0].val, "1");
  assert_string_equal(kv[1].key, "b");
  assert_string_equal(kv[1].val, "two words");
  assert_string_equal(kv[2].key, "c");
  assert_string_equal(kv[2].val, "");
}

static void urlencoded_percent_escapes(void **state)
{
  struct fixture *f = *state;
  struct http_kv *kv;
  size_t n;
  assert_int_equal(parse(&f->a, "%41%62=%7e%2B%26%3d&pc=SW1A%201AA&e=caf%C3%A9", 32, &kv, &n),
                   HTTP_PARSE_OK);
  assert_int_equal(n, 3);
  assert_string_equal(kv[0].key, "Ab");
  assert_string_equal(kv[0].val, "~+&=");
  assert_string_equal(kv[1].val, "SW1A 1AA");
  assert_string_equal(kv[2].val, "caf\xc3\xa9");
  /* A tab is allowed text. */
  assert_int_equal(parse(&f->a, "t=a%09b", 32, &kv, &n), HTTP_PARSE_OK);
  assert_string_equal(kv[0].val, "a\tb");
}

static void urlencoded_empty_parts(void **state)
{
  struct fixture *f = *state;
  struct http_kv *kv;
  size_t n;
  assert_int_equal(parse(&f->a, "", 32, &kv, &n), HTTP_PARSE_OK);
  assert_int_equal(n, 0);
  assert_int_equal(parse(&f->a, "&&a=1&&=orphan&flag", 32, &kv, &n), HTTP_PARSE_OK);
  assert_int_equal(n, 2);
  assert_string_equal(kv[0].key, "a");
  assert_string_equal(kv[1].key, "flag");
  assert_string_equal(kv[1].val, "");
  /* Only the first '=' splits: the rest belongs to the value. */
  assert_int_equal(parse(&f->a, "x=1=2", 32, &kv, &n), HTTP_PARSE_OK);
  assert_string_equal(kv[0].val, "1=2");
}

static void urlencoded_reads_only_n_bytes(void **state)
{
  struct fixture *f = *state;
  struct http_kv *kv;
  size_t n;
  const char buf[] = {'a', '=', '1', '%', '4', '1'}; /* no terminator; "%41" lies past n */
  assert_int_equal(http_parse_urlencoded(&f->a, buf, 3, 32, &kv, &n), HTTP_PARSE_OK);
  assert_int_equal(n, 1);
  assert_string_equal(kv[0].val, "1");
  /* A '%' whose two hex digits lie past n is malformed, not read beyond. */
  assert_int_equal(http_parse_urlencoded(&f->a, buf, 5, 32, &kv, &n), HTTP_PARSE_BAD_ENCODING);
}

static void urlencoded_malformed_escapes(void **state)
{
  struct fixture *f = *state;
  struct http_kv *kv;
  size_t n;
  static const char *bad[] = {"a=%", "a=%4", "a=%zz", "a=%4g", "%=1", "a%2=1", "a=1&b=%%41"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    n = 99;
    assert_int_equal(parse(&f->a, bad[i], 32, &kv, &n), HTTP_PARSE_BAD_ENCODING);
    assert_int_equal(n, 0);
  }
}

static void urlencoded_nul_and_invalid_utf8_rejected(void **state)
{
  struct fixture *f = *state;
  struct http_kv *kv;
  size_t n;
  static const char *bad[] = {
      "a=%00",          /* NUL */
      "a%00b=1",        /* NUL in a key */
      "a=%01",          /* control character */
      "a=%7f",          /* DEL */
      "a=%ff",          /* never valid in UTF-8 */
      "a=%c3",          /* truncated sequence */
      "a=%c3%28",       /* bad continuation byte */
      "a=%c0%af",       /* overlong '/' */
      "a=%e0%80%af",    /* overlong, three bytes */
      "a=%ed%a0%80",    /* UTF-16 surrogate */
      "a=%f4%90%80%80", /* above U+10FFFF */
      "a=%80",          /* lone continuation byte */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(parse(&f->a, bad[i], 32, &kv, &n), HTTP_PARSE_BAD_ENCODING);
  /* Raw (unescaped) invalid bytes are refused the same way. */
  assert_int_equal(parse(&f->a, "a=\xff", 32, &kv, &n), HTTP_PARSE_BAD_ENCODING);
  /* Four-byte characters are fine. */
  assert_int_equal(parse(&f->a, "a=%f0%9f%91%b6", 32, &kv, &n), HTTP_PARSE_OK);
  assert_string_equal(kv[0].val, "\xf0\x9f\x91\xb6");
}

static void urlencoded_too_many_pairs(void **state)
{
  struct fixture *f = *state;
  struct http_kv *kv;
  size_t n;
  assert_int_equal(parse(&f->a, "a=1&b=2&c=3", 3, &kv, &n), HTTP_PARSE_OK);
  assert_int_equal(n, 3);
  assert_int_equal(parse(&f->a, "a=1&b=2&c=3&d=4", 3, &kv, &n), HTTP_PARSE_TOO_MANY);
  assert_int_equal(n, 0);
  /* Empty segments do not count towards the limit. */
  assert_int_equal(parse(&f->a, "a=1&&&&&&b=2&&&c=3&", 3, &kv, &n), HTTP_PARSE_OK);
  assert_int_equal(n, 3);
  /* The server's own limit, exactly at and one above it. */
  char q[1024] = "";
  for (int i = 0; i < HTTP_LIMIT_QUERY_ARGS; i++)
    snprintf(q + strlen(q), sizeof q - strlen(q), "%sk%d=v", i ? "&" : "", i);
  assert_int_equal(parse(&f->a, q, HTTP_LIMIT_QUERY_ARGS, &kv, &n), HTTP_PARSE_OK);
  assert_int_equal(n, HTTP_LIMIT_QUERY_ARGS);
  strcat(q, "&one=more");
  assert_int_equal(parse(&f->a, q, HTTP_LIMIT_QUERY_ARGS, &kv, &n), HTTP_PARSE_TOO_MANY);
}

static void percent_decode_plus_only_when_asked(void **state)
{
  struct fixture *f = *state;
  assert_string_equal(http_percent_decode(&f->a, "a+b%20c", 7, false), "a+b c");
  assert_string_equal(http_percent_decode(&f->a, "a+b%20c", 7, true), "a b c");
  assert_null(http_percent_decode(&f->a, "%G0", 3, false));
}

static void valid_text(void **state)
{
  (void)state;
  assert_true(http_valid_text("", 0));
  assert_true(http_valid_text("line one\r\nline two\t.", 20));
  assert_true(http_valid_text("\xc2\xa3 5", 4));
  assert_false(http_valid_text("a\0b", 3));
  assert_false(http_valid_text("\x1b[31m", 5));
  assert_false(http_valid_text("\xe2\x82", 2)); /* cut short at n */
}

static enum http_parse_status cookies(struct arena *a, const char *s, size_t max,
                                      struct http_kv **kv, size_t *n)
{
  return http_parse_cookies(a, s, strlen(s), max, kv, n);
}

static void cookies_parsed(void **state)
{
  struct fixture *f = *state;
  struct http_kv *kv;
  size_t n;
  assert_int_equal(cookies(&f->a, "a=1; b=two;c=\"quoted value\" ;  d = x ", 8, &kv, &n),
                   HTTP_PARSE_OK);
  assert_int_equal(n, 4);
  assert_string_equal(kv[0].key, "a");
  assert_string_equal(kv[0].val, "1");
  assert_string_equal(kv[1].key, "b");
  assert_string_equal(kv[1].val, "two");
  assert_string_equal(kv[2].key, "c");
  assert_string_equal(kv[2].val, "quoted value");
  /* Spaces around the pair are trimmed; spaces around '=' are part of the name/value. */
  assert_string_equal(kv[3].key, "d ");
  assert_string_equal(kv[3].val, " x");
  /* Values are not %-decoded. */
  assert_int_equal(cookies(&f->a, "s=a%20b", 8, &kv, &n), HTTP_PARSE_OK);
  assert_string_equal(kv[0].val, "a%20b");
}

static void cookies_skip_junk(void **state)
{
  struct fixture *f = *state;
  struct http_kv *kv;
  size_t n;
  assert_int_equal(cookies(&f->a, "", 8, &kv, &n), HTTP_PARSE_OK);
  assert_int_equal(n, 0);
  assert_int_equal(cookies(&f->a, ";;; novalue; =orphan; ok=1;", 8, &kv, &n), HTTP_PARSE_OK);
  assert_int_equal(n, 1);
  assert_string_equal(kv[0].key, "ok");
  assert_int_equal(cookies(&f->a, "e=", 8, &kv, &n), HTTP_PARSE_OK);
  assert_int_equal(n, 1);
  assert_string_equal(kv[0].val, "");
  /* A lone quote is kept as it is. */
  assert_int_equal(cookies(&f->a, "q=\"", 8, &kv, &n), HTTP_PARSE_OK);
  assert_string_equal(kv[0].val, "\"");
}

static void cookies_limits_and_encoding(void **state)
{
  struct fixture *f = *state;
  struct http_kv *kv;
  size_t n;
  assert_int_equal(cookies(&f->a, "a=1; b=2", 2, &kv, &n), HTTP_PARSE_OK);
  assert_int_equal(cookies(&f->a, "a=1; b=2; c=3", 2, &kv, &n), HTTP_PARSE_TOO_MANY);
  assert_int_equal(n, 0);
  assert_int_equal(cookies(&f->a, "a=\xff", 2, &kv, &n), HTTP_PARSE_BAD_ENCODING);
  assert_int_equal(cookies(&f->a, "\x01=1", 2, &kv, &n), HTTP_PARSE_BAD_ENCODING);
  assert_int_equal(http_parse_cookies(&f->a, "a=1\0; b=2", 9, 8, &kv, &n),
                   HTTP_PARSE_BAD_ENCODING);
}

static void h_a(struct http_req *rq, struct http_resp *rs) { (void)rq; (void)rs; }
static void h_b(struct http_req *rq, struct http_resp *rs) { (void)rq; (void)rs; }

static const struct http_route routes[] = {
    {.methods = HTTP_GET, .path = "/", .handler = h_a},
    {.methods = HTTP_GET, .path = "/awareness-week/*", .handler = h_a},
    {.methods = HTTP_GET, .path = "/a/*/b/*", .handler = h_a},
    {.methods = HTTP_GET, .path = "/static/**", .handler = h_a},
    {.methods = HTTP_POST, .path = "/form", .handler = h_b, .body_max = 1024},
    {.methods = HTTP_GET, .path = "/form", .handler = h_a},
    {.methods = HTTP_PUT | HTTP_DELETE, .path = "/item/*", .handler = h_b},
};
#define NROUTES (sizeof routes / sizeof routes[0])

static const struct http_route *match(struct arena *a, enum http_method m, const char *path,
                                      const char **caps, size_t *ncaps, unsigned *allowed)
{
  return http_route_match(routes, NROUTES, m, path, a, caps, ncaps, allowed);
}

static void router_literal_and_captures(void **state)
{
  struct fixture *f = *state;
  const char *caps[HTTP_MAX_CAPTURES];
  size_t nc;
  unsigned allowed;
  const struct http_route *r = match(&f->a, HTTP_GET, "/", caps, &nc, &allowed);
  assert_ptr_equal(r, &routes[0]);
  assert_int_equal(nc, 0);
  r = match(&f->a, HTTP_GET, "/awareness-week/2021", caps, &nc, &allowed);
  assert_ptr_equal(r, &routes[1]);
  assert_int_equal(nc, 1);
  assert_string_equal(caps[0], "2021");
  r = match(&f->a, HTTP_GET, "/a/one/b/two", caps, &nc, &allowed);
  assert_ptr_equal(r, &routes[2]);
  assert_int_equal(nc, 2);
  assert_string_equal(caps[0], "one");
  assert_string_equal(caps[1], "two");
  r = match(&f->a, HTTP_GET, "/static/nhsuk/x.css", caps, &nc, &allowed);
  assert_ptr_equal(r, &routes[3]);
  assert_int_equal(nc, 1);
  assert_string_equal(caps[0], "nhsuk/x.css");
}

static void router_non_matches(void **state)
{
  struct fixture *f = *state;
  const char *caps[HTTP_MAX_CAPTURES];
  size_t nc;
  unsigned allowed;
  static const char *paths[] = {"",          "/x",        "/awareness-week",  "/awareness-week/",
                                "/awareness-week/2021/x", "/a/one/b", "/a//b/two", "/static/",
                                "/static",   "//",        "/form/"};
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
    assert_null(match(&f->a, HTTP_GET, paths[i], caps, &nc, &allowed));
    assert_int_equal(allowed, 0);
    assert_int_equal(nc, 0);
  }
}

static void router_method_mask_and_head(void **state)
{
  struct fixture *f = *state;
  const char *caps[HTTP_MAX_CAPTURES];
  size_t nc;
  unsigned allowed;
  /* HEAD is served by a GET route. */
  assert_ptr_equal(match(&f->a, HTTP_HEAD, "/", caps, &nc, &allowed), &routes[0]);
  /* The same path with two rows: each method finds its own. */
  assert_ptr_equal(match(&f->a, HTTP_POST, "/form", caps, &nc, &allowed), &routes[4]);
  assert_ptr_equal(match(&f->a, HTTP_GET, "/form", caps, &nc, &allowed), &routes[5]);
  assert_ptr_equal(match(&f->a, HTTP_HEAD, "/form", caps, &nc, &allowed), &routes[5]);
  /* Wrong method: no route, and the mask says what would have matched. */
  assert_null(match(&f->a, HTTP_DELETE, "/form", caps, &nc, &allowed));
  assert_int_equal(allowed, HTTP_GET | HTTP_HEAD | HTTP_POST);
  assert_null(match(&f->a, HTTP_POST, "/", caps, &nc, &allowed));
  assert_int_equal(allowed, HTTP_GET | HTTP_HEAD);
  assert_null(match(&f->a, HTTP_GET, "/item/7", caps, &nc, &allowed));
  assert_int_equal(allowed, HTTP_PUT | HTTP_DELETE); /* no HEAD without GET */
  assert_null(match(&f->a, HTTP_OTHER, "/", caps, &nc, &allowed));
  assert_int_equal(allowed, HTTP_GET | HTTP_HEAD);
}

static void method_names(void **state)
{
  (void)state;
  assert_int_equal(http_method_from("GET"), HTTP_GET);
  assert_int_equal(http_method_from("HEAD"), HTTP_HEAD);
  assert_int_equal(http_method_from("POST"), HTTP_POST);
  assert_int_equal(http_method_from("PATCH"), HTTP_PATCH);
  assert_int_equal(http_method_from("get"), HTTP_OTHER); /* methods are case-sensitive */
  assert_int_equal(http_method_from("BREW"), HTTP_OTHER);
  assert_int_equal(http_method_from(""), HTTP_OTHER);
}

/* Parameters declared as data: checked once, typed for the handler, and
 * refused with the declared code. */
static const char *const colours[] = {"red", "green", NULL};
static const struct http_param widget_list[] = {
    {.name = "page", .kind = HTTP_PARAM_INT, .min = 1, .max = 99, .code = "bad_page",
     .message = "page must be 1 to 99."},
    {.name = "near", .kind = HTTP_PARAM_NUMBER, .min = 0, .max = 2.5, .code = "bad_near",
     .message = "near must be 0 to 2.5."},
    {.name = "full", .kind = HTTP_PARAM_BOOL, .code = "bad_full", .message = "full: true or false."},
    {.name = "colour", .kind = HTTP_PARAM_CHOICE, .choices = colours, .code = "bad_colour",
     .message = "colour: red or green."},
    {.name = "q", .kind = HTTP_PARAM_TEXT, .min = 1, .max = 5, .required = true, .code = "bad_q",
     .message = "q is needed, 1 to 5 characters."},
};
static const struct http_params widget_params = HTTP_PARAMS(widget_list);
static const struct http_params lax_params = HTTP_PARAMS_LAX(widget_list);
static const struct http_param_value *seen_page, *seen_near, *seen_colour;
static bool seen_full;

static void h_widget(struct http_req *rq, struct http_resp *rs)
{
  (void)rs;
  seen_page = http_param(rq, "page");
  seen_near = http_param(rq, "near");
  seen_colour = http_param(rq, "colour");
  seen_full = http_param(rq, "full")->b;
  assert_false(http_param(rq, "undeclared")->set);
}

static const char *refused_code;
static void render(struct http_req *rq, struct http_resp *rs, int status, const char *code,
                   const char *message)
{
  (void)rq;
  (void)message;
  rs->status = status;
  refused_code = code;
}

/* Run target through the head check and dispatch; the status it gets. */
static int run(struct arena *a, const struct http_route *route, const char *target)
{
  struct http_head h = {.method = "GET", .target = target, .target_len = strlen(target)};
  h.path = arena_strndup(a, target, strcspn(target, "?"));
  struct http_decision d;
  http_head_check(route, 1, &h, a, &d);
  struct http_req rq;
  http_req_init(&rq, a, &h, &d);
  struct http_resp rs;
  memset(&rs, 0, sizeof rs);
  rs.status = 200;
  refused_code = NULL;
  seen_page = NULL;
  http_dispatch(&d, &rq, &rs, render);
  buf_free(&rs.body);
  return rs.status;
}

static void params_typed_and_refused(void **state)
{
  struct fixture *f = *state;
  const struct http_route strict = {.methods = HTTP_GET, .path = "/w", .handler = h_widget,
                                    .params = &widget_params};
  const struct http_route lax = {.methods = HTTP_GET, .path = "/w", .handler = h_widget,
                                 .params = &lax_params};
  assert_int_equal(run(&f->a, &strict, "/w?q=abc&page=7&near=1.5&full=true&colour=green"), 200);
  assert_true(seen_page->set);
  assert_int_equal(seen_page->i, 7);
  assert_true(seen_near->num == 1.5);
  assert_int_equal(seen_colour->i, 1);
  assert_true(seen_full);
  /* The first of two counts; a cache buster is ignored. */
  assert_int_equal(run(&f->a, &strict, "/w?q=a&page=2&page=x&_=123"), 200);
  assert_int_equal(seen_page->i, 2);
  assert_false(seen_near->set);
  static const struct {
    const char *target, *code;
  } bad[] = {
      {"/w?q=a&page=0", "bad_page"},       {"/w?q=a&page=100", "bad_page"},
      {"/w?q=a&page=1.0", "bad_page"},     {"/w?q=a&page=%2B1", "bad_page"},
      {"/w?q=a&near=2.6", "bad_near"},     {"/w?q=a&near=nan", "bad_near"},
      {"/w?q=a&near=%201", "bad_near"},    {"/w?q=a&full=yes", "bad_full"},
      {"/w?q=a&colour=blue", "bad_colour"}, {"/w?page=1", "bad_q"},
      {"/w?q=", "bad_q"},                  {"/w?q=abcdef", "bad_q"},
      {"/w?q=a&other=1", "unknown_parameter"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(run(&f->a, &strict, bad[i].target), 400);
    assert_non_null(refused_code);
    assert_string_equal(refused_code, bad[i].code);
    assert_null(seen_page); /* the handler never ran */
  }
  /* A lax route ignores names it does not declare, and still checks the rest. */
  assert_int_equal(run(&f->a, &lax, "/w?q=a&include=services"), 200);
  assert_int_equal(run(&f->a, &lax, "/w?q=a&include=x&page=0"), 400);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(urlencoded_pairs_and_plus, setup, teardown),
      cmocka_unit_test_setup_teardown(urlencoded_percent_escapes, setup, teardown),
      cmocka_unit_test_setup_teardown(urlencoded_empty_parts, setup, teardown),
      cmocka_unit_test_setup_teardown(urlencoded_reads_only_n_bytes, setup, teardown),
      cmocka_unit_test_setup_teardown(urlencoded_malformed_escapes, setup, teardown),
      cmocka_unit_test_setup_teardown(urlencoded_nul_and_invalid_utf8_rejected, setup, teardown),
      cmocka_unit_test_setup_teardown(urlencoded_too_many_pairs, setup, teardown),
      cmocka_unit_test_setup_teardown(percent_decode_plus_only_when_asked, setup, teardown),
      cmocka_unit_test(valid_text),
      cmocka_unit_test_setup_teardown(cookies_parsed, setup, teardown),
      cmocka_unit_test_setup_teardown(cookies_skip_junk, setup, teardown),
      cmocka_unit_test_setup_teardown(cookies_limits_and_encoding, setup, teardown),
      cmocka_unit_test_setup_teardown(router_literal_and_captures, setup, teardown),
      cmocka_unit_test_setup_teardown(router_non_matches, setup, teardown),
      cmocka_unit_test_setup_teardown(router_method_mask_and_head, setup, teardown),
      cmocka_unit_test(method_names),
      cmocka_unit_test_setup_teardown(params_typed_and_refused, setup, teardown),
  };
  return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
