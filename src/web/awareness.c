/* awareness.c: the Infant Mental Health Awareness Week pages.
 *   /awareness-week       the week happening now, else the next one with known
 *                         dates, else the latest; and every year with a link
 *   /awareness-week/YYYY  one year: dates, theme, hashtags, organiser, what the
 *                         theme means for families, key messages, sources
 * The years come from src/campaign (content/awareness/YYYY.md). */
#include "web.h"
#include "../app.h"
#include "../campaign/campaign.h"
#include "../lib/util.h"
#include "../view/view.h"
#include <stdio.h>
#include <string.h>

/* Where the general facts about the week on these pages come from
 * (reference clinical.md section 9). */
#define AWARENESS_SOURCE_TIMING "https://parentinfantfoundation.org.uk/our-work/campaigning/imhaw/"
#define AWARENESS_SOURCE_LAUNCH                                                                    \
  "https://ihv.org.uk/news-and-views/news/ihv-proud-sponsor-infant-mental-health-week/"
#define AWARENESS_SOURCE_ORGANISER "https://parentinfantfoundation.org.uk/a-supercharged-year/"

#define AWARENESS_NEAR_DAYS 42 /* the home page carries the week from 6 weeks before it */

enum week_status { WEEK_UNDATED, WEEK_PAST, WEEK_NOW, WEEK_NEXT };

static enum week_status week_status(const struct campaign_year *y, struct date today)
{
  if (!y->dates_known)
    return WEEK_UNDATED;
  long t = date_to_days(today);
  if (t < date_to_days(y->start))
    return WEEK_NEXT;
  if (t > date_to_days(y->end))
    return WEEK_PAST;
  return WEEK_NOW;
}

/* "7 to 13 June 2021", "30 May to 5 June 2022", or for a year without
 * confirmed dates "Not confirmed yet: expected around 14 to 20 June 2027". */
static const char *week_dates(struct arena *a, const struct campaign_year *y)
{
  char out[64];
  if (!y->dates_known) {
    struct date start, end;
    campaign_expected_dates(y->year, &start, &end);
    date_format_range(start, end, out);
    return arena_printf(a, "Not confirmed yet: expected around %s", out);
  }
  date_format_range(y->start, y->end, out);
  return arena_strdup(a, out);
}

/* This year's week when there is no file for it yet: its year and expected
 * dates, nothing else known. */
static struct campaign_year expected_year(int year)
{
  struct campaign_year y = {.year = year,
                            .organiser = "Parent-Infant Foundation",
                            .summary = "The dates and theme have not been announced yet."};
  return y;
}

/* Dates, theme, hashtags and organiser of one year, unknown facts said plainly. */
static void year_facts(struct buf *b, struct arena *a, const struct campaign_year *y)
{
  html_printf(b, "<dl class=\"nhsuk-summary-list\">\n");
  view_summary_row(b, "Dates", week_dates(a, y));
  view_summary_row(b, "Theme",
              y->theme ? y->theme
                       : arena_printf(a,
                                      "Not confirmed: we have not been able to confirm the "
                                      "theme for %d",
                                      y->year));
  view_summary_row(b, "Hashtags", y->hashtags ? y->hashtags : "Not confirmed");
  view_summary_row(b, "Organiser", y->organiser);
  html_printf(b, "</dl>\n");
}

static void inset(struct buf *b, const char *text)
{
  html_printf(b,
              "<div class=\"nhsuk-inset-text\">\n<span class=\"nhsuk-u-visually-hidden\">"
              "Information: </span>\n<p>%s</p>\n</div>\n",
              text);
}

/* Link text for a year in lists: "2021: Including Infants". */
static const char *year_label(struct arena *a, const struct campaign_year *y)
{
  return y->theme ? arena_printf(a, "%d: %s", y->year, y->theme)
                  : arena_printf(a, "%d: theme not confirmed", y->year);
}

static void year_list(struct buf *b, struct arena *a, const struct campaign_set *s)
{
  html_printf(b, "<ul class=\"nhsuk-list app-year-list\">\n");
  for (size_t i = s->n; i-- > 0;) {
    const struct campaign_year *y = &s->years[i];
    html_printf(b,
                "<li><a href=\"/awareness-week/%d\">%s</a><br><span class=\"nhsuk-body-s\">%s"
                "</span></li>\n",
                y->year, year_label(a, y),
                y->dates_known ? week_dates(a, y) : "Dates not confirmed yet");
  }
  html_printf(b, "</ul>\n");
}

