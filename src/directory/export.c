/* export.c: `firstdays export oruk`: every stored service as NDJSON, one
 * compact line each in id order, byte for byte as stored, so the file imports
 * back unchanged. */
#include "import.h"
#include "../lib/conf.h"
#include "../store/store.h"
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct export_ctx {
  FILE *out;
  size_t n;
  bool write_failed;
};

static bool export_one(void *cls, json_t *service)
{
  struct export_ctx *x = cls;
  char *text = json_dumps(service, STORE_JSON_FLAGS);
  if (!text)
    return false;
  bool ok = fputs(text, x->out) >= 0 && putc('\n', x->out) != EOF;
  free(text);
  if (!ok)
    x->write_failed = true;
  else
    x->n++;
  return ok;
}

bool directory_export_oruk(struct store *s, FILE *out, size_t *count, char *err, size_t errlen)
{
  struct export_ctx x = {out, 0, false};
  enum store_status st = s->ops->services_each(s, export_one, &x);
  if (fflush(out) != 0)
    x.write_failed = true;
  *count = x.n;
  if (x.write_failed) {
    snprintf(err, errlen, "cannot write the export: %s", strerror(errno));
    return false;
  }
  if (st != STORE_OK) {
    snprintf(err, errlen, "cannot read the services from the database (see the log line above)");
    return false;
  }
  return true;
}

static const char export_usage[] =
    "usage: firstdays export oruk [--db PATH] [--output FILE]\n"
    "\n"
    "Write every service in the directory as Open Referral UK 3.0 NDJSON: one fully\n"
    "nested service per line, in id order. The file imports back unchanged with\n"
    "'firstdays import oruk'.\n"
    "\n"
    "  --db PATH      SQLite database file (default firstdays.db; must exist)\n"
    "  --output FILE  write to FILE instead of standard output\n"
    "  --help         show this help\n";

int directory_cmd_export(int argc, char **argv)
{
  static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                       {"output", required_argument, NULL, 'o'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  struct config cfg;
  memset(&cfg, 0, sizeof cfg);
  conf_defaults(&cfg);
  const char *db = cfg.db_path, *output = NULL;
  int rc = 2, c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
    case 'd':
      db = optarg;
      break;
    case 'o':
      output = optarg;
      break;
    case 'h':
      fputs(export_usage, stdout);
      rc = 0;
      goto out;
    default:
      fprintf(stderr, "firstdays export: unknown or incomplete option '%s'\n%s", argv[optind - 1],
              export_usage);
      goto out;
    }
  }
  if (argc - optind != 1 || strcmp(argv[optind], "oruk") != 0) {
    fprintf(stderr, "firstdays export: give what to export: oruk\n%s", export_usage);
    goto out;
  }
  rc = 1;
  if (!store_is_postgres(db) && access(db, F_OK) != 0) {
    fprintf(stderr, "firstdays export: there is no database at %s; give its path with --db\n", db);
    goto out;
  }
  char err[1024];
  struct store *s = store_open(db, err, sizeof err);
  if (!s) {
    fprintf(stderr, "firstdays export: %s\n", err);
    goto out;
  }
  FILE *f = output ? fopen(output, "wb") : stdout;
  if (!f) {
    fprintf(stderr, "firstdays export: cannot create %s: %s\n", output, strerror(errno));
  } else {
    size_t n;
    if (directory_export_oruk(s, f, &n, err, sizeof err)) {
      rc = 0;
      fprintf(stderr, "firstdays: exported %zu services from %s\n", n, db);
    } else {
      fprintf(stderr, "firstdays export: %s\n", err);
    }
    if (f != stdout && fclose(f) != 0 && rc == 0) {
      fprintf(stderr, "firstdays export: cannot write %s: %s\n", output, strerror(errno));
      rc = 1;
    }
  }
  store_close(s);
out:
  conf_free(&cfg);
  return rc;
}
