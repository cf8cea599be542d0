/* view.c: the shared page layout, written through the escaping writer. */
#include "view.h"
#include "../app.h"
#include "../lib/conf.h"
#include "../content/urgent.h"
#include "../web/statics.h"
#include "../routes.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *view_static_url(const struct http_req *rq, const char *name)
{
  /* Called several times for every page: no printf, no copy when found. */
  char url[256];
  size_t n = strlen(name);
  if (n > sizeof url - 9)
    n = sizeof url - 9;
  memcpy(url, "/static/", 8);
  memcpy(url + 8, name, n);
  url[8 + n] = '\0';
  const struct static_file *f = statics_find(rq->app->statics, url);
  if (!f)
    return arena_strdup(rq->arena, url);
  return f->versioned_url;
}

/* True when some route serves GET path, so navigation never links to a page
 * this build does not have. */
static bool route_exists(const struct http_req *rq, const char *path)
{
  const char *caps[HTTP_MAX_CAPTURES];
  size_t ncaps;
  unsigned allowed;
  return http_route_match(app_routes, app_routes_count, HTTP_GET, path, rq->arena, caps, &ncaps,
                          &allowed) != NULL;
}

static const struct {
  const char *id, *href, *text;
} nav_items[] = {
    {"my-1001-days", "/my-1001-days", "My 1001 days"},
    {"wellbeing-check", "/wellbeing-check", "How are you feeling?"},
    {"find-support", "/find-support", "Find support"},
    {"awareness-week", "/awareness-week", "Awareness week"},
    {"bonding", "/bonding", "Bonding"},
    {"resources", "/resources", "Resources"},
};

static const struct {
  const char *href, *text;
} footer_links[] = {{"/urgent-help", "Urgent help"},
                    {"/infant-mental-health", "Infant mental health"},
                    {"/first-1001-days", "The first 1001 days"},
                    {"/parents-wellbeing", "Your wellbeing"},
                    {"/resources", "Resources"},
                    {"/accessibility", "Accessibility statement"},
                    {"/privacy", "Privacy"}};

/* Which of the links above this build serves, worked out once: the route
 * table is constant, and matching it for every link of every page was a
 * large share of rendering a page. */
static bool nav_served[sizeof nav_items / sizeof nav_items[0]];
static bool footer_served[sizeof footer_links / sizeof footer_links[0]];
static pthread_once_t served_once = PTHREAD_ONCE_INIT;

static void served_init(void)
{
  struct arena a;
  arena_init(&a);
  struct http_req rq = {.arena = &a};
  for (size_t i = 0; i < sizeof nav_items / sizeof nav_items[0]; i++)
    nav_served[i] = route_exists(&rq, nav_items[i].href);
  for (size_t i = 0; i < sizeof footer_links / sizeof footer_links[0]; i++)
    footer_served[i] = route_exists(&rq, footer_links[i].href);
  arena_free(&a);
}

/* True for a Host header that is safe to build addresses from: a host name
 * or IPv4 address (letters, digits, dots and hyphens, not starting with a dot
 * or hyphen), or an IPv6 address in brackets, then an optional port. */
static bool host_ok(const char *h)
{
  size_t n = strlen(h), i = 0;
  if (!n || n > 260)
    return false;
  if (h[0] == '[') {
    i = 1 + strspn(h + 1, "0123456789abcdefABCDEF:.");
    if (i == 1 || h[i] != ']')
      return false;
    i++;
  } else {
    i = strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
    if (!i || i > 253 || h[0] == '.' || h[0] == '-')
      return false;
  }
  if (h[i] == ':') {
    size_t d = strspn(h + i + 1, "0123456789");
    if (d < 1 || d > 5 || atoi(h + i + 1) > 65535)
      return false;
    i += 1 + d;
  }
  return h[i] == '\0';
}

const char *view_base_url(const struct http_req *rq)
{
  const char *set = rq->app->cfg.base_url;
  if (set && strcmp(set, CONF_DEFAULT_BASE_URL) != 0)
    return set;
  const char *host = http_header(rq, "Host");
  if (!host || !host_ok(host))
    return set ? set : "";
  const char *proto = http_header(rq, "X-Forwarded-Proto");
  return arena_printf(rq->arena, "%s://%s", proto && strcmp(proto, "https") == 0 ? "https" : "http",
                      host);
}