static void sources_list(struct buf *b, struct arena *a, const char *sources)
{
  html_printf(b, "<h2>Sources</h2>\n<ul class=\"app-sources\">\n");
  const char *p = sources;
  while (*p) {
    const char *e = strchr(p, ' ');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    const char *url = arena_strndup(a, p, n);
    html_printf(b, "<li><a href=\"%s\">%s</a></li>\n", url, url);
    p += n;
    while (*p == ' ')
      p++;
  }
  html_printf(b, "</ul>\n");
}

void web_awareness_index(struct http_req *rq, struct http_resp *rs)
{
  const struct campaign_set *s = rq->app->campaigns;
  struct date today = date_today();
  const struct campaign_year *cur = campaign_current(s, today);
  struct campaign_year expected = expected_year(today.y);
  if (s && s->n && !campaign_find(s, today.y) && (!cur || cur->year < today.y))
    cur = &expected; /* from 1 January, this year's week, even before it has a file */
  struct view_page vp = {.title = "Infant Mental Health Awareness Week",
                         .description = "Infant Mental Health Awareness Week: this year's dates "
                                        "and theme, what it means for families, and every year "
                                        "since the first week in 2016.",
                         .nav = "awareness-week"};
  struct buf *b = &rs->body;
  view_page_begin(b, rq, &vp);
  html_printf(b, "<div class=\"nhsuk-grid-row\">\n<div class=\"nhsuk-grid-column-two-thirds\">\n"
                 "<h1>Infant Mental Health Awareness Week</h1>\n"
                 "<p class=\"nhsuk-lede-text\">Once a year, a week is set aside to talk about "
                 "babies' mental health: how babies feel, the relationships they need, and the "
                 "support their families need in the first 1001 days.</p>\n"
                 "<p>The first week was held in June 2016. The Parent-Infant Foundation (called "
                 "PIP UK until 2019) chooses each year's theme, and the week usually falls in the "
                 "first half of June.</p>\n");
  if (!cur) {
    html_printf(b, "<p>There are no awareness weeks to show yet.</p>\n");
  } else {
    enum week_status st = week_status(cur, today);
    const char *heading = st == WEEK_NOW               ? "Happening now"
                          : cur->year == today.y     ? "This year's awareness week"
                          : st == WEEK_NEXT          ? "The next awareness week"
                          : st == WEEK_PAST          ? "The most recent awareness week"
                                                     : "The latest awareness week";
    html_printf(b, "<h2>%s: %d</h2>\n", heading, cur->year);
    if (st == WEEK_NOW)
      inset(b, arena_printf(rq->arena, "It is Infant Mental Health Awareness Week now, from %s.",
                            week_dates(rq->arena, cur)));
    year_facts(b, rq->arena, cur);
    html_printf(b, "<p>%s</p>\n", cur->summary);
    if (cur != &expected)
      html_printf(b,
                  "<p><a href=\"/awareness-week/%d\">Read about the %d week: what the theme "
                  "means for families and the key messages</a></p>\n",
                  cur->year, cur->year);
    if ((st == WEEK_PAST || st == WEEK_UNDATED) && cur->year < today.y) {
      /* Later years on file without dates, then the plain statement about the next week. */
      for (size_t i = 0; i < s->n; i++) {
        const struct campaign_year *y = &s->years[i];
        if (y->year > cur->year && !y->dates_known)
          html_printf(b,
                      "<p>We have not been able to confirm the dates or theme of the <a "
                      "href=\"/awareness-week/%d\">%d week</a> yet.</p>\n",
                      y->year, y->year);
      }
      html_printf(b, "<p>The dates of the next Infant Mental Health Awareness Week have not been "
                     "announced yet. The week usually falls in the first half of June.</p>\n");
    }
  }
  if (s && s->n) {
    html_printf(b, "<h2>Every year since %d</h2>\n", s->years[0].year);
    year_list(b, rq->arena, s);
  }
  html_printf(b, "<h2>Learn more</h2>\n<ul>\n"
                 "<li><a href=\"/infant-mental-health\">What infant mental health means</a></li>\n"
                 "<li><a href=\"/first-1001-days\">Why the first 1001 days matter</a></li>\n"
                 "<li><a href=\"/bonding\">Bonding with your baby</a></li>\n"
                 "<li><a href=\"/resources\">Resources we recommend</a></li>\n</ul>\n");
  sources_list(b, rq->arena,
               AWARENESS_SOURCE_LAUNCH " " AWARENESS_SOURCE_ORGANISER " " AWARENESS_SOURCE_TIMING);
  html_printf(b, "</div>\n</div>\n");
  view_page_end(b, rq, &vp);
  rs->cache = HTTP_CACHE_SHORT;
}

