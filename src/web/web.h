/* web.h: HTML page handlers and the shared error renderer. */
#ifndef FD_WEB_H
#define FD_WEB_H
#include "../http/http.h"

/* Render an error for status with a stable code and a message a person can act
 * on: an HTML page in the site's style, or a JSON body
 * {"error": {"status", "code", "message"}} for /api/ and /openreferral/ paths. */
void web_render_error(struct http_req *rq, struct http_resp *rs, int status, const char *code,
                      const char *message);
/* JSON error body (for API handlers). */
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
/* Curated resources filtered by stage and topic (src/web/resources.c). */
void web_resources(struct http_req *rq, struct http_resp *rs);

/* The route table (src/web/routes.c). */
extern const struct http_route web_routes[];
extern const size_t web_routes_count;

#endif
