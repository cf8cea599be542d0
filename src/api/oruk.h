/* oruk.h: the Open Referral UK 3.0 (HSDS-UK-3.0) API under /openreferral/,
 * served from the in-memory directory index. See docs/directory-search.md for
 * the endpoints, parameters, error codes and the choices made where the
 * published documents disagree. */
#ifndef FD_API_ORUK_H
#define FD_API_ORUK_H
#include "../http/http.h"

#define ORUK_PER_PAGE_DEFAULT 50
#define ORUK_PER_PAGE_MAX 1000
#define ORUK_PAGE_MAX 1000000
/* format=ndjson has no pages; it is streamed, but holds its hits while it is
 * sent: at most this many results. */
#define ORUK_NDJSON_MAX 100000
#define ORUK_NDJSON_MAX_FULL 10000

/* The parameters each endpoint takes, for its row in the route table. */
extern const struct http_params oruk_services_params, oruk_sal_params, oruk_taxonomies_params,
    oruk_terms_params, oruk_orgs_params, oruk_org_params, oruk_no_params;

void oruk_root(struct http_req *rq, struct http_resp *rs);
/* The OpenAPI description of this API (content/openreferral/openapi.json). */
void oruk_openapi(struct http_req *rq, struct http_resp *rs);
void oruk_services(struct http_req *rq, struct http_resp *rs);
void oruk_service(struct http_req *rq, struct http_resp *rs);
void oruk_service_at_locations(struct http_req *rq, struct http_resp *rs);
void oruk_service_at_location(struct http_req *rq, struct http_resp *rs);
void oruk_taxonomies(struct http_req *rq, struct http_resp *rs);
void oruk_taxonomy(struct http_req *rq, struct http_resp *rs);
void oruk_taxonomy_terms(struct http_req *rq, struct http_resp *rs);
void oruk_taxonomy_term(struct http_req *rq, struct http_resp *rs);
void oruk_organizations(struct http_req *rq, struct http_resp *rs);
void oruk_organization(struct http_req *rq, struct http_resp *rs);

#endif
