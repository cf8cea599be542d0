/* buf.c: growable byte buffer. */
#include "buf.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b)
{
  b->data = NULL;
  b->len = b->cap = 0;
}

void buf_free(struct buf *b)
{
  free(b->data);
  buf_init(b);
}

void buf_reserve(struct buf *b, size_t n)
{
  if (b->cap - b->len > n)
    return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap - b->len <= n) {
    if (cap > ((size_t)-1) / 2)
      fatal("buf: size overflow");
    cap *= 2;
  }
  b->data = xrealloc(b->data, cap);
  b->cap = cap;
}

void buf_append_slow(struct buf *b, const void *p, size_t n)
{
  buf_reserve(b, n);
  memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void buf_put_uint(struct buf *b, unsigned long long v)
{
  char d[24];
  size_t i = sizeof d;
  do {
    d[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  buf_append(b, d + i, sizeof d - i);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
  /* Format straight into the free space; only a result that does not fit
   * is formatted a second time, after growing. */
  va_list ap2;
  va_copy(ap2, ap);
  size_t room = b->cap > b->len ? b->cap - b->len : 0;
  int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap2);
  va_end(ap2);
  if (n < 0)
    fatal("buf_vprintf: bad format");
  if ((size_t)n >= room) {
    buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  }
  b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(b, fmt, ap);
  va_end(ap);
}

char *buf_take(struct buf *b, size_t *len)
{
  if (!b->data)
    buf_reserve(b, 1), b->data[0] = '\0';
  char *p = b->data;
  if (len)
    *len = b->len;
  buf_init(b);
  return p;
}

const char *buf_cstr(const struct buf *b)
{
  return b->data ? b->data : "";
}
