/* pages.c: Markdown content pages, the home page, urgent help, health check,
 * robots.txt and the error pages. */
#include "pages.h"
#include "web.h"
#include "../app.h"
#include "../content/urgent.h"
#include "../lib/util.h"
#include "../lib/utf8.h"
#include "../lib/log.h"
#include "../directory/state.h"
#include "../store/store.h"
#include "../view/view.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct page_cache *pages_build(const struct content *c, char *err, size_t errlen)
{
  const struct content_file *const *files;
  size_t n = content_list(c, "pages/", &files);
  struct page_cache *pc = xcalloc(1, sizeof *pc);
  pc->pages = xcalloc(n ? n : 1, sizeof *pc->pages);
  for (size_t i = 0; i < n; i++) {
    const struct content_file *f = files[i];
    if (!str_ends(f->name, ".md"))
      continue;
    struct content_doc d;
    char derr[256];
    if (!content_doc_parse(f->data, f->len, &d, derr, sizeof derr)) {
      snprintf(err, errlen, "content/%s: %s", f->name, derr);
      pages_free(pc);
      return NULL;
    }
    const char *title = content_doc_meta(&d, "title");
    const char *desc = content_doc_meta(&d, "description");
    if (!title || !desc) {
      snprintf(err, errlen, "content/%s: front matter needs both 'title:' and 'description:'",
               f->name);
      content_doc_free(&d);
      pages_free(pc);
      return NULL;
    }
    struct page *p = &pc->pages[pc->n++];
    const char *base = f->name + 6;
    p->slug = xstrndup(base, strlen(base) - 3);
    p->title = xstrdup(title);
    p->description = xstrdup(desc);
    const char *nav = content_doc_meta(&d, "nav");
    p->nav = nav ? xstrdup(nav) : NULL;
    const char *qe = content_doc_meta(&d, "quick_exit");
    p->quick_exit = qe && strcmp(qe, "yes") == 0;
    p->html = d.html;
    d.html = NULL;
    content_doc_free(&d);
  }
  return pc;
}

void pages_free(struct page_cache *pc)
{
  if (!pc)
    return;
  for (size_t i = 0; i < pc->n; i++) {
    free(pc->pages[i].slug);
    free(pc->pages[i].title);
    free(pc->pages[i].description);
    free(pc->pages[i].nav);
    free(pc->pages[i].html);
  }
  free(pc->pages);
  free(pc);
}

const struct page *pages_find(const struct page_cache *pc, const char *slug)
{
  for (size_t i = 0; i < pc->n; i++)
    if (strcmp(pc->pages[i].slug, slug) == 0)
      return &pc->pages[i];
  return NULL;
}

void web_content_page(struct http_req *rq, struct http_resp *rs)
{
  const struct page *p = pages_find(rq->app->pages, rq->path + 1);
  if (!p) {
    web_render_error(rq, rs, 404, "not_found", "We could not find the page you were looking for.");
    return;
  }
  struct view_page vp = {
      .title = p->title, .description = p->description, .nav = p->nav, .quick_exit = p->quick_exit};
  view_page_begin(&rs->body, rq, &vp);
  html_printf(&rs->body, "<div class=\"nhsuk-grid-row\">\n<div class=\"nhsuk-grid-column-two-thirds app-prose\">\n%R</div>\n</div>\n", p->html);
  view_page_end(&rs->body, rq, &vp);
  rs->cache = HTTP_CACHE_SHORT;
}

void web_home(struct http_req *rq, struct http_resp *rs)
{
  const struct page *p = pages_find(rq->app->pages, "home");
  struct view_page vp = {.title = p ? p->title : "Home",
                         .description = p ? p->description : NULL,
                         .nav = "home"};
  view_page_begin(&rs->body, rq, &vp);
  web_awareness_home_notice(&rs->body, rq);
  if (p)
    html_printf(&rs->body, "<div class=\"nhsuk-grid-row\">\n<div class=\"nhsuk-grid-column-two-thirds app-prose\">\n%R</div>\n</div>\n", p->html);
  view_page_end(&rs->body, rq, &vp);
  rs->cache = HTTP_CACHE_SHORT;
}

