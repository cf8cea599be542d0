/* wellbeing.c: the wellbeing self-check pages (see wellbeing.h). Plain HTML
 * forms that work without JavaScript, scored by src/checkin, ending in NHS
 * care cards: urgent help first whenever a safety flag is raised.
 *
 * Safety rules this file keeps (docs/clinical-safety/hazard-log.md):
 *  - a safety flag shows the urgent-help cards before anything else, even on a
 *    half-filled form that has errors;
 *  - if an outcome cannot be worked out, the failure page still shows them;
 *  - answers are read from the POST body only, never from the query string,
 *    and the pages holding them are no-store, noindex and have no share links;
 *  - the help question after a positive Whooley screen never delays urgent help. */
#include "wellbeing.h"
#include "find_support.h"
#include "web.h"
#include "../app.h"
#include "../checkin/checkin.h"
#include "../content/urgent.h"
#include "../lib/date.h"
#include "../lib/util.h"
#include "../view/view.h"
#include <string.h>

#define STEP_MAX 2 /* instruments on one page */

/* A page of questions: "feeling" is the NICE CG192 opening pair. */
struct step {
  const char *slug;
  const char *title; /* NULL: the instrument's own title */
  const char *ids[STEP_MAX];
  size_t n;
};

static const struct step steps[] = {
    {"feeling", "How are you feeling?", {"whooley", "gad2"}, 2},
    {"whooley", NULL, {"whooley"}, 1},
    {"gad2", NULL, {"gad2"}, 1},
    {"phq9", NULL, {"phq9"}, 1},
    {"gad7", NULL, {"gad7"}, 1},
    {"epds", NULL, {"epds"}, 1},
};

/* Who is taking the check: changes the phrasing, never the questions or scores. */
struct audience {
  const char *id;
  const char *choice;  /* radio label on the start page */
  const char *welcome; /* start page lede */
  const char *talk_to; /* who to talk to, as a phrase */
  const char *note;    /* extra line on the question pages, or NULL */
};

static const struct audience audiences[] = {
    {"mum", "I am pregnant or have had a baby",
     "Pregnancy and the months after birth bring big changes to your body, your sleep and your "
     "life. Many mums and birthing parents feel low or anxious at some point. It is common, it "
     "is not your fault, and support helps.",
     "your midwife, health visitor or GP", NULL},
    {"dad", "I am a dad or a dad-to-be",
     "Becoming a dad can be exciting and hard at the same time. Many fathers feel low, anxious or "
     "overwhelmed during pregnancy or after the birth, and it is fine to ask for help for "
     "yourself.",
     "your GP, or the midwife or health visitor who sees your family",
     "These questions are about you, not your partner or your baby."},
    {"partner", "I am a partner or co-parent",
     "Partners and co-parents go through big changes too, whatever your family looks like. How "
     "you feel matters, for you and for your baby.",
     "your GP, or the midwife or health visitor who sees your family",
     "These questions are about you, not your partner or your baby."},
};

static const struct audience default_audience = {
    NULL, NULL,
    "Having a baby changes life for everyone in the family. It is common to feel low or anxious "
    "at times, and support helps.",
    "your midwife, health visitor or GP", NULL};

/* Everything known about one submission of a step. Lives on the stack. */
struct step_state {
  const struct step *step;
  const struct instrument_def *defs[STEP_MAX];
  size_t ndefs;
  int answers[STEP_MAX][INSTRUMENT_MAX_ITEMS]; /* option index, -1 unanswered */
  size_t missing;
  const struct audience *who;
  int help;            /* Whooley help question: option index, -1 unanswered */
  bool followup_shown; /* the help question was on the page just answered */
};

static const struct step *find_step(const char *slug)
{
  for (size_t i = 0; i < ARRAY_LEN(steps); i++)
    if (strcmp(steps[i].slug, slug) == 0)
      return &steps[i];
  return NULL;
}

static const struct audience *find_audience(const char *id)
{
  for (size_t i = 0; id && i < ARRAY_LEN(audiences); i++)
    if (strcmp(audiences[i].id, id) == 0)
      return &audiences[i];
  return &default_audience;
}

/* "?who=dad" (or "" without a choice), for links that keep the phrasing. */
static const char *who_query(const struct audience *who)
{
  if (!who->id)
    return "";
  if (strcmp(who->id, "mum") == 0)
    return "?who=mum";
  if (strcmp(who->id, "dad") == 0)
    return "?who=dad";
  return "?who=partner";
}

static void who_hidden(struct buf *b, const struct audience *who)
{
  if (who->id)
    html_printf(b, "<input type=\"hidden\" name=\"who\" value=\"%s\">\n", who->id);
}

static const char *step_title(const struct step_state *st)
{
  return st->step->title ? st->step->title : st->defs[0]->title;
}

/* Form field name of item i: "phq9-3". */
static const char *field(struct http_req *rq, const struct instrument_def *d, size_t i)
{
  return arena_printf(rq->arena, "%s-%zu", d->id, i + 1);
}

/* An option index from a form value: exactly one digit below n, else -1. */
static int parse_index(const char *v, size_t n)
{
  if (!v || v[0] < '0' || v[0] > '9' || v[1] != '\0')
    return -1;
  int x = v[0] - '0';
  return (size_t)x < n ? x : -1;
}

