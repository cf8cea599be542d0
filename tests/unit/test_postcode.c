/* test_postcode.c: UK postcode normalisation, shape checks and packing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "directory/postcode.h"

static void expect_norm(const char *in, const char *want)
{
  char out[POSTCODE_MAX];
  enum postcode_status st = postcode_normalise(in, out);
  if (st != POSTCODE_OK)
    fail_msg("'%s' was refused (%d), wanted '%s'", in, st, want);
  assert_string_equal(out, want);
}

static void expect_status(const char *in, enum postcode_status want)
{
  char out[POSTCODE_MAX];
  assert_int_equal(postcode_normalise(in, out), want);
  assert_string_equal(out, "");
}

static void normalises_any_typing(void **state)
{
  (void)state;
  expect_norm("SW1A 1AA", "SW1A 1AA");
  expect_norm("sw1a1aa", "SW1A 1AA");
  expect_norm("  Sw1A   1aA ", "SW1A 1AA");
  expect_norm("SW1A-1AA", "SW1A 1AA");
  expect_norm("s.w.1.a. 1.a.a.", "SW1A 1AA");
  expect_norm("sw1a/1aa", "SW1A 1AA");
  expect_norm("\tn19al", "N1 9AL");
  expect_norm("M11AE", "M1 1AE");
  expect_norm("ec1a 1bb", "EC1A 1BB");
  expect_norm("W1A 1AA", "W1A 1AA");
  expect_norm("cf103rb", "CF10 3RB");
  expect_norm("se109nf", "SE10 9NF");
  expect_norm("gir0aa", "GIR 0AA");
}

static void every_outward_shape(void **state)
{
  (void)state;
  expect_norm("m1 1ae", "M1 1AE");     /* A9 */
  expect_norm("b33 8th", "B33 8TH");   /* A99 */
  expect_norm("cr2 6xh", "CR2 6XH");   /* AA9 */
  expect_norm("dn55 1pt", "DN55 1PT"); /* AA99 */
  expect_norm("w1a 0ax", "W1A 0AX");   /* A9A */
  expect_norm("ec1a 1bb", "EC1A 1BB"); /* AA9A */
}

static void refuses_with_a_reason(void **state)
{
  (void)state;
  expect_status("", POSTCODE_EMPTY);
  expect_status("   ", POSTCODE_EMPTY);
  expect_status(" - . ", POSTCODE_EMPTY);
  expect_status("SW1A 1AA!", POSTCODE_BAD_CHARS);
  expect_status("SW1A_1AA", POSTCODE_BAD_CHARS);
  expect_status("SW1A 1ÄA", POSTCODE_BAD_CHARS);
  expect_status("<script>", POSTCODE_BAD_CHARS);
  expect_status("SW1A", POSTCODE_BAD_SHAPE); /* outward code only */
  expect_status("1AA", POSTCODE_BAD_SHAPE);
  expect_status("SW1A 1AAA", POSTCODE_BAD_SHAPE);
  expect_status("SW1A1AA1AA", POSTCODE_BAD_SHAPE);
  expect_status("12345", POSTCODE_BAD_SHAPE);
  expect_status("ABCDE", POSTCODE_BAD_SHAPE);
  expect_status("QA1 1AA", POSTCODE_BAD_SHAPE);  /* Q never first */
  expect_status("AJ1 1AA", POSTCODE_BAD_SHAPE);  /* J never second */
  expect_status("W1I 1AA", POSTCODE_BAD_SHAPE);  /* I never after the digit in A9A */
  expect_status("EC1C 1BB", POSTCODE_BAD_SHAPE); /* C never fourth in AA9A */
  expect_status("SW1A 1CA", POSTCODE_BAD_SHAPE); /* C never in the inward code */
  expect_status("SW1A 1AO", POSTCODE_BAD_SHAPE);
  expect_status("SW1A AAA", POSTCODE_BAD_SHAPE);
  expect_status("IR0AA", POSTCODE_BAD_SHAPE); /* two letters and no district digit */
  expect_status("AB 1AA", POSTCODE_BAD_SHAPE);
  char long_input[200];
  memset(long_input, ' ', sizeof long_input - 1);
  long_input[sizeof long_input - 1] = '\0';
  memcpy(long_input + 150, "SW1A1AA", 7);
  expect_status(long_input, POSTCODE_BAD_SHAPE); /* only the first 64 bytes are read */
}

static void messages_say_what_to_do(void **state)
{
  (void)state;
  assert_string_equal(postcode_message(POSTCODE_EMPTY), "Enter a postcode");
  assert_string_equal(postcode_message(POSTCODE_BAD_SHAPE),
                      "Enter a full UK postcode, like SW1A 1AA");
  assert_non_null(strstr(postcode_message(POSTCODE_BAD_CHARS), "letters a to z"));
  assert_string_equal(postcode_code(POSTCODE_BAD_SHAPE), "postcode_malformed");
  assert_string_equal(postcode_code(POSTCODE_EMPTY), "postcode_missing");
  assert_string_equal(postcode_message(POSTCODE_OK), "");
}

static void packs_and_unpacks(void **state)
{
  (void)state;
  static const char *const pcs[] = {"M1 1AE",  "B33 8TH",  "CR2 6XH",  "DN55 1PT",
                                    "W1A 0AX", "EC1A 1BB", "SW1A 1AA", "GIR 0AA",
                                    "A0 0AA",  "ZZ99 9ZZ", "ZZ9Z 9ZZ", "Z9Z 9ZZ"};
  uint32_t keys[sizeof pcs / sizeof pcs[0]];
  for (size_t i = 0; i < sizeof pcs / sizeof pcs[0]; i++) {
    char back[POSTCODE_MAX];
    assert_true(postcode_pack(pcs[i], &keys[i]));
    assert_true(keys[i] < POSTCODE_KEY_LIMIT);
    assert_true(postcode_unpack(keys[i], back));
    assert_string_equal(back, pcs[i]);
    for (size_t j = 0; j < i; j++)
      assert_true(keys[i] != keys[j]);
  }
  uint32_t k;
  assert_false(postcode_pack("SW1A1AA", &k));
  assert_false(postcode_pack("sw1a 1aa", &k));
  assert_false(postcode_pack("SW1A 1A", &k));
  assert_false(postcode_pack("SWAA 1AA", &k));
  char out[POSTCODE_MAX];
  assert_false(postcode_unpack(POSTCODE_KEY_LIMIT, out));
  assert_string_equal(out, "");
  /* The last key decodes. */
  assert_true(postcode_unpack(POSTCODE_KEY_LIMIT - 1, out));
  assert_string_equal(out, "GIR 9ZZ");
}

static void every_key_round_trips(void **state)
{
  (void)state;
  /* A stride through the whole key space: unpack then pack gives the key back. */
  for (uint64_t k = 0; k < POSTCODE_KEY_LIMIT; k += 7919) {
    char pc[POSTCODE_MAX];
    uint32_t again;
    assert_true(postcode_unpack((uint32_t)k, pc));
    assert_true(postcode_pack(pc, &again));
    assert_int_equal(again, (uint32_t)k);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(normalises_any_typing), cmocka_unit_test(every_outward_shape),
      cmocka_unit_test(refuses_with_a_reason), cmocka_unit_test(messages_say_what_to_do),
      cmocka_unit_test(packs_and_unpacks),     cmocka_unit_test(every_key_round_trips),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
