/* jread.h: the small helpers every content reader shares for JSON (jansson):
 * a failure message written into the caller's buffer, and a string member
 * read with a message naming its field. */
#ifndef FD_JREAD_H
#define FD_JREAD_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Write the message into err and return false, for `return jread_fail(...)`. */
bool jread_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* String member key of o into *out (pointing into o). Missing or null gives
 * NULL, an error when required; anything but a non-empty string is an
 * error. Messages start with where, e.g. "items[2]: 'text' is missing". */
bool jread_str(json_t *o, const char *key, bool required, const char **out, char *err,
               size_t errlen, const char *where);

#endif
