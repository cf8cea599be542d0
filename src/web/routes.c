/* routes.c: the one route table. Method, path pattern, handler, body limit.
 * Each capability adds its rows here; handlers live in src/web/ and src/api/. */
#include "web.h"
#include "wellbeing.h"
#include "../api/instruments.h"
#include "timeline_web.h"

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
};
const size_t web_routes_count = sizeof web_routes / sizeof web_routes[0];
