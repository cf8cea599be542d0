/* oruk_reader.h: splits a file of Open Referral UK services into records
 * without holding the file in memory. The format is detected from the first
 * value, whatever the length of its line: a JSON array of services (streamed
 * element by element), a paginated page ({"contents": [...]}, on one line or
 * several, read whole up to ORUK_READER_MAX_DOCUMENT), NDJSON (one service per
 * line, each read up to ORUK_READER_MAX_RECORD and a longer one read past
 * without being kept), or a single pretty-printed service. Records come back
 * as raw JSON text (parsed later, possibly on another thread) or, where the
 * reader had to parse them to detect the format, as JSON values. Problems
 * with the file's structure come back as messages naming the line and column.
 * One reader is used by one thread; it reads ahead of the records it returns. */
#ifndef FD_ORUK_READER_H
#define FD_ORUK_READER_H
#include "../lib/buf.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* Largest single record, in bytes. */
#define ORUK_READER_MAX_RECORD (4u << 20)
/* A page is read into memory whole; this bounds it. Large files should be
 * NDJSON or an array. */
#define ORUK_READER_MAX_DOCUMENT (256u << 20)

enum oruk_rec_kind {
  ORUK_REC_TEXT,    /* text holds one record's JSON text, not yet parsed */
  ORUK_REC_JSON,    /* value holds the parsed record (a new reference) */
  ORUK_REC_MESSAGE, /* message says what is wrong with the file at this point */
  ORUK_REC_END,     /* no more records */
};

struct oruk_rec {
  enum oruk_rec_kind kind;
  char label[96];          /* "line 3", "record 2 (line 7)", "contents[4]" */
  unsigned long line, col; /* where the record's text starts (for parse errors) */
  json_t *value;           /* ORUK_REC_JSON */
  char message[512];       /* ORUK_REC_MESSAGE: "line 4, column 2: ..." */
};

struct oruk_reader;

/* A reader of f (not closed by the reader). Free with oruk_reader_free(). */
struct oruk_reader *oruk_reader_new(FILE *f);
void oruk_reader_free(struct oruk_reader *r);
/* The next record into rec; ORUK_REC_TEXT puts the record's bytes in text
 * (replacing what was there). After a message about the file's structure that
 * leaves it unreadable, the next call returns ORUK_REC_END. */
enum oruk_rec_kind oruk_reader_next(struct oruk_reader *r, struct oruk_rec *rec, struct buf *text);
/* Number of records returned so far (messages not counted). */
size_t oruk_reader_records(const struct oruk_reader *r);

/* Parse a record's text. On failure returns NULL and writes into msg a message
 * naming the line and column in the file ("line 3, column 17: line 3: invalid
 * JSON: ..."). */
json_t *oruk_reader_parse(const struct oruk_rec *rec, const char *text, size_t len, char *msg,
                          size_t msglen);

#endif