/* Read the answers from the POST body (never the query string). */
static void read_answers(struct http_req *rq, struct step_state *st)
{
  st->missing = 0;
  for (size_t s = 0; s < st->ndefs; s++) {
    const struct instrument_def *d = st->defs[s];
    for (size_t i = 0; i < d->nitems; i++) {
      const char *v = rq->method == HTTP_POST ? http_form(rq, field(rq, d, i)) : NULL;
      st->answers[s][i] = parse_index(v, d->items[i].noptions);
      if (st->answers[s][i] < 0)
        st->missing++;
    }
  }
  st->help = -1;
  st->followup_shown = false;
  if (rq->method == HTTP_POST) {
    const struct instrument_def *w = st->defs[0];
    if (w->has_followup)
      st->help = parse_index(http_form(rq, "whooley-help"), w->followup.noptions);
    const char *shown = http_form(rq, "followup");
    st->followup_shown = shown && strcmp(shown, "1") == 0;
  }
}

#define STEP_MAX_FLAGS (STEP_MAX * INSTRUMENT_MAX_FLAGS)

/* Safety flags raised by the answers given so far, across the step; into
 * out (room for STEP_MAX_FLAGS) when not NULL. */
static size_t step_partial_flags(const struct step_state *st, const struct instrument_flag **out)
{
  size_t n = 0;
  for (size_t s = 0; s < st->ndefs; s++) {
    const struct instrument_flag *fl[INSTRUMENT_MAX_FLAGS];
    size_t k = instrument_partial_flags(st->defs[s], st->answers[s], st->defs[s]->nitems, fl);
    for (size_t i = 0; out && i < k; i++)
      out[n + i] = fl[i];
    n += k;
  }
  return n;
}

/* text with "{talk_to}" replaced by who to talk to, in arena memory. */
static const char *fill(struct http_req *rq, const char *text, const struct audience *who)
{
  const char *at = strstr(text, "{talk_to}");
  if (!at)
    return text;
  return arena_printf(rq->arena, "%.*s%s%s", (int)(at - text), text, who->talk_to,
                      fill(rq, at + strlen("{talk_to}"), who));
}

static const struct checkin_outcomes *outcomes(const struct http_req *rq)
{
  return &rq->app->instruments->outcomes;
}

/* The urgent-help block that opens every urgent page: an NHS.UK interruption
 * panel (stop and get help now) saying, in each raised flag's own words
 * (PHQ-9 item 9, EPDS item 10), what the answer means, then the urgent-help
 * care cards. */
static void urgent_first(struct buf *b, struct http_req *rq, const struct audience *who,
                         bool heading_is_h1, const struct instrument_flag *const *flags,
                         size_t nflags)
{
  const struct checkin_outcomes *o = outcomes(rq);
  const char *h = heading_is_h1 ? "h1" : "h2";
  html_printf(b,
              "<div class=\"app-checkin-urgent\">\n"
              "<div class=\"nhsuk-panel nhsuk-panel--interruption\">\n"
              "<%R class=\"nhsuk-panel__heading nhsuk-panel__heading--l\">%s</%R>\n"
              "<div class=\"nhsuk-panel__body\">\n",
              h, o->urgent_title, h);
  for (size_t i = 0; i < nflags; i++) {
    bool said = false;
    for (size_t k = 0; k < i; k++)
      said = said || strcmp(flags[k]->says, flags[i]->says) == 0;
    if (!said)
      html_printf(b, "<p>%s</p>\n", flags[i]->says);
  }
  for (size_t i = 0; i < o->urgent_body.n; i++)
    html_printf(b, "<p>%s</p>\n", fill(rq, o->urgent_body.t[i], who));
  html_printf(b, "</div>\n</div>\n");
  view_urgent_help_cards(b, rq);
  html_printf(b, "<p>%s</p>\n</div>\n", fill(rq, o->urgent_after, who));
}

/* --- question pages --- */

/* Questions on the page, numbered across the instruments of the step. */
static size_t step_questions(const struct step_state *st)
{
  size_t n = 0;
  for (size_t s = 0; s < st->ndefs; s++)
    n += st->defs[s]->nitems;
  return n;
}

/* The NHS.UK error summary, opened and closed around its items. */
static void error_summary_begin(struct buf *b)
{
  html_printf(b, "<div class=\"nhsuk-error-summary\" data-module=\"nhsuk-error-summary\">\n"
                 "<div role=\"alert\">\n"
                 "<h2 class=\"nhsuk-error-summary__heading\">There is a problem</h2>\n"
                 "<div class=\"nhsuk-error-summary__body\">\n"
                 "<ul class=\"nhsuk-list nhsuk-error-summary__list\">\n");
}

static void error_summary_end(struct buf *b)
{
  html_printf(b, "</ul>\n</div>\n</div>\n</div>\n");
}

static void error_summary(struct buf *b, struct http_req *rq, const struct step_state *st)
{
  error_summary_begin(b);
  size_t number = 0;
  for (size_t s = 0; s < st->ndefs; s++) {
    const struct instrument_def *d = st->defs[s];
    for (size_t i = 0; i < d->nitems; i++) {
      number++;
      if (st->answers[s][i] < 0)
        html_printf(b, "<li><a href=\"#%s\">Select an answer for question %zu: %s</a></li>\n",
                    field(rq, d, i), number, d->items[i].text);
    }
  }
  error_summary_end(b);
}

