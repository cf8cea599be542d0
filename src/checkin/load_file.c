/* load_file.c: the start-up step for the instruments. Kept apart from the pure
 * parser in load.c because it reads one file: the deployment's licensed EPDS
 * wording (setting epds_wording). */
#include "checkin.h"
#include "../app.h"
#include "../lib/util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct instrument_set *instrument_set_load(const struct content *c, const struct config *cfg,
                                           char *err, size_t errlen)
{
  char *wording = NULL;
  size_t len = 0;
  if (cfg->epds_wording) {
    wording = file_read_all(cfg->epds_wording, &len);
    if (!wording) {
      snprintf(err, errlen, "epds_wording: cannot read %s: %s", cfg->epds_wording, strerror(errno));
      return NULL;
    }
  }
  struct instrument_set *s = instrument_set_build(c, cfg->epds_threshold ? cfg->epds_threshold : 13,
                                                  wording, len, err, errlen);
  /* The parsed wording document holds its own copies of the strings. */
  free(wording);
  return s;
}
