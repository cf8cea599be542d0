/* timeline.c: the "My 1001 days" pages. GET /my-1001-days shows the form;
 * with answers in the address it shows the family's timeline (a clear "now",
 * what is next, past events folded away, printable), and with mistakes a 400
 * with the form, what was typed, and what to fix. The calendar is in
 * timeline_ics.c and the JSON in src/api/timeline.c. Nothing is stored: the
 * answers live only in the address. */
#include "timeline_web.h"
#include "web.h"
#include "../app.h"
#include "../lib/util.h"
#include "../view/view.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_PATH "/my-1001-days"
#define ICS_PATH "/my-1001-days.ics"
#define NEXT_SHOWN 3 /* events listed under "What is next" */

/* ------------------------------------------------------------------------ */
/* Shared with the calendar and the API                                      */

static void unavailable(struct http_req *rq, struct http_resp *rs)
{
  web_render_error(rq, rs, 503, "timeline_unavailable",
                   "The timeline is not available at the moment. Please try again later.");
}

/* Validate t->raw (the rules are loaded); when valid and compute, work out
 * the timeline. */
static void check(struct http_req *rq, struct timeline_req *t, bool compute)
{
  const struct timeline_data *d = rq->app->timeline;
  t->nerrs = timeline_parse_input(d, &t->raw, date_today(), &t->in, &t->today, t->errs);
  if (t->nerrs == 0 && compute)
    timeline_compute(d, &t->in, t->today, rq->app->campaigns, rq->arena, &t->res);
}

bool timeline_web_run(struct http_req *rq, struct http_resp *rs, struct timeline_req *t)
{
  if (!rq->app->timeline) {
    unavailable(rq, rs);
    return false;
  }
  t->raw.due = http_query(rq, "due");
  t->raw.born = http_query(rq, "born");
  t->raw.gestation = http_query(rq, "gestation");
  t->raw.babies = http_query(rq, "babies");
  t->raw.first_pregnancy = http_query(rq, "first_pregnancy");
  t->raw.today = http_query(rq, "today");
  const char *who = http_query(rq, "for");
  t->partner = who && strcmp(who, "partner") == 0;
  check(rq, t, true);
  return true;
}

const char *timeline_web_query(struct http_req *rq, const struct timeline_req *t, bool with_today)
{
  struct buf q = BUF_INIT;
  char iso[11];
  if (t->in.pregnant) {
    date_format_iso(t->in.due, iso);
    html_printf(&q, "due=%s", iso);
    if (t->in.first_pregnancy != TL_FIRST_UNKNOWN)
      html_printf(&q, "&first_pregnancy=%s", t->in.first_pregnancy == TL_FIRST_YES ? "yes" : "no");
  } else {
    date_format_iso(t->in.born, iso);
    html_printf(&q, "born=%s", iso);
    if (t->in.gestation_given) {
      char g[12];
      timeline_format_gestation(t->in.gestation_days, g, sizeof g);
      html_printf(&q, "&gestation=%U", g);
    }
  }
  if (t->in.babies != 1)
    html_printf(&q, "&babies=%d", t->in.babies);
  if (with_today && t->raw.today && *t->raw.today) {
    date_format_iso(t->today, iso);
    html_printf(&q, "&today=%s", iso);
  }
  const char *r = arena_strdup(rq->arena, buf_cstr(&q));
  buf_free(&q);
  return r;
}

/* ------------------------------------------------------------------------ */
/* Words                                                                     */

static const char *count_of(struct arena *a, long n, const char *one, const char *many)
{
  return arena_printf(a, "%ld %s", n, n == 1 ? one : many);
}

/* "11 weeks and 3 days", "11 weeks", "3 days". */
static const char *weeks_and_days(struct arena *a, long days)
{
  long w = days / 7, dd = days % 7;
  if (w == 0)
    return count_of(a, dd, "day", "days");
  if (dd == 0)
    return count_of(a, w, "week", "weeks");
  return arena_printf(a, "%s and %s", count_of(a, w, "week", "weeks"),
                      count_of(a, dd, "day", "days"));
}

static const char *long_date(struct arena *a, struct date d)
{
  char s[24];
  date_format_long(d, s);
  return arena_strdup(a, s);
}

static const char *range_text(struct arena *a, struct date s, struct date e)
{
  char out[64];
  date_format_range(s, e, out);
  return arena_strdup(a, out);
}

static const char *babies_noun(int n)
{
  static const char *names[] = {"baby",        "baby",        "twins",     "triplets",
                                "quadruplets", "quintuplets", "sextuplets"};
  return n >= 0 && n < (int)ARRAY_LEN(names) ? names[n] : "babies";
}

static const char *kind_label(enum timeline_kind k)
{
  switch (k) {
  case TL_ANTENATAL:
    return "Pregnancy appointment";
  case TL_VACCINE:
    return "Vaccines";
  case TL_SCREENING:
    return "Newborn screening";
  case TL_HEALTH_VISITOR:
    return "Health visitor review";
  case TL_GP:
    return "GP check";
  case TL_CAMPAIGN:
    return "Awareness week";
  case TL_MILESTONE:
    break;
  }
  return "Milestone";
}

/* ------------------------------------------------------------------------ */
/* Blocks on every timeline page                                             */

static void nothing_stored(struct buf *b)
{
  html_printf(b, "<div class=\"nhsuk-inset-text app-no-print\">\n<span "
                 "class=\"nhsuk-u-visually-hidden\">Information: </span>\n"
                 "<p>Nothing is stored: your answers are only in this page's address. Bookmark "
                 "the page, or keep the calendar file, to come back to your timeline. We do not "
                 "keep your dates.</p>\n</div>\n");
}

static void bereavement(struct buf *b, const struct http_req *rq)
{
  const struct timeline_data *d = rq->app->timeline;
  html_printf(b,
              "<aside class=\"app-bereavement nhsuk-u-margin-top-6\" "
              "aria-labelledby=\"bereavement-heading\">\n"
              "<h2 class=\"nhsuk-heading-s\" id=\"bereavement-heading\">%s</h2>\n"
              "<div class=\"app-prose nhsuk-body-s\">%R</div>\n</aside>\n",
              timeline_bereavement_title(d), timeline_bereavement_html(d));
}

/* ------------------------------------------------------------------------ */
/* The form                                                                  */

/* What the form shows: the values as typed. */
struct form_values {
  const char *due_d, *due_m, *due_y, *born_d, *born_m, *born_y;
  const char *gestation, *babies, *first_pregnancy, *today;
};

