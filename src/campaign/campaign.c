/* campaign.c: Infant Mental Health Awareness Week years. Each year is one
 * content file, awareness/YYYY.md, with front matter and a Markdown body:
 *
 *   ---
 *   year: 2021
 *   start: 2021-06-07          (YYYY-MM-DD, or "unknown" together with end)
 *   end: 2021-06-13
 *   theme: Including Infants   (or "unknown")
 *   hashtags: #IMHAW21 #IncludingInfants   (optional; "unknown" when not known)
 *   organiser: Parent-Infant Foundation
 *   summary: One sentence for lists.
 *   sources: https://... https://...        (one or more, separated by spaces)
 *   note: Optional caution about how sure the facts are, shown to the public.
 *   provenance: Optional: where a fact comes from, for editors. Never shown.
 *   ---
 *   What the theme means for families, and the key messages.
 *
 * Loading is strict: a file that breaks any rule is rejected with a message
 * naming the file and the field, so a deployment never serves half a year. */
#include "campaign.h"
#include "../lib/util.h"
#include "../lib/utf8.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CAMPAIGN_FIRST_YEAR 2016 /* the first week was 6-10 June 2016 */
#define CAMPAIGN_LAST_YEAR 2200  /* the end of the range struct date accepts */
#define CAMPAIGN_MAX_DAYS 31     /* longest run from start to end we accept */

static const char *const known_fields[] = {"year",     "start",     "end",     "theme",
                                           "hashtags", "organiser", "summary", "sources",
                                           "note",     "provenance"};

static bool is_unknown(const char *v)
{
  return v && strcasecmp(v, "unknown") == 0;
}

/* "awareness/2021.md" -> 2021; false for any other shape. */
static bool year_from_name(const char *name, int *year)
{
  const char *base = name + strlen("awareness/");
  if (strlen(base) != 7 || strcmp(base + 4, ".md") != 0)
    return false;
  int y = 0;
  for (int i = 0; i < 4; i++) {
    if (!isdigit((unsigned char)base[i]))
      return false;
    y = y * 10 + (base[i] - '0');
  }
  *year = y;
  return true;
}

/* The value of a required field, or NULL with a message. */
static const char *need(const struct content_doc *d, const char *file, const char *field, char *err,
                        size_t errlen)
{
  const char *v = content_doc_meta(d, field);
  if (!v || !*v) {
    snprintf(err, errlen,
             "content/%s: field '%s' is missing or empty; add a line '%s: ...' to "
             "the front matter",
             file, field, field);
    return NULL;
  }
  return v;
}

/* Sources are one or more http(s) addresses separated by spaces. Returns them
 * joined by single spaces (caller frees), or NULL with a message. */
static char *parse_sources(const char *v, const char *file, char *err, size_t errlen)
{
  struct buf out = BUF_INIT;
  const char *p = v;
  while (*p) {
    while (*p == ' ' || *p == '\t')
      p++;
    if (!*p)
      break;
    const char *e = p;
    while (*e && *e != ' ' && *e != '\t')
      e++;
    size_t n = (size_t)(e - p);
    bool ok = (n > 8 && strncmp(p, "https://", 8) == 0) || (n > 7 && strncmp(p, "http://", 7) == 0);
    for (size_t i = 0; ok && i < n; i++)
      if ((unsigned char)p[i] < 0x21 || p[i] == '"' || p[i] == '<' || p[i] == '>')
        ok = false;
    if (!ok) {
      snprintf(err, errlen,
               "content/%s: field 'sources': '%.*s' is not a web address starting "
               "with https:// (separate sources with spaces)",
               file, (int)utf8_prefix(p, n, 80), p);
      buf_free(&out);
      return NULL;
    }
    if (out.len)
      buf_putc(&out, ' ');
    buf_append(&out, p, n);
    p = e;
  }
  if (!out.len) {
    snprintf(err, errlen, "content/%s: field 'sources' needs at least one web address", file);
    return NULL;
  }
  return buf_take(&out, NULL);
}

