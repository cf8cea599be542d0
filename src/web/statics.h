/* statics.h: static files (the NHS.UK frontend CSS, JS and icons, the
 * project's own CSS and JS, the theme built from the configuration, the logo).
 * Built once at start: each file gets a content hash for versioned URLs and a
 * precompressed gzip copy. Immutable afterwards. */
#ifndef FD_STATICS_H
#define FD_STATICS_H
#include "../app.h"
#include <stddef.h>

struct static_file {
  char *url;          /* "/static/app.css", "/assets/images/nhsuk-icon-cross.svg" */
  const char *ctype;
  const void *data;
  size_t len;
  void *gz;           /* gzip copy or NULL when not worth it */
  size_t gz_len;
  char hash[17];      /* hex of a 64-bit FNV-1a of the bytes */
  char etag[20];
  char *versioned_url; /* url?v=hash, for links that may be cached for a year */
  void *owned;        /* data we allocated (theme, logo) */
};

struct static_files {
  struct static_file *files;
  size_t n;
};

/* Build the table from the embedded files and the configuration. Returns NULL
 * with a message in err when the configured logo cannot be read. */
struct static_files *statics_build(const struct config *cfg, char *err, size_t errlen);
void statics_free(struct static_files *s);
const struct static_file *statics_find(const struct static_files *s, const char *url);

#endif