static const char *field_anchor(const struct timeline_error *e)
{
  if (strcmp(e->field, "due") == 0)
    return "due-day";
  if (strcmp(e->field, "born") == 0)
    return "born-day";
  return e->field;
}

/* The messages for one anchor, as NHS error messages; true if any. */
static bool field_errors(struct buf *b, const char *anchor, const char *id,
                         const struct timeline_error *errs, size_t n)
{
  bool any = false;
  for (size_t i = 0; i < n; i++)
    if (strcmp(field_anchor(&errs[i]), anchor) == 0) {
      if (!any)
        html_printf(b, "<span class=\"nhsuk-error-message\" id=\"%s-error\">", id);
      else
        html_printf(b, "<br>");
      html_printf(b, "<span class=\"nhsuk-u-visually-hidden\">Error: </span>%s", errs[i].message);
      any = true;
    }
  if (any)
    html_printf(b, "</span>\n");
  return any;
}

static bool has_error(const char *anchor, const struct timeline_error *errs, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(field_anchor(&errs[i]), anchor) == 0)
      return true;
  return false;
}

static void date_input(struct buf *b, const char *name, const char *legend, const char *hint,
                       const char *dd, const char *mm, const char *yy,
                       const struct timeline_error *errs, size_t n)
{
  char anchor[32];
  snprintf(anchor, sizeof anchor, "%s-day", name);
  bool err = has_error(anchor, errs, n);
  html_printf(b,
              "<div class=\"nhsuk-form-group%s\">\n"
              "<fieldset class=\"nhsuk-fieldset\" role=\"group\" "
              "aria-describedby=\"%s-hint%s%s%s\">\n"
              "<legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">%s</legend>\n"
              "<div class=\"nhsuk-hint\" id=\"%s-hint\">%s</div>\n",
              err ? " nhsuk-form-group--error" : "", name, err ? " " : "", err ? name : "",
              err ? "-error" : "", legend, name, hint);
  field_errors(b, anchor, name, errs, n);
  static const struct {
    const char *part, *label, *width;
  } parts[] = {{"day", "Day", "2"}, {"month", "Month", "2"}, {"year", "Year", "4"}};
  const char *vals[] = {dd, mm, yy};
  html_printf(b, "<div class=\"nhsuk-date-input\" id=\"%s\">\n", name);
  for (size_t i = 0; i < ARRAY_LEN(parts); i++)
    html_printf(b,
                "<div class=\"nhsuk-date-input__item\">\n<div class=\"nhsuk-form-group\">\n"
                "<label class=\"nhsuk-label nhsuk-date-input__label\" for=\"%s-%s\">%s</label>\n"
                "<input class=\"nhsuk-input nhsuk-date-input__input nhsuk-input--width-%s%s\" "
                "id=\"%s-%s\" name=\"%s-%s\" type=\"text\" inputmode=\"numeric\" value=\"%s\">\n"
                "</div>\n</div>\n",
                name, parts[i].part, parts[i].label, parts[i].width,
                err ? " nhsuk-input--error" : "", name, parts[i].part, name, parts[i].part,
                vals[i] ? vals[i] : "");
  html_printf(b, "</div>\n</fieldset>\n</div>\n");
}

static void text_input(struct buf *b, const char *name, const char *label, const char *hint,
                       const char *width, const char *value, const struct timeline_error *errs,
                       size_t n)
{
  bool err = has_error(name, errs, n);
  html_printf(b,
              "<div class=\"nhsuk-form-group%s\">\n"
              "<label class=\"nhsuk-label nhsuk-label--s\" for=\"%s\">%s</label>\n"
              "<div class=\"nhsuk-hint\" id=\"%s-hint\">%s</div>\n",
              err ? " nhsuk-form-group--error" : "", name, label, name, hint);
  field_errors(b, name, name, errs, n);
  html_printf(b,
              "<input class=\"nhsuk-input nhsuk-input--width-%s%s\" id=\"%s\" name=\"%s\" "
              "type=\"text\" spellcheck=\"false\" aria-describedby=\"%s-hint%s%s%s\" "
              "value=\"%s\">\n</div>\n",
              width, err ? " nhsuk-input--error" : "", name, name, name, err ? " " : "",
              err ? name : "", err ? "-error" : "", value ? value : "");
}

static void radio(struct buf *b, const char *name, const char *id, const char *value,
                  const char *label, const char *current)
{
  bool checked = current && strcmp(current, value) == 0;
  html_printf(b,
              "<div class=\"nhsuk-radios__item\">\n"
              "<input class=\"nhsuk-radios__input\" id=\"%s\" name=\"%s\" type=\"radio\" "
              "value=\"%s\"%s>\n"
              "<label class=\"nhsuk-label nhsuk-radios__label\" for=\"%s\">%s</label>\n</div>\n",
              id, name, value, checked ? " checked" : "", id, label);
}

/* The page opening, the two-thirds column, and an error summary listing every
 * problem (none when n is 0). */
static void page_begin_with_errors(struct buf *b, const struct http_req *rq,
                                   const struct view_page *vp, const struct timeline_error *errs,
                                   size_t n)
{
  view_page_begin(b, rq, vp);
  html_printf(b, "<div class=\"nhsuk-grid-row\">\n<div class=\"nhsuk-grid-column-two-thirds\">\n");
  if (n) {
    view_error_summary_begin(b);
    for (size_t i = 0; i < n; i++)
      view_error_summary_item(b, field_anchor(&errs[i]), errs[i].message);
    view_error_summary_end(b);
  }
}

