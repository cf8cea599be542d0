/* routes.c: the one route table, with named fields: method, path pattern,
 * handler, body limit, who may call it and the parameters it takes. Each
 * capability adds its rows here; handlers live in src/web/ and src/api/.
 * A row's access is HTTP_ACCESS_PUBLIC unless it says otherwise. */
#include "routes.h"
#include "api/instruments.h"
#include "api/oruk.h"
#include "web/find_support.h"
#include "web/timeline_web.h"
#include "web/web.h"
#include "web/wellbeing.h"

const struct http_route app_routes[] = {
    {.methods = HTTP_GET, .path = "/", .handler = web_home},
    {.methods = HTTP_GET, .path = "/healthz", .handler = web_healthz},
    {.methods = HTTP_GET, .path = "/robots.txt", .handler = web_robots},
    {.methods = HTTP_GET, .path = "/static/**", .handler = web_static},
    {.methods = HTTP_GET, .path = "/assets/**", .handler = web_static},
    {.methods = HTTP_GET, .path = "/urgent-help", .handler = web_urgent_help},
    {.methods = HTTP_GET, .path = "/infant-mental-health", .handler = web_content_page},
    {.methods = HTTP_GET, .path = "/first-1001-days", .handler = web_content_page},
    {.methods = HTTP_GET, .path = "/bonding", .handler = web_content_page},
    {.methods = HTTP_GET, .path = "/parents-wellbeing", .handler = web_content_page},
    {.methods = HTTP_GET, .path = "/accessibility", .handler = web_content_page},
    {.methods = HTTP_GET, .path = "/privacy", .handler = web_content_page},
    {.methods = HTTP_GET, .path = "/awareness-week", .handler = web_awareness_index},
    {.methods = HTTP_GET, .path = "/awareness-week/*", .handler = web_awareness_year},
    {.methods = HTTP_GET, .path = "/resources", .handler = web_resources},
    {.methods = HTTP_GET, .path = "/wellbeing-check", .handler = web_checkin_start},
    {.methods = HTTP_GET | HTTP_POST, .path = "/wellbeing-check/*", .handler = web_checkin_step, .body_max = WEB_CHECKIN_BODY_MAX},
    {.methods = HTTP_GET, .path = "/api/v1/instruments", .handler = api_instruments_list},
    {.methods = HTTP_GET, .path = "/api/v1/instruments/*", .handler = api_instrument_get},
    {.methods = HTTP_POST, .path = "/api/v1/instruments/*/score", .handler = api_instrument_score, .body_max = API_INSTRUMENTS_BODY_MAX},
    {.methods = HTTP_GET, .path = "/my-1001-days", .handler = web_timeline_page},
    {.methods = HTTP_GET, .path = "/my-1001-days.ics", .handler = web_timeline_ics},
    {.methods = HTTP_GET, .path = "/api/v1/timeline", .handler = api_timeline},
    {.methods = HTTP_GET, .path = "/find-support", .handler = web_find_support},
    {.methods = HTTP_GET, .path = "/find-support/service/*", .handler = web_find_support_service},
    {.methods = HTTP_GET, .path = "/openreferral", .handler = oruk_root, .params = &oruk_no_params},
    {.methods = HTTP_GET, .path = "/openreferral/", .handler = oruk_root, .params = &oruk_no_params},
    {.methods = HTTP_GET, .path = "/openreferral/openapi.json", .handler = oruk_openapi, .params = &oruk_no_params},
    {.methods = HTTP_GET, .path = "/openreferral/services", .handler = oruk_services, .params = &oruk_services_params},
    {.methods = HTTP_GET, .path = "/openreferral/services/*", .handler = oruk_service, .params = &oruk_no_params},
    {.methods = HTTP_GET, .path = "/openreferral/service_at_locations", .handler = oruk_service_at_locations, .params = &oruk_sal_params},
    {.methods = HTTP_GET, .path = "/openreferral/service_at_locations/*", .handler = oruk_service_at_location, .params = &oruk_no_params},
    {.methods = HTTP_GET, .path = "/openreferral/taxonomies", .handler = oruk_taxonomies, .params = &oruk_taxonomies_params},
    {.methods = HTTP_GET, .path = "/openreferral/taxonomies/*", .handler = oruk_taxonomy, .params = &oruk_no_params},
    {.methods = HTTP_GET, .path = "/openreferral/taxonomy_terms", .handler = oruk_taxonomy_terms, .params = &oruk_terms_params},
    {.methods = HTTP_GET, .path = "/openreferral/taxonomy_terms/*", .handler = oruk_taxonomy_term, .params = &oruk_no_params},
    {.methods = HTTP_GET, .path = "/openreferral/organizations", .handler = oruk_organizations, .params = &oruk_orgs_params},
    {.methods = HTTP_GET, .path = "/openreferral/organizations/*", .handler = oruk_organization, .params = &oruk_org_params},
};
const size_t app_routes_count = sizeof app_routes / sizeof app_routes[0];
