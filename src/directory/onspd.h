/* onspd.h: reads postcode centroids from an ONS Postcode Directory (ONSPD) or
 * National Statistics Postcode Lookup (NSPL) CSV. Pure and streaming: the
 * caller pushes the file's bytes in chunks of any size and receives one
 * struct store_postcode per usable row, so memory stays flat however large
 * the file (the full ONSPD has 2.7 million rows).
 *
 * Columns are found by header name, never by position: the postcode from
 * pcds (else pcd2, pcd or postcode), lat, long, and when present doterm and
 * osgrdind. Rows are skipped (and counted) when the postcode is terminated
 * (doterm not blank), has no usable location (osgrdind 9, or lat 99.999999,
 * or lat/long blank), is in Northern Ireland (BT; its licence differs, see
 * docs/directory-data.md) unless allowed, or cannot be read. CSV follows
 * RFC 4180: quoted fields may hold commas, doubled quotes and line breaks;
 * lines may end in LF or CRLF; a UTF-8 byte order mark is ignored. */
#ifndef FD_ONSPD_H
#define FD_ONSPD_H
#include "../store/store.h"
#include <stdbool.h>
#include <stddef.h>

#define ONSPD_MAX_FIELD 1024 /* bytes in one CSV field */
#define ONSPD_MAX_FIELDS 512 /* fields in one row */

enum onspd_status {
  ONSPD_OK = 0,
  ONSPD_STOPPED,    /* the emit callback returned false */
  ONSPD_BAD_HEADER, /* a needed column is missing; see onspd_error() */
  ONSPD_BAD_CSV,    /* malformed CSV (field too long, quote left open); see onspd_error() */
};

struct onspd_stats {
  unsigned long rows;                  /* data rows read (not counting the header) */
  unsigned long kept;                  /* rows passed to emit */
  unsigned long terminated;            /* doterm set */
  unsigned long no_location;           /* osgrdind 9, lat 99.999999 or blank */
  unsigned long excluded;              /* Northern Ireland rows when not allowed */
  unsigned long unreadable;            /* postcode or coordinates that could not be read */
  unsigned long first_unreadable_line; /* line of the first unreadable row, or 0 */
};

struct onspd;

/* A new reader. emit is called once per usable row with the normalised
 * postcode ("SW1A 1AA") and WGS84 coordinates; it returns false to stop.
 * allow_bt: keep Northern Ireland (BT) postcodes. Free with onspd_free(). */
struct onspd *onspd_new(bool (*emit)(void *cls, const struct store_postcode *pc), void *cls,
                        bool allow_bt);
void onspd_free(struct onspd *p);
/* Push the next n bytes of the file. Returns ONSPD_OK to go on; anything
 * else ends the read (later calls return the same status). */
enum onspd_status onspd_feed(struct onspd *p, const char *data, size_t n);
/* End of file: handles a last row without a line break and reports a quote
 * left open. */
enum onspd_status onspd_finish(struct onspd *p);
/* A message naming the line for ONSPD_BAD_HEADER / ONSPD_BAD_CSV ("" otherwise). */
const char *onspd_error(const struct onspd *p);
const struct onspd_stats *onspd_stats(const struct onspd *p);

#endif
