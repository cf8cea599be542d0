/* resources.c: /resources, the curated external resources, filtered by stage
 * and topic through a plain GET form that works without JavaScript. The list
 * and the filter live in src/resources/catalogue.c; this file only renders.
 * An unknown stage or topic is a 400 page that keeps the form and says which
 * values are allowed. External links open in the same tab (no target). */
#include "web.h"
#include "../app.h"
#include "../resources/catalogue.h"
#include "../view/view.h"
#include "../lib/utf8.h"
#include <string.h>

/* One select of the filter form. sel is the chosen index or -1 for any. */
static void filter_select(struct buf *b, const char *name, const char *label, const char *any,
                          const struct catalogue_term *terms, size_t n, int sel, const char *error)
{
  html_printf(b,
              "<div class=\"nhsuk-form-group%s\">\n"
              "<label class=\"nhsuk-label\" for=\"%s\">%s</label>\n",
              error ? " nhsuk-form-group--error" : "", name, label);
  if (error)
    html_printf(b,
                "<span class=\"nhsuk-error-message\" id=\"%s-error\"><span "
                "class=\"nhsuk-u-visually-hidden\">Error: </span>%s</span>\n",
                name, error);
  html_printf(b, "<select class=\"nhsuk-select%s\" id=\"%s\" name=\"%s\"",
              error ? " nhsuk-select--error" : "", name, name);
  if (error)
    html_printf(b, " aria-describedby=\"%s-error\"", name);
  html_printf(b, ">\n");
  html_printf(b, "<option value=\"\"%R>%s</option>\n", sel < 0 ? " selected" : "", any);
  for (size_t i = 0; i < n; i++)
    html_printf(b, "<option value=\"%s\"%R>%s</option>\n", terms[i].id,
                (int)i == sel ? " selected" : "", terms[i].label);
  html_printf(b, "</select>\n</div>\n");
}

/* The message for a value that is not allowed: what was given (shortened),
 * then the labels and the ids that are allowed. */
static const char *allowed_values(struct arena *a, const char *what, const char *given,
                                  const struct catalogue_term *t, size_t n)
{
  struct buf labels = BUF_INIT, ids = BUF_INIT;
  for (size_t i = 0; i < n; i++) {
    const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
    buf_printf(&labels, "%s%s", sep, t[i].label);
    buf_printf(&ids, "%s%s", sep, t[i].id);
  }
  const char *r = arena_printf(a,
                               "There is no %s called \"%s\". Choose a %s from the list: "
                               "%s (in the web address: %s)",
                               what, utf8_clip(a, given, 40), what, buf_cstr(&labels),
                               buf_cstr(&ids));
  buf_free(&labels);
  buf_free(&ids);
  return r;
}

static void entry_card(struct buf *b, const struct resource_catalogue *cat,
                       const struct catalogue_entry *e)
{
  html_printf(b,
              "<li class=\"nhsuk-card app-resource\">\n<div class=\"nhsuk-card__content\">\n"
              "<h3 class=\"nhsuk-card__heading nhsuk-heading-m\"><a href=\"%s\">%s</a></h3>\n"
              "<p class=\"nhsuk-body-s app-resource__org\">From %s</p>\n"
              "<p class=\"nhsuk-card__description\">%s</p>\n"
              "<p class=\"nhsuk-body-s app-resource__tags\">For: ",
              e->url, e->title, e->organisation, e->description);
  const char *sep = "";
  for (size_t i = 0; i < cat->nstages; i++)
    if (e->stages & (1u << i)) {
      html_printf(b, "%s%s", sep, cat->stages[i].label);
      sep = ", ";
    }
  html_printf(b, ". Topics: ");
  sep = "";
  for (size_t i = 0; i < cat->ntopics; i++)
    if (e->topics & (1u << i)) {
      html_printf(b, "%s%s", sep, cat->topics[i].label);
      sep = ", ";
    }
  html_printf(b, ".</p>\n</div>\n</li>\n");
}

