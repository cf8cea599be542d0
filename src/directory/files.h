/* files.h: feeding a directory builder from files rather than from the store:
 * services as NDJSON (one fully nested ORUK service per line), a JSON array or
 * an ORUK page ({"contents": [...]}), and postcode centroids as an ONSPD or
 * NSPL CSV, with the readers of `firstdays import`. Used by the benchmarks,
 * the tests and the FIRSTDAYS_DIRECTORY_FILES start-up option; the index
 * itself stays pure. */
#ifndef FD_DIRECTORY_FILES_H
#define FD_DIRECTORY_FILES_H
#include "index.h"

struct directory_load_report {
  size_t services, services_skipped;
  size_t postcodes, postcodes_skipped; /* skipped: terminated, no location, malformed */
  char first_problem[256];             /* the first skipped record, "" if none */
};

/* Add every service in the file at path. Records that cannot be used are
 * skipped and counted. Returns false, with a message in err, only when the
 * file cannot be read or is not JSON at all. */
bool directory_load_services(struct directory_builder *b, const char *path,
                             struct directory_load_report *rep, char *err, size_t errlen);
/* Add the live postcodes of an ONSPD or NSPL CSV, read as `firstdays import
 * postcodes` reads it (src/directory/onspd.h: columns by header name;
 * terminated postcodes, rows without a location and Northern Ireland rows
 * skipped). False with err when the file cannot be read or is not such a CSV. */
bool directory_load_postcodes(struct directory_builder *b, const char *path,
                              struct directory_load_report *rep, char *err, size_t errlen);
/* Both, from DIR/services.ndjson and DIR/postcodes.csv (either may be absent,
 * not both). */
bool directory_load_dir(struct directory_builder *b, const char *dir,
                        struct directory_load_report *rep, char *err, size_t errlen);

#endif