/* One route as a summary-list row: its name, then how and when, and details. */
static void urgent_row(struct buf *b, const struct urgent_route *u)
{
  html_printf(b,
              "<div class=\"nhsuk-summary-list__row\">\n<dt class=\"nhsuk-summary-list__key\">%s"
              "</dt>\n<dd class=\"nhsuk-summary-list__value\">",
              u->name);
  if (u->href)
    html_printf(b, "<a href=\"%s\">%s</a>", u->href, u->action);
  else
    html_printf(b, "%s", u->action);
  html_printf(b, " %s.", u->when);
  if (u->details)
    html_printf(b, "<br>%s", u->details);
  html_printf(b, "</dd>\n</div>\n");
}

/* Routes for one topic beyond mental health (pregnancy, a baby), when the
 * deployment has added any; returns how many were shown. */
static size_t urgent_topic(struct buf *b, const struct urgent_set *s, unsigned topic,
                           const char *heading)
{
  size_t n = 0;
  for (size_t i = 0; i < s->n; i++) {
    const struct urgent_route *u = &s->routes[i];
    if (!(u->topics & topic) || strcmp(u->level, "emergency") == 0)
      continue;
    if (n++ == 0)
      html_printf(b, "<h2>%s</h2>\n<dl class=\"nhsuk-summary-list\">\n", heading);
    urgent_row(b, u);
  }
  if (n)
    html_printf(b, "</dl>\n");
  return n;
}

void web_urgent_help(struct http_req *rq, struct http_resp *rs)
{
  const struct urgent_set *s = view_urgent(rq);
  struct view_page vp = {.title = "Get urgent help",
                         .description = "Where to get help now if a life is at risk, or you are "
                                        "struggling with your mental health.",
                         .quick_exit = true};
  struct buf *b = &rs->body;
  view_page_begin(b, rq, &vp);
  html_printf(b, "<div class=\"nhsuk-grid-row\">\n<div class=\"nhsuk-grid-column-two-thirds\">\n"
                 "<h1>Get urgent help</h1>\n"
                 "<p class=\"nhsuk-lede-text\">If a life is at immediate risk, yours, your "
                 "baby's or someone else's, you do not have to wait. If you are struggling with "
                 "your mental health, help is there day and night.</p>\n");
  view_urgent_help_cards(b, rq);
  size_t shown = urgent_topic(b, s, URGENT_TOPIC_PREGNANCY, "If you are worried about your "
                                                             "pregnancy");
  shown += urgent_topic(b, s, URGENT_TOPIC_BABY, "If you are worried about your baby");
  if (!shown)
    html_printf(b, "<div class=\"nhsuk-inset-text\">\n<span class=\"nhsuk-u-visually-hidden\">"
                   "Information: </span>\n<p>This page does not yet cover warning signs in "
                   "pregnancy or in a baby who is unwell. If a life is at immediate risk, call "
                   "999. Otherwise, use the contact details your maternity team, health visitor "
                   "or GP gave you.</p>\n</div>\n");
  html_printf(b, "<h2>All the ways to get help now</h2>\n<dl class=\"nhsuk-summary-list\">\n");
  for (size_t i = 0; i < s->n; i++)
    urgent_row(b, &s->routes[i]);
  html_printf(b, "</dl>\n");
  const struct page *extra = pages_find(rq->app->pages, "urgent-help-more");
  if (extra)
    html_printf(b, "<div class=\"app-prose\">%R</div>\n", extra->html);
  html_printf(b, "<details class=\"nhsuk-details\">\n<summary class=\"nhsuk-details__summary\">"
                 "<span class=\"nhsuk-details__summary-text\">Where this information comes "
                 "from</span></summary>\n<div class=\"nhsuk-details__text\">\n"
                 "<ul class=\"app-sources\">\n");
  for (size_t i = 0; i < s->n; i++)
    for (size_t k = 0; k < s->routes[i].nsources; k++)
      html_printf(b, "<li>%s: <a href=\"%s\">%s</a></li>\n", s->routes[i].name,
                  s->routes[i].sources[k], s->routes[i].sources[k]);
  html_printf(b, "</ul>\n</div>\n</details>\n</div>\n</div>\n");
  view_page_end(b, rq, &vp);
  rs->cache = HTTP_CACHE_SHORT;
}

