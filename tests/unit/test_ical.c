/* test_ical.c: RFC 5545 escaping and line folding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "view/ical.h"
#include <string.h>

static void test_escape(void **state)
{
  (void)state;
  struct buf b = BUF_INIT;
  ical_escape(&b, "a,b;c\\d\r\ne");
  assert_string_equal(buf_cstr(&b), "a\\,b\\;c\\\\d\\ne");
  buf_free(&b);
}

static void test_short_lines(void **state)
{
  (void)state;
  struct buf b = BUF_INIT;
  ical_prop(&b, "BEGIN", "VEVENT");
  ical_text(&b, "SUMMARY", "8-week vaccines, and more");
  ical_date(&b, "DTSTART", (struct date){2026, 3, 1});
  ical_prop(&b, "URL", NULL);
  assert_string_equal(buf_cstr(&b), "BEGIN:VEVENT\r\nSUMMARY:8-week vaccines\\, and more\r\n"
                                    "DTSTART;VALUE=DATE:20260301\r\n");
  buf_free(&b);
}

/* Every physical line is at most 75 octets, continuation lines start with a
 * space, no UTF-8 character is split, and unfolding gives the line back. */
static void test_folding(void **state)
{
  (void)state;
  char text[1200] = "";
  for (int i = 0; i < 60; i++)
    strcat(text, i % 3 ? "abcdefghi " : "café – “ok” ");
  struct buf b = BUF_INIT;
  ical_text(&b, "DESCRIPTION", text);
  const char *s = buf_cstr(&b);
  struct buf unfolded = BUF_INIT;
  size_t lines = 0;
  for (const char *p = s; *p;) {
    const char *crlf = strstr(p, "\r\n");
    assert_non_null(crlf);
    size_t n = (size_t)(crlf - p);
    assert_true(n <= 75);
    if (lines) {
      assert_int_equal(p[0], ' ');
      buf_append(&unfolded, p + 1, n - 1);
    } else {
      buf_append(&unfolded, p, n);
    }
    /* the next line must not start with a UTF-8 continuation byte */
    if (crlf[2] == ' ')
      assert_int_not_equal((unsigned char)crlf[3] & 0xC0, 0x80);
    lines++;
    p = crlf + 2;
  }
  assert_true(lines > 5);
  struct buf want = BUF_INIT;
  buf_puts(&want, "DESCRIPTION:");
  buf_puts(&want, text);
  assert_string_equal(buf_cstr(&unfolded), buf_cstr(&want));
  buf_free(&want);
  buf_free(&unfolded);
  buf_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_escape),
      cmocka_unit_test(test_short_lines),
      cmocka_unit_test(test_folding),
  };
  return cmocka_run_group_tests_name("ical", tests, NULL, NULL);
}
