/* fuzz_oruk.c: libFuzzer target for ORUK service files: the record reader
 * (format detection, array splitting, NDJSON lines, pages) and, for every
 * record that parses, canonicalisation and the validator. Nothing may crash,
 * and the validator's report count must match its return value. */
#include "directory/oruk_reader.h"
#include "directory/oruk_validate.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void count(void *cls, const char *path, const char *message)
{
  size_t *n = cls;
  if (!path || !message || !message[0])
    abort();
  (*n)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  FILE *f = fmemopen((void *)data, size, "r");
  if (!f)
    return 0;
  struct oruk_reader *r = oruk_reader_new(f);
  struct buf text = BUF_INIT;
  struct oruk_rec rec;
  enum oruk_rec_kind k;
  int guard = 0;
  while ((k = oruk_reader_next(r, &rec, &text)) != ORUK_REC_END && guard++ < 10000) {
    json_t *v = NULL;
    if (k == ORUK_REC_TEXT) {
      char msg[600];
      v = oruk_reader_parse(&rec, buf_cstr(&text), text.len, msg, sizeof msg);
      if (!v && msg[0] == '\0')
        abort();
    } else if (k == ORUK_REC_JSON) {
      v = rec.value;
    } else if (rec.message[0] == '\0') {
      abort();
    }
    if (v) {
      oruk_canonicalise(v);
      size_t reported = 0;
      size_t n = oruk_validate_service(v, NULL, count, &reported);
      if (n != reported)
        abort();
      json_decref(v);
    }
  }
  buf_free(&text);
  oruk_reader_free(r);
  fclose(f);
  return 0;
}