void web_healthz(struct http_req *rq, struct http_resp *rs)
{
  const struct app *app = rq->app;
  bool ok = app->store && app->store->ops->ping(app->store);
  /* Until the first directory index is built the server answers every page
   * but lists no services: not yet one to send searches to. */
  bool starting = app->directory && directory_state_loading(app->directory);
  /* Content set aside still leaves every page served (the built-in one in
   * its place): degraded, not down, so a load balancer keeps the server. */
  rs->status = ok && !starting ? 200 : 503;
  json_t *o = json_pack("{s:s, s:i}", "status",
                        !ok        ? "unavailable"
                        : starting ? "starting"
                        : app->ncontent_problems ? "degraded"
                                                 : "ok",
                        "schema",
                        app->store ? app->store->ops->schema_version(app->store) : -1);
  if (o && app->ncontent_problems) {
    json_t *p = json_array();
    for (size_t i = 0; i < app->ncontent_problems; i++)
      json_array_append_new(p, json_string(app->content_problems[i]));
    json_object_set_new(o, "content_problems", p);
  }
  web_send_json(rs, o);
}

void web_robots(struct http_req *rq, struct http_resp *rs)
{
  (void)rq;
  rs->content_type = "text/plain; charset=utf-8";
  rs->cache = HTTP_CACHE_DAY;
  buf_puts(&rs->body, "User-agent: *\nDisallow: /my-1001-days\nDisallow: /api/\n");
}

bool web_json_append(struct buf *b, json_t *o)
{
  char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
  json_decref(o);
  if (!s)
    return false;
  buf_puts(b, s);
  free(s);
  return true;
}

void web_send_json(struct http_resp *rs, json_t *o)
{
  rs->content_type = "application/json";
  if (!web_json_append(&rs->body, o)) {
    log_msg("error", "api: a JSON answer could not be built");
    web_json_error(rs, 500, "internal", "The answer could not be built. Try again later.");
    return;
  }
  buf_putc(&rs->body, '\n');
}

void web_json_error(struct http_resp *rs, int status, const char *code, const char *message)
{
  rs->status = status;
  rs->content_type = "application/json";
  rs->cache = HTTP_CACHE_NO_STORE;
  buf_free(&rs->body);
  /* The message may quote what a client sent: make it well-formed UTF-8
   * first, since jansson refuses anything else. */
  struct buf m = BUF_INIT;
  utf8_sanitize(&m, message, strlen(message));
  json_t *o = json_pack("{s:{s:i, s:s, s:s}}", "error", "status", status, "code", code, "message",
                        buf_cstr(&m));
  char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
  if (s)
    buf_puts(&rs->body, s);
  else /* out of memory inside jansson: still a valid answer */
    buf_printf(&rs->body, "{\"error\":{\"status\":%d,\"code\":\"internal\","
                          "\"message\":\"The error could not be described.\"}}", status);
  buf_putc(&rs->body, '\n');
  free(s);
  json_decref(o);
  buf_free(&m);
}

void web_render_error(struct http_req *rq, struct http_resp *rs, int status, const char *code,
                      const char *message)
{
  if (str_starts(rq->path, "/api/") || str_starts(rq->path, "/openreferral")) {
    web_json_error(rs, status, code, message);
    rs->cors = str_starts(rq->path, "/openreferral");
    return;
  }
  rs->status = status;
  rs->content_type = "text/html; charset=utf-8";
  rs->cache = HTTP_CACHE_NO_STORE;
  buf_free(&rs->body);
  const char *title = status == 404   ? "Page not found"
                      : status == 405 ? "This page cannot do that"
                      : status < 500  ? "There is a problem with the request"
                                      : "Sorry, there is a problem with the service";
  struct view_page vp = {.title = title, .no_share = true, .noindex = true};
  struct buf *b = &rs->body;
  view_page_begin(b, rq, &vp);
  html_printf(b,
              "<div class=\"nhsuk-grid-row\">\n<div class=\"nhsuk-grid-column-two-thirds\">\n"
              "<h1>%s</h1>\n<p>%s</p>\n",
              title, message);
  if (status == 404)
    html_printf(b, "<p>If you typed the web address, check it is correct. If you pasted it, check "
                   "you copied the whole address.</p>\n");
  html_printf(b, "<p><a href=\"/\">Go to the home page</a></p>\n");
  /* A person who followed a broken link needs no code; the other errors
   * keep one to quote to support. */
  if (status != 404)
    html_printf(b, "<p class=\"nhsuk-body-s\">Error code: <code>%s</code> (HTTP %d)</p>\n", code,
                status);
  html_printf(b, "</div>\n</div>\n");
  view_page_end(b, rq, &vp);
}
