/* util.h: allocation that aborts on out-of-memory, fatal errors, small string helpers. */
#ifndef FD_UTIL_H
#define FD_UTIL_H
#include <stddef.h>
#include <stdbool.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Print a message to stderr and abort. For broken invariants and OOM only. */
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* malloc/calloc/realloc/strdup that never return NULL. Caller frees. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Ask the kernel to back the whole 2 MiB pages inside [p, p + n) with huge
 * pages, now where it can: for large tables read at random, where page-table
 * misses cost more than the reads. Only a hint; does nothing where the
 * kernel has no transparent huge pages. */
void mem_hugepages(void *p, size_t n);

/* True when s starts with prefix. */
bool str_starts(const char *s, const char *prefix);
/* True when s ends with suffix. */
bool str_ends(const char *s, const char *suffix);
/* Case-insensitive ASCII comparison of a (length alen) with NUL-terminated b. */
bool str_ieq_n(const char *a, size_t alen, const char *b);

/* Read a whole file into a malloc'd, NUL-terminated buffer. Returns NULL and
 * sets errno on failure. *len receives the size without the terminator. */
char *file_read_all(const char *path, size_t *len);

#endif
