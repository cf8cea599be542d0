/* timeline_web.h: "My 1001 days" over HTTP: the page and printable page
 * (/my-1001-days), the calendar feed (/my-1001-days.ics) and the JSON API
 * (/api/v1/timeline, in src/api/timeline.c), and what they share: reading the
 * parameters, validating, computing, and the canonical address of a timeline. */
#ifndef FD_TIMELINE_WEB_H
#define FD_TIMELINE_WEB_H
#include "../http/http.h"
#include "../timeline/timeline.h"

/* Everything one request needs; errs holds nerrs problems when invalid. */
struct timeline_req {
  struct timeline_raw raw;
  struct timeline_input in;
  struct date today;
  struct timeline_error errs[TL_MAX_ERRORS];
  size_t nerrs;
  struct timeline_result res; /* valid when nerrs == 0 */
  bool partner;               /* for=partner: the page speaks to a partner */
};

/* Read due, born, gestation, babies, first_pregnancy and today from the query,
 * validate them and, when valid, compute the timeline (arena memory). Returns
 * false only when the timeline rules are not loaded (a 503 has been written). */
bool timeline_web_run(struct http_req *rq, struct http_resp *rs, struct timeline_req *t);
/* The canonical query string (no '?') of a valid request: due or born,
 * gestation, babies and first_pregnancy when given, and today when given
 * and with_today. Arena memory. */
const char *timeline_web_query(struct http_req *rq, const struct timeline_req *t, bool with_today);

void web_timeline_page(struct http_req *rq, struct http_resp *rs);
void web_timeline_ics(struct http_req *rq, struct http_resp *rs);
void api_timeline(struct http_req *rq, struct http_resp *rs);

#endif