static void render_form(struct http_req *rq, struct http_resp *rs, const struct form_values *v,
                        const struct timeline_error *errs, size_t n)
{
  struct buf *b = &rs->body;
  struct view_page vp = {.title = "My 1001 days",
                         .description = "See where you are in the first 1001 days, from "
                                        "pregnancy to your child's second birthday, with the "
                                        "appointments, checks and vaccines due.",
                         .nav = "my-1001-days",
                         .error = n > 0,
                         .no_share = n > 0,
                         .noindex = n > 0};
  page_begin_with_errors(b, rq, &vp, errs, n);
  html_printf(b,
              "<h1>My 1001 days</h1>\n"
              "<p class=\"nhsuk-lede-text\">See where you are in the first 1001 days, from "
              "pregnancy to your child's second birthday: what is happening, things to do "
              "together, and the appointments, checks and vaccines that are due, with their "
              "dates.</p>\n"
              "<form action=\"%s\" method=\"get\" novalidate>\n",
              PAGE_PATH);

  /* Two sections, all visible with or without JavaScript: fill in one. */
  html_printf(b, "<p>Fill in the section for where you are now: the due date if you are "
                 "pregnant, or the date of birth if your baby has been born.</p>\n"
                 "<fieldset class=\"nhsuk-fieldset\">\n"
                 "<legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--m\">"
                 "<h2 class=\"nhsuk-fieldset__heading\">If you are pregnant</h2></legend>\n");
  date_input(b, "due", "Due date",
             "For example, 15 3 2027. Your midwife gives you this after your dating scan; before "
             "that, use your best estimate.",
             v->due_d, v->due_m, v->due_y, errs, n);
  bool fp_err = has_error("first_pregnancy", errs, n);
  html_printf(b,
              "<div class=\"nhsuk-form-group%s\">\n"
              "<fieldset class=\"nhsuk-fieldset\" aria-describedby=\"first_pregnancy-hint%s\">\n"
              "<legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">Is this your "
              "first pregnancy?</legend>\n"
              "<div class=\"nhsuk-hint\" id=\"first_pregnancy-hint\">A first pregnancy has a "
              "few extra appointments. If you do not answer, we show them too.</div>\n",
              fp_err ? " nhsuk-form-group--error" : "", fp_err ? " first_pregnancy-error" : "");
  field_errors(b, "first_pregnancy", "first_pregnancy", errs, n);
  html_printf(b, "<div class=\"nhsuk-radios nhsuk-radios--inline\">\n");
  radio(b, "first_pregnancy", "first_pregnancy", "yes", "Yes", v->first_pregnancy);
  radio(b, "first_pregnancy", "first_pregnancy-2", "no", "No", v->first_pregnancy);
  html_printf(b, "</div>\n</fieldset>\n</div>\n</fieldset>\n");

  html_printf(b, "<fieldset class=\"nhsuk-fieldset\">\n"
                 "<legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--m\">"
                 "<h2 class=\"nhsuk-fieldset__heading\">If your baby has been born</h2>"
                 "</legend>\n");
  date_input(b, "born", "Date of birth", "For example, 27 8 2026.", v->born_d, v->born_m, v->born_y,
             errs, n);
  text_input(b, "gestation",
             "How many weeks pregnant were you when your baby was born? "
             "(optional)",
             "As weeks+days, for example 33+4. Leave this blank if your baby was born at full "
             "term or you are not sure. For a baby born before 37 weeks we also show the "
             "corrected age.",
             "3", v->gestation, errs, n);
  html_printf(b, "</fieldset>\n");

  text_input(b, "babies", "How many babies? (optional)", "2 for twins, 3 for triplets.", "2",
             v->babies ? v->babies : "1", errs, n);
  bool today_open = (v->today && *v->today) || has_error("today", errs, n);
  html_printf(b,
              "<details class=\"nhsuk-details\"%s>\n<summary class=\"nhsuk-details__summary\">"
              "<span class=\"nhsuk-details__summary-text\">See your timeline as it will be on "
              "another day</span></summary>\n<div class=\"nhsuk-details__text\">\n",
              today_open ? " open" : "");
  text_input(b, "today", "Date to plan from (optional)",
             "As year-month-day, for example 2027-01-31. Leave blank for today.", "10", v->today,
             errs, n);
  html_printf(b, "</div>\n</details>\n"
                 "<button class=\"nhsuk-button\" data-module=\"nhsuk-button\" type=\"submit\">"
                 "Show my 1001 days</button>\n</form>\n");
  nothing_stored(b);
  bereavement(b, rq);
  html_printf(b, "</div>\n</div>\n");
  view_page_end(b, rq, &vp);
}

/* Split "YYYY-MM-DD" (as typed) back into the three boxes; anything else
 * goes into the year box so that nothing typed is lost. */
static void split_date(struct http_req *rq, const char *s, const char **dd, const char **mm,
                       const char **yy)
{
  *dd = *mm = *yy = NULL;
  if (!s || !*s)
    return;
  const char *p1 = strchr(s, '-'), *p2 = p1 ? strchr(p1 + 1, '-') : NULL;
  if (p1 && p2 && !strchr(p2 + 1, '-')) {
    *yy = arena_strndup(rq->arena, s, (size_t)(p1 - s));
    *mm = arena_strndup(rq->arena, p1 + 1, (size_t)(p2 - p1 - 1));
    *dd = arena_strdup(rq->arena, p2 + 1);
  } else {
    *yy = s;
  }
}

/* Join the three boxes into "YYYY-MM-DD", padding one-digit days and months.
 * NULL when all three are blank. */
static const char *join_date(struct http_req *rq, const char *dd, const char *mm, const char *yy)
{
  bool any = (dd && *dd) || (mm && *mm) || (yy && *yy);
  if (!any)
    return NULL;
  struct buf s = BUF_INIT;
  const char *parts[] = {yy, mm, dd};
  for (int i = 0; i < 3; i++) {
    const char *p = parts[i] ? parts[i] : "";
    while (*p == ' ')
      p++;
    size_t len = strcspn(p, " ");
    if (i)
      buf_putc(&s, '-');
    if (i && len == 1)
      buf_putc(&s, '0');
    buf_append(&s, p, len);
  }
  const char *r = arena_strdup(rq->arena, buf_cstr(&s));
  buf_free(&s);
  return r;
}

/* ------------------------------------------------------------------------ */
/* The result                                                                */

/* "Your baby is", "Your twins are", "Your child is" (after the 1001 days). */
static const char *who_is(struct arena *a, const struct timeline_stage *st)
{
  if (st->babies > 1)
    return arena_printf(a, "Your %s are", babies_noun(st->babies));
  return st->after_1001 ? "Your child is" : "Your baby is";
}