static const char *full_url(const struct http_req *rq, const char *path)
{
  const char *base = view_base_url(rq);
  size_t n = strlen(base);
  if (n && base[n - 1] == '/')
    n--;
  size_t plen = strlen(path);
  char *url = arena_alloc(rq->arena, n + plen + 1);
  memcpy(url, base, n);
  memcpy(url + n, path, plen + 1);
  return url;
}

void view_page_begin(struct buf *b, const struct http_req *rq, const struct view_page *p)
{
  const struct config *cfg = &rq->app->cfg;
  const char *site = cfg->service_name ? cfg->service_name : "firstdays";
  const char *org = cfg->org_name ? cfg->org_name : site;
  const char *desc = p->description ? p->description
                                    : "Support for families in the first 1001 days, from "
                                      "pregnancy to a child's second birthday.";
  const char *url = full_url(rq, rq->path);
  buf_reserve(b, 16384); /* a whole page at once, rather than growing it step by step */
  html_printf(b,
              "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<title>%s%s – %s</title>\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, "
              "viewport-fit=cover\">\n"
              "<meta name=\"description\" content=\"%s\">\n",
              p->error ? "Error: " : "", p->title, site, desc);
  if (p->noindex)
    html_printf(b, "<meta name=\"robots\" content=\"noindex\">\n");
  html_printf(b,
              "<meta property=\"og:type\" content=\"website\">\n"
              "<meta property=\"og:site_name\" content=\"%s\">\n"
              "<meta property=\"og:title\" content=\"%s\">\n"
              "<meta property=\"og:description\" content=\"%s\">\n"
              "<meta property=\"og:url\" content=\"%s\">\n"
              "<meta property=\"og:locale\" content=\"en_GB\">\n"
              "<meta name=\"twitter:card\" content=\"summary\">\n"
              "<link rel=\"canonical\" href=\"%s\">\n"
              "<link rel=\"icon\" href=\"%s\" type=\"image/svg+xml\">\n"
              "<link rel=\"stylesheet\" href=\"%s\">\n"
              "<link rel=\"stylesheet\" href=\"%s\">\n"
              "<link rel=\"stylesheet\" href=\"%s\">\n"
              "</head>\n<body>\n<script src=\"%s\"></script>\n"
              "<a class=\"nhsuk-skip-link\" data-module=\"nhsuk-skip-link\" "
              "href=\"#maincontent\">Skip to main content</a>\n",
              site, p->title, desc, url, url, view_static_url(rq, "favicon.svg"),
              view_static_url(rq, "nhsuk/nhsuk-frontend.min.css"), view_static_url(rq, "app.css"),
              view_static_url(rq, "theme.css"), view_static_url(rq, "js-enabled.js"));

  /* Header: organisation logo (never the NHS logo unless configured) and name.
   * The link's name is its visible text, then " homepage" (WCAG 2.5.3). */
  html_printf(b, "<header class=\"nhsuk-header nhsuk-header--organisation\" "
                 "data-module=\"nhsuk-header\" role=\"banner\">\n"
                 "<div class=\"nhsuk-header__container nhsuk-width-container\">\n"
                 "<div class=\"nhsuk-header__service\">\n"
                 "<a class=\"nhsuk-header__service-logo\" href=\"/\">");
  const struct static_file *logo = statics_find(rq->app->statics, "/static/logo.svg");
  if (!logo)
    logo = statics_find(rq->app->statics, "/static/logo.png");
  if (logo) {
    html_printf(b, "<img class=\"app-header__logo\" src=\"%s?v=%s\" alt=\"\" height=\"40\">",
                logo->url, logo->hash);
  }
  html_printf(b,
              "<span class=\"nhsuk-header__organisation-name\">%s</span> "
              "<span class=\"nhsuk-header__organisation-name-descriptor\">%s</span>"
              "<span class=\"nhsuk-u-visually-hidden\"> homepage</span></a>\n"
              "</div>\n</div>\n",
              org, site);
  html_printf(b, "<nav class=\"nhsuk-header__navigation\" aria-label=\"Menu\">\n"
                 "<div class=\"nhsuk-header__navigation-container nhsuk-width-container\">\n"
                 "<ul class=\"nhsuk-header__navigation-list\">\n");
  pthread_once(&served_once, served_init);
  for (size_t i = 0; i < sizeof nav_items / sizeof nav_items[0]; i++) {
    if (!nav_served[i])
      continue;
    bool cur = p->nav && strcmp(p->nav, nav_items[i].id) == 0;
    if (cur)
      html_printf(b,
                  "<li class=\"nhsuk-header__navigation-item "
                  "nhsuk-header__navigation-item--current\"><a class=\"nhsuk-header__navigation-link\" "
                  "href=\"%s\" aria-current=\"page\"><strong "
                  "class=\"nhsuk-header__navigation-item-current-fallback\">%s</strong></a></li>\n",
                  nav_items[i].href, nav_items[i].text);
    else
      html_printf(b,
                  "<li class=\"nhsuk-header__navigation-item\"><a "
                  "class=\"nhsuk-header__navigation-link\" href=\"%s\">%s</a></li>\n",
                  nav_items[i].href, nav_items[i].text);
  }
  html_printf(b, "<li class=\"nhsuk-header__menu\" hidden><button "
                 "class=\"nhsuk-header__menu-toggle nhsuk-header__navigation-link\" "
                 "id=\"toggle-menu\" aria-expanded=\"false\"><span "
                 "class=\"nhsuk-u-visually-hidden\">Browse </span>More</button></li>\n"
                 "</ul>\n</div>\n</nav>\n</header>\n");

  /* The route to urgent help, on every page, outside anything that can fail. */
  html_printf(b, "<div class=\"app-urgent-banner\">\n<div class=\"nhsuk-width-container\">\n"
                 "<p class=\"app-urgent-banner__text\"><strong>Need help now?</strong> In an "
                 "emergency call <a href=\"tel:999\">999</a>. For urgent mental health help call "
                 "<a href=\"tel:111\">111</a> and choose the mental health option. "
                 "<a class=\"app-urgent-banner__link\" href=\"/urgent-help\">Get urgent help</a></p>\n"
                 "</div>\n</div>\n");

  html_printf(b, "<div class=\"nhsuk-width-container\">\n");
  if (p->quick_exit)
    html_printf(b,
                "<div class=\"app-exit-this-page\">\n"
                "<a href=\"%s\" role=\"button\" draggable=\"false\" "
                "class=\"nhsuk-button nhsuk-button--warning app-exit-this-page__button\" "
                "rel=\"nofollow noreferrer\"><span class=\"nhsuk-u-visually-hidden\">Emergency"
                "</span> Exit this page</a>\n"
                "<p class=\"nhsuk-body-s app-exit-this-page__hint\" hidden>Or press the Shift "
                "key 3 times</p>\n"
                "</div>\n",
                VIEW_QUICK_EXIT_URL);
  if (p->back_href)
    html_printf(b,
                "<div class=\"nhsuk-back-link\"><a class=\"nhsuk-back-link__link\" "
                "href=\"%s\">%s</a></div>\n",
                p->back_href, p->back_text ? p->back_text : "Back");
  html_printf(b, "<main class=\"nhsuk-main-wrapper%s%s\" id=\"maincontent\">\n",
              p->main_class ? " " : "", p->main_class);
}

