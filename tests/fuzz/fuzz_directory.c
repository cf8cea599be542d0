/* fuzz_directory.c: libFuzzer target for the directory's outside inputs.
 *
 * An input starting with '{' is a service record: the builder must either
 * refuse it with a message or take it, and then write JSON that parses back.
 * Any other input is up to six lines of search parameters (postcode, text,
 * need, modified_after, start_time, day) run against the fixture directory:
 * nothing may crash, a postcode that normalises must pack and unpack to
 * itself, and a page never holds more than it was asked for. */
#include "directory/files.h"
#include "directory/index.h"
#include "directory/postcode.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct directory_index *fixture; /* built once, kept for the life of the fuzzer */

static void fuzz_record(const char *s, size_t n)
{
  json_t *j = json_loadb(s, n, JSON_DECODE_ANY, NULL);
  if (!j)
    return;
  struct directory_builder *b = directory_builder_new();
  char err[256];
  bool ok = directory_builder_add_service(b, j, err, sizeof err);
  if (!ok && !err[0])
    abort(); /* a refusal always says why */
  struct directory_index *ix = directory_builder_finish(b);
  for (uint32_t i = 0; i < directory_service_count(ix); i++) {
    struct buf out = BUF_INIT;
    directory_write_service(ix, i, DIRECTORY_FORM_FULL, -1, &out);
    directory_write_service(ix, i, DIRECTORY_FORM_LIST, 12.5, &out);
    json_t *back = directory_service_json(ix, i);
    if (!json_is_object(back))
      abort();
    json_decref(back);
    buf_free(&out);
  }
  for (uint32_t i = 0; i < directory_sal_count(ix); i++) {
    json_t *loc = directory_sal_location_json(ix, i);
    json_decref(loc);
  }
  directory_index_unref(ix);
  json_decref(j);
}

static void fuzz_query(char *s)
{
  const char *f[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
  char *p = s;
  for (int i = 0; i < 6 && p; i++) {
    f[i] = p;
    char *nl = strchr(p, '\n');
    if (nl)
      *nl = '\0';
    p = nl ? nl + 1 : NULL;
  }
  struct directory_query q;
  memset(&q, 0, sizeof q);
  char norm[POSTCODE_MAX], back[POSTCODE_MAX];
  if (f[0] && postcode_normalise(f[0], norm) == POSTCODE_OK) {
    uint32_t key;
    if (!postcode_pack(norm, &key) || !postcode_unpack(key, back) || strcmp(norm, back) != 0)
      abort();
    if (directory_postcode_find(fixture, norm, &q.lat, &q.lon)) {
      q.has_origin = true;
      q.proximity_m = (double)(strlen(f[0]) * 2500);
    }
  }
  q.text = f[1];
  q.need = f[2] && *f[2] ? f[2] : NULL;
  if (f[3] && directory_parse_datetime(f[3], &q.modified_after))
    q.has_modified_after = true;
  if (f[4] && (q.start_min = directory_parse_time(f[4])) >= 0)
    q.has_start = true;
  if (f[5])
    q.day_mask = directory_parse_days(f[5]);
  q.per_page = 3;
  q.page = 1 + (f[0] ? strlen(f[0]) % 3 : 0);
  for (int unit = 0; unit < 2; unit++) {
    q.unit = (enum directory_unit)unit;
    struct arena a;
    struct directory_result r;
    arena_init(&a);
    directory_search(fixture, &q, &a, &r);
    if (r.nhits > q.per_page || r.nhits > r.total)
      abort();
    arena_free(&a);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
  if (!fixture) {
    struct directory_builder *b = directory_builder_new();
    struct directory_load_report rep;
    char err[256];
    memset(&rep, 0, sizeof rep);
    if (!directory_load_dir(b, "tests/fixtures/directory", &rep, err, sizeof err))
      abort(); /* run from the top of the tree */
    fixture = directory_builder_finish(b);
  }
  if (size > 65536)
    return 0;
  char *s = malloc(size + 1);
  memcpy(s, bytes, size);
  s[size] = '\0';
  if (size && s[0] == '{')
    fuzz_record(s, size);
  else
    fuzz_query(s);
  free(s);
  return 0;
}
