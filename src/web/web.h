/* web.h: HTML page handlers and the shared error renderer. */
#ifndef FD_WEB_H
#define FD_WEB_H
#include "../http/http.h"
#include <jansson.h>

/* Render an error for status with a stable code and a message a person can act
 * on: an HTML page in the site's style, or a JSON body
 * {"error": {"status", "code", "message"}} for /api/ and /openreferral/ paths. */
void web_render_error(struct http_req *rq, struct http_resp *rs, int status, const char *code,
                      const char *message);
/* Append o as compact JSON to b and drop the reference to o (o may be
 * NULL, as when json_pack failed). False when nothing could be written. */
bool web_json_append(struct buf *b, json_t *o);
/* The answer is o as JSON (the reference is taken); a 500 JSON error when o
 * is NULL or cannot be written. */
void web_send_json(struct http_resp *rs, json_t *o);
/* JSON error body (for API handlers); never fails, whatever message holds. */
void web_json_error(struct http_resp *rs, int status, const char *code, const char *message);

void web_static(struct http_req *rq, struct http_resp *rs);
void web_healthz(struct http_req *rq, struct http_resp *rs);
void web_home(struct http_req *rq, struct http_resp *rs);
void web_content_page(struct http_req *rq, struct http_resp *rs);
void web_urgent_help(struct http_req *rq, struct http_resp *rs);
void web_robots(struct http_req *rq, struct http_resp *rs);
/* Infant Mental Health Awareness Week (src/web/awareness.c). */
void web_awareness_index(struct http_req *rq, struct http_resp *rs);
void web_awareness_year(struct http_req *rq, struct http_resp *rs);
/* For the home page: a line about this year's awareness week from 6 weeks
 * before it (its known or expected dates) to its last day; nothing otherwise. */
void web_awareness_home_notice(struct buf *b, const struct http_req *rq);
/* Curated resources filtered by stage and topic (src/web/resources.c). */
void web_resources(struct http_req *rq, struct http_resp *rs);

/* The route table (src/web/routes.c). */

#endif