static void stage_heading(struct buf *b, struct arena *a, const struct timeline_req *t)
{
  const struct timeline_stage *st = &t->res.stage;
  const char *noun = babies_noun(st->babies);
  const char *who = who_is(a, st);
  if (st->pregnant) {
    if (st->gestation_days < 0)
      html_printf(b, "<h1>%s pregnancy weeks begin on %s</h1>\n", t->partner ? "The" : "Your",
                  long_date(a, st->lmp));
    else
      html_printf(b, "<h1>%s %s pregnant%s%s</h1>\n", t->partner ? "Your partner is" : "You are",
                  weeks_and_days(a, st->gestation_days), st->babies > 1 ? " with " : "",
                  st->babies > 1 ? noun : "");
  } else if (st->age_days == 0) {
    html_printf(b, "<h1>%s born today</h1>\n",
                st->babies > 1 ? arena_printf(a, "Your %s were", noun) : "Your baby was");
  } else if (st->after_1001) {
    int y = st->age_months / 12, m = st->age_months % 12;
    html_printf(b, "<h1>%s %s%s%s old</h1>\n", who, count_of(a, y, "year", "years"),
                m ? " and " : "", m ? count_of(a, m, "month", "months") : "");
  } else if (st->age_months >= 24) {
    html_printf(b, "<h1>%s two years old today</h1>\n", who);
  } else if (st->age_days < 14) {
    html_printf(b, "<h1>%s %s old</h1>\n", who, count_of(a, st->age_days, "day", "days"));
  } else if (st->age_months < 3) {
    html_printf(b, "<h1>%s %s old</h1>\n", who, weeks_and_days(a, st->age_days));
  } else {
    html_printf(b, "<h1>%s %s old</h1>\n", who, count_of(a, st->age_months, "month", "months"));
  }
}

/* One line under the heading with the dates that matter most, so the
 * summary list can sit further down. */
static void key_facts(struct buf *b, struct arena *a, const struct timeline_req *t)
{
  const struct timeline_stage *st = &t->res.stage;
  html_printf(b, "<p class=\"app-key-facts\">");
  if (st->pregnant)
    html_printf(b, "Due date: %s.", long_date(a, st->due));
  else if (st->corrected && st->corrected_age_days >= 0)
    html_printf(b, "Born %s. Corrected age: %s.", long_date(a, st->born),
                weeks_and_days(a, st->corrected_age_days));
  else
    html_printf(b, "Born %s.", long_date(a, st->born));
  if (t->raw.today && *t->raw.today)
    html_printf(b, " This is the timeline as it will be on %s.", long_date(a, t->today));
  html_printf(b, "</p>\n");
}

static void stage_summary(struct buf *b, struct arena *a, const struct timeline_req *t)
{
  const struct timeline_stage *st = &t->res.stage;
  static const char *trimesters[] = {"", "first trimester", "second trimester", "third trimester"};
  html_printf(b, "<dl class=\"nhsuk-summary-list\">\n");
  view_summary_row(b, "Timeline for",
                   t->raw.today && *t->raw.today
                       ? arena_printf(a, "%s (the date you chose)", long_date(a, t->today))
                       : arena_printf(a, "Today, %s", long_date(a, t->today)));
  if (st->pregnant) {
    view_summary_row(b, "Due date", long_date(a, st->due));
    char g[12];
    timeline_format_gestation(st->gestation_days < 0 ? 0 : st->gestation_days, g, sizeof g);
    view_summary_row(b, "Weeks pregnant",
                     st->gestation_days < 0
                         ? "Not started yet"
                         : arena_printf(a, "%s (%s)", g, trimesters[st->trimester]));
    view_summary_row(b, "First pregnancy",
                     t->in.first_pregnancy == TL_FIRST_YES ? "Yes"
                     : t->in.first_pregnancy == TL_FIRST_NO
                         ? "No"
                         : "Not given: the extra appointments of "
                           "a first pregnancy are included");
  } else {
    view_summary_row(b, "Date of birth", long_date(a, st->born));
    view_summary_row(b, "Age",
                     arena_printf(a, "%s: %s, %s", count_of(a, st->age_days, "day", "days"),
                                  weeks_and_days(a, st->age_days),
                                  count_of(a, st->age_months, "whole month", "whole months")));
    char g[12];
    timeline_format_gestation(st->birth_gestation_days, g, sizeof g);
    view_summary_row(b, "Born at",
                     t->in.gestation_given
                         ? arena_printf(a, "%s weeks of pregnancy%s", g,
                                        st->corrected ? " (premature: before 37 weeks)" : "")
                         : "40+0 weeks (not given, so we count from full term)");
    if (st->corrected) {
      if (st->corrected_age_days < 0)
        view_summary_row(b, "Corrected age",
                         arena_printf(a, "Not started: the due date, %s, is %s away",
                                      long_date(a, st->due),
                                      count_of(a, -st->corrected_age_days, "day", "days")));
      else
        view_summary_row(b, "Corrected age",
                         arena_printf(a, "%s (counted from the due date, %s)",
                                      weeks_and_days(a, st->corrected_age_days),
                                      long_date(a, st->due)));
    }
  }
  if (st->babies > 1)
    view_summary_row(b, "Babies", arena_printf(a, "%d (%s)", st->babies, babies_noun(st->babies)));
  view_summary_row(
      b, "The 1001 days",
      st->after_1001       ? arena_printf(a, "Ended on %s", long_date(a, st->end_1001))
      : st->day_of_1001 >= 1 ? arena_printf(a, "Day %ld; they end on %s", st->day_of_1001,
                                          long_date(a, st->end_1001))
                           : arena_printf(a, "Begin around %s and end on %s",
                                          long_date(a, st->conception), long_date(a, st->end_1001)));
  html_printf(b, "</dl>\n");
}

static void how_we_count(struct buf *b, struct arena *a, const struct timeline_stage *st)
{
  html_printf(b,
              "<details class=\"nhsuk-details app-how-we-count\">\n<summary "
              "class=\"nhsuk-details__summary\">"
              "<span class=\"nhsuk-details__summary-text\">How we count the days</span>"
              "</summary>\n<div class=\"nhsuk-details__text\">\n"
              "<p>Weeks of pregnancy are counted from the first day of the last period, 40 "
              "weeks (280 days) before the due date. 24+3 means 24 weeks and 3 days. The first "
              "trimester runs to the end of week 12, the second from week 13 to the end of "
              "week 27, and the third from week 28.</p>\n"
              "<p>A baby's age is counted from the date of birth, which is day 0. Months are "
              "calendar months; when a month has no matching day (a birthday on 29 February or "
              "the 31st), we use the 1st of the next month.</p>\n"
              "<p>For a baby born before 37 weeks we also give a corrected age, counted from "
              "the due date. We use it for the development and play ideas until the second "
              "birthday. Vaccines always follow the actual date of birth.</p>\n"
              "<p>The 1001 days run from conception, counted as 2 weeks after the first day of "
              "the last period, to the second birthday. 1001 is a round figure: counted exactly "
              "for you, from %s to %s, it is %ld days.</p>\n</div>\n</details>\n",
              long_date(a, st->conception), long_date(a, st->end_1001), st->days_in_1001);
}

