/* utf8.c: UTF-8 decoding, validation and cutting on character boundaries. */
#include "utf8.h"
#include <string.h>

size_t utf8_char(const char *s, size_t n, unsigned *cp)
{
  const unsigned char *p = (const unsigned char *)s;
  unsigned char c = p[0];
  size_t len;
  unsigned v;
  if (c < 0x80) {
    if (cp)
      *cp = c;
    return 1;
  }
  if ((c & 0xe0) == 0xc0) {
    len = 2;
    v = c & 0x1f;
  } else if ((c & 0xf0) == 0xe0) {
    len = 3;
    v = c & 0x0f;
  } else if ((c & 0xf8) == 0xf0) {
    len = 4;
    v = c & 0x07;
  } else {
    return 0;
  }
  if (len > n)
    return 0;
  for (size_t k = 1; k < len; k++) {
    if ((p[k] & 0xc0) != 0x80)
      return 0;
    v = (v << 6) | (p[k] & 0x3f);
  }
  if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
      v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
    return 0;
  if (cp)
    *cp = v;
  return len;
}

bool utf8_valid(const char *s, size_t n)
{
  size_t i = 0;
  while (i < n) {
    if ((unsigned char)s[i] < 0x80) {
      i++;
      continue;
    }
    size_t k = utf8_char(s + i, n - i, NULL);
    if (!k)
      return false;
    i += k;
  }
  return true;
}

size_t utf8_prefix(const char *s, size_t n, size_t max)
{
  if (n <= max)
    return n;
  /* s[max] is the first byte left out: step back while it continues the
   * character before it (at most three bytes, the longest a lead byte can
   * need). */
  size_t cut = max;
  for (int k = 0; k < 3 && cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80; k++)
    cut--;
  if (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
    return max; /* not UTF-8 at all here: a cut anywhere is as good */
  return cut;
}

char *utf8_clip(struct arena *a, const char *s, size_t max)
{
  size_t n = strlen(s);
  size_t k = utf8_prefix(s, n, max);
  if (k == n)
    return arena_strndup(a, s, n);
  char *out = arena_alloc(a, k + 4);
  memcpy(out, s, k);
  memcpy(out + k, "...", 4);
  return out;
}

void utf8_sanitize(struct buf *b, const char *s, size_t n)
{
  size_t i = 0, run = 0; /* s[run..i) is well-formed and not yet appended */
  while (i < n) {
    size_t k = (unsigned char)s[i] < 0x80 ? 1 : utf8_char(s + i, n - i, NULL);
    if (k) {
      i += k;
      continue;
    }
    buf_append(b, s + run, i - run);
    buf_append(b, "\xef\xbf\xbd", 3);
    run = ++i;
  }
  buf_append(b, s + run, i - run);
}