/* A year that cannot be shown: the error page, with every year to choose from. */
static void year_missing(struct http_req *rq, struct http_resp *rs, int status, const char *code,
                         const char *message)
{
  const struct campaign_set *s = rq->app->campaigns;
  const char *title = status == 404 ? "Page not found" : "There is a problem with the address";
  struct view_page vp = {.title = title,
                         .error = status != 404,
                         .no_share = true,
                         .noindex = true,
                         .nav = "awareness-week"};
  struct buf *b = &rs->body;
  rs->status = status;
  rs->cache = HTTP_CACHE_NO_STORE;
  buf_free(b);
  view_page_begin(b, rq, &vp);
  html_printf(b,
              "<div class=\"nhsuk-grid-row\">\n<div class=\"nhsuk-grid-column-two-thirds\">\n"
              "<h1>%s</h1>\n<p>%s</p>\n",
              title, message);
  if (s && s->n) {
    html_printf(b, "<h2>Awareness weeks we have</h2>\n");
    year_list(b, rq->arena, s);
  }
  html_printf(b, "<p><a href=\"/awareness-week\">Go to Infant Mental Health Awareness Week</a></p>\n");
  /* The code is for the request log and support; a person who followed a
   * broken link needs none (it is still in the status). */
  if (status != 404)
    html_printf(b, "<p class=\"nhsuk-body-s\">Error code: <code>%s</code> (HTTP %d)</p>\n", code,
                status);
  html_printf(b, "</div>\n</div>\n");
  view_page_end(b, rq, &vp);
}

static void pagination(struct buf *b, struct arena *a, const struct campaign_year *prev,
                       const struct campaign_year *next)
{
  if (!prev && !next)
    return;
  html_printf(b, "<nav class=\"nhsuk-pagination\" role=\"navigation\" aria-label=\"Other "
                 "years\">\n<ul class=\"nhsuk-list nhsuk-pagination__list\">\n");
  if (prev)
    html_printf(b,
                "<li class=\"nhsuk-pagination-item--previous\">\n<a class=\"nhsuk-pagination__link "
                "nhsuk-pagination__link--prev\" href=\"/awareness-week/%d\" rel=\"prev\">\n"
                "<span class=\"nhsuk-pagination__title\">Previous year</span>\n"
                "<span class=\"nhsuk-u-visually-hidden\">:</span>\n"
                "<span class=\"nhsuk-pagination__page\">%s</span>\n"
                "<svg class=\"nhsuk-icon nhsuk-icon--arrow-left\" xmlns=\"http://www.w3.org/2000/"
                "svg\" viewBox=\"0 0 24 24\" width=\"16\" height=\"16\" focusable=\"false\" "
                "aria-hidden=\"true\"><path d=\"M10.7 6.3c.4.4.4 1 0 1.4L7.4 11H19a1 1 0 0 1 0 "
                "2H7.4l3.3 3.3c.4.4.4 1 0 1.4a1 1 0 0 1-1.4 0l-5-5A1 1 0 0 1 4 12c0-.3.1-.5.3-.7l5-"
                "5a1 1 0 0 1 1.4 0Z\"/></svg>\n</a>\n</li>\n",
                prev->year, year_label(a, prev));
  if (next)
    html_printf(b,
                "<li class=\"nhsuk-pagination-item--next\">\n<a class=\"nhsuk-pagination__link "
                "nhsuk-pagination__link--next\" href=\"/awareness-week/%d\" rel=\"next\">\n"
                "<span class=\"nhsuk-pagination__title\">Next year</span>\n"
                "<span class=\"nhsuk-u-visually-hidden\">:</span>\n"
                "<span class=\"nhsuk-pagination__page\">%s</span>\n"
                "<svg class=\"nhsuk-icon nhsuk-icon--arrow-right\" xmlns=\"http://www.w3.org/2000/"
                "svg\" viewBox=\"0 0 24 24\" width=\"16\" height=\"16\" focusable=\"false\" "
                "aria-hidden=\"true\"><path d=\"m14.7 6.3 5 5c.2.2.3.4.3.7 0 .3-.1.5-.3.7l-5 5a1 1 "
                "0 0 1-1.4-1.4l3.3-3.3H5a1 1 0 0 1 0-2h11.6l-3.3-3.3a1 1 0 1 1 1.4-1.4Z\"/></svg>\n"
                "</a>\n</li>\n",
                next->year, year_label(a, next));
  html_printf(b, "</ul>\n</nav>\n");
}