/* Shown in full: now, next, and what starts within SOON_DAYS. Everything
 * else folds its explanation away, so a phone page stays short. */
#define SOON_DAYS 56

static bool shown_in_full(const struct timeline_event *e, struct date today)
{
  if (e->when == TL_PAST)
    return false;
  return e->when != TL_UPCOMING || date_to_days(e->start) - date_to_days(today) <= SOON_DAYS;
}

static void event_about(struct buf *b, struct http_req *rq, const struct timeline_event *e)
{
  html_printf(b, "<p class=\"app-timeline__explain\">%s</p>\n", e->explain);
  if (e->nlines) {
    html_printf(b, "<ul class=\"app-timeline__lines\">\n");
    for (size_t i = 0; i < e->nlines; i++)
      html_printf(b, "<li>%s</li>\n", e->lines[i]);
    html_printf(b, "</ul>\n");
  }
  html_printf(b, "<p class=\"nhsuk-body-s app-timeline__meta\">");
  if (e->provider)
    html_printf(b, "With: %s. ", e->provider);
  if (e->first_pregnancy_only)
    html_printf(b, "Offered in a first pregnancy. ");
  if (e->estimated)
    html_printf(b, "Estimated from your due date: the real date depends on the birth. ");
  if (e->after_1001)
    html_printf(b, "After the 1001 days. ");
  if (e->href)
    html_printf(b,
                "<a href=\"%s\">Read more<span class=\"nhsuk-u-visually-hidden\"> about "
                "%s</span></a>. ",
                e->href, e->title);
  if (e->source)
    html_printf(b,
                "<a href=\"%s\">Source<span class=\"nhsuk-u-visually-hidden\"> for %s</span>"
                "</a>. ",
                e->source, e->title);
  const char *need_label = timeline_need_label(rq->app->timeline, e->need);
  if (need_label)
    html_printf(b,
                "<a class=\"app-no-print\" href=\"/find-support?need=%U\">Find %s near "
                "you</a>",
                e->need, need_label);
  html_printf(b, "</p>\n");
}

static void event_item(struct buf *b, struct http_req *rq, const struct timeline_req *t,
                       const struct timeline_event *e)
{
  struct arena *a = rq->arena;
  const char *mod = e->when == TL_PAST  ? " app-timeline__item--past"
                    : e->when == TL_NOW ? " app-timeline__item--now"
                                        : "";
  html_printf(b,
              "<li class=\"app-timeline__item%s\" id=\"event-%s\">\n"
              "<p class=\"app-timeline__date\">",
              mod, e->id);
  if (e->when == TL_NOW)
    html_printf(b, "<strong class=\"nhsuk-tag nhsuk-tag--blue\">Now</strong> ");
  else if (e->when == TL_NEXT)
    html_printf(b, "<strong class=\"nhsuk-tag nhsuk-tag--white\">Next</strong> ");
  html_printf(b, "%s%s</p>\n", range_text(a, e->start, e->end), e->estimated ? " (estimated)" : "");
  html_printf(b,
              "<h3 class=\"nhsuk-heading-s app-timeline__title\"><span "
              "class=\"app-timeline__kind\">%s: </span>%s</h3>\n",
              kind_label(e->kind), e->title);
  if (e->when == TL_PAST && e->if_missed)
    html_printf(b, "<p class=\"app-timeline__missed\">%s</p>\n", e->if_missed);
  if (shown_in_full(e, t->today)) {
    event_about(b, rq, e);
  } else {
    html_printf(b,
                "<details class=\"nhsuk-details app-timeline__more\">\n<summary "
                "class=\"nhsuk-details__summary\"><span class=\"nhsuk-details__summary-text\">"
                "More about this<span class=\"nhsuk-u-visually-hidden\">: %s</span></span>"
                "</summary>\n<div class=\"nhsuk-details__text\">\n",
                e->title);
    event_about(b, rq, e);
    html_printf(b, "</div>\n</details>\n");
  }
  html_printf(b, "</li>\n");
}

/* Which part of the timeline an event is listed in: folded earlier events,
 * the open list (now and the next LATER_DAYS), or folded later events. */
#define LATER_DAYS 91
enum part { PART_EARLIER, PART_SOON, PART_LATER };

static enum part part_of(const struct timeline_event *e, struct date today)
{
  if (e->when == TL_PAST)
    return PART_EARLIER;
  if (e->when == TL_UPCOMING && date_to_days(e->start) - date_to_days(today) > LATER_DAYS)
    return PART_LATER;
  return PART_SOON;
}

static size_t count_part(const struct timeline_req *t, enum part p)
{
  size_t n = 0;
  for (size_t i = 0; i < t->res.nevents; i++)
    n += part_of(&t->res.events[i], t->today) == p;
  return n;
}

static void event_list(struct buf *b, struct http_req *rq, const struct timeline_req *t,
                       enum part p)
{
  const struct timeline_result *r = &t->res;
  html_printf(b, "<ol class=\"app-timeline\">\n");
  for (size_t i = 0; i < r->nevents; i++)
    if (part_of(&r->events[i], t->today) == p)
      event_item(b, rq, t, &r->events[i]);
  html_printf(b, "</ol>\n");
}

/* A folded part of the timeline: earlier or later events. */
static void folded_part(struct buf *b, struct http_req *rq, const struct timeline_req *t,
                        enum part p)
{
  size_t n = count_part(t, p);
  if (!n)
    return;
  html_printf(b,
              "<details class=\"nhsuk-details app-timeline-fold %s\">\n"
              "<summary class=\"nhsuk-details__summary\"><span "
              "class=\"nhsuk-details__summary-text\">%s (%zu)</span></summary>\n"
              "<div class=\"nhsuk-details__text\">\n<p>%s</p>\n",
              p == PART_EARLIER ? "app-timeline-past" : "app-timeline-later",
              p == PART_EARLIER ? "Earlier events" : "Later events", n,
              p == PART_EARLIER
                  ? "These dates have passed. Each one says what to do if it has not happened."
                  : "These are more than 3 months away.");
  event_list(b, rq, t, p);
  html_printf(b, "</div>\n</details>\n");
}

