/* demo.c: the demo directory (content/demo/directory.ndjson and
 * content/demo/postcodes.csv), loaded into a database that `serve` has just
 * created, so a first run shows a working "find support" with a fictional
 * area. The files go through the same checks as any import. */
#include "import.h"
#include "oruk_validate.h"
#include "../content/content.h"
#include "../lib/log.h"
#include "../store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool directory_demo_load(struct store *s, const struct content *c, char *err, size_t errlen)
{
  const struct content_file *services = content_get(c, "demo/directory.ndjson");
  const struct content_file *postcodes = content_get(c, "demo/postcodes.csv");
  bool ok = false;
  struct oruk_vocab *vocab = NULL;
  FILE *in = NULL, *errs = NULL;
  char *problems = NULL;
  size_t problems_len = 0;
  if (services && services->len > 0) {
    vocab = directory_vocab_load(c, err, errlen);
    if (!vocab)
      goto done;
    in = fmemopen((void *)services->data, services->len, "r");
    errs = open_memstream(&problems, &problems_len);
    if (!in || !errs) {
      snprintf(err, errlen, "demo directory: cannot open the built-in file");
      goto done;
    }
    struct import_result res;
    enum import_status st =
        directory_import_oruk(s, vocab, in, "demo/directory.ndjson", errs, false, &res);
    fclose(errs);
    errs = NULL;
    if (st != IMPORT_OK) {
      snprintf(err, errlen, "demo directory not loaded: %.*s", (int)strcspn(problems, "\n"),
               problems && *problems ? problems : "the database refused it");
      goto done;
    }
    fclose(in);
    in = NULL;
    log_msg("info", "directory: loaded %zu demo services into the new database", res.records);
  }
  if (postcodes && postcodes->len > 0) {
    in = fmemopen((void *)postcodes->data, postcodes->len, "r");
    if (!in) {
      snprintf(err, errlen, "demo postcodes: cannot open the built-in file");
      goto done;
    }
    char sub[512];
    if (!directory_import_postcodes(s, in, "demo/postcodes.csv", false, NULL, sub, sizeof sub)) {
      snprintf(err, errlen, "demo postcodes not loaded: %s", sub);
      goto done;
    }
  }
  ok = true;
done:
  if (in)
    fclose(in);
  if (errs)
    fclose(errs);
  free(problems);
  oruk_vocab_free(vocab);
  return ok;
}