static bool parse_date_field(const char *v, int year, const char *file, const char *field,
                             struct date *out, char *err, size_t errlen)
{
  if (!date_parse(v, out)) {
    snprintf(err, errlen,
             "content/%s: field '%s': '%s' is not a date in the form YYYY-MM-DD "
             "(or 'unknown')",
             file, field, v);
    return false;
  }
  if (out->y != year) {
    snprintf(err, errlen, "content/%s: field '%s': %s is not in %d, the year of this file", file,
             field, v, year);
    return false;
  }
  return true;
}

static void year_free(struct campaign_year *y)
{
  free(y->theme);
  free(y->hashtags);
  free(y->organiser);
  free(y->summary);
  free(y->sources);
  free(y->html);
  free(y->note);
  memset(y, 0, sizeof *y);
}

/* Parse one awareness/YYYY.md into y. On error y is left empty. */
static bool parse_year(const struct content_file *f, struct campaign_year *y, char *err,
                       size_t errlen)
{
  struct content_doc d;
  char derr[256];
  const char *file = f->name;
  int name_year;
  memset(y, 0, sizeof *y);
  if (!year_from_name(file, &name_year)) {
    snprintf(err, errlen,
             "content/%s: an awareness-week file must be named after its year, "
             "like awareness/2027.md",
             file);
    return false;
  }
  if (!content_doc_parse(f->data, f->len, &d, derr, sizeof derr)) {
    snprintf(err, errlen, "content/%s: %s", file, derr);
    return false;
  }
  for (size_t i = 0; i < d.nmeta; i++) {
    bool known = false;
    for (size_t k = 0; k < ARRAY_LEN(known_fields); k++)
      known = known || strcmp(d.keys[i], known_fields[k]) == 0;
    if (!known) {
      snprintf(err, errlen,
               "content/%s: field '%s' is not known (the fields are year, start, "
               "end, theme, hashtags, organiser, summary, sources, note and provenance)",
               file, d.keys[i]);
      goto fail;
    }
    for (size_t j = 0; j < i; j++) {
      if (strcmp(d.keys[i], d.keys[j]) == 0) {
        snprintf(err, errlen, "content/%s: field '%s' appears twice", file, d.keys[i]);
        goto fail;
      }
    }
  }

  const char *v = need(&d, file, "year", err, errlen);
  if (!v)
    goto fail;
  char *endp;
  long yr = strtol(v, &endp, 10);
  if (*endp || endp == v || yr != name_year) {
    snprintf(err, errlen, "content/%s: field 'year': '%s' must be %d, the year in the file name",
             file, v, name_year);
    goto fail;
  }
  if (yr < CAMPAIGN_FIRST_YEAR || yr > CAMPAIGN_LAST_YEAR) {
    snprintf(err, errlen,
             "content/%s: field 'year': %ld is outside %d to %d (the first week was "
             "in %d)",
             file, yr, CAMPAIGN_FIRST_YEAR, CAMPAIGN_LAST_YEAR, CAMPAIGN_FIRST_YEAR);
    goto fail;
  }
  y->year = (int)yr;

  const char *start = need(&d, file, "start", err, errlen);
  if (!start)
    goto fail;
  const char *end = need(&d, file, "end", err, errlen);
  if (!end)
    goto fail;
  if (is_unknown(start) != is_unknown(end)) {
    snprintf(err, errlen,
             "content/%s: field '%s' is 'unknown' but field '%s' is a date; give "
             "both dates or write 'unknown' for both",
             file, is_unknown(start) ? "start" : "end", is_unknown(start) ? "end" : "start");
    goto fail;
  }
  if (!is_unknown(start)) {
    if (!parse_date_field(start, y->year, file, "start", &y->start, err, errlen) ||
        !parse_date_field(end, y->year, file, "end", &y->end, err, errlen))
      goto fail;
    long span = date_to_days(y->end) - date_to_days(y->start);
    if (span < 0) {
      snprintf(err, errlen, "content/%s: field 'end': %s is before the start, %s", file, end,
               start);
      goto fail;
    }
    if (span > CAMPAIGN_MAX_DAYS) {
      snprintf(err, errlen, "content/%s: field 'end': the week cannot run for more than %d days",
               file, CAMPAIGN_MAX_DAYS);
      goto fail;
    }
    y->dates_known = true;
  }

  v = need(&d, file, "theme", err, errlen);
  if (!v)
    goto fail;
  y->theme = is_unknown(v) ? NULL : xstrdup(v);
  v = content_doc_meta(&d, "hashtags");
  y->hashtags = (v && *v && !is_unknown(v)) ? xstrdup(v) : NULL;
  if (!(v = need(&d, file, "organiser", err, errlen)))
    goto fail;
  y->organiser = xstrdup(v);
  if (!(v = need(&d, file, "summary", err, errlen)))
    goto fail;
  y->summary = xstrdup(v);
  if (!(v = need(&d, file, "sources", err, errlen)))
    goto fail;
  if (!(y->sources = parse_sources(v, file, err, errlen)))
    goto fail;
  v = content_doc_meta(&d, "note");
  y->note = (v && *v) ? xstrdup(v) : NULL;
  y->html = d.html;
  d.html = NULL;
  content_doc_free(&d);
  return true;

fail:
  content_doc_free(&d);
  year_free(y);
  return false;
}