/* Share links: email, WhatsApp and a text message, each carrying the text and
 * the link; the browser's own share sheet where it has one (static/share.js
 * shows that button); and the link to copy. */
static void share_links(struct buf *b, const struct http_req *rq, const struct view_page *p)
{
  const char *url = full_url(rq, p->share_path ? p->share_path : rq->path);
  const char *title = p->share_title ? p->share_title : p->title;
  const char *text = p->share_text ? p->share_text : title;
  const char *message = arena_printf(rq->arena, "%s\n%s", text, url);
  html_printf(b,
              "<aside class=\"app-share nhsuk-u-margin-top-6\" aria-labelledby=\"share-heading\">\n"
              "<h2 class=\"nhsuk-heading-s\" id=\"share-heading\">Share this page</h2>\n"
              "<button class=\"nhsuk-button nhsuk-button--secondary app-web-share\" type=\"button\" "
              "data-title=\"%s\" data-text=\"%s\" data-url=\"%s\" hidden>Share</button>\n"
              "<ul class=\"nhsuk-list app-share__list\">\n"
              "<li><a class=\"nhsuk-link\" href=\"https://wa.me/?text=%U\">Share on WhatsApp</a></li>\n"
              "<li><a class=\"nhsuk-link\" href=\"sms:?&amp;body=%U\">Share by text message</a></li>\n"
              "<li><a class=\"nhsuk-link\" href=\"mailto:?subject=%U&amp;body=%U\">Share by email</a></li>\n"
              "</ul>\n"
              "<div class=\"nhsuk-form-group app-share__copy\">\n"
              "<label class=\"nhsuk-label\" for=\"share-link\">Link to this page</label>\n"
              "<input class=\"nhsuk-input\" id=\"share-link\" type=\"text\" readonly value=\"%s\">\n"
              "<button class=\"nhsuk-button nhsuk-button--secondary nhsuk-u-margin-top-2 "
              "app-copy-link\" type=\"button\" data-copy-target=\"share-link\" hidden>Copy "
              "link</button>\n"
              "<p class=\"nhsuk-body-s app-copy-status\" role=\"status\"></p>\n"
              "</div>\n</aside>\n",
              title, text, url, message, message, title, message, url);
}