static void whats_next(struct buf *b, struct http_req *rq, const struct timeline_req *t)
{
  const struct timeline_result *r = &t->res;
  size_t shown = 0;
  html_printf(b, "<h2 id=\"next\">%s</h2>\n<ul class=\"nhsuk-list app-next\">\n",
              r->stage.after_1001 ? "What is still to come" : "What is next");
  for (size_t i = 0; i < r->nevents && shown < NEXT_SHOWN; i++) {
    const struct timeline_event *e = &r->events[i];
    if (e->when == TL_PAST)
      continue;
    html_printf(b, "<li><a href=\"#event-%s\">%s</a>: %s%s</li>\n", e->id, e->title,
                e->when == TL_NOW ? "now, " : "", range_text(rq->arena, e->start, e->end));
    shown++;
  }
  if (!shown)
    html_printf(b, "<li>There are no more routine contacts in this timeline.</li>\n");
  html_printf(b, "</ul>\n");
}

/* The canonical answers as hidden form fields (the same as timeline_web_query). */
static void hidden_answers(struct buf *b, const struct timeline_req *t, bool with_today)
{
  char iso[11];
  if (t->in.pregnant) {
    date_format_iso(t->in.due, iso);
    html_printf(b, "<input type=\"hidden\" name=\"due\" value=\"%s\">\n", iso);
    if (t->in.first_pregnancy != TL_FIRST_UNKNOWN)
      html_printf(b, "<input type=\"hidden\" name=\"first_pregnancy\" value=\"%s\">\n",
                  t->in.first_pregnancy == TL_FIRST_YES ? "yes" : "no");
  } else {
    date_format_iso(t->in.born, iso);
    html_printf(b, "<input type=\"hidden\" name=\"born\" value=\"%s\">\n", iso);
    if (t->in.gestation_given) {
      char g[12];
      timeline_format_gestation(t->in.gestation_days, g, sizeof g);
      html_printf(b, "<input type=\"hidden\" name=\"gestation\" value=\"%s\">\n", g);
    }
  }
  if (t->in.babies != 1)
    html_printf(b, "<input type=\"hidden\" name=\"babies\" value=\"%d\">\n", t->in.babies);
  if (with_today && t->raw.today && *t->raw.today) {
    date_format_iso(t->today, iso);
    html_printf(b, "<input type=\"hidden\" name=\"today\" value=\"%s\">\n", iso);
  }
}

/* The calendar file, with the reminder the family chooses. */
static void calendar_form(struct buf *b, const struct timeline_req *t)
{
  html_printf(b, "<form class=\"app-calendar\" action=\"%s\" method=\"get\">\n", ICS_PATH);
  hidden_answers(b, t, true);
  html_printf(b,
              "<div class=\"nhsuk-form-group\">\n<fieldset class=\"nhsuk-fieldset\" "
              "aria-describedby=\"remind-hint\">\n"
              "<legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">Add these "
              "dates to your calendar</legend>\n"
              "<div class=\"nhsuk-hint\" id=\"remind-hint\">A calendar file for Google, Apple "
              "or Outlook calendars. Choose when to be reminded of each appointment; if you do "
              "not choose, there are no reminders.</div>\n"
              "<div class=\"nhsuk-radios nhsuk-radios--small\">\n");
  radio(b, "remind", "remind", "day", "The day before", NULL);
  radio(b, "remind", "remind-2", "week", "A week before", NULL);
  radio(b, "remind", "remind-3", "none", "No reminders", NULL);
  html_printf(b, "</div>\n</fieldset>\n</div>\n"
                 "<button class=\"nhsuk-button nhsuk-button--secondary\" data-module="
                 "\"nhsuk-button\" type=\"submit\">Download the calendar file</button>\n"
                 "</form>\n");
}

/* A link a parent can send to their partner, and what it shows them. */
static void partner_share(struct buf *b, struct http_req *rq, const struct timeline_req *t)
{
  const struct config *cfg = &rq->app->cfg;
  const char *base = cfg->base_url ? cfg->base_url : "";
  size_t n = strlen(base);
  const char *url = arena_printf(rq->arena, "%.*s%s?%s&for=partner",
                                 (int)(n && base[n - 1] == '/' ? n - 1 : n), base, PAGE_PATH,
                                 timeline_web_query(rq, t, false));
  struct buf mail = BUF_INIT;
  html_printf(&mail, "mailto:?subject=%U&body=%U", "Our 1001 days",
              arena_printf(rq->arena,
                           "Here is our timeline of the first 1001 days, with the appointments "
                           "and checks to come: %s",
                           url));
  html_printf(b,
              "<details class=\"nhsuk-details app-partner-share\">\n<summary "
              "class=\"nhsuk-details__summary\"><span class=\"nhsuk-details__summary-text\">"
              "Show this timeline to your partner</span></summary>\n"
              "<div class=\"nhsuk-details__text\">\n"
              "<p>Send your partner this link. It opens the same timeline, with a few words "
              "for them. The link holds your dates, so only share it with people you "
              "trust.</p>\n"
              "<div class=\"nhsuk-form-group\">\n<label class=\"nhsuk-label\" "
              "for=\"partner-link\">Link for your partner</label>\n"
              "<input class=\"nhsuk-input\" id=\"partner-link\" type=\"text\" readonly "
              "spellcheck=\"false\" value=\"%s\">\n</div>\n"
              "<p><a href=\"%s\">Send the link by email</a></p>\n</div>\n</details>\n",
              url, buf_cstr(&mail));
  buf_free(&mail);
}

/* Words for a partner who was sent the timeline. */
static void partner_words(struct buf *b, const struct timeline_req *t)
{
  const struct timeline_stage *st = &t->res.stage;
  html_printf(b,
              "<div class=\"nhsuk-inset-text app-partner-words\">\n<span "
              "class=\"nhsuk-u-visually-hidden\">Information: </span>\n"
              "<h2 class=\"nhsuk-heading-s\">For partners</h2>\n"
              "<p>This timeline was shared with you so that you can follow %s together. "
              "Where it says \"you\", it means the person who is pregnant or gave birth.</p>\n"
              "<p>Ask which appointments they would like you to come to: you can ask the "
              "midwife or health visitor questions too.</p>\n"
              "<p>How you are feeling matters as well. <a href=\"/wellbeing-check\">Check how "
              "you are feeling</a> or <a href=\"/find-support\">find support near you</a>.</p>\n"
              "</div>\n",
              st->pregnant        ? "the pregnancy and the first two years after the birth"
              : st->babies > 1    ? "your babies' first two years"
                                  : "your baby's first two years");
}

/* "Our baby has arrived": the date of birth, with the due date the page
 * already knows, so that the baby's corrected age (and the calendar's event
 * identifiers) follow on from the pregnancy. */