static int cmp_year(const void *a, const void *b)
{
  const struct campaign_year *x = a, *y = b;
  return (x->year > y->year) - (x->year < y->year);
}

struct campaign_set *campaign_load(const struct content *c, char *err, size_t errlen)
{
  const struct content_file *const *files;
  size_t n = content_list(c, "awareness/", &files);
  struct campaign_set *s = xcalloc(1, sizeof *s);
  s->years = xcalloc(n ? n : 1, sizeof *s->years);
  for (size_t i = 0; i < n; i++) {
    if (!str_ends(files[i]->name, ".md"))
      continue; /* pictures or notes kept beside the years */
    if (!parse_year(files[i], &s->years[s->n], err, errlen))
      goto fail;
    s->n++;
  }
  qsort(s->years, s->n, sizeof *s->years, cmp_year);
  return s;

fail:
  campaign_free(s);
  return NULL;
}

void campaign_free(struct campaign_set *s)
{
  if (!s)
    return;
  for (size_t i = 0; i < s->n; i++)
    year_free(&s->years[i]);
  free(s->years);
  free(s);
}

const struct campaign_year *campaign_find(const struct campaign_set *s, int year)
{
  size_t lo = 0, hi = s ? s->n : 0;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (s->years[mid].year == year)
      return &s->years[mid];
    if (s->years[mid].year < year)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

void campaign_expected_dates(int year, struct date *start, struct date *end)
{
  struct date first = {year, 6, 1};
  int to_monday = (7 - date_weekday(first)) % 7;
  *start = date_from_days(date_to_days(first) + to_monday + 7);
  *end = date_from_days(date_to_days(*start) + 6);
}

bool campaign_week_near(const struct campaign_year *y, struct date today, int days,
                        struct date *start, struct date *end)
{
  if (y && y->dates_known) {
    *start = y->start;
    *end = y->end;
  } else {
    campaign_expected_dates(today.y, start, end);
  }
  long t = date_to_days(today);
  return t >= date_to_days(*start) - days && t <= date_to_days(*end);
}

/* The last day of y's week: the known one, else the expected one. */
static long week_end(const struct campaign_year *y)
{
  struct date start, end = y->end;
  if (!y->dates_known)
    campaign_expected_dates(y->year, &start, &end);
  return date_to_days(end);
}

const struct campaign_year *campaign_current(const struct campaign_set *s, struct date today)
{
  if (!s || !s->n)
    return NULL;
  long t = date_to_days(today);
  const struct campaign_year *next = NULL, *past = NULL;
  for (size_t i = 0; i < s->n; i++) {
    const struct campaign_year *y = &s->years[i];
    if (!y->dates_known)
      continue;
    long a = date_to_days(y->start), b = date_to_days(y->end);
    if (a <= t && t <= b)
      return y;
    if (a > t && (!next || a < date_to_days(next->start)))
      next = y;
    if (b < t && (!past || b > date_to_days(past->end)))
      past = y;
  }
  /* This year's week from 1 January, dated or not, until it is over and a
   * later week has dates. */
  const struct campaign_year *now = campaign_find(s, today.y);
  if (now && (week_end(now) >= t || !next))
    return now;
  if (next)
    return next;
  if (past)
    return past;
  return &s->years[s->n - 1]; /* no year has known dates: the latest one */
}
