/* routes.h: the one route table (src/routes.c), which web/ and api/
 * contribute rows to. */
#ifndef FD_ROUTES_H
#define FD_ROUTES_H
#include "http/http.h"

extern const struct http_route app_routes[];
extern const size_t app_routes_count;

#endif
