/* import.h: loading the service directory into the store, and writing it out:
 *   firstdays import oruk --db PATH FILE        (services, ORUK 3.0)
 *   firstdays import postcodes --db PATH FILE   (ONSPD/NSPL postcode centroids)
 *   firstdays export oruk --db PATH             (NDJSON that imports back unchanged)
 * and the demo directory loaded into a new database. */
#ifndef FD_DIRECTORY_IMPORT_H
#define FD_DIRECTORY_IMPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct store;
struct content;
struct oruk_vocab;

/* Most problem lines printed for one file; the rest are counted. */
#define IMPORT_MAX_PROBLEM_LINES 1000
/* Postcodes written per transaction. */
#define IMPORT_POSTCODE_BATCH 20000

enum import_status {
  IMPORT_OK = 0,
  IMPORT_REFUSED, /* the file has problems: nothing was stored; each one was reported */
  IMPORT_FAILED,  /* our side failed (store, I/O): nothing was stored */
};

struct import_result {
  size_t records;  /* service records read */
  size_t problems; /* problems found (lines reported, up to IMPORT_MAX_PROBLEM_LINES) */
};

/* Read services from in: a JSON array of services, a paginated page
 * ({"contents": [...]}), or NDJSON (one service per line); the format is
 * detected. Every record is made canonical (empty fields dropped) and checked
 * with oruk_validate_service (vocab may be NULL); ids must be unique in the
 * file. When every record is good they are upserted by id in one
 * transaction; otherwise nothing is stored and each problem is written to errs
 * as one line "NAME: line N (id ...): path: message". With dry_run nothing is
 * stored either way. */
enum import_status directory_import_oruk(struct store *s, const struct oruk_vocab *vocab, FILE *in,
                                         const char *name, FILE *errs, bool dry_run,
                                         struct import_result *res);

/* Read an ONSPD/NSPL CSV from in and upsert its usable rows in batches of
 * IMPORT_POSTCODE_BATCH. Prints a summary (rows kept and skipped) to out
 * unless out is NULL.
 * Returns false with a message in err (a bad header or CSV, or the store). */
bool directory_import_postcodes(struct store *s, FILE *in, const char *name, bool allow_bt,
                                FILE *out, char *err, size_t errlen);

/* Write every stored service as NDJSON (one compact line each, id order) to
 * out. Returns false with a message in err. */
bool directory_export_oruk(struct store *s, FILE *out, size_t *count, char *err, size_t errlen);

/* Load the demo directory (content files demo/directory.ndjson and
 * demo/postcodes.csv) into s. Meant for a database this run created. A
 * missing or empty demo file loads nothing. Returns false with a message. */
bool directory_demo_load(struct store *s, const struct content *c, char *err, size_t errlen);

/* The firstdays vocabularies from content file directory/taxonomy.json.
 * Returns NULL with a message in err. Free with oruk_vocab_free(). */
struct oruk_vocab *directory_vocab_load(const struct content *c, char *err, size_t errlen);

/* Subcommands (rows of src/commands.c). argv[0] is the command name. */
int directory_cmd_import(int argc, char **argv);
int directory_cmd_export(int argc, char **argv);

#endif