/* One question as NHS.UK radios inside a fieldset. */
struct radios {
  const char *name;    /* field name, and the id of the first input */
  const char *legend;  /* the question */
  bool legend_h1;      /* the question is the page heading (one question per page) */
  const char *caption; /* optional, e.g. "Question 3 of 9" */
  const char *hint;    /* optional */
  const char *error;   /* the error message when the question is in error, else NULL */
  const char *labels[INSTRUMENT_MAX_OPTIONS];
  const char *values[INSTRUMENT_MAX_OPTIONS]; /* NULL: the option index */
  size_t n;
  int checked; /* index of the option to re-populate, -1 for none */
};

static void radios(struct buf *b, struct http_req *rq, const struct radios *r)
{
  const char *described = arena_printf(
      rq->arena, "%s%s%s%s", r->hint ? r->name : "", r->hint ? "-hint" : "",
      r->error && r->hint ? " " : "", r->error ? arena_printf(rq->arena, "%s-error", r->name) : "");
  html_printf(b, "<div class=\"nhsuk-form-group%s\">\n<fieldset class=\"nhsuk-fieldset\"",
              r->error ? " nhsuk-form-group--error" : "");
  if (*described)
    html_printf(b, " aria-describedby=\"%s\"", described);
  if (r->legend_h1)
    html_printf(b,
                ">\n<legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--l\">"
                "<h1 class=\"nhsuk-fieldset__heading\">%s</h1></legend>\n",
                r->legend);
  else if (r->caption)
    html_printf(b,
                ">\n<legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">"
                "<span class=\"nhsuk-caption-m\">%s</span>%s</legend>\n",
                r->caption, r->legend);
  else
    html_printf(b,
                ">\n<legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">%s"
                "</legend>\n",
                r->legend);
  if (r->hint)
    html_printf(b, "<div class=\"nhsuk-hint\" id=\"%s-hint\">%s</div>\n", r->name, r->hint);
  if (r->error)
    html_printf(b,
                "<span class=\"nhsuk-error-message\" id=\"%s-error\"><span "
                "class=\"nhsuk-u-visually-hidden\">Error: </span>%s</span>\n",
                r->name, r->error);
  html_printf(b, "<div class=\"nhsuk-radios\" data-module=\"nhsuk-radios\">\n");
  for (size_t k = 0; k < r->n; k++) {
    const char *id = k == 0 ? r->name : arena_printf(rq->arena, "%s-%zu", r->name, k + 1);
    const char *value = r->values[k] ? r->values[k] : arena_printf(rq->arena, "%zu", k);
    html_printf(b,
                "<div class=\"nhsuk-radios__item\">\n"
                "<input class=\"nhsuk-radios__input\" id=\"%s\" name=\"%s\" type=\"radio\" "
                "value=\"%s\"%s>\n"
                "<label class=\"nhsuk-label nhsuk-radios__label\" for=\"%s\">%s</label>\n"
                "</div>\n",
                id, r->name, value, r->checked == (int)k ? " checked" : "", id, r->labels[k]);
  }
  html_printf(b, "</div>\n</fieldset>\n</div>\n");
}

/* Item i of d as radios. number/total: its place on the page. */
static void radios_item(struct buf *b, struct http_req *rq, const struct instrument_def *d,
                        size_t i, int answer, bool show_error, size_t number, size_t total)
{
  const struct instrument_item *it = &d->items[i];
  struct radios r = {
      .name = field(rq, d, i),
      .legend = it->text,
      .caption = arena_printf(rq->arena, "Question %zu of %zu", number, total),
      .hint = it->hint ? arena_printf(rq->arena, "%s %s", d->stem, it->hint) : d->stem,
      .error = show_error && answer < 0
                   ? arena_printf(rq->arena, "Select an answer for question %zu", number)
                   : NULL,
      .n = it->noptions,
      .checked = answer,
  };
  for (size_t k = 0; k < it->noptions; k++)
    r.labels[k] = it->options[k].label;
  radios(b, rq, &r);
}

static void attribution(struct buf *b, const struct instrument_def *d)
{
  if (d->attribution)
    html_printf(b, "<p class=\"nhsuk-body-s app-checkin-attribution\">%s: %s</p>\n", d->name,
                d->attribution);
  if (d->wording_permission)
    html_printf(b, "<p class=\"nhsuk-body-s app-checkin-attribution\">%s</p>\n",
                d->wording_permission);
}

