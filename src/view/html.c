/* html.c: escaping-by-default writer for HTML output. */
#include "html.h"
#include "../lib/util.h"
#include <stdio.h>
#include <string.h>

void html_escape(struct buf *b, const char *s, size_t n)
{
  /* A table lookup per byte; runs of safe bytes are copied in one go. */
  static const char *const rep[256] = {
      ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;"};
  buf_reserve(b, n);
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    const char *r = rep[(unsigned char)s[i]];
    if (!r)
      continue;
    buf_append(b, s + start, i - start);
    buf_puts(b, r);
    start = i + 1;
  }
  buf_append(b, s + start, n - start);
}

void html_urlencode(struct buf *b, const char *s, size_t n)
{
  static const char hex[] = "0123456789ABCDEF";
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~')
      continue;
    char e[3] = {'%', hex[c >> 4], hex[c & 15]};
    buf_append(b, s + start, i - start);
    buf_append(b, e, 3);
    start = i + 1;
  }
  buf_append(b, s + start, n - start);
}

void html_vprintf(struct buf *b, const char *fmt, va_list ap)
{
  const char *p = fmt;
  while (*p) {
    const char *pct = strchr(p, '%');
    if (!pct) {
      buf_puts(b, p);
      return;
    }
    buf_append(b, p, (size_t)(pct - p));
    p = pct + 1;
    char num[32];
    switch (*p) {
    case 's': {
      const char *s = va_arg(ap, const char *);
      if (s)
        html_escape(b, s, strlen(s));
      break;
    }
    case 'R': {
      const char *s = va_arg(ap, const char *);
      if (s)
        buf_puts(b, s);
      break;
    }
    case 'U': {
      const char *s = va_arg(ap, const char *);
      if (s)
        html_urlencode(b, s, strlen(s));
      break;
    }
    case 'd':
      snprintf(num, sizeof num, "%d", va_arg(ap, int));
      buf_puts(b, num);
      break;
    case 'l':
      if (p[1] != 'd')
        fatal("html_printf: unknown conversion %%l%c", p[1]);
      p++;
      snprintf(num, sizeof num, "%ld", va_arg(ap, long));
      buf_puts(b, num);
      break;
    case 'z':
      if (p[1] != 'u')
        fatal("html_printf: unknown conversion %%z%c", p[1]);
      p++;
      snprintf(num, sizeof num, "%zu", va_arg(ap, size_t));
      buf_puts(b, num);
      break;
    case '%':
      buf_putc(b, '%');
      break;
    default:
      fatal("html_printf: unknown conversion %%%c in \"%s\"", *p ? *p : '0', fmt);
    }
    if (*p)
      p++;
  }
}

void html_printf(struct buf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  html_vprintf(b, fmt, ap);
  va_end(ap);
}
