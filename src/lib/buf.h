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
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
/* Plain printf, no escaping: for logs, CSV, text formats; never for HTML. */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Return the bytes (NUL-terminated, never NULL) and leave b empty; caller frees. */
char *buf_take(struct buf *b, size_t *len);
/* Return a NUL-terminated view of the contents ("" when empty). */
const char *buf_cstr(const struct buf *b);

#endif