static void arrival_form(struct buf *b, const char *due_iso, int babies, const char *today,
                         const struct form_values *v, const struct timeline_error *errs,
                         size_t n)
{
  html_printf(b,
              "<form class=\"app-arrived\" action=\"%s\" method=\"get\" novalidate>\n"
              "<input type=\"hidden\" name=\"was_due\" value=\"%s\">\n",
              PAGE_PATH, due_iso);
  if (babies != 1)
    html_printf(b, "<input type=\"hidden\" name=\"babies\" value=\"%d\">\n", babies);
  if (today && *today)
    html_printf(b, "<input type=\"hidden\" name=\"today\" value=\"%s\">\n", today);
  date_input(b, "born", "Date of birth",
             "For example, 27 3 2027. We use your due date as well, to work out the corrected "
             "age of a baby born early.",
             v ? v->born_d : NULL, v ? v->born_m : NULL, v ? v->born_y : NULL, errs, n);
  html_printf(b, "<button class=\"nhsuk-button\" data-module=\"nhsuk-button\" type=\"submit\">"
                 "Show %s timeline</button>\n</form>\n",
              babies > 1 ? "our babies'" : "our baby's");
}

static void arrival_details(struct buf *b, const struct timeline_req *t, bool open)
{
  char iso[11];
  date_format_iso(t->in.due, iso);
  html_printf(b,
              "<details class=\"nhsuk-details app-arrived-details\" id=\"arrived\"%s>\n"
              "<summary class=\"nhsuk-details__summary\"><span "
              "class=\"nhsuk-details__summary-text\">%s</span></summary>\n"
              "<div class=\"nhsuk-details__text\">\n",
              open ? " open" : "",
              t->in.babies > 1 ? "Our babies have arrived" : "Our baby has arrived");
  arrival_form(b, iso, t->in.babies, t->raw.today, NULL, NULL, 0);
  html_printf(b, "</div>\n</details>\n");
}

static void keep_options(struct buf *b, struct http_req *rq, const struct timeline_req *t,
                         const char *q)
{
  html_printf(b, "<h2 class=\"app-no-print\" id=\"keep\">Keep your timeline</h2>\n"
                 "<div class=\"app-no-print app-keep\">\n");
  calendar_form(b, t);
  html_printf(b, "<button class=\"nhsuk-button nhsuk-button--secondary app-print\" "
                 "type=\"button\" hidden>Print this timeline</button>\n");
  if (!t->partner)
    partner_share(b, rq, t);
  html_printf(b, "<p><a href=\"%s?%s&amp;edit=1\">Change your answers</a></p>\n</div>\n",
              PAGE_PATH, q);
}

static void render_result(struct http_req *rq, struct http_resp *rs, const struct timeline_req *t)
{
  struct buf *b = &rs->body;
  struct arena *a = rq->arena;
  const struct timeline_result *r = &t->res;
  const struct timeline_stage *st = &r->stage;
  const char *q = timeline_web_query(rq, t, true);
  struct view_page vp = {.title = "Your 1001 days",
                         .description = "Your own timeline of the first 1001 days.",
                         .nav = "my-1001-days",
                         .no_share = true,
                         .noindex = true,
                         .main_class = "app-timeline-page"};
  view_page_begin(b, rq, &vp);
  html_printf(b, "<div class=\"nhsuk-grid-row\">\n<div class=\"nhsuk-grid-column-two-thirds\">\n"
                 "<span class=\"nhsuk-caption-l\">My 1001 days</span>\n");
  stage_heading(b, a, t);
  key_facts(b, a, t);
  if (t->partner)
    partner_words(b, t);
  bool due_passed = st->pregnant && st->gestation_days >= 280;
  if (due_passed)
    arrival_details(b, t, true);
  if (st->after_1001)
    html_printf(b,
                "<p>The 1001 days ended on %s, the second birthday. There are still routine "
                "contacts to come: this timeline follows %s until %s.</p>\n",
                long_date(a, st->end_1001), st->babies > 1 ? "them" : "your child",
                long_date(a, st->follow_until));
  whats_next(b, rq, t);
  keep_options(b, rq, t, q);
  if (st->pregnant && !due_passed)
    arrival_details(b, t, false);
  if (st->babies > 1)
    html_printf(b, "<p>Each of your %s has their own checks and vaccines on these dates.%s</p>\n",
                babies_noun(st->babies),
                st->pregnant ? " Twin and triplet pregnancies have extra scans and appointments; "
                               "your maternity team will give you your own plan."
                             : "");
  if (st->text)
    html_printf(b,
                "<section class=\"app-now\" aria-labelledby=\"now-heading\">\n"
                "<h2 id=\"now-heading\"><span class=\"nhsuk-caption-m\">Now</span>%s</h2>\n"
                "<div class=\"app-prose\">%R</div>\n</section>\n",
                st->babies > 1 ? st->text->title_many : st->text->title,
                st->babies > 1 ? st->text->html_many : st->text->html);

  html_printf(b, "<h2 id=\"timeline\">Your timeline</h2>\n");
  folded_part(b, rq, t, PART_EARLIER);
  event_list(b, rq, t, PART_SOON);
  folded_part(b, rq, t, PART_LATER);

  html_printf(b, "<h2 id=\"about-dates\">About these dates</h2>\n");
  stage_summary(b, a, t);
  how_we_count(b, a, st);
  nothing_stored(b);
  bereavement(b, rq);
  html_printf(b, "</div>\n</div>\n<script type=\"module\" src=\"%s\"></script>\n",
              view_static_url(rq, "timeline.mjs"));
  view_page_end(b, rq, &vp);
}

/* A bookmarked pregnancy address after the due date (and the pregnancy
 * limit) has passed: instead of an error, the step to the baby's timeline. */
static void render_due_passed(struct http_req *rq, struct http_resp *rs, struct date due,
                              int babies, const char *today, const struct form_values *v,
                              const struct timeline_error *errs, size_t n)
{
  struct buf *b = &rs->body;
  struct view_page vp = {.title = babies > 1 ? "Have your babies arrived?" : "Has your baby arrived?",
                         .nav = "my-1001-days",
                         .error = n > 0,
                         .no_share = true,
                         .noindex = true};
  page_begin_with_errors(b, rq, &vp, errs, n);
  char iso[11];
  date_format_iso(due, iso);
  html_printf(b,
              "<span class=\"nhsuk-caption-l\">My 1001 days</span>\n"
              "<h1>Your due date, %s, has passed</h1>\n"
              "<p>If your %s been born, enter the date of birth to see %s timeline: the checks, "
              "reviews and vaccines to come.</p>\n",
              long_date(rq->arena, due), babies > 1 ? "babies have" : "baby has",
              babies > 1 ? "their" : "your baby's");
  arrival_form(b, iso, babies, today, v, errs, n);
  html_printf(b,
              "<p>If your due date has changed, <a href=\"%s\">start again with the new "
              "date</a>.</p>\n",
              PAGE_PATH);
  nothing_stored(b);
  bereavement(b, rq);
  html_printf(b, "</div>\n</div>\n");
  view_page_end(b, rq, &vp);
}

