/* fuzz_cookies.c: libFuzzer target for the Cookie header parser. */
#include "http/http.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COOKIES 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct arena a;
  arena_init(&a);
  char *s = malloc(size ? size : 1);
  memcpy(s, data, size);
  struct http_kv *kv;
  size_t n;
  enum http_parse_status st = http_parse_cookies(&a, s, size, MAX_COOKIES, &kv, &n);
  if (st == HTTP_PARSE_OK) {
    if (n > MAX_COOKIES)
      abort();
    for (size_t i = 0; i < n; i++) {
      size_t kl = strlen(kv[i].key), vl = strlen(kv[i].val);
      /* Names are non-empty, never start or end a pair with a blank, and
       * neither part holds a ';' or invalid text. */
      if (kl == 0 || kv[i].key[0] == ' ' || kv[i].key[0] == '\t' || kl + vl >= size + 1)
        abort();
      if (strchr(kv[i].key, ';') || strchr(kv[i].val, ';') || strchr(kv[i].key, '='))
        abort();
      if (!http_valid_text(kv[i].key, kl) || !http_valid_text(kv[i].val, vl))
        abort();
    }
  } else if (n != 0) {
    abort();
  }
  free(s);
  arena_free(&a);
  return 0;
}