void web_awareness_year(struct http_req *rq, struct http_resp *rs)
{
  const struct campaign_set *s = rq->app->campaigns;
  const char *arg = rq->ncaptures ? rq->captures[0] : "";
  bool digits = strlen(arg) == 4;
  for (size_t i = 0; digits && i < 4; i++)
    digits = arg[i] >= '0' && arg[i] <= '9';
  if (!digits) {
    year_missing(rq, rs, 400, "awareness_year_invalid",
                 "The end of the web address must be a year written as four digits, for example "
                 "/awareness-week/2021.");
    return;
  }
  int year = (arg[0] - '0') * 1000 + (arg[1] - '0') * 100 + (arg[2] - '0') * 10 + (arg[3] - '0');
  const struct campaign_year *y = campaign_find(s, year);
  if (!y) {
    const char *msg = s && s->n && year < s->years[0].year
                          ? arena_printf(rq->arena,
                                         "There was no Infant Mental Health Awareness Week in %d. "
                                         "The first one was in %d.",
                                         year, s->years[0].year)
                          : arena_printf(rq->arena,
                                         "We do not have a page for Infant Mental Health Awareness "
                                         "Week %d yet.",
                                         year);
    year_missing(rq, rs, 404, "awareness_year_not_found", msg);
    return;
  }
  size_t idx = (size_t)(y - s->years);
  const char *title = arena_printf(rq->arena, "Infant Mental Health Awareness Week %d", y->year);
  struct view_page vp = {.title = title,
                         .description = y->summary,
                         .nav = "awareness-week",
                         .back_href = "/awareness-week",
                         .back_text = "All awareness weeks"};
  struct buf *b = &rs->body;
  view_page_begin(b, rq, &vp);
  html_printf(b,
              "<div class=\"nhsuk-grid-row\">\n<div class=\"nhsuk-grid-column-two-thirds\">\n"
              "<h1>%s</h1>\n<p class=\"nhsuk-lede-text\">%s</p>\n",
              title, y->summary);
  if (week_status(y, date_today()) == WEEK_NOW)
    inset(b, "This awareness week is happening now.");
  if (y->note)
    inset(b, y->note);
  year_facts(b, rq->arena, y);
  html_printf(b, "<div class=\"app-prose\">\n%R</div>\n", y->html);
  sources_list(b, rq->arena, y->sources);
  pagination(b, rq->arena, idx > 0 ? &s->years[idx - 1] : NULL,
             idx + 1 < s->n ? &s->years[idx + 1] : NULL);
  html_printf(b, "</div>\n</div>\n");
  view_page_end(b, rq, &vp);
  rs->cache = HTTP_CACHE_SHORT;
}

void web_awareness_home_notice(struct buf *b, const struct http_req *rq)
{
  const struct campaign_set *s = rq->app->campaigns;
  struct date today = date_today();
  const struct campaign_year *y = campaign_find(s, today.y);
  struct campaign_year expected = expected_year(today.y);
  if (!y)
    y = &expected;
  struct date start, end;
  if (!campaign_week_near(y, today, AWARENESS_NEAR_DAYS, &start, &end))
    return;
  long t = date_to_days(today), a = date_to_days(start);
  char dates[64];
  date_format_range(start, end, dates);
  html_printf(b,
              "<div class=\"nhsuk-inset-text app-awareness-notice\">\n<span "
              "class=\"nhsuk-u-visually-hidden\">Information: </span>\n<p><a "
              "href=\"/awareness-week\">Infant Mental Health Awareness Week %d</a> %R%s%R%s.</p>\n"
              "</div>\n",
              y->year, t >= a ? "is happening now, " : "is coming: ", dates,
              y->dates_known ? "" : " (expected; not confirmed yet)",
              y->theme ? arena_printf(rq->arena, ". This year's theme is %s", y->theme) : "");
}
