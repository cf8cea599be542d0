/* fuzz_instruments.c: libFuzzer target for the wellbeing-check inputs that come
 * from outside the program: instrument definition files (a deployment's
 * --content overlay), the licensed EPDS wording file (epds_wording) and the
 * body of POST /api/v1/instruments/{id}/score. The first byte picks which. */
#include "api/instruments.h"
#include "app.h"
#include "app_init.h"
#include "checkin/checkin.h"
#include "lib/conf.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct app app;

static void init_once(void)
{
  static int done;
  if (done)
    return;
  done = 1;
  char err[512];
  conf_defaults(&app.cfg);
  if (!app_init(&app, false, err, sizeof err))
    abort();
}

static void fuzz_score(const char *id, const char *body, size_t len)
{
  struct arena a;
  arena_init(&a);
  struct http_req rq;
  struct http_resp rs;
  memset(&rq, 0, sizeof rq);
  memset(&rs, 0, sizeof rs);
  rq.arena = &a;
  rq.app = &app;
  rq.method = HTTP_POST;
  rq.path = "/api/v1/instruments/x/score";
  rq.query_string = "";
  rq.body = body;
  rq.body_len = len;
  rq.content_type = "application/json";
  rq.captures[0] = id;
  rq.ncaptures = 1;
  rs.status = 200;
  api_instrument_score(&rq, &rs);
  if (rs.status != 200 && rs.status != 400)
    abort();
  buf_free(&rs.body);
  arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  init_once();
  if (size < 1)
    return 0;
  /* A NUL-terminated copy, as the server hands bodies to handlers. */
  char *s = malloc(size);
  memcpy(s, data + 1, size - 1);
  s[size - 1] = '\0';
  char err[256];
  void *doc;
  switch (data[0] % 4) {
  case 0: {
    struct instrument_def d;
    if (instrument_def_parse(s, size - 1, &d, &doc, err, sizeof err))
      instrument_doc_free(doc);
    break;
  }
  case 1: {
    struct instrument_def d = *instrument_find(app.instruments, "epds");
    if (instrument_apply_wording(&d, s, size - 1, &doc, err, sizeof err))
      instrument_doc_free(doc);
    break;
  }
  case 2:
    fuzz_score("phq9", s, size - 1);
    break;
  default:
    fuzz_score("epds", s, size - 1);
    break;
  }
  free(s);
  return 0;
}