void web_resources(struct http_req *rq, struct http_resp *rs)
{
  const struct resource_catalogue *cat = rq->app->resources;
  struct catalogue_query q;
  const char *stage = http_query(rq, "stage"), *topic = http_query(rq, "topic");
  unsigned bad = catalogue_query_parse(cat, stage, topic, &q);
  const char *stage_err = (bad & CATALOGUE_BAD_STAGE)
                              ? allowed_values(rq->arena, "stage", stage, cat->stages, cat->nstages)
                              : NULL;
  const char *topic_err = (bad & CATALOGUE_BAD_TOPIC)
                              ? allowed_values(rq->arena, "topic", topic, cat->topics, cat->ntopics)
                              : NULL;
  struct view_page vp = {.title = "Resources we recommend",
                         .description = "Trusted websites, apps and helplines for pregnancy and "
                                        "the first two years, chosen by stage and topic.",
                         .nav = "resources",
                         .error = bad != 0,
                         .no_share = bad != 0,
                         .noindex = bad != 0};
  struct buf *b = &rs->body;
  view_page_begin(b, rq, &vp);
  html_printf(b, "<div class=\"nhsuk-grid-row\">\n<div class=\"nhsuk-grid-column-two-thirds\">\n");
  if (bad) {
    view_error_summary_begin(b);
    if (stage_err)
      view_error_summary_item(b, "stage", stage_err);
    if (topic_err)
      view_error_summary_item(b, "topic", topic_err);
    view_error_summary_end(b);
  }
  html_printf(b, "<h1>Resources we recommend</h1>\n"
                 "<p class=\"nhsuk-lede-text\">Websites, apps and helplines from trusted "
                 "organisations, for pregnancy and your child's first two years.</p>\n"
                 "<p>These links go to other organisations' websites, which we do not run. "
                 "If you need help now, <a href=\"/urgent-help\">get urgent help</a>.</p>\n");
  html_printf(b, "<form method=\"get\" action=\"/resources\" class=\"app-filter\" "
                 "novalidate>\n<h2 class=\"nhsuk-heading-s\">Filter the resources</h2>\n");
  filter_select(b, "stage", "Stage", "Any stage", cat->stages, cat->nstages, q.stage, stage_err);
  filter_select(b, "topic", "Topic", "Any topic", cat->topics, cat->ntopics, q.topic, topic_err);
  html_printf(b, "<button class=\"nhsuk-button\" data-module=\"nhsuk-button\" type=\"submit\">"
                 "Show resources</button>\n</form>\n");
  if (bad) {
    rs->status = 400;
    rs->cache = HTTP_CACHE_NO_STORE;
    html_printf(b, "<p><a href=\"/resources\">Show all resources</a></p>\n"
                   "<p class=\"nhsuk-body-s\">Error code: <code>resources_filter_invalid</code> "
                   "(HTTP 400)</p>\n");
  } else {
    size_t *idx = arena_alloc(rq->arena, (cat->n + 1) * sizeof *idx);
    size_t n = catalogue_filter(cat, q, idx);
    const char *what = "";
    if (q.stage >= 0 && q.topic >= 0)
      what = arena_printf(rq->arena, " for %s, about %s", cat->stages[q.stage].label,
                          cat->topics[q.topic].label);
    else if (q.stage >= 0)
      what = arena_printf(rq->arena, " for %s", cat->stages[q.stage].label);
    else if (q.topic >= 0)
      what = arena_printf(rq->arena, " about %s", cat->topics[q.topic].label);
    html_printf(b, "<h2 id=\"results\">%zu %s%s</h2>\n", n, n == 1 ? "resource" : "resources",
                what);
    if (n == 0)
      html_printf(b, "<p>No resources match that choice. Try another stage or topic, or <a "
                     "href=\"/resources\">show all resources</a>.</p>\n");
    else
      html_printf(b, "<ul class=\"nhsuk-list app-resource-list\">\n");
    for (size_t i = 0; i < n; i++)
      entry_card(b, cat, &cat->entries[idx[i]]);
    if (n)
      html_printf(b, "</ul>\n");
    if (q.stage >= 0 || q.topic >= 0)
      html_printf(b, "<p><a href=\"/resources\">Show all %zu resources</a></p>\n", cat->n);
    rs->cache = HTTP_CACHE_SHORT;
  }
  html_printf(b, "</div>\n</div>\n");
  view_page_end(b, rq, &vp);
}
