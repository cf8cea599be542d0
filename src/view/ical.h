/* ical.h: writing iCalendar (RFC 5545) text. Lines end in CRLF; content lines
 * longer than 75 octets are folded (CRLF and a space), never inside a UTF-8
 * character; TEXT values have backslash, semicolon, comma and newlines escaped. */
#ifndef FD_ICAL_H
#define FD_ICAL_H
#include "../lib/buf.h"
#include "../lib/date.h"

/* Append "NAME:value" as a folded content line. value is written as given
 * (for dates, identifiers and other non-TEXT values); NULL writes nothing. */
void ical_prop(struct buf *b, const char *name, const char *value);
/* Append "NAME:value" with value escaped as a TEXT value; NULL writes nothing. */
void ical_text(struct buf *b, const char *name, const char *text);
/* Append "NAME;VALUE=DATE:YYYYMMDD". */
void ical_date(struct buf *b, const char *name, struct date d);
/* Escape s as an RFC 5545 TEXT value into out (no folding). */
void ical_escape(struct buf *out, const char *s);

#endif