static void render_form(struct http_req *rq, struct http_resp *rs, const struct step_state *st,
                        bool show_errors)
{
  const struct instrument_flag *flags[STEP_MAX_FLAGS];
  size_t nflags = show_errors ? step_partial_flags(st, flags) : 0;
  struct view_page vp = {.title = step_title(st),
                         .nav = "wellbeing-check",
                         .error = show_errors,
                         .no_share = true,
                         .quick_exit = true,
                         .noindex = rq->method == HTTP_POST,
                         .back_href =
                             arena_printf(rq->arena, "/wellbeing-check%s", who_query(st->who))};
  struct buf *b = &rs->body;
  if (show_errors)
    rs->status = 400;
  view_page_begin(b, rq, &vp);
  html_printf(b, "<div class=\"nhsuk-grid-row\">\n<div class=\"nhsuk-grid-column-two-thirds\">\n");
  if (nflags)
    urgent_first(b, rq, st->who, false, flags, nflags);
  if (show_errors)
    error_summary(b, rq, st);
  html_printf(b, "<h1>%s</h1>\n", step_title(st));
  html_printf(b,
              "<p>These questions are about %s. There are no right or wrong answers: choose "
              "the answer that is closest to how you have felt.</p>\n",
              st->ndefs > 1 ? "how you have been feeling lately" : st->defs[0]->about);
  if (st->who->note)
    html_printf(b, "<p>%s</p>\n", st->who->note);
  html_printf(b,
              "<p>Your answers are not saved. They are sent only when you press Continue, and "
              "are gone when you leave the results page. You can stop at any time.</p>\n"
              "<form method=\"post\" action=\"/wellbeing-check/%s\" novalidate>\n",
              st->step->slug);
  who_hidden(b, st->who);
  size_t number = 0, total = step_questions(st);
  for (size_t s = 0; s < st->ndefs; s++) {
    const struct instrument_def *d = st->defs[s];
    if (st->ndefs > 1)
      html_printf(b, "<h2>%s</h2>\n<p>Think about %s.</p>\n", d->title, d->recall_period);
    for (size_t i = 0; i < d->nitems; i++)
      radios_item(b, rq, d, i, st->answers[s][i], show_errors, ++number, total);
  }
  html_printf(b, "<button class=\"nhsuk-button\" data-module=\"nhsuk-button\" "
                 "type=\"submit\">Continue</button>\n</form>\n");
  for (size_t s = 0; s < st->ndefs; s++)
    attribution(b, st->defs[s]);
  html_printf(b, "</div>\n</div>\n");
  view_page_end(b, rq, &vp);
}

/* The Whooley help question: one question on its own page, asked only after a
 * positive screen. The answers so far ride along as hidden fields. */
static void render_followup(struct http_req *rq, struct http_resp *rs, const struct step_state *st,
                            bool show_error)
{
  const struct instrument_followup *fu = &st->defs[0]->followup;
  struct view_page vp = {.title = fu->text,
                         .nav = "wellbeing-check",
                         .error = show_error,
                         .no_share = true,
                         .noindex = true,
                         .quick_exit = true};
  struct buf *b = &rs->body;
  if (show_error)
    rs->status = 400;
  view_page_begin(b, rq, &vp);
  html_printf(b, "<div class=\"nhsuk-grid-row\">\n<div class=\"nhsuk-grid-column-two-thirds\">\n");
  if (show_error) {
    error_summary_begin(b);
    html_printf(b, "<li><a href=\"#whooley-help\">Select yes, yes but not today, or no</a></li>\n");
    error_summary_end(b);
  }
  html_printf(b,
              "<form method=\"post\" action=\"/wellbeing-check/%s\" novalidate>\n"
              "<input type=\"hidden\" name=\"followup\" value=\"1\">\n",
              st->step->slug);
  who_hidden(b, st->who);
  for (size_t s = 0; s < st->ndefs; s++)
    for (size_t i = 0; i < st->defs[s]->nitems; i++)
      html_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"%d\">\n",
                  field(rq, st->defs[s], i), st->answers[s][i]);
  struct radios r = {
      .name = "whooley-help",
      .legend = fu->text,
      .legend_h1 = true,
      .hint = arena_printf(rq->arena,
                           "You said yes to at least one of the questions about your "
                           "mood. %s",
                           fu->hint ? fu->hint : ""),
      .error = show_error ? "Select yes, yes but not today, or no" : NULL,
      .n = fu->noptions,
      .checked = -1,
  };
  for (size_t k = 0; k < fu->noptions; k++)
    r.labels[k] = fu->options[k];
  radios(b, rq, &r);
  html_printf(b, "<button class=\"nhsuk-button\" data-module=\"nhsuk-button\" "
                 "type=\"submit\">Continue</button>\n</form>\n</div>\n</div>\n");
  view_page_end(b, rq, &vp);
}

/* The EPDS page when the deployment has not supplied licensed wording. */
static void render_unavailable(struct http_req *rq, struct http_resp *rs,
                               const struct step_state *st)
{
  const struct instrument_def *d = st->defs[0];
  struct view_page vp = {.title = "This check is not available here",
                         .nav = "wellbeing-check",
                         .quick_exit = true,
                         .back_href =
                             arena_printf(rq->arena, "/wellbeing-check%s", who_query(st->who))};
  struct buf *b = &rs->body;
  view_page_begin(b, rq, &vp);
  html_printf(b,
              "<div class=\"nhsuk-grid-row\">\n<div class=\"nhsuk-grid-column-two-thirds\">\n"
              "<h1>This check is not available here</h1>\n"
              "<p>The %s (Edinburgh Postnatal Depression Scale) is a set of questions that "
              "midwives and health visitors often use. Its wording is protected by copyright, and "
              "this service does not have permission to show it.</p>\n"
              "<p>You can ask %s to go through it with you at your next appointment.</p>\n"
              "<h2>What you can do instead</h2>\n"
              "<ul>\n"
              "<li><a href=\"/wellbeing-check/feeling%s\">Answer the short questions about how "
              "you are feeling</a></li>\n"
              "<li><a href=\"/wellbeing-check/phq9%s\">Answer 9 questions about your mood "
              "(PHQ-9)</a></li>\n"
              "<li><a href=\"/wellbeing-check/gad7%s\">Answer 7 questions about worry and "
              "anxiety (GAD-7)</a></li>\n"
              "</ul>\n"
              "<p>If you need help now, <a href=\"/urgent-help\">get urgent help</a>.</p>\n"
              "</div>\n</div>\n",
              d->name, st->who->talk_to, who_query(st->who), who_query(st->who),
              who_query(st->who));
  view_page_end(b, rq, &vp);
}

