/* embedded.h: files built into the binary by tools/embed.c (content/, static/,
 * the NHS.UK frontend assets and the store migrations). */
#ifndef FD_EMBEDDED_H
#define FD_EMBEDDED_H

struct embedded_file {
  const char *name; /* "content/pages/bonding.md", "static/app.css", "migrations/0001-init.sql" */
  const unsigned char *data; /* NUL-terminated */
  unsigned long len;
};

extern const struct embedded_file embedded_files[];
extern const unsigned long embedded_count;

#endif
