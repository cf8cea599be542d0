/* find_support.h: the "Find support" pages: a search form by postcode, need,
 * stage and referral route with results, and a page per service. */
#ifndef FD_WEB_FIND_SUPPORT_H
#define FD_WEB_FIND_SUPPORT_H
#include "../http/http.h"
#include <stdbool.h>

#define FIND_SUPPORT_PER_PAGE 10
#define FIND_SUPPORT_ONLINE_MAX 10 /* phone and online services shown beside a postcode search */
#define FIND_SUPPORT_DEFAULT_MILES 10

/* GET /find-support?postcode=&need=&stage=&referral=&distance=&page= */
void web_find_support(struct http_req *rq, struct http_resp *rs);
/* GET /find-support/service/{id} (the search parameters may follow, for the back link) */
void web_find_support_service(struct http_req *rq, struct http_resp *rs);

/* Write a short list of up to max active local services that meet need (a
 * need term code such as "perinatal-mental-health"), each with how to be
 * referred and how to get in touch, under heading (escaped). For pages that
 * point people on, such as the wellbeing-check outcome. Writes nothing when
 * the directory is not loaded or nothing matches. Returns how many services
 * were listed. */
/* What the address carries for a need: a neutral code for a sensitive need
 * (domestic abuse, perinatal mental health, bereavement), so that the
 * browser's history and the address bar never name it (hazard H5); the term
 * itself for any other. find_support_need_term() maps back (a term is
 * accepted as itself). */
const char *find_support_need_param(const char *term);
const char *find_support_need_term(const char *param);
/* True when term is one of the sensitive needs: its pages show "Exit this page". */
bool find_support_need_sensitive(const char *term);

size_t find_support_local_list(struct buf *b, struct http_req *rq, const char *need, size_t max,
                               const char *heading);

#endif