void view_page_end(struct buf *b, const struct http_req *rq, const struct view_page *p)
{
  const struct config *cfg = &rq->app->cfg;
  if (!p->no_share)
    share_links(b, rq, p);
  html_printf(b, "</main>\n</div>\n");
  html_printf(b,
              "<footer class=\"nhsuk-footer\" role=\"contentinfo\">\n"
              "<div class=\"nhsuk-width-container\">\n"
              "<h2 class=\"nhsuk-u-visually-hidden\">Support links</h2>\n"
              "<div class=\"nhsuk-footer__meta\">\n<ul class=\"nhsuk-footer__list\">\n");
  pthread_once(&served_once, served_init);
  for (size_t i = 0; i < sizeof footer_links / sizeof footer_links[0]; i++)
    if (footer_served[i])
      html_printf(b,
                  "<li class=\"nhsuk-footer__list-item\"><a class=\"nhsuk-footer__list-item-link\" "
                  "href=\"%s\">%s</a></li>\n",
                  footer_links[i].href, footer_links[i].text);
  html_printf(b, "</ul>\n<div class=\"app-footer__contact\">\n");
  if (cfg->contact_phone || cfg->contact_email || cfg->contact_address) {
    html_printf(b, "<p class=\"nhsuk-body-s\">Contact %s:", cfg->org_name);
    if (cfg->contact_phone)
      html_printf(b, " phone <a class=\"nhsuk-footer__list-item-link\" href=\"tel:%U\">%s</a>",
                  cfg->contact_phone, cfg->contact_phone);
    if (cfg->contact_email)
      html_printf(b, " email <a class=\"nhsuk-footer__list-item-link\" href=\"mailto:%s\">%s</a>",
                  cfg->contact_email, cfg->contact_email);
    if (cfg->contact_address)
      html_printf(b, " %s", cfg->contact_address);
    html_printf(b, "</p>\n");
  }
  html_printf(b,
              "<p class=\"nhsuk-body-s\">This service gives information and signposting. It does "
              "not replace advice from your midwife, health visitor or GP.</p>\n"
              "</div>\n<p class=\"nhsuk-footer__copyright\">&copy; %s</p>\n"
              "</div>\n</div>\n</footer>\n"
              "<script type=\"module\" src=\"%s\"></script>\n",
              cfg->org_name ? cfg->org_name : "firstdays", view_static_url(rq, "init.mjs"));
  if (p->quick_exit)
    html_printf(b, "<script src=\"%s\"></script>\n", view_static_url(rq, "exit-this-page.js"));
  if (!p->no_share)
    html_printf(b, "<script src=\"%s\"></script>\n", view_static_url(rq, "share.js"));
  html_printf(b, "</body>\n</html>\n");
}