/* ------------------------------------------------------------------------ */
/* Handlers                                                                  */

static bool form_submitted(const struct http_req *rq)
{
  static const char *keys[] = {"due-day",  "due-month",  "due-year",
                               "born-day", "born-month", "born-year"};
  for (size_t i = 0; i < ARRAY_LEN(keys); i++)
    if (http_query(rq, keys[i]))
      return true;
  return false;
}

/* The number of babies as typed, or 1 when it is not a small whole number
 * (the answers are checked again before they are used). */
static int babies_or_one(const char *s)
{
  int n = s ? atoi(s) : 1;
  return n >= 1 && n <= 9 ? n : 1;
}

/* "Our baby has arrived": was_due (the due date the page knew) and the date
 * of birth boxes. The gestation at birth follows from the two, so the baby's
 * timeline keeps the due date for the corrected age; valid answers are sent
 * to the baby's canonical address. */
static void arrival_step(struct http_req *rq, struct http_resp *rs, const char *was_due,
                         struct form_values *v)
{
  struct date due;
  if (!date_parse(was_due, &due)) {
    web_render_error(rq, rs, 400, "invalid_date",
                     "The due date in this address is not a real date. Start again from My "
                     "1001 days.");
    return;
  }
  struct timeline_req *t = arena_alloc(rq->arena, sizeof *t);
  v->born_d = http_query(rq, "born-day");
  v->born_m = http_query(rq, "born-month");
  v->born_y = http_query(rq, "born-year");
  t->raw.born = join_date(rq, v->born_d, v->born_m, v->born_y);
  t->raw.babies = v->babies;
  t->raw.today = v->today;
  struct date born;
  char g[16] = "";
  if (t->raw.born && date_parse(t->raw.born, &born)) {
    long gest = 280 - (date_to_days(due) - date_to_days(born));
    timeline_format_gestation(gest < 0 ? 0 : gest > 999 ? 999 : (int)gest, g, sizeof g);
    t->raw.gestation = g;
  }
  check(rq, t, false);
  /* Say what went wrong in this form's own terms. */
  for (size_t i = 0; i < t->nerrs; i++) {
    struct timeline_error *e = &t->errs[i];
    if (strcmp(e->field, "gestation") == 0) {
      e->field = "born";
      snprintf(e->message, sizeof e->message,
               "With a due date of %s, a birth on %s would be at %s weeks of pregnancy, which "
               "this timeline does not cover. Check the date of birth.",
               long_date(rq->arena, due), long_date(rq->arena, born), g);
    } else if (strcmp(e->code, "missing_date") == 0) {
      e->field = "born";
      snprintf(e->message, sizeof e->message,
               "Enter your baby's date of birth, for example 27 3 2027.");
    }
  }
  if (t->nerrs == 0) {
    rs->status = 303;
    http_add_header(rs, "Location",
                    arena_printf(rq->arena, "%s?%s", PAGE_PATH, timeline_web_query(rq, t, true)));
    return;
  }
  rs->status = 400;
  render_due_passed(rq, rs, due, babies_or_one(v->babies), v->today, v, t->errs, t->nerrs);
}

void web_timeline_page(struct http_req *rq, struct http_resp *rs)
{
  if (!rq->app->timeline) {
    unavailable(rq, rs);
    return;
  }
  struct form_values v = {0};
  v.gestation = http_query(rq, "gestation");
  v.babies = http_query(rq, "babies");
  v.first_pregnancy = http_query(rq, "first_pregnancy");
  v.today = http_query(rq, "today");

  if (rq->nquery == 0) {
    render_form(rq, rs, &v, NULL, 0);
    rs->cache = HTTP_CACHE_SHORT;
    return;
  }

  const char *was_due = http_query(rq, "was_due");
  if (was_due) {
    arrival_step(rq, rs, was_due, &v);
    return;
  }
  struct timeline_req *t = arena_alloc(rq->arena, sizeof *t);
  if (form_submitted(rq)) {
    /* The form's day/month/year boxes: join them, check, and send the family
     * to the canonical address of their timeline. */
    v.due_d = http_query(rq, "due-day");
    v.due_m = http_query(rq, "due-month");
    v.due_y = http_query(rq, "due-year");
    v.born_d = http_query(rq, "born-day");
    v.born_m = http_query(rq, "born-month");
    v.born_y = http_query(rq, "born-year");
    t->raw.due = join_date(rq, v.due_d, v.due_m, v.due_y);
    t->raw.born = join_date(rq, v.born_d, v.born_m, v.born_y);
    t->raw.gestation = v.gestation;
    /* The pregnancy question means nothing once a date of birth is given. */
    t->raw.first_pregnancy = t->raw.born && !t->raw.due ? NULL : v.first_pregnancy;
    t->raw.babies = v.babies;
    t->raw.today = v.today;
    check(rq, t, false);
    if (t->nerrs == 0) {
      rs->status = 303;
      http_add_header(rs, "Location",
                      arena_printf(rq->arena, "%s?%s", PAGE_PATH, timeline_web_query(rq, t, true)));
      return;
    }
  } else {
    if (!timeline_web_run(rq, rs, t))
      return;
    split_date(rq, t->raw.due, &v.due_d, &v.due_m, &v.due_y);
    split_date(rq, t->raw.born, &v.born_d, &v.born_m, &v.born_y);
    if (http_query(rq, "edit")) {
      render_form(rq, rs, &v, NULL, 0);
      return;
    }
    if (t->nerrs == 0) {
      render_result(rq, rs, t);
      return;
    }
    /* A bookmarked pregnancy whose due date is long past keeps working: it
     * offers the step to the baby's timeline. */
    struct date due;
    if (t->nerrs == 1 && strcmp(t->errs[0].code, "due_past") == 0 &&
        date_parse(t->raw.due, &due)) {
      render_due_passed(rq, rs, due, babies_or_one(t->raw.babies), t->raw.today, NULL, NULL, 0);
      return;
    }
  }
  rs->status = 400;
  render_form(rq, rs, &v, t->errs, t->nerrs);
}
