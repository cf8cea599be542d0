/* date.c: civil date arithmetic (Howard Hinnant's days-from-civil algorithm). */
#include "date.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

bool date_is_leap(int y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
  static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12)
    return 0;
  return m == 2 && date_is_leap(y) ? 29 : dim[m - 1];
}

bool date_valid(struct date dt)
{
  return dt.y >= 1900 && dt.y <= 2200 && dt.m >= 1 && dt.m <= 12 && dt.d >= 1 &&
         dt.d <= date_days_in_month(dt.y, dt.m);
}

long date_to_days(struct date dt)
{
  long y = dt.y - (dt.m <= 2);
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (dt.m + (dt.m > 2 ? -3 : 9)) + 2) / 5 + dt.d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct date date_from_days(long z)
{
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = yoe + era * 400;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  long d = doy - (153 * mp + 2) / 5 + 1;
  long m = mp + (mp < 10 ? 3 : -9);
  struct date r = {(int)(y + (m <= 2)), (int)m, (int)d};
  return r;
}

bool date_parse(const char *s, struct date *out)
{
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return false;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return false;
  struct date dt = {(s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'),
                    (s[5] - '0') * 10 + (s[6] - '0'), (s[8] - '0') * 10 + (s[9] - '0')};
  if (!date_valid(dt))
    return false;
  *out = dt;
  return true;
}

void date_format_iso(struct date dt, char *out)
{
  snprintf(out, 11, "%04d-%02d-%02d", dt.y % 10000, dt.m % 100, dt.d % 100);
}

const char *date_month_name(int m)
{
  static const char *months[] = {"January",   "February", "March",    "April",
                                 "May",       "June",     "July",     "August",
                                 "September", "October",  "November", "December"};
  return m >= 1 && m <= 12 ? months[m - 1] : "";
}

void date_format_long(struct date dt, char *out)
{
  snprintf(out, 24, "%d %s %d", dt.d % 100, date_month_name(dt.m), dt.y % 10000);
}

void date_format_range(struct date s, struct date e, char *out)
{
  char a[24], b[24];
  date_format_long(s, a);
  date_format_long(e, b);
  if (s.y != e.y)
    snprintf(out, 64, "%s to %s", a, b);
  else if (s.m != e.m)
    snprintf(out, 64, "%d %s to %s", s.d % 100, date_month_name(s.m), b);
  else if (s.d != e.d)
    snprintf(out, 64, "%d to %s", s.d % 100, b);
  else
    snprintf(out, 64, "%s", a);
}

int date_weekday(struct date dt)
{
  long z = date_to_days(dt); /* 1970-01-01 was a Thursday (3) */
  long w = (z + 3) % 7;
  return (int)(w < 0 ? w + 7 : w);
}

struct date date_add_months(struct date dt, int months)
{
  long total = (long)dt.y * 12 + (dt.m - 1) + months;
  struct date r = {(int)(total / 12), (int)(total % 12) + 1, dt.d};
  int dim = date_days_in_month(r.y, r.m);
  if (r.d > dim)
    r.d = dim;
  return r;
}

struct date date_today(void)
{
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  struct date r = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
  return r;
}