void view_page(struct http_resp *rs, const struct http_req *rq, const struct view_page *p,
               const char *body_html)
{
  view_page_begin(&rs->body, rq, p);
  html_printf(&rs->body, "%R", body_html);
  view_page_end(&rs->body, rq, p);
}

void view_summary_row(struct buf *b, const char *key, const char *value)
{
  html_printf(b,
              "<div class=\"nhsuk-summary-list__row\">\n<dt class=\"nhsuk-summary-list__key\">%s"
              "</dt>\n<dd class=\"nhsuk-summary-list__value\">%s</dd>\n</div>\n",
              key, value);
}

void view_error_summary_begin(struct buf *b)
{
  html_printf(b, "<div class=\"nhsuk-error-summary\" data-module=\"nhsuk-error-summary\">\n"
                 "<div role=\"alert\">\n<h2 class=\"nhsuk-error-summary__heading\">There is a "
                 "problem</h2>\n<div class=\"nhsuk-error-summary__body\">\n"
                 "<ul class=\"nhsuk-list nhsuk-error-summary__list\">\n");
}

void view_error_summary_item(struct buf *b, const char *anchor, const char *message)
{
  html_printf(b, "<li><a href=\"#%s\">%s</a></li>\n", anchor, message);
}

void view_error_summary_end(struct buf *b)
{
  html_printf(b, "</ul>\n</div>\n</div>\n</div>\n");
}

void view_care_card_begin(struct buf *b, const char *level, const char *heading)
{
  const char *prefix = strcmp(level, "emergency") == 0 ? "Immediate action required: "
                       : strcmp(level, "urgent") == 0  ? "Urgent advice: "
                                                       : "Non-urgent advice: ";
  html_printf(b,
              "<div class=\"nhsuk-card nhsuk-card--care nhsuk-card--care--%s\">\n"
              "<div class=\"nhsuk-card__heading-container\">\n"
              "<h2 class=\"nhsuk-card__heading\"><span "
              "class=\"nhsuk-u-visually-hidden\">%s</span>%s</h2>\n"
              "<span class=\"nhsuk-card--care__arrow\" aria-hidden=\"true\"></span>\n"
              "</div>\n<div class=\"nhsuk-card__content\">\n",
              level, prefix, heading);
}

void view_care_card_end(struct buf *b)
{
  html_printf(b, "</div>\n</div>\n");
}

const struct urgent_set *view_urgent(const struct http_req *rq)
{
  return rq->app && rq->app->urgent ? rq->app->urgent : urgent_builtin();
}

void view_urgent_help_cards(struct buf *b, const struct http_req *rq)
{
  const struct urgent_set *s = view_urgent(rq);
  for (size_t i = 0; i < s->n; i++) {
    const struct urgent_route *u = &s->routes[i];
    if (strcmp(u->level, "emergency") != 0)
      continue;
    view_care_card_begin(b, "emergency", s->emergency_heading);
    html_printf(b, "<ul>\n");
    for (size_t k = 0; k < u->nsigns; k++)
      html_printf(b, "<li>%s</li>\n", u->signs[k]);
    html_printf(b, "</ul>\n");
    if (u->href)
      html_printf(b, "<p><a href=\"%s\">%s</a></p>\n", u->href,
                  u->link_text ? u->link_text : u->action);
    view_care_card_end(b);
  }
  view_care_card_begin(b, "urgent", s->urgent_heading);
  html_printf(b, "<ul>\n");
  for (size_t i = 0; i < s->n; i++) {
    const struct urgent_route *u = &s->routes[i];
    if (strcmp(u->level, "urgent") != 0 || !(u->topics & URGENT_TOPIC_MENTAL_HEALTH))
      continue;
    if (u->href)
      html_printf(b, "<li><a href=\"%s\">%s</a> %s.", u->href, u->action, u->when);
    else
      html_printf(b, "<li><strong>%s</strong> %s.", u->action, u->when);
    if (u->details)
      html_printf(b, " %s", u->details);
    html_printf(b, "</li>\n");
  }
  html_printf(b, "</ul>\n");
  view_care_card_end(b);
}