/* --- outcome --- */

static void offer_link(struct buf *b, const struct instrument_def *d, const struct audience *who,
                       const char *text)
{
  html_printf(b, "<li><a href=\"/wellbeing-check/%s%s\">%s</a></li>\n", d->id, who_query(who),
              text);
}

/* NICE CG192: after a positive Whooley, offer PHQ-9 (or the EPDS where
 * licensed); after a positive GAD-2, offer GAD-7. */
static void next_checks(struct buf *b, struct http_req *rq, const struct step_state *st,
                        const struct instrument_result *res)
{
  const struct instrument_set *set = rq->app->instruments;
  bool mood = false, worry = false;
  for (size_t s = 0; s < st->ndefs; s++) {
    if (strcmp(st->defs[s]->id, "whooley") == 0 && res[s].positive)
      mood = true;
    if (strcmp(st->defs[s]->id, "gad2") == 0 && res[s].positive)
      worry = true;
  }
  bool first_step = strcmp(st->step->slug, "feeling") == 0 ||
                    strcmp(st->step->slug, "whooley") == 0 || strcmp(st->step->slug, "gad2") == 0;
  if (!first_step)
    return;
  const struct instrument_def *phq9 = instrument_find(set, "phq9");
  const struct instrument_def *gad7 = instrument_find(set, "gad7");
  const struct instrument_def *epds = instrument_find(set, "epds");
  html_printf(b, "<div class=\"app-no-print\">\n");
  if (mood || worry) {
    html_printf(b, "<h2>A few more questions</h2>\n<p>Midwives, health visitors and GPs often "
                   "ask some more questions next. Answering them can help you explain how you "
                   "feel. You can also skip this and talk to someone straight away.</p>\n<ul>\n");
    if (mood && phq9)
      offer_link(b, phq9, st->who, "Answer 9 questions about your mood (PHQ-9)");
    if (mood && epds && epds->wording_available)
      offer_link(b, epds, st->who, "Answer 10 questions about the past 7 days (EPDS)");
    if (worry && gad7)
      offer_link(b, gad7, st->who, "Answer 7 questions about worry and anxiety (GAD-7)");
    html_printf(b, "</ul>\n");
  } else {
    html_printf(b, "<h2>If you are still worried</h2>\n<p>If you still feel that something is "
                   "not right, trust that feeling. You can talk to someone, or answer more "
                   "questions:</p>\n<ul>\n");
    if (phq9)
      offer_link(b, phq9, st->who, "Answer 9 questions about your mood (PHQ-9)");
    if (gad7)
      offer_link(b, gad7, st->who, "Answer 7 questions about worry and anxiety (GAD-7)");
    html_printf(b, "</ul>\n");
  }
  html_printf(b, "</div>\n");
}

/* Local services for mental health in pregnancy and after birth, when the
 * directory has them (printed with the summary), then a postcode search for
 * the nearest ones (not printed). */
static void find_support(struct buf *b, struct http_req *rq)
{
  find_support_local_list(b, rq, "perinatal-mental-health", WELLBEING_LOCAL_SERVICES,
                          "Support for parents' mental health in our area");
  const char *need = find_support_need_param("perinatal-mental-health");
  html_printf(
      b, "<div class=\"app-no-print\">\n"
         "<h2>Find support near you</h2>\n"
         "<p><a href=\"/find-support?need=%U\">Find local support for "
         "mental health in pregnancy and after birth</a>, and how to be referred.</p>\n"
         "<form method=\"get\" action=\"/find-support\">\n"
         "<input type=\"hidden\" name=\"need\" value=\"%s\">\n"
         "<div class=\"nhsuk-form-group\">\n"
         "<label class=\"nhsuk-label nhsuk-label--s\" for=\"postcode\">Enter your "
         "postcode</label>\n"
         "<div class=\"nhsuk-hint\" id=\"postcode-hint\">For example, LS1 1AB. This search "
         "covers UK postcodes only.</div>\n"
         "<input class=\"nhsuk-input nhsuk-input--width-10\" id=\"postcode\" name=\"postcode\" "
         "type=\"text\" spellcheck=\"false\" aria-describedby=\"postcode-hint\" "
         "autocomplete=\"postal-code\">\n"
         "</div>\n"
         "<button class=\"nhsuk-button nhsuk-button--secondary\" data-module=\"nhsuk-button\" "
         "type=\"submit\">Find support</button>\n"
         "</form>\n</div>\n",
      need, need);
}

static void card(struct buf *b, struct http_req *rq, const struct checkin_card *c,
                 const struct audience *who)
{
  view_care_card_begin(b, "non-urgent", c->heading);
  for (size_t i = 0; i < c->paragraphs.n; i++)
    html_printf(b, "<p>%s</p>\n", fill(rq, c->paragraphs.t[i], who));
  if (c->link_href)
    html_printf(b, "<p><a href=\"%s\">%s</a></p>\n", c->link_href, c->link_text);
  view_care_card_end(b);
}

