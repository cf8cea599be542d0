/* buf.h: growable byte buffer (always NUL-terminated). Owned by whoever
 * initialised it; release with buf_free() or take the bytes with buf_take(). */
#ifndef FD_BUF_H
#define FD_BUF_H
#include <stddef.h>
#include <stdarg.h>

struct buf {
  char *data; /* NULL until the first write */
  size_t len, cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_init(struct buf *b);
void buf_free(struct buf *b);
/* Make room for n more bytes. */
void buf_reserve(struct buf *b, size_t n);
void buf_append_slow(struct buf *b, const void *p, size_t n);
/* Append n bytes (inline when they fit: writers call this per field). */
static inline void buf_append(struct buf *b, const void *p, size_t n)
{
  if (b->cap - b->len > n) {
    __builtin_memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return;
  }
  buf_append_slow(b, p, n);
}
static inline void buf_puts(struct buf *b, const char *s)
{
  buf_append(b, s, __builtin_strlen(s));
}
static inline void buf_putc(struct buf *b, char c)
{
  buf_append(b, &c, 1);
}
/* Append v in decimal. */
void buf_put_uint(struct buf *b, unsigned long long v);
/* Plain printf, no escaping: for logs, CSV, text formats; never for HTML. */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Return the bytes (NUL-terminated, never NULL) and leave b empty; caller frees. */
char *buf_take(struct buf *b, size_t *len);
/* Return a NUL-terminated view of the contents ("" when empty). */
const char *buf_cstr(const struct buf *b);

#endif
