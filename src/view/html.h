/* html.h: the escaping writer. Every byte of HTML that firstdays sends goes
 * through html_printf(), whose %s ESCAPES its argument. Raw HTML needs the
 * explicit %R conversion, used only for markup the program itself produced
 * (rendered Markdown from trusted content files, fragments built by this writer).
 *
 * Conversions:
 *   %s  NUL-terminated string, HTML-escaped (safe in text and quoted attributes)
 *   %R  NUL-terminated string, raw (trusted markup only)
 *   %U  string percent-encoded for a URL query value or path segment
 *   %d  int        %ld long        %zu size_t
 *   %%  a percent sign
 * NULL strings print as nothing. */
#ifndef FD_HTML_H
#define FD_HTML_H
#include "../lib/buf.h"
#include <stdarg.h>

void html_printf(struct buf *b, const char *fmt, ...);
void html_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Append s HTML-escaped (& < > " ' escaped). */
void html_escape(struct buf *b, const char *s, size_t n);
/* Append s percent-encoded (RFC 3986 unreserved characters kept). */
void html_urlencode(struct buf *b, const char *s, size_t n);

#endif
