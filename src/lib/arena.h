/* arena.h: per-request bump allocator. Everything allocated from an arena is
 * freed at once by arena_free(); nothing is freed piecemeal. Out of memory aborts. */
#ifndef FD_ARENA_H
#define FD_ARENA_H
#include <stddef.h>
#include <stdarg.h>

struct arena_chunk;
struct arena {
  struct arena_chunk *head;
  size_t total; /* bytes handed out, for limits and tests */
};

/* Initialise an empty arena; no memory is taken until the first allocation. */
void arena_init(struct arena *a);
/* Initialise an arena whose first chunk is mem[0..n), memory the caller owns,
 * aligned for any type (for example inside a per-request struct), so that a
 * small request needs no allocation. mem must outlive the arena. */
void arena_init_with(struct arena *a, void *mem, size_t n);
/* Release every chunk. The arena may be reused after arena_init(). */
void arena_free(struct arena *a);
/* Return n zeroed bytes aligned for any type; never NULL (aborts on OOM). */
void *arena_alloc(struct arena *a, size_t n);
/* Copy n bytes and add a NUL terminator. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* printf into arena memory. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

#endif
