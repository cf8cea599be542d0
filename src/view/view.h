/* view.h: the page layout shared by every HTML page: head with Open Graph
 * metadata, skip link, header with the deploying organisation's name and logo,
 * navigation, the urgent-help banner that is on every page, share links, and
 * the footer. Pages write their body between view_page_begin() and view_page_end(). */
#ifndef FD_VIEW_H
#define FD_VIEW_H
#include "../http/http.h"
#include "html.h"
#include <stdbool.h>

struct view_page {
  const char *title;       /* page title without the site name */
  const char *description; /* meta description and og:description */
  const char *nav;         /* which navigation item is current: "home", "my-1001-days", ... */
  bool error;              /* prefix the title with "Error: " */
  bool no_share;           /* leave out the share links (e.g. pages holding answers) */
  bool noindex;            /* ask search engines not to index (personal results) */
  const char *back_href;   /* optional back link */
  const char *back_text;
  const char *main_class;  /* extra class on <main> */
  bool quick_exit;         /* an "Exit this page" button (hazard H5): sensitive pages */
  const char *share_path;  /* what the share links point at, path and query already
                              url-encoded; NULL: the page's own path */
  const char *share_title; /* subject of a shared link; NULL: the title */
  const char *share_text;  /* plain text sent before the link (WhatsApp, text message,
                              email, the browser's share sheet); NULL: the title */
};

/* Write the document head, header and opening of <main>. */
void view_page_begin(struct buf *b, const struct http_req *rq, const struct view_page *p);
/* Close <main>, write share links, footer and scripts. */
void view_page_end(struct buf *b, const struct http_req *rq, const struct view_page *p);
/* Convenience: a whole page around a body of trusted markup. */
void view_page(struct http_resp *rs, const struct http_req *rq, const struct view_page *p,
               const char *body_html);
/* The start of the site's own absolute addresses ("https://families.example.org"),
 * for share links, og:url and the canonical link: base_url when the
 * deployment sets it (anything but CONF_DEFAULT_BASE_URL), else the request's
 * Host header when it is a plain host name, IPv4 or bracketed IPv6 address
 * with an optional port (any other Host is never used), with https when
 * X-Forwarded-Proto says so, else the default base_url. Arena or
 * configuration memory. */
const char *view_base_url(const struct http_req *rq);
/* Versioned URL of a built-in static file ("app.css" -> "/static/app.css?v=1a2b3c4d"). */
const char *view_static_url(const struct http_req *rq, const char *name);

/* One row of an NHS summary list (<dl class="nhsuk-summary-list">); key and
 * value are escaped. */
void view_summary_row(struct buf *b, const char *key, const char *value);
/* Open an NHS error summary ("There is a problem"), add one linked item per
 * problem (anchor is the id of the field, message is escaped), and close it. */
void view_error_summary_begin(struct buf *b);
void view_error_summary_item(struct buf *b, const char *anchor, const char *message);
void view_error_summary_end(struct buf *b);

/* Care card (NHS.UK "care card" component) opening and closing.
 * level: "non-urgent", "urgent" or "emergency". heading is escaped. */
void view_care_card_begin(struct buf *b, const char *level, const char *heading);
void view_care_card_end(struct buf *b);
/* The standard urgent-help care cards: the emergency card (999/A&E and its
 * signs), then the urgent card with every mental-health route (NHS 111 mental
 * health option, Samaritans, Shout, the GP, then the deployment's local
 * routes), from content/urgent/. Never fails: without a loaded set the
 * built-in national routes are used. */
void view_urgent_help_cards(struct buf *b, const struct http_req *rq);
/* The urgent-help routes to show: the loaded set, or the built-in national
 * routes when there is none. Never NULL. */
struct urgent_set;
const struct urgent_set *view_urgent(const struct http_req *rq);
/* Where the "Exit this page" button goes: a neutral page, as GOV.UK's
 * exit-this-page component does. */
#define VIEW_QUICK_EXIT_URL "https://www.bbc.co.uk/weather"

#endif
