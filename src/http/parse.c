/* parse.c: pure parsers for query strings, urlencoded forms and cookies.
 * They take untrusted bytes and never read past n; fuzzed by tests/fuzz/. */
#include "http.h"
#include "../lib/utf8.h"
#include <string.h>

static int hexval(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

bool http_valid_text(const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
      return false;
  }
  return utf8_valid(s, n);
}

char *http_percent_decode(struct arena *a, const char *s, size_t n, bool plus_space)
{
  char *out = arena_alloc(a, n + 1);
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '%') {
      if (n - i < 3)
        return NULL;
      int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
      if (h < 0 || l < 0)
        return NULL;
      out[o++] = (char)(h * 16 + l);
      i += 2;
    } else if (c == '+' && plus_space) {
      out[o++] = ' ';
    } else {
      out[o++] = c;
    }
  }
  out[o] = '\0';
  if (!http_valid_text(out, o))
    return NULL;
  return out;
}

enum http_parse_status http_parse_urlencoded(struct arena *a, const char *s, size_t n, size_t max,
                                             struct http_kv **out, size_t *nout)
{
  *out = NULL;
  *nout = 0;
  size_t count = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '&')
      count++;
  count++;
  if (count > max)
    count = max;
  struct http_kv *kv = arena_alloc(a, sizeof(*kv) * (count ? count : 1));
  size_t k = 0;
  size_t i = 0;
  while (i <= n) {
    size_t j = i;
    while (j < n && s[j] != '&')
      j++;
    if (j > i) {
      const char *eq = memchr(s + i, '=', j - i);
      size_t klen = eq ? (size_t)(eq - (s + i)) : j - i;
      if (klen > 0) {
        if (k >= max)
          return HTTP_PARSE_TOO_MANY;
        char *key = http_percent_decode(a, s + i, klen, true);
        char *val = eq ? http_percent_decode(a, eq + 1, (size_t)(s + j - eq - 1), true)
                       : arena_strdup(a, "");
        if (!key || !val)
          return HTTP_PARSE_BAD_ENCODING;
        kv[k].key = key;
        kv[k].val = val;
        k++;
      }
    }
    i = j + 1;
  }
  *out = kv;
  *nout = k;
  return HTTP_PARSE_OK;
}

enum http_parse_status http_parse_cookies(struct arena *a, const char *s, size_t n, size_t max,
                                          struct http_kv **out, size_t *nout)
{
  *out = NULL;
  *nout = 0;
  size_t count = 1;
  for (size_t i = 0; i < n; i++)
    if (s[i] == ';')
      count++;
  if (count > max)
    count = max;
  struct http_kv *kv = arena_alloc(a, sizeof(*kv) * (count ? count : 1));
  size_t k = 0, i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && s[j] != ';')
      j++;
    size_t b = i, e = j;
    while (b < e && (s[b] == ' ' || s[b] == '\t'))
      b++;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
      e--;
    if (e > b) {
      const char *eq = memchr(s + b, '=', e - b);
      if (eq && eq > s + b) {
        if (k >= max)
          return HTTP_PARSE_TOO_MANY;
        size_t vb = (size_t)(eq - s) + 1, ve = e;
        if (ve - vb >= 2 && s[vb] == '"' && s[ve - 1] == '"')
          vb++, ve--;
        if (!http_valid_text(s + b, (size_t)(eq - (s + b))) || !http_valid_text(s + vb, ve - vb))
          return HTTP_PARSE_BAD_ENCODING;
        kv[k].key = arena_strndup(a, s + b, (size_t)(eq - (s + b)));
        kv[k].val = arena_strndup(a, s + vb, ve - vb);
        k++;
      }
    }
    i = j + 1;
  }
  *out = kv;
  *nout = k;
  return HTTP_PARSE_OK;
}

bool http_accepts_gzip(const char *ae)
{
  if (!ae)
    return false;
  /* Accept "gzip" as a token unless it carries q=0. */
  const char *p = ae;
  while ((p = strstr(p, "gzip")) != NULL) {
    bool start_ok = (p == ae) || p[-1] == ' ' || p[-1] == ',';
    const char *e = p + 4;
    if (start_ok && (*e == '\0' || *e == ',' || *e == ';' || *e == ' ')) {
      const char *q = strchr(e, ';');
      const char *comma = strchr(e, ',');
      if (q && (!comma || q < comma)) {
        while (*++q == ' ')
          ;
        if (strncmp(q, "q=0", 3) == 0 && (q[3] == '\0' || q[3] == ',' ||
                                          (q[3] == '.' && strspn(q + 4, "0") > 0 &&
                                           (q[4 + strspn(q + 4, "0")] == '\0' ||
                                            q[4 + strspn(q + 4, "0")] == ','))))
          return false;
      }
      return true;
    }
    p = e;
  }
  return false;
}
