/* gz.h: gzip compression of response bodies through zlib. */
#ifndef FD_GZ_H
#define FD_GZ_H
#include "buf.h"
#include <stdbool.h>

/* Compress n bytes at level (1-9) into out (appended) in gzip format.
 * Returns false if zlib fails (out is then left as it was). */
bool gz_compress(const void *in, size_t n, int level, struct buf *out);
/* True for content types worth compressing (text, JSON, SVG, JavaScript, CSS, calendars). */
bool gz_compressible(const char *content_type);

#endif
