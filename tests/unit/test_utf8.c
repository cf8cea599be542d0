/* test_utf8.c: cutting outside text on character boundaries, validation and
 * repair. The cut that crashed the server (60 bytes into "aaa...é") is here
 * at every offset around each width of character. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/utf8.h"
#include <stdio.h>
#include <string.h>

/* Every prefix utf8_prefix gives of well-formed text is well-formed, and is
 * the longest such prefix within the limit. */
static void prefix_never_splits_a_character(void **state)
{
  (void)state;
  static const char *const chars[] = {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x91\xb6"};
  for (size_t c = 0; c < 4; c++) {
    char s[128];
    size_t n = 0;
    for (size_t i = 0; i < 59; i++)
      s[n++] = 'a';
    for (int k = 0; k < 3; k++) {
      memcpy(s + n, chars[c], strlen(chars[c]));
      n += strlen(chars[c]);
    }
    s[n] = '\0';
    for (size_t max = 0; max <= n + 1; max++) {
      size_t k = utf8_prefix(s, n, max);
      assert_true(k <= max || k == n);
      assert_true(utf8_valid(s, k));
      /* Longest: one more character would not fit. */
      if (k < n) {
        size_t next = utf8_char(s + k, n - k, NULL);
        assert_true(next > 0);
        assert_true(k + next > max);
      }
    }
  }
}

/* The request that crashed the server: 59 'a' and "é" cut at 60 bytes. */
static void clip_of_the_crashing_parameter(void **state)
{
  (void)state;
  struct arena a;
  arena_init(&a);
  const char *name = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9";
  assert_int_equal(strlen(name), 61);
  char *c = utf8_clip(&a, name, 60);
  assert_int_equal(strlen(c), 59 + 3);
  assert_memory_equal(c + 59, "...", 4);
  assert_true(utf8_valid(c, strlen(c)));
  /* Short enough: copied as it is, no dots. */
  assert_string_equal(utf8_clip(&a, "caf\xc3\xa9", 60), "caf\xc3\xa9");
  arena_free(&a);
}

static void valid_and_char_refuse_what_is_not_utf8(void **state)
{
  (void)state;
  static const char *const bad[] = {"\x80", "\xc3", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80",
                                    "\xf4\x90\x80\x80", "\xff", "a\xc3(", "\xf0\x9f\x91"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_false(utf8_valid(bad[i], strlen(bad[i])));
  unsigned cp;
  assert_int_equal(utf8_char("\xe2\x82\xac", 3, &cp), 3);
  assert_int_equal(cp, 0x20ac);
  assert_int_equal(utf8_char("\xe2\x82\xac", 2, &cp), 0); /* cut short by n */
  assert_true(utf8_valid("", 0));
  assert_true(utf8_valid("\0", 1));
}

static void sanitize_replaces_each_bad_byte(void **state)
{
  (void)state;
  struct buf b = BUF_INIT;
  utf8_sanitize(&b, "a\xff" "b\xc3", 4);
  assert_string_equal(buf_cstr(&b), "a\xef\xbf\xbd" "b\xef\xbf\xbd");
  assert_true(utf8_valid(b.data, b.len));
  buf_free(&b);
  utf8_sanitize(&b, "caf\xc3\xa9", 5);
  assert_string_equal(buf_cstr(&b), "caf\xc3\xa9");
  buf_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(prefix_never_splits_a_character),
      cmocka_unit_test(clip_of_the_crashing_parameter),
      cmocka_unit_test(valid_and_char_refuse_what_is_not_utf8),
      cmocka_unit_test(sanitize_replaces_each_bad_byte),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
