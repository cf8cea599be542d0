/* date.h: calendar dates as day numbers (days since 1970-01-01, proleptic
 * Gregorian), parsing of strict YYYY-MM-DD, and formatting for people. */
#ifndef FD_DATE_H
#define FD_DATE_H
#include <stdbool.h>

struct date {
  int y, m, d;
};

/* Days since 1970-01-01 for a valid date. */
long date_to_days(struct date dt);
struct date date_from_days(long days);
bool date_is_leap(int y);
int date_days_in_month(int y, int m);
/* True when y-m-d exists (1 <= m <= 12, 1 <= d <= days in month, 1900 <= y <= 2200). */
bool date_valid(struct date dt);
/* Parse exactly "YYYY-MM-DD". Returns false for any other shape or an
 * impossible date (30 February). */
bool date_parse(const char *s, struct date *out);
/* "2026-11-20" into out (at least 11 bytes). */
void date_format_iso(struct date dt, char *out);
/* English name of month m ("January" for 1), "" when m is not 1..12. */
const char *date_month_name(int m);
/* "20 November 2026" into out (at least 24 bytes). */
void date_format_long(struct date dt, char *out);
/* A span of days for people into out (at least 64 bytes): "12 March 2027",
 * "12 to 14 March 2027", "28 February to 3 March 2027", or
 * "1 December 2026 to 31 January 2027". */
void date_format_range(struct date start, struct date end, char *out);
/* Day of week, 0 = Monday ... 6 = Sunday. */
int date_weekday(struct date dt);
/* Add months, clamping the day to the end of the month (31 Jan + 1 month = 28/29 Feb). */
struct date date_add_months(struct date dt, int months);
/* Today's date in UTC. */
struct date date_today(void);

#endif
