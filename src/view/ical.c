/* ical.c: RFC 5545 content lines: escaping and folding. */
#include "ical.h"
#include <stdio.h>
#include <string.h>

#define ICAL_LINE_OCTETS 75 /* RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets */

/* Length of the UTF-8 sequence starting with byte c (1 for anything unexpected). */
static size_t utf8_len(unsigned char c)
{
  if (c >= 0xF0 && c < 0xF8)
    return 4;
  if (c >= 0xE0)
    return c < 0xF0 ? 3 : 1;
  if (c >= 0xC0)
    return 2;
  return 1;
}

/* Write one logical line folded at 75 octets, then CRLF. */
static void fold(struct buf *b, const char *s, size_t n)
{
  size_t col = 0;
  for (size_t i = 0; i < n;) {
    size_t k = utf8_len((unsigned char)s[i]);
    if (i + k > n)
      k = n - i;
    if (col + k > ICAL_LINE_OCTETS) {
      buf_puts(b, "\r\n ");
      col = 1;
    }
    buf_append(b, s + i, k);
    col += k;
    i += k;
  }
  buf_puts(b, "\r\n");
}

void ical_escape(struct buf *out, const char *s)
{
  for (; *s; s++) {
    switch (*s) {
    case '\\':
      buf_puts(out, "\\\\");
      break;
    case ';':
      buf_puts(out, "\\;");
      break;
    case ',':
      buf_puts(out, "\\,");
      break;
    case '\n':
      buf_puts(out, "\\n");
      break;
    case '\r':
      break;
    default:
      buf_putc(out, *s);
      break;
    }
  }
}

static void line(struct buf *b, const char *name, const char *value, int escape)
{
  if (!value)
    return;
  struct buf l = BUF_INIT;
  buf_puts(&l, name);
  buf_putc(&l, ':');
  if (escape)
    ical_escape(&l, value);
  else
    buf_puts(&l, value);
  fold(b, l.data, l.len);
  buf_free(&l);
}

void ical_prop(struct buf *b, const char *name, const char *value)
{
  line(b, name, value, 0);
}

void ical_text(struct buf *b, const char *name, const char *text)
{
  line(b, name, text, 1);
}

void ical_date(struct buf *b, const char *name, struct date d)
{
  char v[16];
  snprintf(v, sizeof v, "%04d%02d%02d", d.y % 10000, d.m % 100, d.d % 100);
  struct buf l = BUF_INIT;
  buf_printf(&l, "%s;VALUE=DATE", name);
  line(b, buf_cstr(&l), v, 0);
  buf_free(&l);
}
