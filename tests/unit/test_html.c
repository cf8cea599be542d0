/* test_html.c: the escaping writer. %s escapes, %R is raw, %U url-encodes,
 * numbers print as numbers, NULL prints nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "view/html.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Render fmt into a fresh buffer; caller frees. */
static char *render(const char *fmt, ...)
{
  struct buf b = BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  html_vprintf(&b, fmt, ap);
  va_end(ap);
  return buf_take(&b, NULL);
}

static void escapes_the_five_characters(void **state)
{
  (void)state;
  char *s = render("<p title=\"%s\">%s</p>", "a\"b'c", "Tom & Jerry <script>alert('x')</script>");
  assert_string_equal(s, "<p title=\"a&quot;b&#39;c\">Tom &amp; Jerry "
                         "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>");
  free(s);
  /* Already-escaped text is escaped again: %s never trusts its argument. */
  s = render("%s", "&amp;");
  assert_string_equal(s, "&amp;amp;");
  free(s);
  /* Multi-byte UTF-8 passes through unchanged. */
  s = render("%s", "caf\xc3\xa9 \xf0\x9f\x91\xb6");
  assert_string_equal(s, "caf\xc3\xa9 \xf0\x9f\x91\xb6");
  free(s);
}

static void escape_function_respects_length(void **state)
{
  (void)state;
  struct buf b = BUF_INIT;
  html_escape(&b, "<a>&<b>", 3);
  assert_string_equal(buf_cstr(&b), "&lt;a&gt;");
  html_escape(&b, "", 0);
  assert_int_equal(b.len, strlen("&lt;a&gt;"));
  buf_free(&b);
}

static void raw_is_raw(void **state)
{
  (void)state;
  char *s = render("<div>%R</div><p>%s</p>", "<em>trusted</em>", "<em>not</em>");
  assert_string_equal(s, "<div><em>trusted</em></div><p>&lt;em&gt;not&lt;/em&gt;</p>");
  free(s);
}

static void url_encoding(void **state)
{
  (void)state;
  char *s = render("/find-support?postcode=%U&q=%U", "SW1A 1AA", "a&b=c/d?e#f+g%h~i_j.k-l");
  assert_string_equal(s, "/find-support?postcode=SW1A%201AA&q="
                         "a%26b%3Dc%2Fd%3Fe%23f%2Bg%25h~i_j.k-l");
  free(s);
  s = render("%U", "caf\xc3\xa9<\"'>");
  assert_string_equal(s, "caf%C3%A9%3C%22%27%3E");
  free(s);
}

static void numbers_and_percent(void **state)
{
  (void)state;
  char *s = render("%d|%d|%ld|%zu|100%%", 42, INT_MIN, -1234567890123L, (size_t)SIZE_MAX);
  char want[128];
  snprintf(want, sizeof want, "42|%d|-1234567890123|%zu|100%%", INT_MIN, (size_t)SIZE_MAX);
  assert_string_equal(s, want);
  free(s);
}

static void null_prints_nothing(void **state)
{
  (void)state;
  char *s = render("[%s][%R][%U]", (const char *)NULL, (const char *)NULL, (const char *)NULL);
  assert_string_equal(s, "[][][]");
  free(s);
}

static void appends_to_existing_content(void **state)
{
  (void)state;
  struct buf b = BUF_INIT;
  buf_puts(&b, "<ul>");
  for (int i = 1; i <= 3; i++)
    html_printf(&b, "<li>%d: %s</li>", i, i == 2 ? "<two>" : "x");
  html_printf(&b, "</ul>");
  assert_string_equal(buf_cstr(&b), "<ul><li>1: x</li><li>2: &lt;two&gt;</li><li>3: x</li></ul>");
  buf_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(escapes_the_five_characters),
      cmocka_unit_test(escape_function_respects_length),
      cmocka_unit_test(raw_is_raw),
      cmocka_unit_test(url_encoding),
      cmocka_unit_test(numbers_and_percent),
      cmocka_unit_test(null_prints_nothing),
      cmocka_unit_test(appends_to_existing_content),
  };
  return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
