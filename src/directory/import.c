/* import.c: `firstdays import oruk` and `firstdays import postcodes`: reading
 * service files (JSON array, paginated page or NDJSON, detected) record by
 * record without holding the file in memory, checking every record, and
 * storing all of them in one transaction or none; and streaming ONSPD/NSPL
 * postcode CSVs into the store in batches. */
#include "import.h"
#include "onspd.h"
#include "oruk_validate.h"
#include "../content/content.h"
#include "../lib/buf.h"
#include "../lib/conf.h"
#include "../lib/util.h"
#include "../store/store.h"
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A whole JSON document (a page, or one pretty-printed service) is read into
 * memory; this bounds it. Large files should be NDJSON or an array. */
#define IMPORT_MAX_DOCUMENT (256u << 20)

/* ---- a set of service ids seen in the file (open addressing) ---- */

struct id_entry {
  char *id;    /* lower case */
  char *label; /* where it was first seen */
};

struct id_set {
  struct id_entry *slots;
  size_t cap, n;
};

static size_t id_hash(const char *s)
{
  size_t h = 1469598103934665603ull;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static void id_set_free(struct id_set *set)
{
  for (size_t i = 0; i < set->cap; i++) {
    free(set->slots[i].id);
    free(set->slots[i].label);
  }
  free(set->slots);
  memset(set, 0, sizeof *set);
}

/* Add id; returns the label of an earlier entry with the same id, or NULL. */
static const char *id_set_add(struct id_set *set, const char *id, const char *label)
{
  if ((set->n + 1) * 2 > set->cap) {
    struct id_set bigger = {xcalloc(set->cap ? set->cap * 2 : 1024, sizeof *set->slots),
                            set->cap ? set->cap * 2 : 1024, 0};
    for (size_t i = 0; i < set->cap; i++) {
      struct id_entry *e = &set->slots[i];
      if (!e->id)
        continue;
      size_t j = id_hash(e->id) & (bigger.cap - 1);
      while (bigger.slots[j].id)
        j = (j + 1) & (bigger.cap - 1);
      bigger.slots[j] = *e;
      bigger.n++;
    }
    free(set->slots);
    *set = bigger;
  }
  char key[64];
  snprintf(key, sizeof key, "%s", id);
  for (char *k = key; *k; k++)
    if (*k >= 'A' && *k <= 'Z')
      *k = (char)(*k - 'A' + 'a');
  size_t j = id_hash(key) & (set->cap - 1);
  while (set->slots[j].id) {
    if (strcmp(set->slots[j].id, key) == 0)
      return set->slots[j].label;
    j = (j + 1) & (set->cap - 1);
  }
  set->slots[j].id = xstrdup(key);
  set->slots[j].label = xstrdup(label);
  set->n++;
  return NULL;
}

/* ---- reading records ---- */

enum rec_mode { M_START, M_ARRAY, M_LINES, M_PAGE, M_SINGLE, M_DONE };

enum rec_kind {
  REC_VALUE, /* *out holds a parsed value */
  REC_BAD,   /* the record was not JSON (reported); go on */
  REC_END,   /* no more records */
  REC_FATAL, /* the file cannot be read further (reported) */
};

struct importer {
  FILE *f;
  const char *name;
  FILE *errs;
  const struct oruk_vocab *vocab;
  bool dry_run;
  /* reader state */
  int peeked;                /* next byte, or NO_PEEK */
  unsigned long line, col;   /* position of the next byte */
  enum rec_mode mode;
  bool array_started;        /* an element has been read (commas expected) */
  json_t *page;              /* M_PAGE / M_SINGLE: the document */
  size_t page_i;
  struct buf text;
  size_t recno;
  char label[96];            /* the current record, for messages */
  /* results */
  size_t problems;
  bool finished;
  json_t *cur;
  struct id_set ids;
};

#define NO_PEEK (-2)

static int rd_peek(struct importer *im)
{
  if (im->peeked == NO_PEEK)
    im->peeked = getc_unlocked(im->f);
  return im->peeked;
}

static int rd_get(struct importer *im)
{
  int ch = rd_peek(im);
  im->peeked = NO_PEEK;
  if (ch == '\n') {
    im->line++;
    im->col = 1;
  } else if (ch != EOF) {
    im->col++;
  }
  return ch;
}

static void skip_space(struct importer *im)
{
  for (int ch = rd_peek(im); ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
       ch = rd_peek(im))
    rd_get(im);
}

/* One problem line, "NAME: LABEL (id ID): PATH: MESSAGE". */
static void report(struct importer *im, const char *id, const char *path, const char *msg)
{
  if (im->problems++ >= IMPORT_MAX_PROBLEM_LINES)
    return;
  fprintf(im->errs, "%s: %s", im->name, im->label);
  if (id)
    fprintf(im->errs, " (id %s)", id);
  if (path && *path)
    fprintf(im->errs, ": %s", path);
  fprintf(im->errs, ": %s\n", msg);
}

/* A problem at a place in the file rather than in a record's fields. */
__attribute__((format(printf, 4, 5))) static void report_at(struct importer *im,
                                                            unsigned long line,
                                                            unsigned long col, const char *fmt,
                                                            ...)
{
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (im->problems++ >= IMPORT_MAX_PROBLEM_LINES)
    return;
  if (col)
    fprintf(im->errs, "%s: line %lu, column %lu: %s\n", im->name, line, col, msg);
  else
    fprintf(im->errs, "%s: line %lu: %s\n", im->name, line, msg);
}

/* Parse im->text, which started at (line, col). */
static enum rec_kind parse_text(struct importer *im, unsigned long line, unsigned long col,
                                json_t **out, json_error_t *jerr)
{
  *out = json_loadb(buf_cstr(&im->text), im->text.len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
                    jerr);
  if (*out)
    return REC_VALUE;
  if (jerr->line < 1)
    jerr->line = 1;
  unsigned long at_line = line + (unsigned long)jerr->line - 1;
  unsigned long at_col =
      jerr->line == 1 ? col + (unsigned long)(jerr->column > 0 ? jerr->column - 1 : 0)
                      : (unsigned long)(jerr->column > 0 ? jerr->column : 1);
  report_at(im, at_line, at_col, "%s: invalid JSON: %s; correct the JSON syntax", im->label,
            jerr->text);
  return REC_BAD;
}

/* Read one JSON value (an array element) into im->text by bracket depth;
 * jansson checks the syntax afterwards. Returns false when it was too big. */
static bool scan_value(struct importer *im)
{
  im->text.len = 0;
  bool fits = true;
  int ch = rd_peek(im);
  if (ch == '{' || ch == '[') {
    int depth = 0;
    bool in_str = false, esc = false;
    while ((ch = rd_get(im)) != EOF) {
      if (im->text.len < IMPORT_MAX_RECORD)
        buf_putc(&im->text, (char)ch);
      else
        fits = false;
      if (in_str) {
        if (esc)
          esc = false;
        else if (ch == '\\')
          esc = true;
        else if (ch == '"')
          in_str = false;
      } else if (ch == '"') {
        in_str = true;
      } else if (ch == '{' || ch == '[') {
        depth++;
      } else if ((ch == '}' || ch == ']') && --depth == 0) {
        break;
      }
    }
  } else {
    /* A scalar where a service should be: read up to the next separator. */
    bool in_str = false, esc = false;
    while ((ch = rd_peek(im)) != EOF) {
      if (!in_str && (ch == ',' || ch == ']' || ch == '}' || ch == '\n'))
        break;
      rd_get(im);
      if (im->text.len < 4096)
        buf_putc(&im->text, (char)ch);
      if (in_str) {
        if (esc)
          esc = false;
        else if (ch == '\\')
          esc = true;
        else if (ch == '"')
          in_str = false;
      } else if (ch == '"') {
        in_str = true;
      }
    }
  }
  return fits;
}

/* Read the rest of the current line into im->text (without the line break).
 * Returns false when it was too long (the rest is skipped). */
static bool scan_line(struct importer *im)
{
  im->text.len = 0;
  bool fits = true;
  int ch;
  while ((ch = rd_peek(im)) != EOF && ch != '\n') {
    rd_get(im);
    if (im->text.len < IMPORT_MAX_RECORD)
      buf_putc(&im->text, (char)ch);
    else
      fits = false;
  }
  if (ch == '\n')
    rd_get(im);
  return fits;
}

static bool only_space(const struct buf *b)
{
  for (size_t i = 0; i < b->len; i++)
    if (!strchr(" \t\r", b->data[i]))
      return false;
  return true;
}

static bool is_page(const json_t *v)
{
  return json_is_object(v) && json_is_array(json_object_get(v, "contents"));
}

/* After a whole document: only white space may follow. */
static bool expect_end(struct importer *im)
{
  skip_space(im);
  if (rd_peek(im) == EOF)
    return true;
  report_at(im, im->line, im->col,
            "unexpected text after the end of the JSON document; give one JSON array, one page, "
            "or one service per line (NDJSON)");
  return false;
}

/* Work out the file's format from its first bytes. */
static enum rec_kind detect(struct importer *im, json_t **out)
{
  if (rd_peek(im) == 0xEF) { /* UTF-8 byte order mark */
    rd_get(im);
    if (rd_get(im) != 0xBB || rd_get(im) != 0xBF) {
      report_at(im, 1, 1, "the file does not start with JSON; give UTF-8 JSON text");
      return REC_FATAL;
    }
    im->col = 1;
  }
  skip_space(im);
  int ch = rd_peek(im);
  unsigned long line = im->line, col = im->col;
  if (ch == EOF) {
    report_at(im, line, 0,
              "the file is empty; give a JSON array of services, a page with \"contents\", or "
              "NDJSON (one service per line)");
    return REC_FATAL;
  }
  if (ch == '[') {
    rd_get(im);
    im->mode = M_ARRAY;
    return REC_END; /* caller reads on in the new mode */
  }
  if (ch != '{') {
    report_at(im, line, col,
              "expected '[' (a JSON array of services) or '{' (a page, or NDJSON with one "
              "service per line), found '%c'",
              ch >= ' ' && ch < 127 ? ch : '?');
    return REC_FATAL;
  }
  /* The first line decides: a complete value on it means NDJSON (or a page
   * on one line); an incomplete one means one multi-line document. */
  bool fits = scan_line(im);
  json_error_t jerr;
  json_t *v = fits ? json_loadb(buf_cstr(&im->text), im->text.len,
                                JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr)
                   : NULL;
  if (v && is_page(v)) {
    im->page = v;
    im->mode = M_PAGE;
    return expect_end(im) ? REC_END : REC_FATAL;
  }
  if (v || !fits || json_error_code(&jerr) != json_error_premature_end_of_input) {
    im->mode = M_LINES;
    im->recno = 1;
    snprintf(im->label, sizeof im->label, "line %lu", line);
    if (!fits) {
      json_decref(v);
      report_at(im, line, 0, "the line is longer than %u bytes; a service must be smaller",
                IMPORT_MAX_RECORD);
      return REC_BAD;
    }
    if (!v) {
      unsigned long c = (unsigned long)(jerr.column > 0 ? jerr.column : 1);
      report_at(im, line, col + c - 1, "%s: invalid JSON: %s; correct the JSON syntax", im->label,
                jerr.text);
      return REC_BAD;
    }
    *out = v;
    return REC_VALUE;
  }
  /* One document over several lines: read it all. */
  buf_putc(&im->text, '\n');
  while ((ch = rd_get(im)) != EOF) {
    if (im->text.len >= IMPORT_MAX_DOCUMENT) {
      report_at(im, line, col,
                "the JSON document is larger than %u MiB; split it or give NDJSON (one service "
                "per line)",
                IMPORT_MAX_DOCUMENT >> 20);
      return REC_FATAL;
    }
    buf_putc(&im->text, (char)ch);
  }
  snprintf(im->label, sizeof im->label, "the document");
  if (parse_text(im, line, col, &v, &jerr) != REC_VALUE)
    return REC_FATAL;
  if (is_page(v)) {
    im->page = v;
    im->mode = M_PAGE;
    return REC_END;
  }
  im->page = v;
  im->mode = M_SINGLE;
  return REC_END;
}

/* The next record. *out is a new reference on REC_VALUE. */
static enum rec_kind read_record(struct importer *im, json_t **out)
{
  *out = NULL;
  for (;;) {
    switch (im->mode) {
    case M_START: {
      enum rec_kind k = detect(im, out);
      if (k != REC_END)
        return k;
      continue;
    }
    case M_SINGLE:
      im->mode = M_DONE;
      im->recno = 1;
      snprintf(im->label, sizeof im->label, "record 1");
      *out = im->page;
      im->page = NULL;
      return REC_VALUE;
    case M_PAGE: {
      json_t *contents = json_object_get(im->page, "contents");
      if (im->page_i >= json_array_size(contents)) {
        im->mode = M_DONE;
        return REC_END;
      }
      im->recno = im->page_i + 1;
      snprintf(im->label, sizeof im->label, "contents[%zu]", im->page_i);
      *out = json_incref(json_array_get(contents, im->page_i++));
      return REC_VALUE;
    }
    case M_LINES: {
      skip_space(im);
      if (rd_peek(im) == EOF) {
        im->mode = M_DONE;
        return REC_END;
      }
      unsigned long line = im->line, col = im->col;
      im->recno++;
      snprintf(im->label, sizeof im->label, "line %lu", line);
      if (!scan_line(im)) {
        report_at(im, line, 0, "the line is longer than %u bytes; a service must be smaller",
                  IMPORT_MAX_RECORD);
        return REC_BAD;
      }
      if (only_space(&im->text))
        continue;
      json_error_t jerr;
      return parse_text(im, line, col, out, &jerr);
    }
    case M_ARRAY: {
      skip_space(im);
      int ch = rd_peek(im);
      if (im->array_started) {
        if (ch == ',') {
          rd_get(im);
          skip_space(im);
          ch = rd_peek(im);
        } else if (ch == ']') {
          rd_get(im);
          im->mode = M_DONE;
          return expect_end(im) ? REC_END : REC_FATAL;
        } else {
          report_at(im, im->line, im->col,
                    ch == EOF ? "the file ends inside the array; add the closing ']'"
                              : "expected ',' or ']' after record %zu",
                    im->recno);
          return REC_FATAL;
        }
      } else if (ch == ']') {
        rd_get(im);
        im->mode = M_DONE;
        return expect_end(im) ? REC_END : REC_FATAL;
      }
      if (ch == EOF) {
        report_at(im, im->line, im->col, "the file ends inside the array; add the closing ']'");
        return REC_FATAL;
      }
      if (ch == ']') {
        report_at(im, im->line, im->col, "a comma before ']'; remove the last comma");
        return REC_FATAL;
      }
      im->array_started = true;
      unsigned long line = im->line, col = im->col;
      im->recno++;
      snprintf(im->label, sizeof im->label, "record %zu (line %lu)", im->recno, line);
      if (!scan_value(im)) {
        report_at(im, line, col, "%s is larger than %u bytes; a service must be smaller",
                  im->label, IMPORT_MAX_RECORD);
        return REC_BAD;
      }
      json_error_t jerr;
      return parse_text(im, line, col, out, &jerr);
    }
    case M_DONE:
      return REC_END;
    }
  }
}

/* ---- checking and storing ---- */

struct report_ctx {
  struct importer *im;
  const char *id;
};

static void on_problem(void *cls, const char *path, const char *message)
{
  struct report_ctx *rc = cls;
  report(rc->im, rc->id, path, message);
}

/* Check one record; returns true when it is good. */
static bool check_record(struct importer *im, json_t *v)
{
  oruk_canonicalise(v);
  const char *id = json_string_value(json_object_get(v, "id"));
  if (id && !oruk_is_uuid(id))
    id = NULL; /* the validator names it; do not echo junk */
  struct report_ctx rc = {im, id};
  size_t n = oruk_validate_service(v, im->vocab, on_problem, &rc);
  const char *first = id ? id_set_add(&im->ids, id, im->label) : NULL;
  if (first) {
    char msg[200];
    snprintf(msg, sizeof msg, "%s has the same id; give each service its own id", first);
    report(im, id, "id", msg);
    n++;
  }
  return n == 0;
}

/* The store's source of services: the next good record, or the end. */
static int next_service(void *cls, json_t **service)
{
  struct importer *im = cls;
  json_decref(im->cur);
  im->cur = NULL;
  for (;;) {
    json_t *v;
    enum rec_kind k = read_record(im, &v);
    if (k == REC_END || k == REC_FATAL) {
      im->finished = true;
      if (k == REC_FATAL && im->problems == 0)
        im->problems = 1;
      return im->problems || im->dry_run ? -1 : 0;
    }
    if (k == REC_BAD)
      continue;
    bool good = check_record(im, v);
    if (!good || im->problems) {
      json_decref(v);
      continue;
    }
    im->cur = v;
    *service = v;
    return 1;
  }
}

enum import_status directory_import_oruk(struct store *s, const struct oruk_vocab *vocab,
                                         FILE *in, const char *name, FILE *errs, bool dry_run,
                                         struct import_result *res)
{
  struct importer im;
  memset(&im, 0, sizeof im);
  im.f = in;
  im.name = name;
  im.errs = errs;
  im.vocab = vocab;
  im.dry_run = dry_run;
  im.peeked = NO_PEEK;
  im.line = im.col = 1;
  buf_init(&im.text);
  enum store_status st = s->ops->services_upsert_stream(s, next_service, &im);
  if (ferror(in)) {
    fprintf(errs, "%s: read error: %s\n", name, strerror(errno));
    im.problems++;
  }
  json_decref(im.cur);
  json_decref(im.page);
  buf_free(&im.text);
  id_set_free(&im.ids);
  if (res) {
    res->records = im.recno;
    res->problems = im.problems;
  }
  if (im.problems > IMPORT_MAX_PROBLEM_LINES)
    fprintf(errs, "%s: ... and %zu more problems not shown\n", name,
            im.problems - IMPORT_MAX_PROBLEM_LINES);
  if (im.problems)
    return IMPORT_REFUSED;
  if (st == STORE_OK || (dry_run && im.finished))
    return IMPORT_OK;
  return IMPORT_FAILED;
}

/* ---- postcodes ---- */

struct postcode_batch {
  struct store *s;
  struct store_postcode *pcs;
  size_t n;
  unsigned long stored;
  bool failed;
};

static bool flush_postcodes(struct postcode_batch *b)
{
  if (b->n == 0)
    return true;
  if (b->s->ops->postcodes_upsert(b->s, b->pcs, b->n) != STORE_OK) {
    b->failed = true;
    return false;
  }
  b->stored += b->n;
  b->n = 0;
  return true;
}

static bool emit_postcode(void *cls, const struct store_postcode *pc)
{
  struct postcode_batch *b = cls;
  b->pcs[b->n++] = *pc;
  return b->n < IMPORT_POSTCODE_BATCH || flush_postcodes(b);
}

static double seconds_since(const struct timespec *t0)
{
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

bool directory_import_postcodes(struct store *s, FILE *in, const char *name, bool allow_bt,
                                FILE *out, char *err, size_t errlen)
{
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  struct postcode_batch b = {s, xmalloc(IMPORT_POSTCODE_BATCH * sizeof *b.pcs), 0, 0, false};
  struct onspd *p = onspd_new(emit_postcode, &b, allow_bt);
  char *chunk = xmalloc(1 << 20);
  enum onspd_status st = ONSPD_OK;
  size_t n;
  while (st == ONSPD_OK && (n = fread(chunk, 1, 1 << 20, in)) > 0)
    st = onspd_feed(p, chunk, n);
  bool ok = false;
  if (st == ONSPD_OK && ferror(in)) {
    snprintf(err, errlen, "%s: read error: %s", name, strerror(errno));
    goto done;
  }
  if (st == ONSPD_OK)
    st = onspd_finish(p);
  if (st == ONSPD_OK)
    flush_postcodes(&b);
  if (b.failed) {
    snprintf(err, errlen, "%s: the database refused the postcodes (see the log line above); %lu "
                          "were stored before that",
             name, b.stored);
    goto done;
  }
  if (st != ONSPD_OK) {
    snprintf(err, errlen, "%s: %s%s", name, onspd_error(p),
             b.stored ? "; the postcodes before that line were stored" : "; nothing was stored");
    goto done;
  }
  const struct onspd_stats *stats = onspd_stats(p);
  if (!out)
    goto quiet;
  fprintf(out,
          "firstdays: imported %lu postcodes from %s in %.1f s (%lu rows; skipped %lu "
          "terminated, %lu without a location, %lu in Northern Ireland, %lu unreadable",
          b.stored, name, seconds_since(&t0), stats->rows, stats->terminated, stats->no_location,
          stats->excluded, stats->unreadable);
  if (stats->unreadable)
    fprintf(out, ", the first on line %lu", stats->first_unreadable_line);
  fprintf(out, ")\n");
quiet:
  ok = true;
done:
  free(chunk);
  onspd_free(p);
  free(b.pcs);
  return ok;
}

/* ---- vocabulary ---- */

struct oruk_vocab *directory_vocab_load(const struct content *c, char *err, size_t errlen)
{
  const struct content_file *f = content_get(c, "directory/taxonomy.json");
  if (!f) {
    snprintf(err, errlen, "content file directory/taxonomy.json is missing");
    return NULL;
  }
  json_error_t jerr;
  json_t *doc = json_loadb(f->data, f->len, JSON_REJECT_DUPLICATES, &jerr);
  if (!doc) {
    snprintf(err, errlen, "directory/taxonomy.json line %d, column %d: %s", jerr.line,
             jerr.column, jerr.text);
    return NULL;
  }
  char sub[256];
  struct oruk_vocab *v = oruk_vocab_from_json(doc, sub, sizeof sub);
  json_decref(doc);
  if (!v)
    snprintf(err, errlen, "directory/taxonomy.json: %s", sub);
  return v;
}

/* ---- the command ---- */

static const char import_usage[] =
    "usage: firstdays import oruk [--db PATH] [--content DIR] [--dry-run] FILE\n"
    "       firstdays import postcodes [--db PATH] [--include-northern-ireland] FILE.csv\n"
    "\n"
    "import oruk: add or replace (by id) Open Referral UK 3.0 services. FILE is a JSON\n"
    "array of fully nested services, a paginated page ({\"contents\": [...]}), or NDJSON\n"
    "(one service per line); '-' reads standard input. Every record is checked first;\n"
    "if any has a problem, nothing is imported, each problem is printed on its own\n"
    "line (record, field, what to fix) and the exit status is 1.\n"
    "\n"
    "import postcodes: add or replace postcode centroids from an ONS Postcode Directory\n"
    "(ONSPD) or NSPL CSV, read by header name (pcds, lat, long, doterm, osgrdind).\n"
    "Terminated postcodes and rows without a location are skipped.\n"
    "\n"
    "  --db PATH            SQLite database file (default firstdays.db; created if new)\n"
    "  --content DIR        content folder with its own directory/taxonomy.json\n"
    "  --dry-run            check the file only; store nothing\n"
    "  --include-northern-ireland  also load BT postcodes (check the ONSPD licence first)\n"
    "  --help               show this help\n";

/* Remove a database file this command created (and its WAL files). */
static void remove_new_db(const char *path)
{
  char p[4096];
  unlink(path);
  snprintf(p, sizeof p, "%s-wal", path);
  unlink(p);
  snprintf(p, sizeof p, "%s-shm", path);
  unlink(p);
}

int directory_cmd_import(int argc, char **argv)
{
  static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                       {"content", required_argument, NULL, 'c'},
                                       {"dry-run", no_argument, NULL, 'n'},
                                       {"include-northern-ireland", no_argument, NULL, 'b'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  struct config cfg;
  memset(&cfg, 0, sizeof cfg);
  conf_defaults(&cfg);
  const char *db = cfg.db_path, *content_dir = NULL;
  bool dry_run = false, allow_bt = false;
  int rc = 2, c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
    case 'd': db = optarg; break;
    case 'c': content_dir = optarg; break;
    case 'n': dry_run = true; break;
    case 'b': allow_bt = true; break;
    case 'h': fputs(import_usage, stdout); rc = 0; goto out;
    default:
      fprintf(stderr, "firstdays import: unknown or incomplete option '%s'\n%s", argv[optind - 1],
              import_usage);
      goto out;
    }
  }
  if (argc - optind != 2 || (strcmp(argv[optind], "oruk") && strcmp(argv[optind], "postcodes"))) {
    fprintf(stderr, "firstdays import: give what to import (oruk or postcodes) and one file\n%s",
            import_usage);
    goto out;
  }
  bool oruk = strcmp(argv[optind], "oruk") == 0;
  const char *path = argv[optind + 1];
  FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!in) {
    fprintf(stderr, "firstdays import: cannot open %s: %s\n", path, strerror(errno));
    rc = 1;
    goto out;
  }
  char err[1024];
  struct content *content = NULL;
  struct oruk_vocab *vocab = NULL;
  struct store *s = NULL;
  rc = 1;
  if (oruk) {
    content = content_load(content_dir, err, sizeof err);
    if (!content || !(vocab = directory_vocab_load(content, err, sizeof err))) {
      fprintf(stderr, "firstdays import: %s\n", err);
      goto close;
    }
  }
  s = store_open(db, err, sizeof err);
  if (!s) {
    fprintf(stderr, "firstdays import: %s\n", err);
    goto close;
  }
  bool created = s->created;
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (oruk) {
    struct import_result res;
    enum import_status st = directory_import_oruk(s, vocab, in, path, stderr, dry_run, &res);
    if (st == IMPORT_OK) {
      if (dry_run)
        printf("firstdays: %s: %zu services checked, no problems (nothing stored: --dry-run)\n",
               path, res.records);
      else
        printf("firstdays: imported %zu services from %s into %s in %.1f s\n", res.records, path,
               db, seconds_since(&t0));
      rc = 0;
    } else if (st == IMPORT_REFUSED) {
      fprintf(stderr,
              "firstdays: %s has %zu problem%s in %zu records; nothing was imported. Correct "
              "the file and run the import again.\n",
              path, res.problems, res.problems == 1 ? "" : "s", res.records);
    } else {
      fprintf(stderr, "firstdays: the database %s could not store the services (see the log "
                      "line above); nothing was imported\n",
              db);
    }
  } else {
    if (directory_import_postcodes(s, in, path, allow_bt, stdout, err, sizeof err))
      rc = 0;
    else
      fprintf(stderr, "firstdays import: %s\n", err);
  }
  if (rc == 0 && !dry_run) {
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    s->ops->meta_set(s, "directory_updated_at", stamp);
  }
  store_close(s);
  if (created && (rc != 0 || dry_run))
    remove_new_db(db);
close:
  oruk_vocab_free(vocab);
  content_free(content);
  if (in != stdin)
    fclose(in);
out:
  conf_free(&cfg);
  return rc;
}
