/* routes.c: the one route table. Method, path pattern, handler, body limit.
 * Each capability adds its rows here; handlers live in src/web/ and src/api/. */
#include "web.h"
#include "wellbeing.h"
#include "../api/instruments.h"
#include "timeline_web.h"
#include "find_support.h"
#include "../api/oruk.h"

const struct http_route web_routes[] = {
    {HTTP_GET, "/", web_home, 0},
    {HTTP_GET, "/healthz", web_healthz, 0},
    {HTTP_GET, "/robots.txt", web_robots, 0},
    {HTTP_GET, "/static/**", web_static, 0},
    {HTTP_GET, "/assets/**", web_static, 0},
    {HTTP_GET, "/urgent-help", web_urgent_help, 0},
    {HTTP_GET, "/infant-mental-health", web_content_page, 0},
    {HTTP_GET, "/first-1001-days", web_content_page, 0},
    {HTTP_GET, "/bonding", web_content_page, 0},
    {HTTP_GET, "/parents-wellbeing", web_content_page, 0},
    {HTTP_GET, "/accessibility", web_content_page, 0},
    {HTTP_GET, "/privacy", web_content_page, 0},
    {HTTP_GET, "/awareness-week", web_awareness_index, 0},
    {HTTP_GET, "/awareness-week/*", web_awareness_year, 0},
    {HTTP_GET, "/resources", web_resources, 0},
    {HTTP_GET, "/wellbeing-check", web_checkin_start, 0},
    {HTTP_GET | HTTP_POST, "/wellbeing-check/*", web_checkin_step, WEB_CHECKIN_BODY_MAX},
    {HTTP_GET, "/api/v1/instruments", api_instruments_list, 0},
    {HTTP_GET, "/api/v1/instruments/*", api_instrument_get, 0},
    {HTTP_POST, "/api/v1/instruments/*/score", api_instrument_score, API_INSTRUMENTS_BODY_MAX},
    {HTTP_GET, "/my-1001-days", web_timeline_page, 0},
    {HTTP_GET, "/my-1001-days.ics", web_timeline_ics, 0},
    {HTTP_GET, "/api/v1/timeline", api_timeline, 0},
    {HTTP_GET, "/find-support", web_find_support, 0},
    {HTTP_GET, "/find-support/service/*", web_find_support_service, 0},
    {HTTP_GET, "/openreferral", oruk_root, 0},
    {HTTP_GET, "/openreferral/", oruk_root, 0},
    {HTTP_GET, "/openreferral/openapi.json", oruk_openapi, 0},
    {HTTP_GET, "/openreferral/services", oruk_services, 0},
    {HTTP_GET, "/openreferral/services/*", oruk_service, 0},
    {HTTP_GET, "/openreferral/service_at_locations", oruk_service_at_locations, 0},
    {HTTP_GET, "/openreferral/service_at_locations/*", oruk_service_at_location, 0},
    {HTTP_GET, "/openreferral/taxonomies", oruk_taxonomies, 0},
    {HTTP_GET, "/openreferral/taxonomies/*", oruk_taxonomy, 0},
    {HTTP_GET, "/openreferral/taxonomy_terms", oruk_taxonomy_terms, 0},
    {HTTP_GET, "/openreferral/taxonomy_terms/*", oruk_taxonomy_term, 0},
    {HTTP_GET, "/openreferral/organizations", oruk_organizations, 0},
    {HTTP_GET, "/openreferral/organizations/*", oruk_organization, 0},
};
const size_t web_routes_count = sizeof web_routes / sizeof web_routes[0];
