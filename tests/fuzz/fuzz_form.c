/* fuzz_form.c: libFuzzer target for application/x-www-form-urlencoded
 * bodies: http_parse_urlencoded with the form-field limit, and lookups of the
 * parsed fields through http_form() as a handler would do them. */
#include "http/http.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct arena a;
  arena_init(&a);
  char *s = malloc(size ? size : 1);
  memcpy(s, data, size);
  struct http_req rq;
  memset(&rq, 0, sizeof rq);
  rq.arena = &a;
  rq.body = s;
  rq.body_len = size;
  enum http_parse_status st =
      http_parse_urlencoded(&a, s, size, HTTP_LIMIT_FORM_FIELDS, &rq.form, &rq.nform);
  if (st == HTTP_PARSE_OK) {
    if (rq.nform > HTTP_LIMIT_FORM_FIELDS)
      abort();
    /* Every field can be found by its key; the first occurrence wins. */
    for (size_t i = 0; i < rq.nform; i++) {
      const char *v = http_form(&rq, rq.form[i].key);
      if (!v)
        abort();
      size_t first = 0;
      while (strcmp(rq.form[first].key, rq.form[i].key) != 0)
        first++;
      if (v != rq.form[first].val)
        abort();
    }
  }
  if (http_form(&rq, "\x01 never a key"))
    abort();
  free(s);
  arena_free(&a);
  return 0;
}
