/* fuzz_markdown.c: libFuzzer target for content documents (front matter and
 * Markdown through md4c). Raw HTML in the input must never come out as a tag. */
#include "content/content.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > 65536)
    return 0;
  char *s = malloc(size + 1);
  memcpy(s, data, size);
  s[size] = '\0';
  struct content_doc d;
  char err[256] = "";
  if (content_doc_parse(s, size, &d, err, sizeof err)) {
    if (!d.html || d.nmeta > 32)
      abort();
    for (size_t i = 0; i < d.nmeta; i++)
      if (content_doc_meta(&d, d.keys[i]) == NULL)
        abort();
    /* md4c with MD_FLAG_NOHTML escapes raw HTML: no script tag can appear. */
    if (strstr(d.html, "<script") || strstr(d.html, "<iframe") || strstr(d.html, "<style"))
      abort();
    content_doc_free(&d);
  } else if (err[0] == '\0') {
    abort(); /* a failure always says why */
  }
  free(s);
  return 0;
}