/* The blue cards: first the sooner step when a band calls for it (PHQ-9
 * 20 to 27, GAD-7 15 to 21), then the usual ones. */
static void non_urgent_cards(struct buf *b, struct http_req *rq, const struct step_state *st,
                             bool sooner)
{
  const struct checkin_outcomes *o = outcomes(rq);
  if (sooner)
    card(b, rq, &o->sooner, st->who);
  for (size_t i = 0; i < o->ncards; i++)
    card(b, rq, &o->cards[i], st->who);
}

/* The phrase of o's routes, e.g. "call 111 and choose the mental health option, ...". */
static const char *routes_phrase(struct http_req *rq, const struct checkin_routes_text *r)
{
  char *out = arena_alloc(rq->arena, 512);
  urgent_join_short(view_urgent(rq), r->ids, r->n, out, 512);
  return out;
}

static void safety_net(struct buf *b, struct http_req *rq)
{
  const struct checkin_outcomes *o = outcomes(rq);
  html_printf(b,
              "<h2>%s</h2>\n<p>%s %s. <a href=\"/urgent-help\">All the ways to get urgent "
              "help</a>.</p>\n",
              o->safety_net_heading, o->safety_net.text, routes_phrase(rq, &o->safety_net));
}

static void keep_well(struct buf *b, struct http_req *rq)
{
  const struct checkin_outcomes *o = outcomes(rq);
  html_printf(b, "<h2>%s</h2>\n<ul>\n", o->keep_well_heading);
  for (size_t i = 0; i < o->keep_well.n; i++)
    html_printf(b, "<li>%s</li>\n", o->keep_well.t[i]);
  html_printf(b, "</ul>\n<h2>%s</h2>\n<p>%s</p>\n", o->check_again_heading, o->check_again);
}

static void summary_row(struct buf *b, const char *key, const char *value)
{
  html_printf(b,
              "<div class=\"nhsuk-summary-list__row\">\n"
              "<dt class=\"nhsuk-summary-list__key\">%s</dt>\n"
              "<dd class=\"nhsuk-summary-list__value\">%s</dd>\n</div>\n",
              key, value);
}

/* The printable summary: every answer, the score and what to do. */
static void printable_summary(struct buf *b, struct http_req *rq, const struct step_state *st,
                              const struct instrument_result *res, enum checkin_care care,
                              bool sooner)
{
  const struct checkin_outcomes *o = outcomes(rq);
  char today[32];
  date_format_long(date_today(), today);
  html_printf(b,
              "<div class=\"app-checkin-summary\">\n"
              "<h2>Your summary</h2>\n"
              "<p>You can print this page, or show it on your phone at your appointment. It is "
              "not saved anywhere: when you leave this page, it is gone.</p>\n"
              "<p>Completed on %s.</p>\n",
              today);
  for (size_t s = 0; s < st->ndefs; s++) {
    const struct instrument_def *d = st->defs[s];
    const struct instrument_result *r = &res[s];
    html_printf(b,
                "<h3>%s: %s</h3>\n<p>Questions about %s.</p>\n"
                "<dl class=\"nhsuk-summary-list\">\n",
                d->name, d->title, d->recall_period);
    for (size_t i = 0; i < d->nitems; i++) {
      const struct instrument_option *opt = &d->items[i].options[st->answers[s][i]];
      summary_row(b, arena_printf(rq->arena, "%zu. %s", i + 1, d->items[i].text),
                  arena_printf(rq->arena, "%s (scores %d)", opt->label, opt->score));
    }
    summary_row(b, "Total score", arena_printf(rq->arena, "%d out of %d", r->score, r->max));
    summary_row(
        b, "Score range",
        arena_printf(rq->arena, "%s (%d to %d)", r->band->label, r->band->min, r->band->max));
    /* A flag means support now whatever the total: never "No" beside
     * "Please get support now". */
    const char *reached =
        r->nflags ? arena_printf(rq->arena,
                                 "Yes: question %zu asks for support today, whatever the total "
                                 "(the level for the total is %d or more)",
                                 r->flags[0]->item + 1, d->positive_at)
                  : arena_printf(rq->arena, "%s (the level is %d or more)",
                                 r->positive ? "Yes" : "No", d->positive_at);
    summary_row(b, "Reached the level that suggests talking to someone", reached);
    for (size_t f = 0; f < r->nflags; f++)
      summary_row(b, "Please ask me about", r->flags[f]->label);
    if (d->has_followup && r->positive && st->help >= 0)
      summary_row(b, d->followup.text, d->followup.options[st->help]);
    html_printf(b, "</dl>\n");
  }
  if (care == CHECKIN_CARE_URGENT)
    html_printf(b, "<p><strong>What to do next:</strong> %s %s.</p>\n", o->next_urgent.text,
                routes_phrase(rq, &o->next_urgent));
  else
    html_printf(b, "<p><strong>What to do next:</strong> %s</p>\n",
                care == CHECKIN_CARE_NON_URGENT ? (sooner ? o->next_sooner : o->next_non_urgent)
                                                : o->next_none);
  html_printf(b, "<p class=\"nhsuk-body-s\">These questions help you and the people who support "
                 "you talk about how you feel. They do not give a diagnosis.</p>\n");
  for (size_t s = 0; s < st->ndefs; s++)
    attribution(b, st->defs[s]);
  html_printf(b, "<p class=\"nhsuk-body-s app-no-print\">To print this page, use your browser's "
                 "print option.</p>\n</div>\n");
}

