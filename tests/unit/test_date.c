/* test_date.c: civil date arithmetic, strict parsing, weekdays, formatting
 * and month arithmetic with clamping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/date.h"
#include <string.h>

static struct date D(int y, int m, int d)
{
  struct date r = {y, m, d};
  return r;
}

static void assert_date(struct date got, int y, int m, int d)
{
  assert_int_equal(got.y, y);
  assert_int_equal(got.m, m);
  assert_int_equal(got.d, d);
}

static void leap_years(void **state)
{
  (void)state;
  assert_true(date_is_leap(2000));  /* divisible by 400 */
  assert_false(date_is_leap(1900)); /* by 100 but not 400 */
  assert_false(date_is_leap(2100));
  assert_true(date_is_leap(2024));
  assert_false(date_is_leap(2025));
  assert_int_equal(date_days_in_month(2024, 2), 29);
  assert_int_equal(date_days_in_month(2025, 2), 28);
  assert_int_equal(date_days_in_month(2000, 2), 29);
  assert_int_equal(date_days_in_month(1900, 2), 28);
  assert_int_equal(date_days_in_month(2025, 4), 30);
  assert_int_equal(date_days_in_month(2025, 12), 31);
  assert_int_equal(date_days_in_month(2025, 0), 0);
  assert_int_equal(date_days_in_month(2025, 13), 0);
}

static void known_day_numbers(void **state)
{
  (void)state;
  assert_int_equal(date_to_days(D(1970, 1, 1)), 0);
  assert_int_equal(date_to_days(D(1969, 12, 31)), -1);
  assert_int_equal(date_to_days(D(2000, 3, 1)), 11017);
  assert_int_equal(date_to_days(D(1900, 1, 1)), -25567);
  assert_int_equal(date_to_days(D(2026, 11, 20)), 20777);
  assert_date(date_from_days(0), 1970, 1, 1);
  assert_date(date_from_days(11016), 2000, 2, 29);
}

static void round_trip_1900_to_2200(void **state)
{
  (void)state;
  long first = date_to_days(D(1900, 1, 1)), last = date_to_days(D(2200, 12, 31));
  struct date prev = date_from_days(first);
  assert_date(prev, 1900, 1, 1);
  long count = 1;
  for (long z = first + 1; z <= last; z++, count++) {
    struct date dt = date_from_days(z);
    assert_true(date_valid(dt));
    assert_int_equal(date_to_days(dt), z);
    /* Each day follows the one before. */
    if (dt.d == 1) {
      assert_int_equal(prev.d, date_days_in_month(prev.y, prev.m));
      assert_true((dt.m == prev.m + 1 && dt.y == prev.y) ||
                  (dt.m == 1 && prev.m == 12 && dt.y == prev.y + 1));
    } else {
      assert_int_equal(dt.d, prev.d + 1);
      assert_int_equal(dt.m, prev.m);
      assert_int_equal(dt.y, prev.y);
    }
    prev = dt;
  }
  assert_date(prev, 2200, 12, 31);
  /* 301 years, 73 of them leap (1900, 2100 and 2200 are not). */
  assert_int_equal(count, 301 * 365 + 73);
}

static void parse_strict(void **state)
{
  (void)state;
  struct date dt = {0, 0, 0};
  assert_true(date_parse("2024-02-29", &dt));
  assert_date(dt, 2024, 2, 29);
  assert_true(date_parse("1900-01-01", &dt));
  assert_true(date_parse("2200-12-31", &dt));
  static const char *bad[] = {
      "2025-02-29", "2025-02-30", "2025-13-01", "2025-00-10", "2025-04-31", "2025-01-00",
      "25-1-1",     "2025-1-01",  "2025-01-1",  "20250101",   "2025/01/01", " 2025-01-01",
      "2025-01-01 ", "2025-01-01x", "1899-12-31", "2201-01-01", "",         "+025-01-01",
      "2025-0a-01", "２025-01-01",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct date keep = {1, 2, 3};
    assert_false(date_parse(bad[i], &keep));
    assert_date(keep, 1, 2, 3); /* untouched on failure */
  }
  assert_false(date_parse(NULL, &dt));
}

static void weekdays(void **state)
{
  (void)state;
  assert_int_equal(date_weekday(D(1970, 1, 1)), 3);  /* Thursday */
  assert_int_equal(date_weekday(D(2000, 1, 1)), 5);  /* Saturday */
  assert_int_equal(date_weekday(D(2026, 11, 20)), 4); /* Friday */
  assert_int_equal(date_weekday(D(1900, 1, 1)), 0);  /* Monday */
  assert_int_equal(date_weekday(D(2024, 6, 9)), 6);  /* Sunday */
  assert_int_equal(date_weekday(D(1969, 12, 29)), 0); /* Monday before the epoch */
}

static void add_months_clamps(void **state)
{
  (void)state;
  assert_date(date_add_months(D(2024, 1, 31), 1), 2024, 2, 29);
  assert_date(date_add_months(D(2025, 1, 31), 1), 2025, 2, 28);
  assert_date(date_add_months(D(2025, 3, 31), 1), 2025, 4, 30);
  assert_date(date_add_months(D(2024, 3, 31), -1), 2024, 2, 29);
  assert_date(date_add_months(D(2024, 12, 15), 1), 2025, 1, 15);
  assert_date(date_add_months(D(2025, 1, 15), -1), 2024, 12, 15);
  assert_date(date_add_months(D(2024, 2, 29), 12), 2025, 2, 28);
  assert_date(date_add_months(D(2024, 2, 29), 48), 2028, 2, 29);
  assert_date(date_add_months(D(2025, 5, 10), 24), 2027, 5, 10);
  assert_date(date_add_months(D(2025, 5, 10), 0), 2025, 5, 10);
  assert_date(date_add_months(D(2025, 5, 10), -17), 2023, 12, 10);
}

static void formatting(void **state)
{
  (void)state;
  char out[32];
  date_format_iso(D(2026, 1, 5), out);
  assert_string_equal(out, "2026-01-05");
  date_format_long(D(2026, 11, 20), out);
  assert_string_equal(out, "20 November 2026");
  date_format_long(D(2024, 9, 3), out);
  assert_string_equal(out, "3 September 2024");
}

static void today_is_valid(void **state)
{
  (void)state;
  struct date t = date_today();
  assert_true(date_valid(t));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(leap_years),        cmocka_unit_test(known_day_numbers),
      cmocka_unit_test(round_trip_1900_to_2200), cmocka_unit_test(parse_strict),
      cmocka_unit_test(weekdays),          cmocka_unit_test(add_months_clamps),
      cmocka_unit_test(formatting),        cmocka_unit_test(today_is_valid),
  };
  return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
