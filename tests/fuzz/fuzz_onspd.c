/* fuzz_onspd.c: libFuzzer target for the ONSPD/NSPL postcode CSV reader. The
 * input is fed twice, whole and in small chunks whose sizes come from the
 * input, and both runs must agree; every postcode handed out must be
 * normalised ("OUT IN", upper case) with coordinates in range. */
#include "directory/onspd.h"
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct seen {
  unsigned long n;
  unsigned long hash;
};

static bool check(void *cls, const struct store_postcode *pc)
{
  struct seen *s = cls;
  size_t len = strlen(pc->pc);
  const char *sp = strchr(pc->pc, ' ');
  if (len < 6 || len > 8 || !sp || strlen(sp + 1) != 3)
    abort();
  for (const char *p = pc->pc; *p; p++)
    if (*p != ' ' && !isupper((unsigned char)*p) && !isdigit((unsigned char)*p))
      abort();
  if (!(pc->lat >= -90 && pc->lat <= 90 && pc->lon >= -180 && pc->lon <= 180))
    abort();
  s->n++;
  for (const char *p = pc->pc; *p; p++)
    s->hash = s->hash * 31 + (unsigned char)*p;
  return true;
}

static enum onspd_status run(const uint8_t *data, size_t size, size_t step, struct seen *s)
{
  struct onspd *p = onspd_new(check, s, size % 2 == 0);
  enum onspd_status st = ONSPD_OK;
  for (size_t off = 0; st == ONSPD_OK && off < size;) {
    size_t n = step ? 1 + data[off] % step : size - off;
    if (n > size - off)
      n = size - off;
    st = onspd_feed(p, (const char *)data + off, n);
    off += n;
  }
  if (st == ONSPD_OK)
    st = onspd_finish(p);
  if (st != ONSPD_OK && st != ONSPD_STOPPED && onspd_error(p)[0] == '\0')
    abort();
  onspd_free(p);
  return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct seen whole = {0, 0}, chunked = {0, 0};
  enum onspd_status a = run(data, size, 0, &whole);
  enum onspd_status b = run(data, size, 7, &chunked);
  if (a != b || whole.n != chunked.n || whole.hash != chunked.hash)
    abort();
  return 0;
}
