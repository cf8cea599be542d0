/* fuzz_accept_encoding.c: libFuzzer target for the Accept-Encoding parser.
 * Any text must be read without reading past its end; and a value that
 * names no "gzip" token can never be taken as accepting gzip. */
#include "http/http.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *s = malloc(size + 1); /* exact size, so ASan catches a read past the end */
  memcpy(s, data, size);
  s[size] = '\0';
  bool yes = http_accepts_gzip(s);
  if (yes && !strstr(s, "gzip"))
    abort();
  /* The same header with ", identity" after it says the same of gzip. */
  if (!strchr(s, ',') && !strchr(s, ';') && strlen(s) == size) {
    char *t = malloc(size + 11);
    memcpy(t, s, size);
    memcpy(t + size, ", identity", 11);
    if (http_accepts_gzip(t) != yes)
      abort();
    free(t);
  }
  free(s);
  return 0;
}
