/* utf8.h: UTF-8 decoding, validation and cutting on character boundaries.
 * Every truncation of outside text goes through utf8_prefix or utf8_clip, so
 * a cut never leaves half a character (which JSON writers refuse). */
#ifndef FD_UTF8_H
#define FD_UTF8_H
#include "arena.h"
#include "buf.h"
#include <stdbool.h>
#include <stddef.h>

/* Length (1 to 4) of the well-formed UTF-8 character at s[0..n), or 0 when
 * the bytes there are not one (a stray continuation byte, an overlong form,
 * a surrogate, above U+10FFFF, or cut short by n). *cp gets the code point
 * when cp is not NULL. n must be at least 1. */
size_t utf8_char(const char *s, size_t n, unsigned *cp);

/* True when s[0..n) is well-formed UTF-8 (any code point, NUL included). */
bool utf8_valid(const char *s, size_t n);

/* The largest length <= max of a prefix of s[0..n) that does not end inside
 * a character: s[0..result) is a whole number of characters when s is
 * well-formed. Returns n when n <= max. */
size_t utf8_prefix(const char *s, size_t n, size_t max);

/* A copy of the NUL-terminated s in arena memory, cut to at most max bytes
 * on a character boundary, with "..." added when it was cut. */
char *utf8_clip(struct arena *a, const char *s, size_t max);

/* Append s[0..n) to b, each byte that is not part of a well-formed
 * character replaced by U+FFFD, so b holds well-formed UTF-8. */
void utf8_sanitize(struct buf *b, const char *s, size_t n);

#endif
