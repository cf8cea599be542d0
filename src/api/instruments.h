/* instruments.h: the wellbeing-check instruments over JSON (docs/api-instruments.md).
 *   GET  /api/v1/instruments              list
 *   GET  /api/v1/instruments/{id}         definition with items
 *   POST /api/v1/instruments/{id}/score   {"answers": [i, ...]} -> result
 * Nothing sent to these routes is stored or logged. */
#ifndef FD_API_INSTRUMENTS_H
#define FD_API_INSTRUMENTS_H
#include "../http/http.h"

/* Request body cap for the score route (answers are a short list of numbers). */
#define API_INSTRUMENTS_BODY_MAX 4096

void api_instruments_list(struct http_req *rq, struct http_resp *rs);
void api_instrument_get(struct http_req *rq, struct http_resp *rs);
void api_instrument_score(struct http_req *rq, struct http_resp *rs);

#endif