/* Work out every result first; render only when all of them are sound. */
static void render_outcome(struct http_req *rq, struct http_resp *rs, const struct step_state *st)
{
  struct instrument_result res[STEP_MAX];
  enum checkin_care care = CHECKIN_CARE_NONE;
  bool sooner = false;
  const struct instrument_flag *flags[STEP_MAX_FLAGS];
  size_t nflags = 0;
  for (size_t s = 0; s < st->ndefs; s++) {
    if (instrument_score(st->defs[s], st->answers[s], st->defs[s]->nitems, &res[s], NULL) !=
            INSTRUMENT_OK ||
        !res[s].band) {
      web_checkin_failure(rq, rs);
      return;
    }
    care = checkin_care_max(care, res[s].care);
    sooner = sooner || (res[s].positive && res[s].sooner);
    for (size_t f = 0; f < res[s].nflags; f++)
      flags[nflags++] = res[s].flags[f];
  }
  const struct checkin_outcomes *o = outcomes(rq);
  const char *titles[] = {o->none_title, o->non_urgent_title, o->urgent_title};
  struct view_page vp = {.title = titles[care],
                         .nav = "wellbeing-check",
                         .no_share = true,
                         .noindex = true,
                         .quick_exit = true};
  struct buf *b = &rs->body;
  view_page_begin(b, rq, &vp);
  html_printf(b, "<div class=\"nhsuk-grid-row\">\n<div class=\"nhsuk-grid-column-two-thirds\">\n");
  if (care == CHECKIN_CARE_URGENT) {
    urgent_first(b, rq, st->who, true, flags, nflags);
  } else if (care == CHECKIN_CARE_NON_URGENT) {
    html_printf(b, "<h1>%s</h1>\n<p class=\"nhsuk-lede-text\">%s</p>\n", titles[care],
                o->non_urgent_lede);
    const char *help = st->help >= 0 ? st->defs[0]->followup.option_ids[st->help] : "";
    if (strcmp(help, "not-today") == 0)
      html_printf(b, "<p>%s</p>\n", o->help_not_today);
    else if (strcmp(help, "no") == 0)
      html_printf(b, "<p>%s</p>\n", o->help_no);
    non_urgent_cards(b, rq, st, sooner);
  } else {
    html_printf(b, "<h1>%s</h1>\n<p class=\"nhsuk-lede-text\">%s</p>\n", titles[care],
                o->none_lede);
    keep_well(b, rq);
  }
  if (care != CHECKIN_CARE_URGENT)
    safety_net(b, rq);
  next_checks(b, rq, st, res);
  find_support(b, rq);
  printable_summary(b, rq, st, res, care, sooner);
  html_printf(b, "</div>\n</div>\n");
  view_page_end(b, rq, &vp);
}

void web_checkin_failure(struct http_req *rq, struct http_resp *rs)
{
  buf_free(&rs->body);
  rs->status = 500;
  rs->content_type = "text/html; charset=utf-8";
  rs->cache = HTTP_CACHE_NO_STORE;
  struct view_page vp = {.title = "Sorry, we could not show your results",
                         .nav = "wellbeing-check",
                         .no_share = true,
                         .noindex = true,
                         .quick_exit = true};
  struct buf *b = &rs->body;
  view_page_begin(b, rq, &vp);
  html_printf(b, "<div class=\"nhsuk-grid-row\">\n<div class=\"nhsuk-grid-column-two-thirds\">\n"
                 "<h1>Sorry, we could not show your results</h1>\n"
                 "<p>Something went wrong on our side. Your answers were not saved.</p>\n"
                 "<p>If you are struggling, or you are worried about your safety or your baby's, "
                 "please do not wait:</p>\n");
  view_urgent_help_cards(b, rq);
  html_printf(b, "<p>You can also talk to your midwife, health visitor or GP about how you are "
                 "feeling.</p>\n"
                 "<p><a href=\"/wellbeing-check\">Start the questions again</a></p>\n"
                 "<p class=\"nhsuk-body-s\">Error code: <code>checkin_failed</code> (HTTP "
                 "500)</p>\n"
                 "</div>\n</div>\n");
  view_page_end(b, rq, &vp);
}

/* --- handlers --- */

void web_checkin_step(struct http_req *rq, struct http_resp *rs)
{
  const struct step *step = find_step(rq->ncaptures ? rq->captures[0] : "");
  if (!step) {
    web_render_error(rq, rs, 404, "not_found", "We could not find the page you were looking for.");
    return;
  }
  struct step_state st;
  memset(&st, 0, sizeof st);
  st.step = step;
  st.who = find_audience(rq->method == HTTP_POST ? http_form(rq, "who") : http_query(rq, "who"));
  for (size_t s = 0; s < step->n; s++) {
    st.defs[s] = instrument_find(rq->app->instruments, step->ids[s]);
    if (!st.defs[s]) {
      web_checkin_failure(rq, rs);
      return;
    }
  }
  st.ndefs = step->n;
  rs->cache = HTTP_CACHE_NO_STORE;
  for (size_t s = 0; s < st.ndefs; s++)
    if (!st.defs[s]->wording_available) {
      render_unavailable(rq, rs, &st);
      return;
    }
  read_answers(rq, &st);
  if (rq->method != HTTP_POST) {
    render_form(rq, rs, &st, false);
    return;
  }
  if (st.missing) {
    render_form(rq, rs, &st, true);
    return;
  }
  /* Whooley positive and no urgent flag: ask the help question once. */
  const struct instrument_def *w = st.defs[0];
  if (w->has_followup && st.help < 0 && step_partial_flags(&st, NULL) == 0) {
    struct instrument_result r;
    if (instrument_score(w, st.answers[0], w->nitems, &r, NULL) != INSTRUMENT_OK) {
      web_checkin_failure(rq, rs);
      return;
    }
    if (r.positive) {
      render_followup(rq, rs, &st, st.followup_shown);
      return;
    }
  }
  render_outcome(rq, rs, &st);
}

