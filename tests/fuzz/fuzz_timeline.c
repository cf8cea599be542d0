/* fuzz_timeline.c: libFuzzer target for the timeline's input checks and
 * engine. The input is up to six lines: due, born, gestation, babies,
 * first_pregnancy, today. Whatever they hold, parsing must not crash, must
 * report at most TL_MAX_ERRORS problems, and a valid input must compute a
 * timeline whose events are in order with end >= start, and a stage text
 * until the 1001 days are over. */
#include "timeline/timeline.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct content *content; /* loaded once, kept for the life of the fuzzer */
static struct timeline_data *data;

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
  if (!data) {
    char err[512];
    content = content_load(NULL, err, sizeof err);
    data = content ? timeline_load(content, err, sizeof err) : NULL;
    if (!data)
      abort();
  }
  char *s = malloc(size + 1);
  memcpy(s, bytes, size);
  s[size] = '\0';
  const char *fields[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
  char *p = s;
  for (int i = 0; i < 6 && p; i++) {
    fields[i] = p;
    char *nl = strchr(p, '\n');
    if (nl)
      *nl = '\0';
    p = nl ? nl + 1 : NULL;
  }
  struct timeline_raw raw = {fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]};
  struct timeline_input in;
  struct date today;
  struct timeline_error errs[TL_MAX_ERRORS];
  size_t n = timeline_parse_input(data, &raw, (struct date){2026, 11, 20}, &in, &today, errs);
  if (n > TL_MAX_ERRORS)
    abort();
  if (n == 0) {
    struct arena a;
    arena_init(&a);
    struct timeline_result r;
    timeline_compute(data, &in, today, NULL, &a, &r);
    for (size_t i = 0; i < r.nevents; i++) {
      if (date_to_days(r.events[i].end) < date_to_days(r.events[i].start))
        abort();
      if (i && date_to_days(r.events[i].start) < date_to_days(r.events[i - 1].start))
        abort();
    }
    /* Every stage has its text, but after the 1001 days there is none. */
    if (!r.stage.text && !r.stage.after_1001)
      abort();
    arena_free(&a);
  }
  free(s);
  return 0;
}
