/* files.c: loading services and postcode centroids from files into a
 * directory builder, with the same readers `firstdays import` uses: the ORUK
 * record reader (src/directory/oruk_reader.h) and the ONSPD reader
 * (src/directory/onspd.h). Records are not validated here; the builder
 * refuses only what it cannot index. */
#include "files.h"
#include "onspd.h"
#include "oruk_reader.h"
#include "../lib/util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define READ_CHUNK (1u << 20)

static void note_problem(struct directory_load_report *rep, const char *path, const char *where,
                         const char *msg)
{
  if (!rep->first_problem[0])
    snprintf(rep->first_problem, sizeof rep->first_problem, "%s: %s: %s", path, where, msg);
}

bool directory_load_services(struct directory_builder *b, const char *path,
                             struct directory_load_report *rep, char *err, size_t errlen)
{
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
    return false;
  }
  struct oruk_reader *r = oruk_reader_new(f);
  struct oruk_rec rec;
  struct buf text = BUF_INIT;
  enum oruk_rec_kind k;
  while ((k = oruk_reader_next(r, &rec, &text)) != ORUK_REC_END) {
    char msg[512];
    json_t *svc = NULL;
    if (k == ORUK_REC_MESSAGE) {
      note_problem(rep, path, "file", rec.message);
      rep->services_skipped++;
      continue;
    }
    svc = k == ORUK_REC_JSON ? rec.value
                             : oruk_reader_parse(&rec, buf_cstr(&text), text.len, msg, sizeof msg);
    if (!svc) {
      note_problem(rep, path, rec.label, msg);
      rep->services_skipped++;
      continue;
    }
    if (directory_builder_add_service(b, svc, msg, sizeof msg)) {
      rep->services++;
    } else {
      note_problem(rep, path, rec.label, msg);
      rep->services_skipped++;
    }
    json_decref(svc);
  }
  buf_free(&text);
  oruk_reader_free(r);
  fclose(f);
  return true;
}

static bool add_postcode(void *cls, const struct store_postcode *pc)
{
  struct directory_builder *b = cls;
  directory_builder_add_postcode(b, pc->pc, pc->lat, pc->lon);
  return true;
}

bool directory_load_postcodes(struct directory_builder *b, const char *path,
                              struct directory_load_report *rep, char *err, size_t errlen)
{
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
    return false;
  }
  struct onspd *p = onspd_new(add_postcode, b, false);
  char *chunk = xmalloc(READ_CHUNK);
  enum onspd_status st = ONSPD_OK;
  size_t n;
  while (st == ONSPD_OK && (n = fread(chunk, 1, READ_CHUNK, f)) > 0)
    st = onspd_feed(p, chunk, n);
  if (st == ONSPD_OK)
    st = onspd_finish(p);
  bool ok = st == ONSPD_OK;
  if (!ok)
    snprintf(err, errlen, "%s: %s", path, onspd_error(p));
  const struct onspd_stats *s = onspd_stats(p);
  rep->postcodes += s->kept;
  rep->postcodes_skipped += s->rows - s->kept;
  free(chunk);
  onspd_free(p);
  fclose(f);
  return ok;
}

bool directory_load_dir(struct directory_builder *b, const char *dir,
                        struct directory_load_report *rep, char *err, size_t errlen)
{
  char sp[4096], pp[4096];
  struct stat st;
  snprintf(sp, sizeof sp, "%s/services.ndjson", dir);
  snprintf(pp, sizeof pp, "%s/postcodes.csv", dir);
  bool has_s = stat(sp, &st) == 0, has_p = stat(pp, &st) == 0;
  if (!has_s && !has_p) {
    snprintf(err, errlen, "%s holds neither services.ndjson nor postcodes.csv", dir);
    return false;
  }
  if (has_s && !directory_load_services(b, sp, rep, err, errlen))
    return false;
  if (has_p && !directory_load_postcodes(b, pp, rep, err, errlen))
    return false;
  return true;
}