void web_checkin_start(struct http_req *rq, struct http_resp *rs)
{
  const struct audience *who = find_audience(http_query(rq, "who"));
  const struct instrument_set *set = rq->app->instruments;
  struct view_page vp = {.title = "Check how you are feeling",
                         .description = "A few short questions, answered in private, that end "
                                        "with a clear next step and where to get support.",
                         .nav = "wellbeing-check",
                         .quick_exit = true};
  struct buf *b = &rs->body;
  view_page_begin(b, rq, &vp);
  html_printf(b,
              "<div class=\"nhsuk-grid-row\">\n<div class=\"nhsuk-grid-column-two-thirds\">\n"
              "<h1>Check how you are feeling</h1>\n"
              "<p class=\"nhsuk-lede-text\">%s</p>\n"
              "<p>These questions are for mums, dads, partners and co-parents, in pregnancy and "
              "in the first 2 years after birth. They follow the national guidance for "
              "midwives, health visitors and GPs (NICE guideline CG192), and the first ones take "
              "about 2 minutes.</p>\n",
              who->welcome);
  html_printf(b, "<form method=\"get\" action=\"/wellbeing-check\" class=\"app-no-print\">\n");
  struct radios r = {
      .name = "who",
      .legend = "Who is answering? (optional)",
      .hint = "This only changes some of the words we use. The questions are the same for "
              "everyone.",
      .n = ARRAY_LEN(audiences),
      .checked = -1,
  };
  for (size_t i = 0; i < ARRAY_LEN(audiences); i++) {
    r.labels[i] = audiences[i].choice;
    r.values[i] = audiences[i].id;
    if (who == &audiences[i])
      r.checked = (int)i;
  }
  radios(b, rq, &r);
  html_printf(b, "<button class=\"nhsuk-button nhsuk-button--secondary\" "
                 "data-module=\"nhsuk-button\" type=\"submit\">Use these words</button>\n"
                 "</form>\n");
  html_printf(b,
              "<h2>How are you feeling?</h2>\n"
              "<p>Start with 4 short questions: 2 about your mood over the past month, and 2 "
              "about worry over the last 2 weeks. If your answers suggest it would help, we will "
              "offer a few more questions and show you where to get support.</p>\n"
              "<a class=\"nhsuk-button\" data-module=\"nhsuk-button\" role=\"button\" "
              "draggable=\"false\" href=\"/wellbeing-check/feeling%s\">Start now</a>\n",
              who_query(who));
  html_printf(b, "<div class=\"nhsuk-inset-text\">\n<span class=\"nhsuk-u-visually-hidden\">"
                 "Information: </span>\n"
                 "<p>If you need help now, you do not need to answer any questions. "
                 "<a href=\"/urgent-help\">Get urgent help</a>.</p>\n</div>\n");
  html_printf(b, "<h2>Your privacy</h2>\n"
                 "<ul>\n"
                 "<li>Nothing you answer is stored. We do not ask for your name.</li>\n"
                 "<li>Your answers are sent only inside the form when you press Continue. They "
                 "never go into the web address and are not written to our logs.</li>\n"
                 "<li>Your results page is not kept by your browser. Your browser history shows "
                 "which pages you visited, but not your answers.</li>\n"
                 "<li>Think about who can see your screen. You can leave at any time.</li>\n"
                 "</ul>\n");
  html_printf(b, "<h2>Other questions you can answer</h2>\n<ul>\n");
  static const char *const others[] = {"whooley", "gad2", "phq9", "gad7", "epds"};
  for (size_t i = 0; i < ARRAY_LEN(others); i++) {
    const struct instrument_def *d = instrument_find(set, others[i]);
    if (!d)
      continue;
    if (d->wording_available)
      html_printf(b, "<li><a href=\"/wellbeing-check/%s%s\">%s</a>: %s</li>\n", d->id,
                  who_query(who), d->title, d->summary);
    else
      html_printf(b, "<li>%s: <a href=\"/wellbeing-check/%s%s\">not available here</a>.</li>\n",
                  d->title, d->id, who_query(who));
  }
  html_printf(b,
              "</ul>\n"
              "<p class=\"nhsuk-body-s\">These questions help you and the people who support "
              "you talk about how you feel. They do not give a diagnosis, and they do not "
              "replace a conversation with %s.</p>\n"
              "</div>\n</div>\n",
              who->talk_to);
  view_page_end(b, rq, &vp);
  rs->cache = HTTP_CACHE_SHORT;
}
