/* load.c: reads the timeline rules (content/timeline/schedule.json), the stage
 * texts (content/timeline/stages/ *.md) and the bereavement block into one
 * immutable struct timeline_data. Every problem is reported with the file and
 * the field, so a content editor can fix it without reading C. */
#include "timeline_internal.h"
#include "../lib/util.h"
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCHEDULE_FILE "timeline/schedule.json"
#define STAGES_PREFIX "timeline/stages/"
#define BEREAVEMENT_FILE "timeline/bereavement.md"

/* Parsing context: where we are, for error messages. */
struct loader {
  struct timeline_data *d;
  char *err;
  size_t errlen;
  char where[128]; /* e.g. "events[3]" */
};

static bool fail(struct loader *L, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool fail(struct loader *L, const char *field, const char *fmt, ...)
{
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(L->err, L->errlen, "content/%s: %s%s%s: %s", SCHEDULE_FILE, L->where,
           *L->where && field ? "." : "", field ? field : "", msg);
  return false;
}

/* --- spans and dates (shared with compute.c) --- */

bool tl_parse_span(const char *s, struct tl_span *out)
{
  if (!s || *s != 'P')
    return false;
  static const char units[] = "YMWD";
  struct tl_span r = {0, 0};
  size_t next_unit = 0; /* units must come in order, each at most once */
  const char *p = s + 1;
  if (!*p)
    return false;
  while (*p) {
    if (*p < '0' || *p > '9')
      return false;
    long n = 0;
    while (*p >= '0' && *p <= '9') {
      n = n * 10 + (*p - '0');
      if (n > 10000)
        return false;
      p++;
    }
    const char *u = *p ? strchr(units + next_unit, *p) : NULL;
    if (!u)
      return false;
    switch (*u) {
    case 'Y':
      r.months += (int)n * 12;
      break;
    case 'M':
      r.months += (int)n;
      break;
    case 'W':
      r.days += (int)n * 7;
      break;
    default:
      r.days += (int)n;
      break;
    }
    next_unit = (size_t)(u - units) + 1;
    p++;
  }
  *out = r;
  return true;
}

long tl_days(struct date a, struct date b)
{
  return date_to_days(b) - date_to_days(a);
}

struct date tl_plus_days(struct date d, long n)
{
  return date_from_days(date_to_days(d) + n);
}

static struct date add_months_not_before(struct date d, int months)
{
  long total = (long)d.y * 12 + (d.m - 1) + months;
  struct date r = {(int)(total / 12), (int)(total % 12) + 1, d.d};
  if (r.d > date_days_in_month(r.y, r.m)) {
    /* 29 February in a common year, 31 April: the 1st of the next month. */
    r.d = 1;
    if (++r.m > 12) {
      r.m = 1;
      r.y++;
    }
  }
  return r;
}

struct date tl_add_span(struct date d, struct tl_span s)
{
  return tl_plus_days(add_months_not_before(d, s.months), s.days);
}

int tl_whole_months(struct date from, struct date to)
{
  if (tl_days(from, to) < 0)
    return 0;
  int m = (to.y - from.y) * 12 + (to.m - from.m);
  while (m > 0 && tl_days(add_months_not_before(from, m), to) < 0)
    m--;
  return m;
}

bool timeline_parse_gestation(const char *s, int *days)
{
  if (!s)
    return false;
  int w = 0, nd = 0, dd = 0;
  const char *p = s;
  while (*p >= '0' && *p <= '9' && nd < 3) {
    w = w * 10 + (*p - '0');
    p++;
    nd++;
  }
  if (nd == 0 || nd > 2)
    return false;
  if (*p == '+' || *p == ' ') {
    p++;
    if (*p < '0' || *p > '6' || p[1] != '\0')
      return false;
    dd = *p - '0';
  } else if (*p != '\0') {
    return false;
  }
  *days = w * 7 + dd;
  return true;
}

void timeline_format_gestation(int days, char *out, size_t outlen)
{
  snprintf(out, outlen, "%d+%d", days / 7, days % 7);
}

/* --- JSON helpers --- */

static const char *dup(struct loader *L, const char *s)
{
  return s ? arena_strdup(&L->d->mem, s) : NULL;
}

/* A string member; required unless optional. *out is NULL when absent. */
static bool get_str(struct loader *L, json_t *o, const char *key, bool optional, const char **out)
{
  json_t *v = json_object_get(o, key);
  *out = NULL;
  if (!v) {
    if (optional)
      return true;
    return fail(L, key, "is missing");
  }
  if (!json_is_string(v) || json_string_length(v) == 0)
    return fail(L, key, "must be a non-empty string");
  *out = dup(L, json_string_value(v));
  return true;
}

/* s with {baby}, {baby's}, {baby is} and {baby has} written for one baby or
 * for several ("babies", "babies'", "babies are", "babies have"). */
static const char *baby_form(struct loader *L, const char *s, bool many)
{
  struct buf out = BUF_INIT;
  for (const char *p = s; *p;) {
    if (str_starts(p, "{baby is}")) {
      buf_puts(&out, many ? "babies are" : "baby is");
      p += 9;
    } else if (str_starts(p, "{baby has}")) {
      buf_puts(&out, many ? "babies have" : "baby has");
      p += 10;
    } else if (str_starts(p, "{baby's}")) {
      buf_puts(&out, many ? "babies'" : "baby's");
      p += 8;
    } else if (str_starts(p, "{baby}")) {
      buf_puts(&out, many ? "babies" : "baby");
      p += 6;
    } else {
      buf_putc(&out, *p++);
    }
  }
  const char *r = dup(L, buf_cstr(&out));
  buf_free(&out);
  return r;
}

/* Both forms of a text (see struct tl_text) from s, which may be NULL. */
static struct tl_text two_forms(struct loader *L, const char *s)
{
  if (!s || !strchr(s, '{'))
    return (struct tl_text){s, s};
  return (struct tl_text){baby_form(L, s, false), baby_form(L, s, true)};
}

static bool get_text(struct loader *L, json_t *o, const char *key, bool optional,
                     struct tl_text *out)
{
  const char *s;
  if (!get_str(L, o, key, optional, &s))
    return false;
  *out = two_forms(L, s);
  return true;
}

static bool get_date(struct loader *L, json_t *o, const char *key, struct date *out)
{
  const char *s;
  if (!get_str(L, o, key, false, &s))
    return false;
  if (!date_parse(s, out))
    return fail(L, key, "'%s' is not a real date in the form YYYY-MM-DD", s);
  return true;
}

static bool get_gest(struct loader *L, json_t *o, const char *key, int *out)
{
  const char *s;
  if (!get_str(L, o, key, false, &s))
    return false;
  if (!timeline_parse_gestation(s, out))
    return fail(L, key, "'%s' is not a gestation in the form WW+D (days 0 to 6)", s);
  return true;
}

static bool get_span(struct loader *L, json_t *o, const char *key, struct tl_span *out)
{
  const char *s;
  if (!get_str(L, o, key, false, &s))
    return false;
  if (!tl_parse_span(s, out))
    return fail(L, key, "'%s' is not a duration such as P10D, P8W, P9M, P1Y or P3Y4M", s);
  return true;
}

static bool check_source(struct loader *L, const char *key, const char *url)
{
  if (url && !str_starts(url, "https://") && !str_starts(url, "http://"))
    return fail(L, key, "'%s' must be a web address starting with https:// or http://", url);
  return true;
}

static bool known_vaccine(const struct timeline_data *d, const char *name)
{
  for (size_t i = 0; i < d->nvaccine_names; i++)
    if (strcmp(d->vaccine_names[i], name) == 0)
      return true;
  return false;
}

static bool check_vaccine(struct loader *L, const char *key, const char *name)
{
  if (!known_vaccine(L->d, name))
    return fail(L, key, "'%s' is not in vaccine_names", name);
  return true;
}

static bool check_need(struct loader *L, const char *need)
{
  if (need && !timeline_need_label(L->d, need))
    return fail(L, "need", "'%s' is not one of the terms in 'needs'", need);
  return true;
}

static const struct {
  const char *name;
  enum timeline_kind kind;
} kind_names[] = {
    {"antenatal", TL_ANTENATAL},           {"vaccine", TL_VACCINE}, {"screening", TL_SCREENING},
    {"health-visitor", TL_HEALTH_VISITOR}, {"gp", TL_GP},           {"campaign", TL_CAMPAIGN},
    {"milestone", TL_MILESTONE},
};

const char *timeline_kind_name(enum timeline_kind k)
{
  for (size_t i = 0; i < ARRAY_LEN(kind_names); i++)
    if (kind_names[i].kind == k)
      return kind_names[i].name;
  return "milestone";
}

const char *timeline_when_name(enum timeline_when w)
{
  switch (w) {
  case TL_PAST:
    return "past";
  case TL_NOW:
    return "now";
  case TL_NEXT:
    return "next";
  case TL_UPCOMING:
    break;
  }
  return "upcoming";
}

const char *timeline_need_label(const struct timeline_data *d, const char *need)
{
  if (!need)
    return NULL;
  for (size_t i = 0; i < d->nneeds; i++)
    if (strcmp(d->need_ids[i], need) == 0)
      return d->need_labels[i];
  return NULL;
}

const char *timeline_bereavement_title(const struct timeline_data *d)
{
  return d->bereavement_title;
}

const char *timeline_bereavement_html(const struct timeline_data *d)
{
  return d->bereavement_html;
}

/* "when": [{"date_of": "birth"|"appointment"|<appointment id>, "before"|"on_or_after": date}] */
static bool parse_when(struct loader *L, json_t *o, json_t *appts, struct tl_clause *out,
                       size_t *nout)
{
  json_t *w = json_object_get(o, "when");
  *nout = 0;
  if (!w)
    return true;
  if (!json_is_array(w) || json_array_size(w) == 0 || json_array_size(w) > TL_MAX_CLAUSES)
    return fail(L, "when", "must be a list of 1 to %d conditions", TL_MAX_CLAUSES);
  size_t i;
  json_t *c;
  json_array_foreach(w, i, c)
  {
    struct tl_clause *cl = &out[i];
    const char *of;
    char key[32];
    snprintf(key, sizeof key, "when[%zu]", i);
    if (!json_is_object(c))
      return fail(L, key, "must be an object");
    if (!get_str(L, c, "date_of", false, &of))
      return false;
    if (strcmp(of, "birth") == 0) {
      cl->date_of = TL_OF_BIRTH;
    } else if (strcmp(of, "appointment") == 0) {
      cl->date_of = TL_OF_THIS;
    } else {
      cl->date_of = -3;
      size_t j;
      json_t *a;
      json_array_foreach(appts, j, a)
      {
        json_t *id = json_object_get(a, "id");
        if (json_is_string(id) && strcmp(json_string_value(id), of) == 0)
          cl->date_of = (int)j;
      }
      if (cl->date_of < 0)
        return fail(L, key,
                    "date_of '%s' must be 'birth', 'appointment' or the id of an appointment", of);
    }
    bool has_before = json_object_get(c, "before") != NULL;
    bool has_after = json_object_get(c, "on_or_after") != NULL;
    if (has_before == has_after)
      return fail(L, key, "needs exactly one of 'before' and 'on_or_after'");
    cl->before = has_before;
    if (!get_date(L, c, has_before ? "before" : "on_or_after", &cl->date))
      return false;
  }
  *nout = json_array_size(w);
  return true;
}

static bool parse_kind(struct loader *L, json_t *o, enum timeline_kind *out)
{
  const char *k;
  if (!get_str(L, o, "kind", false, &k))
    return false;
  for (size_t i = 0; i < ARRAY_LEN(kind_names); i++)
    if (strcmp(kind_names[i].name, k) == 0 && kind_names[i].kind != TL_CAMPAIGN) {
      *out = kind_names[i].kind;
      return true;
    }
  return fail(L, "kind",
              "'%s' must be antenatal, vaccine, screening, health-visitor, gp or "
              "milestone (campaign events come from content/awareness)",
              k);
}

static bool parse_month_day(struct loader *L, json_t *o, const char *key, int *m, int *d)
{
  const char *s;
  if (!get_str(L, o, key, false, &s))
    return false;
  struct date dt;
  char full[16];
  snprintf(full, sizeof full, "2024-%.5s", s); /* a leap year, so 02-29 is allowed */
  if (strlen(s) != 5 || !date_parse(full, &dt))
    return fail(L, key, "'%s' must be a month and day MM-DD", s);
  *m = dt.m;
  *d = dt.d;
  return true;
}

static bool parse_rule(struct loader *L, json_t *o, struct tl_rule *r)
{
  if (!json_is_object(o))
    return fail(L, NULL, "must be an object");
  const char *anchor;
  if (!get_str(L, o, "id", false, &r->id) || !parse_kind(L, o, &r->kind) ||
      !get_str(L, o, "anchor", false, &anchor) || !get_text(L, o, "title", false, &r->title) ||
      !get_text(L, o, "explain", false, &r->explain) ||
      !get_str(L, o, "provider", true, &r->provider) || !get_str(L, o, "need", true, &r->need) ||
      !get_str(L, o, "source", r->kind == TL_MILESTONE, &r->source) ||
      !check_source(L, "source", r->source) || !check_need(L, r->need))
    return false;
  r->has_until = json_object_get(o, "until") != NULL;
  if (strcmp(anchor, "pregnancy") == 0) {
    r->anchor = TL_ANCHOR_PREGNANCY;
    if (!get_gest(L, o, "at", &r->at_gest) ||
        (r->has_until && !get_gest(L, o, "until", &r->until_gest)))
      return false;
    if (r->has_until && r->until_gest < r->at_gest)
      return fail(L, "until", "comes before 'at'");
  } else if (strcmp(anchor, "birth") == 0) {
    r->anchor = TL_ANCHOR_BIRTH;
    if (!get_span(L, o, "at", &r->at_age) ||
        (r->has_until && !get_span(L, o, "until", &r->until_age)))
      return false;
  } else {
    return fail(L, "anchor", "'%s' must be 'pregnancy' or 'birth'", anchor);
  }
  json_t *fp = json_object_get(o, "first_pregnancy_only");
  if (fp && !json_is_boolean(fp))
    return fail(L, "first_pregnancy_only", "must be true or false");
  r->first_pregnancy_only = fp && json_is_true(fp);
  if (r->first_pregnancy_only && r->anchor != TL_ANCHOR_PREGNANCY)
    return fail(L, "first_pregnancy_only", "only applies to pregnancy events");
  json_t *season = json_object_get(o, "season");
  if (season) {
    r->seasonal = true;
    if (!json_is_object(season) ||
        !parse_month_day(L, season, "from", &r->season_from_m, &r->season_from_d) ||
        !parse_month_day(L, season, "until", &r->season_until_m, &r->season_until_d))
      return fail(L, "season", "must be {\"from\": \"MM-DD\", \"until\": \"MM-DD\"}");
    if (r->anchor != TL_ANCHOR_PREGNANCY || !r->has_until)
      return fail(L, "season", "only applies to pregnancy events with 'until'");
  }
  json_t *vs = json_object_get(o, "vaccines");
  if (vs) {
    if (!json_is_array(vs) || json_array_size(vs) == 0 || json_array_size(vs) > TL_MAX_VACCINES)
      return fail(L, "vaccines", "must be a list of 1 to %d names", TL_MAX_VACCINES);
    size_t i;
    json_t *v;
    json_array_foreach(vs, i, v)
    {
      if (!json_is_string(v))
        return fail(L, "vaccines", "must hold strings");
      if (!check_vaccine(L, "vaccines", json_string_value(v)))
        return false;
      r->vaccines[r->nvaccines++] = dup(L, json_string_value(v));
    }
  }
  if ((r->kind == TL_VACCINE) != (r->nvaccines > 0))
    return fail(L, "vaccines", "vaccine events need a vaccines list, and only they have one");
  return true;
}

static bool parse_dose(struct loader *L, json_t *o, json_t *appts, struct tl_dose *ds)
{
  if (!json_is_object(o))
    return fail(L, NULL, "must be an object");
  if (!get_str(L, o, "vaccine", false, &ds->vaccine) || !check_vaccine(L, "vaccine", ds->vaccine) ||
      !get_text(L, o, "label", false, &ds->label) || !get_text(L, o, "note", true, &ds->note) ||
      !get_str(L, o, "source", true, &ds->source) || !check_source(L, "source", ds->source) ||
      !parse_when(L, o, appts, ds->when, &ds->nwhen))
    return false;
  ds->has_age_before = json_object_get(o, "age_before") != NULL;
  return !ds->has_age_before || get_span(L, o, "age_before", &ds->age_before);
}

static bool parse_appt(struct loader *L, json_t *o, json_t *appts, const char *imm_explain,
                       struct tl_appt *ap)
{
  if (!json_is_object(o))
    return fail(L, NULL, "must be an object");
  const char *explain;
  if (!get_str(L, o, "id", false, &ap->id) || !get_text(L, o, "title", false, &ap->title) ||
      !get_str(L, o, "explain", true, &explain) || !get_str(L, o, "source", false, &ap->source) ||
      !check_source(L, "source", ap->source) || !get_span(L, o, "age", &ap->age) ||
      !parse_when(L, o, appts, ap->when, &ap->nwhen))
    return false;
  ap->explain =
      two_forms(L, explain ? arena_printf(&L->d->mem, "%s %s", imm_explain, explain) : imm_explain);
  json_t *doses = json_object_get(o, "doses");
  if (!json_is_array(doses) || json_array_size(doses) == 0)
    return fail(L, "doses", "must be a non-empty list");
  ap->ndoses = json_array_size(doses);
  ap->doses = arena_alloc(&L->d->mem, ap->ndoses * sizeof *ap->doses);
  size_t lines = 0;
  size_t base = strlen(L->where);
  for (size_t i = 0; i < ap->ndoses; i++) {
    snprintf(L->where + base, sizeof L->where - base, ".doses[%zu]", i);
    if (!parse_dose(L, json_array_get(doses, i), appts, &ap->doses[i]))
      return false;
    lines += 1 + (ap->doses[i].note.one != NULL);
  }
  L->where[base] = '\0';
  if (lines > TL_MAX_LINES)
    return fail(L, "doses", "has more than %d doses and notes", TL_MAX_LINES);
  return true;
}

static bool parse_limits(struct loader *L, json_t *root)
{
  struct timeline_data *d = L->d;
  json_t *lim = json_object_get(root, "limits");
  snprintf(L->where, sizeof L->where, "limits");
  if (!json_is_object(lim))
    return fail(L, NULL, "is missing or not an object");
  json_t *ahead = json_object_get(lim, "due_ahead_max_days");
  json_t *babies = json_object_get(lim, "babies_max");
  if (!get_gest(L, lim, "gestation_min", &d->gest_min) ||
      !get_gest(L, lim, "gestation_max", &d->gest_max) ||
      !get_gest(L, lim, "gestation_default", &d->gest_default) ||
      !get_gest(L, lim, "preterm_before", &d->preterm_before) ||
      !get_gest(L, lim, "pregnancy_max", &d->pregnancy_max) ||
      !get_date(L, lim, "born_on_or_after", &d->born_from) ||
      !get_span(L, lim, "follow_until_age", &d->follow_until))
    return false;
  if (d->follow_until.months < 24)
    return fail(L, "follow_until_age", "must be the second birthday (P2Y) or later");
  if (!json_is_integer(ahead) || json_integer_value(ahead) < 0 || json_integer_value(ahead) > 400)
    return fail(L, "due_ahead_max_days", "must be a whole number of days from 0 to 400");
  if (!json_is_integer(babies) || json_integer_value(babies) < 1 || json_integer_value(babies) > 9)
    return fail(L, "babies_max", "must be a whole number from 1 to 9");
  d->due_ahead_max_days = (long)json_integer_value(ahead);
  d->babies_max = (int)json_integer_value(babies);
  if (d->gest_min > d->gest_default || d->gest_default > d->gest_max)
    return fail(L, "gestation_default", "must lie between gestation_min and gestation_max");

  json_t *tri = json_object_get(root, "trimesters");
  snprintf(L->where, sizeof L->where, "trimesters");
  if (!json_is_object(tri))
    return fail(L, NULL, "is missing or not an object");
  if (!get_gest(L, tri, "second_from", &d->second_trimester_from) ||
      !get_gest(L, tri, "third_from", &d->third_trimester_from))
    return false;

  json_t *needs = json_object_get(root, "needs");
  snprintf(L->where, sizeof L->where, "needs");
  if (!json_is_object(needs) || json_object_size(needs) > TL_MAX_NEEDS)
    return fail(L, NULL, "must be an object of at most %d terms", TL_MAX_NEEDS);
  const char *k;
  json_t *v;
  json_object_foreach(needs, k, v)
  {
    if (!json_is_string(v))
      return fail(L, k, "must be a string");
    d->need_ids[d->nneeds] = dup(L, k);
    d->need_labels[d->nneeds++] = dup(L, json_string_value(v));
  }

  json_t *names = json_object_get(root, "vaccine_names");
  snprintf(L->where, sizeof L->where, "vaccine_names");
  if (!json_is_array(names) || json_array_size(names) == 0 || json_array_size(names) > TL_MAX_NAMES)
    return fail(L, NULL, "must be a list of 1 to %d names", TL_MAX_NAMES);
  size_t i;
  json_array_foreach(names, i, v)
  {
    if (!json_is_string(v))
      return fail(L, NULL, "must hold strings");
    d->vaccine_names[d->nvaccine_names++] = dup(L, json_string_value(v));
  }
  return true;
}

/* "if_missed": {kind: text, ..., "vaccine-born-early": text}: what a family can do
 * when an appointment of that kind has passed and may not have happened.
 * Campaigns and milestones are not appointments, so they have none. */
static bool parse_if_missed(struct loader *L, json_t *root)
{
  struct timeline_data *d = L->d;
  json_t *o = json_object_get(root, "if_missed");
  snprintf(L->where, sizeof L->where, "if_missed");
  if (!json_is_object(o))
    return fail(L, NULL, "is missing or not an object");
  const char *key;
  json_t *v;
  json_object_foreach(o, key, v)
  {
    if (strcmp(key, "vaccine-born-early") == 0) {
      if (!get_text(L, o, key, false, &d->if_missed_preterm))
        return false;
      continue;
    }
    if (strcmp(key, "vaccine-in-pregnancy") == 0) {
      if (!get_str(L, o, key, false, &d->if_missed_pregnancy))
        return false;
      continue;
    }
    size_t i = 0;
    while (i < ARRAY_LEN(kind_names) && strcmp(kind_names[i].name, key) != 0)
      i++;
    if (i == ARRAY_LEN(kind_names) || kind_names[i].kind == TL_CAMPAIGN ||
        kind_names[i].kind == TL_MILESTONE)
      return fail(L, key,
                  "must be antenatal, vaccine, screening, health-visitor, gp, "
                  "vaccine-in-pregnancy or vaccine-born-early");
    if (!get_text(L, o, key, false, &d->if_missed[kind_names[i].kind]))
      return false;
  }
  static const enum timeline_kind needed[] = {TL_ANTENATAL, TL_VACCINE, TL_SCREENING,
                                              TL_HEALTH_VISITOR, TL_GP};
  for (size_t i = 0; i < ARRAY_LEN(needed); i++)
    if (!d->if_missed[needed[i]].one)
      return fail(L, timeline_kind_name(needed[i]), "is missing");
  if (!d->if_missed_preterm.one)
    return fail(L, "vaccine-born-early", "is missing");
  if (!d->if_missed_pregnancy)
    return fail(L, "vaccine-in-pregnancy", "is missing");
  return true;
}

/* "examples": [{"born": date, "appointment": id, "vaccines": [names]}] */
static bool parse_examples(struct loader *L, json_t *root)
{
  struct timeline_data *d = L->d;
  json_t *ex = json_object_get(root, "examples");
  snprintf(L->where, sizeof L->where, "examples");
  if (!ex)
    return true;
  if (!json_is_array(ex))
    return fail(L, NULL, "must be a list");
  d->nexamples = json_array_size(ex);
  d->examples = arena_alloc(&d->mem, (d->nexamples ? d->nexamples : 1) * sizeof *d->examples);
  for (size_t i = 0; i < d->nexamples; i++) {
    struct tl_example *e = &d->examples[i];
    json_t *o = json_array_get(ex, i);
    snprintf(L->where, sizeof L->where, "examples[%zu]", i);
    if (!json_is_object(o))
      return fail(L, NULL, "must be an object");
    if (!get_date(L, o, "born", &e->born) || !get_str(L, o, "appointment", false, &e->appointment))
      return false;
    bool known = false;
    for (size_t j = 0; j < d->nappts; j++)
      known |= strcmp(d->appts[j].id, e->appointment) == 0;
    if (!known)
      return fail(L, "appointment", "'%s' is not the id of an appointment", e->appointment);
    json_t *vs = json_object_get(o, "vaccines");
    if (!json_is_array(vs) || json_array_size(vs) > TL_MAX_VACCINES)
      return fail(L, "vaccines", "must be a list of at most %d names", TL_MAX_VACCINES);
    size_t k;
    json_t *v;
    json_array_foreach(vs, k, v)
    {
      if (!json_is_string(v))
        return fail(L, "vaccines", "must hold strings");
      if (!check_vaccine(L, "vaccines", json_string_value(v)))
        return false;
      e->vaccines[e->nvaccines++] = dup(L, json_string_value(v));
    }
  }
  return true;
}

/* Run every worked example through the engine; the first disagreement is
 * an error naming the example, what it expects and what the rules give. */
static bool check_examples(struct loader *L)
{
  struct timeline_data *d = L->d;
  bool ok = true;
  for (size_t i = 0; ok && i < d->nexamples; i++) {
    const struct tl_example *x = &d->examples[i];
    struct arena a;
    arena_init(&a);
    struct timeline_input in = {.born = x->born, .gestation_days = d->gest_default, .babies = 1};
    struct timeline_result r;
    timeline_compute(d, &in, x->born, NULL, &a, &r);
    const struct timeline_event *e = NULL;
    for (size_t j = 0; j < r.nevents; j++)
      if (strcmp(r.events[j].id, x->appointment) == 0)
        e = &r.events[j];
    size_t got = e ? e->nvaccines : 0;
    bool same = got == x->nvaccines;
    for (size_t j = 0; same && j < got; j++) {
      bool found = false;
      for (size_t k = 0; k < x->nvaccines; k++)
        found |= strcmp(e->vaccines[j], x->vaccines[k]) == 0;
      same = found;
    }
    if (!same) {
      struct buf want = BUF_INIT, have = BUF_INIT;
      for (size_t k = 0; k < x->nvaccines; k++)
        buf_printf(&want, "%s%s", k ? ", " : "", x->vaccines[k]);
      for (size_t k = 0; k < got; k++)
        buf_printf(&have, "%s%s", k ? ", " : "", e->vaccines[k]);
      char born[11];
      date_format_iso(x->born, born);
      snprintf(L->where, sizeof L->where, "examples[%zu]", i);
      ok = fail(L, NULL, "a child born %s should get [%s] at %s, but the rules give [%s]", born,
                buf_cstr(&want), x->appointment, buf_cstr(&have));
      buf_free(&want);
      buf_free(&have);
    }
    arena_free(&a);
  }
  return ok;
}

static bool parse_schedule(struct loader *L, const char *text, size_t len)
{
  struct timeline_data *d = L->d;
  json_error_t jerr;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
  bool ok = false;
  if (!root) {
    snprintf(L->err, L->errlen, "content/%s: line %d: %s", SCHEDULE_FILE, jerr.line, jerr.text);
    return false;
  }
  if (!parse_limits(L, root))
    goto fail;

  json_t *events = json_object_get(root, "events");
  snprintf(L->where, sizeof L->where, "events");
  if (!json_is_array(events) || json_array_size(events) == 0) {
    fail(L, NULL, "must be a non-empty list");
    goto fail;
  }
  d->nrules = json_array_size(events);
  d->rules = arena_alloc(&d->mem, d->nrules * sizeof *d->rules);
  for (size_t i = 0; i < d->nrules; i++) {
    snprintf(L->where, sizeof L->where, "events[%zu]", i);
    if (!parse_rule(L, json_array_get(events, i), &d->rules[i]))
      goto fail;
    for (size_t j = 0; j < i; j++)
      if (strcmp(d->rules[j].id, d->rules[i].id) == 0) {
        fail(L, "id", "'%s' is used twice", d->rules[i].id);
        goto fail;
      }
  }

  json_t *imm = json_object_get(root, "immunisations");
  snprintf(L->where, sizeof L->where, "immunisations");
  if (!json_is_object(imm)) {
    fail(L, NULL, "is missing or not an object");
    goto fail;
  }
  const char *imm_explain;
  if (!get_str(L, imm, "explain", false, &imm_explain) ||
      !get_str(L, imm, "provider", false, &d->imm_provider))
    goto fail;
  json_t *appts = json_object_get(imm, "appointments");
  if (!json_is_array(appts) || json_array_size(appts) == 0) {
    fail(L, "appointments", "must be a non-empty list");
    goto fail;
  }
  d->nappts = json_array_size(appts);
  d->appts = arena_alloc(&d->mem, d->nappts * sizeof *d->appts);
  for (size_t i = 0; i < d->nappts; i++) {
    snprintf(L->where, sizeof L->where, "immunisations.appointments[%zu]", i);
    if (!parse_appt(L, json_array_get(appts, i), appts, imm_explain, &d->appts[i]))
      goto fail;
    for (size_t j = 0; j < d->nrules; j++)
      if (strcmp(d->rules[j].id, d->appts[i].id) == 0) {
        fail(L, "id", "'%s' is also the id of an event", d->appts[i].id);
        goto fail;
      }
  }
  if (!parse_if_missed(L, root) || !parse_examples(L, root))
    goto fail;
  ok = true;
fail:
  json_decref(root);
  return ok;
}

/* --- stage texts --- */

static bool stage_fail(struct loader *L, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool stage_fail(struct loader *L, const char *file, const char *fmt, ...)
{
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(L->err, L->errlen, "content/%s: %s", file, msg);
  return false;
}

static bool parse_stage(struct loader *L, const struct content_file *f, struct tl_stage *st)
{
  struct content_doc doc;
  char derr[200];
  if (!content_doc_parse(f->data, f->len, &doc, derr, sizeof derr))
    return stage_fail(L, f->name, "%s", derr);
  bool ok = false;
  const char *id = content_doc_meta(&doc, "id"), *phase = content_doc_meta(&doc, "phase");
  const char *title = content_doc_meta(&doc, "title");
  const char *from = content_doc_meta(&doc, "from"), *until = content_doc_meta(&doc, "until");
  if (!id || !phase || !title) {
    stage_fail(L, f->name, "front matter needs 'id:', 'phase:' and 'title:'");
    goto fail;
  }
  st->text.id = dup(L, id);
  st->text.title = baby_form(L, title, false);
  st->text.title_many = baby_form(L, title, true);
  st->text.html = st->text.html_many = dup(L, doc.html ? doc.html : "");
  if (memmem(f->data, f->len, "{baby", 5)) {
    /* The same file with {baby}, {baby's}, {baby is} and {baby has} written for
     * one baby and for several, each rendered on its own. */
    for (int many = 0; many < 2; many++) {
      char *text = arena_strndup(&L->d->mem, f->data, f->len);
      const char *forms = baby_form(L, text, many);
      struct content_doc d2;
      if (!content_doc_parse(forms, strlen(forms), &d2, derr, sizeof derr)) {
        stage_fail(L, f->name, "%s", derr);
        goto fail;
      }
      const char *html = dup(L, d2.html ? d2.html : "");
      content_doc_free(&d2);
      if (many)
        st->text.html_many = html;
      else
        st->text.html = html;
    }
  }
  if (strcmp(phase, "pregnancy") == 0) {
    st->phase = TL_PHASE_PREGNANCY;
    if (!from || !until || !timeline_parse_gestation(from, &st->from_gest) ||
        !timeline_parse_gestation(until, &st->until_gest) || st->until_gest <= st->from_gest) {
      stage_fail(L, f->name, "a pregnancy stage needs 'from:' and 'until:' as WW+D, in order");
      goto fail;
    }
  } else if (strcmp(phase, "baby") == 0) {
    st->phase = TL_PHASE_BABY;
    struct date ref = {2024, 1, 31};
    if (!from || !until || !tl_parse_span(from, &st->from_age) ||
        !tl_parse_span(until, &st->until_age) ||
        tl_days(tl_add_span(ref, st->from_age), tl_add_span(ref, st->until_age)) <= 0) {
      stage_fail(L, f->name,
                 "a baby stage needs 'from:' and 'until:' as ages such as P6W or "
                 "P3M, in order");
      goto fail;
    }
  } else if (strcmp(phase, "born-early") == 0) {
    st->phase = TL_PHASE_BORN_EARLY;
  } else {
    stage_fail(L, f->name, "phase '%s' must be pregnancy, baby or born-early", phase);
    goto fail;
  }
  ok = true;
fail:
  content_doc_free(&doc);
  return ok;
}

/* The bands of each phase must follow on from each other with no gap and
 * cover pregnancy from 0+0 past the pregnancy limit, and the baby's age from
 * birth past the second birthday. */
static bool check_stage_cover(struct loader *L, const struct content_file *const *files)
{
  struct timeline_data *d = L->d;
  int preg_next = 0, born_early = 0;
  struct tl_span age_next = {0, 0};
  size_t last_preg = SIZE_MAX, last_baby = SIZE_MAX;
  for (size_t i = 0; i < d->nstages; i++) {
    const struct tl_stage *s = &d->stages[i];
    if (s->phase == TL_PHASE_PREGNANCY) {
      if (s->from_gest != preg_next)
        return stage_fail(L, files[i]->name, "starts at %d+%d but the stage before ends at %d+%d",
                          s->from_gest / 7, s->from_gest % 7, preg_next / 7, preg_next % 7);
      preg_next = s->until_gest;
      last_preg = i;
    } else if (s->phase == TL_PHASE_BABY) {
      if (s->from_age.months != age_next.months || s->from_age.days != age_next.days)
        return stage_fail(L, files[i]->name,
                          "'from:' must equal the 'until:' of the baby stage before it "
                          "(file names set the order)");
      age_next = s->until_age;
      last_baby = i;
    } else {
      born_early++;
    }
  }
  if (last_preg == SIZE_MAX || preg_next <= d->pregnancy_max)
    return stage_fail(L, STAGES_PREFIX, "pregnancy stages must run from 0+0 to beyond %d+%d",
                      d->pregnancy_max / 7, d->pregnancy_max % 7);
  if (last_baby == SIZE_MAX || age_next.months < 24 || (age_next.months == 24 && age_next.days < 1))
    return stage_fail(L, STAGES_PREFIX,
                      "baby stages must run from P0D to beyond the second "
                      "birthday (for example P25M)");
  if (born_early != 1)
    return stage_fail(L, STAGES_PREFIX, "there must be exactly one stage with phase: born-early");
  return true;
}

static bool load_stages(struct loader *L, const struct content *c)
{
  struct timeline_data *d = L->d;
  const struct content_file *const *files;
  size_t n = content_list(c, STAGES_PREFIX, &files);
  d->stages = arena_alloc(&d->mem, (n ? n : 1) * sizeof *d->stages);
  const struct content_file **md = arena_alloc(&d->mem, (n ? n : 1) * sizeof *md);
  for (size_t i = 0; i < n; i++) {
    if (!str_ends(files[i]->name, ".md"))
      continue;
    if (!parse_stage(L, files[i], &d->stages[d->nstages]))
      return false;
    md[d->nstages++] = files[i];
  }
  return check_stage_cover(L, md);
}

static bool load_bereavement(struct loader *L, const struct content *c)
{
  const struct content_file *f = content_get(c, BEREAVEMENT_FILE);
  if (!f)
    return stage_fail(L, BEREAVEMENT_FILE, "is missing");
  struct content_doc doc;
  char derr[200];
  if (!content_doc_parse(f->data, f->len, &doc, derr, sizeof derr))
    return stage_fail(L, BEREAVEMENT_FILE, "%s", derr);
  const char *title = content_doc_meta(&doc, "title");
  bool ok = title && doc.html;
  if (ok) {
    L->d->bereavement_title = dup(L, title);
    L->d->bereavement_html = dup(L, doc.html);
  } else {
    stage_fail(L, BEREAVEMENT_FILE, "needs 'title:' in its front matter and a body");
  }
  content_doc_free(&doc);
  return ok;
}

struct timeline_data *timeline_load(const struct content *c, char *err, size_t errlen)
{
  struct timeline_data *d = xcalloc(1, sizeof *d);
  arena_init(&d->mem);
  struct loader L = {.d = d, .err = err, .errlen = errlen};
  const struct content_file *f = content_get(c, SCHEDULE_FILE);
  if (!f) {
    snprintf(err, errlen, "content/%s is missing", SCHEDULE_FILE);
    goto fail;
  }
  if (!parse_schedule(&L, f->data, f->len) || !load_stages(&L, c) || !load_bereavement(&L, c) ||
      !check_examples(&L))
    goto fail;
  return d;
fail:
  timeline_free(d);
  return NULL;
}

void timeline_free(struct timeline_data *d)
{
  if (!d)
    return;
  arena_free(&d->mem);
  free(d);
}
