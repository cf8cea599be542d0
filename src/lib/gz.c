/* gz.c: gzip compression with zlib. */
#include "gz.h"
#include "util.h"
#include <stdint.h>
#include <string.h>
#include <zlib.h>

bool gz_compress(const void *in, size_t n, int level, struct buf *out)
{
  z_stream z;
  memset(&z, 0, sizeof z);
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return false;
  size_t bound = deflateBound(&z, (uLong)n);
  size_t start = out->len;
  buf_reserve(out, bound);
  z.next_in = (Bytef *)(uintptr_t)in;
  z.avail_in = (uInt)n;
  z.next_out = (Bytef *)out->data + start;
  z.avail_out = (uInt)bound;
  int rc = deflate(&z, Z_FINISH);
  if (rc != Z_STREAM_END) {
    deflateEnd(&z);
    return false;
  }
  out->len = start + z.total_out;
  out->data[out->len] = '\0';
  deflateEnd(&z);
  return true;
}

bool gz_compressible(const char *ct)
{
  if (!ct)
    return false;
  return str_starts(ct, "text/") || str_starts(ct, "application/json") ||
         str_starts(ct, "application/x-ndjson") || str_starts(ct, "application/javascript") ||
         str_starts(ct, "image/svg+xml") || str_starts(ct, "application/manifest+json");
}
