/* entry.c: facts for people from one fully nested ORUK service. */
#include "entry.h"
#include "index.h"
#include <stdio.h>
#include <string.h>

static const char *jstr(const json_t *o, const char *key)
{
  const json_t *v = json_object_get(o, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

size_t directory_entry_terms(const json_t *service, enum directory_kind kind, const json_t **out,
                             size_t max)
{
  size_t n = 0, i;
  const json_t *a;
  json_array_foreach(json_object_get(service, "attributes"), i, a)
  {
    const json_t *t = json_object_get(a, "taxonomy_term");
    if (n < max && jstr(t, "name") && directory_term_kind(t) == kind)
      out[n++] = t;
  }
  return n;
}

size_t directory_entry_referrals(const json_t *service, struct directory_referral *out, size_t max)
{
  size_t n = 0, i;
  const json_t *a;
  json_array_foreach(json_object_get(service, "attributes"), i, a)
  {
    const json_t *t = json_object_get(a, "taxonomy_term");
    if (n < max && jstr(t, "name") && directory_term_kind(t) == DIRECTORY_KIND_REFERRAL) {
      out[n].code = directory_term_code(t);
      out[n].name = jstr(t, "name");
      out[n].instructions = jstr(a, "value");
      n++;
    }
  }
  return n;
}

static bool date_prefix(const char *s, struct date *out)
{
  char day[11];
  if (!s || strlen(s) < 10)
    return false;
  memcpy(day, s, 10);
  day[10] = '\0';
  return date_parse(day, out);
}

bool directory_entry_last_checked(const json_t *service, struct date *out)
{
  if (date_prefix(jstr(service, "assured_date"), out))
    return true;
  size_t i;
  const json_t *a;
  json_array_foreach(json_object_get(service, "attributes"), i, a)
  {
    const json_t *t = json_object_get(a, "taxonomy_term");
    const char *code = directory_term_code(t);
    if (code && (strcmp(code, "last-checked") == 0 || strcmp(code, "last_checked") == 0) &&
        date_prefix(jstr(a, "value"), out))
      return true;
  }
  return date_prefix(jstr(service, "last_modified"), out);
}

static void add_phones(const json_t *phones, const char **out, size_t max, size_t *n)
{
  size_t i;
  const json_t *p;
  json_array_foreach(phones, i, p)
  {
    const char *num = jstr(p, "number");
    if (!num || *n >= max)
      continue;
    bool seen = false;
    for (size_t j = 0; j < *n && !seen; j++)
      seen = strcmp(out[j], num) == 0;
    if (!seen)
      out[(*n)++] = num;
  }
}

size_t directory_entry_phones(const json_t *service, const char **out, size_t max)
{
  size_t n = 0, i;
  const json_t *x;
  add_phones(json_object_get(service, "phones"), out, max, &n);
  json_array_foreach(json_object_get(service, "contacts"), i, x)
      add_phones(json_object_get(x, "phones"), out, max, &n);
  json_array_foreach(json_object_get(service, "service_at_locations"), i, x)
      add_phones(json_object_get(json_object_get(x, "location"), "phones"), out, max, &n);
  return n;
}

void directory_entry_time_text(int m, char *out, size_t n)
{
  if (m == 720) {
    snprintf(out, n, "midday");
    return;
  }
  if (m == 0 || m == 1440) {
    snprintf(out, n, "midnight");
    return;
  }
  int h = m / 60, mm = m % 60, h12 = h % 12 ? h % 12 : 12;
  const char *ap = h < 12 ? "am" : "pm";
  if (mm)
    snprintf(out, n, "%d:%02d%s", h12, mm, ap);
  else
    snprintf(out, n, "%d%s", h12, ap);
}

static void days_text(unsigned mask, char *out, size_t n)
{
  static const char *const names[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                      "Friday", "Saturday", "Sunday"};
  out[0] = '\0';
  if (mask == 0x7f) {
    snprintf(out, n, "Every day");
    return;
  }
  /* Runs of three or more days read as "Monday to Friday". */
  const char *parts[7];
  char ranges[7][24];
  size_t np = 0;
  for (unsigned d = 0; d < 7;) {
    if (!(mask >> d & 1)) {
      d++;
      continue;
    }
    unsigned e = d;
    while (e + 1 < 7 && (mask >> (e + 1) & 1))
      e++;
    if (e - d >= 2) {
      snprintf(ranges[np], sizeof ranges[np], "%s to %s", names[d], names[e]);
      parts[np] = ranges[np];
      np++;
    } else {
      for (unsigned k = d; k <= e; k++)
        parts[np++] = names[k];
    }
    d = e + 1;
  }
  size_t len = 0;
  for (size_t i = 0; i < np && len < n; i++) {
    const char *sep = i == 0 ? "" : i + 1 == np ? " and " : ", ";
    int w = snprintf(out + len, n - len, "%s%s", sep, parts[i]);
    if (w < 0)
      break;
    len += (size_t)w;
  }
}

void directory_entry_schedule_text(const json_t *schedule, char *out, size_t n)
{
  const char *desc = jstr(schedule, "description");
  out[0] = '\0';
  if (desc) {
    snprintf(out, n, "%s", desc);
    return;
  }
  const char *byday = jstr(schedule, "byday");
  unsigned mask = byday ? directory_parse_days(byday) : 0;
  int open = directory_parse_time(jstr(schedule, "opens_at"));
  int close = directory_parse_time(jstr(schedule, "closes_at"));
  char days[120] = "", o[16], c[16];
  if (mask)
    days_text(mask, days, sizeof days);
  if (open >= 0 && close >= 0) {
    directory_entry_time_text(open, o, sizeof o);
    directory_entry_time_text(close, c, sizeof c);
    if (days[0])
      snprintf(out, n, "%s, %s to %s", days, o, c);
    else
      snprintf(out, n, "%s to %s", o, c);
  } else if (days[0]) {
    snprintf(out, n, "%s", days);
  }
}

bool directory_entry_web_url(const char *url)
{
  return url && (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0) &&
         !strpbrk(url, " \t\r\n\"'<>");
}
