/* fuzz_query.c: libFuzzer target for query strings: http_parse_urlencoded
 * with the server's query limit, then the invariants every caller relies on. */
#include "http/http.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct arena a;
  arena_init(&a);
  /* An exact-size copy, so reading past size is caught by ASan. */
  char *s = malloc(size ? size : 1);
  memcpy(s, data, size);
  struct http_kv *kv;
  size_t n;
  enum http_parse_status st =
      http_parse_urlencoded(&a, s, size, HTTP_LIMIT_QUERY_ARGS, &kv, &n);
  if (st == HTTP_PARSE_OK) {
    if (n > HTTP_LIMIT_QUERY_ARGS)
      abort();
    for (size_t i = 0; i < n; i++) {
      size_t kl = strlen(kv[i].key), vl = strlen(kv[i].val);
      if (kl == 0 || !http_valid_text(kv[i].key, kl) || !http_valid_text(kv[i].val, vl))
        abort();
    }
  } else if (n != 0) {
    abort();
  }
  /* The decoder alone, both ways of treating '+'. */
  char *d = http_percent_decode(&a, s, size, false);
  if (d && !http_valid_text(d, strlen(d)))
    abort();
  d = http_percent_decode(&a, s, size, true);
  if (d && strlen(d) > size)
    abort();
  free(s);
  arena_free(&a);
  return 0;
}
