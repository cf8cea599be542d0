/* wellbeing.h: the wellbeing self-check pages.
 *   GET  /wellbeing-check           start: who it is for, privacy, the checks
 *   GET  /wellbeing-check/{step}    the questions ("feeling" is Whooley + GAD-2,
 *                                   otherwise one instrument: whooley, gad2,
 *                                   phq9, gad7, epds)
 *   POST /wellbeing-check/{step}    answers in the body -> errors, the Whooley
 *                                   help question, or the outcome
 * Answers travel only in POST bodies; no GET reads them and nothing is stored. */
#ifndef FD_WEB_WELLBEING_H
#define FD_WEB_WELLBEING_H
#include "../http/http.h"

/* Body cap for the question pages (at most a few dozen short fields). */
#define WEB_CHECKIN_BODY_MAX 8192
#define WELLBEING_LOCAL_SERVICES 3 /* local services listed on an outcome page */

void web_checkin_start(struct http_req *rq, struct http_resp *rs);
void web_checkin_step(struct http_req *rq, struct http_resp *rs);
/* The page shown when an outcome cannot be worked out or shown: a 500 that
 * still carries every urgent-help route. Replaces anything already in rs. */
void web_checkin_failure(struct http_req *rq, struct http_resp *rs);

#endif
