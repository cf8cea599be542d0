/* oruk_reader.c: format detection and record splitting for ORUK service files
 * (see oruk_reader.h). Array elements are found by bracket depth (outside
 * strings), so only one element is in memory at a time; jansson checks the
 * syntax of each record afterwards. */
#include "oruk_reader.h"
#include "../lib/util.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum mode { M_START, M_ARRAY, M_LINES, M_PAGE, M_SINGLE, M_DONE };

#define NO_PEEK (-2)

struct oruk_reader {
  FILE *f;
  int peeked;              /* next byte, or NO_PEEK */
  unsigned long line, col; /* position of the next byte */
  enum mode mode;
  bool array_started; /* an element has been read (a comma is expected) */
  json_t *doc;        /* M_PAGE / M_SINGLE: the whole document */
  size_t page_i;
  unsigned long first_line, first_col; /* M_LINES: where the first line starts */
  size_t recno;
  char *line_buf; /* getline's buffer */
  size_t line_cap;
};

struct oruk_reader *oruk_reader_new(FILE *f)
{
  struct oruk_reader *r = xcalloc(1, sizeof *r);
  r->f = f;
  r->peeked = NO_PEEK;
  r->line = r->col = 1;
  return r;
}

void oruk_reader_free(struct oruk_reader *r)
{
  if (!r)
    return;
  json_decref(r->doc);
  free(r->line_buf);
  free(r);
}

size_t oruk_reader_records(const struct oruk_reader *r)
{
  return r->recno;
}

static int peek(struct oruk_reader *r)
{
  if (r->peeked == NO_PEEK)
    r->peeked = getc_unlocked(r->f);
  return r->peeked;
}

static int get(struct oruk_reader *r)
{
  int ch = peek(r);
  r->peeked = NO_PEEK;
  if (ch == '\n') {
    r->line++;
    r->col = 1;
  } else if (ch != EOF) {
    r->col++;
  }
  return ch;
}

static void skip_space(struct oruk_reader *r)
{
  for (int ch = peek(r); ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; ch = peek(r))
    get(r);
}

/* Append one byte (the buffer stays NUL-terminated). */
static inline void put(struct buf *b, char ch)
{
  if (b->cap - b->len <= 1)
    buf_reserve(b, 1);
  b->data[b->len++] = ch;
  b->data[b->len] = '\0';
}

__attribute__((format(printf, 5, 6))) static enum oruk_rec_kind
message(struct oruk_rec *rec, unsigned long line, unsigned long col, bool located_col,
        const char *fmt, ...)
{
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  rec->kind = ORUK_REC_MESSAGE;
  if (located_col)
    snprintf(rec->message, sizeof rec->message, "line %lu, column %lu: %s", line, col, msg);
  else
    snprintf(rec->message, sizeof rec->message, "line %lu: %s", line, msg);
  return rec->kind;
}

/* Follow string quoting one byte at a time; returns true while ch is inside
 * (or closes) a JSON string. */
static bool in_string(int ch, bool *in_str, bool *esc)
{
  if (*in_str) {
    if (*esc)
      *esc = false;
    else if (ch == '\\')
      *esc = true;
    else if (ch == '"')
      *in_str = false;
    return true;
  }
  if (ch == '"')
    *in_str = true;
  return *in_str;
}

/* Read one JSON value (an array element) into text by bracket depth. Returns
 * false when it was larger than ORUK_READER_MAX_RECORD (the rest is skipped). */
static bool scan_value(struct oruk_reader *r, struct buf *text)
{
  text->len = 0;
  buf_reserve(text, 4096);
  bool fits = true;
  int ch = peek(r);
  bool in_str = false, esc = false;
  if (ch == '{' || ch == '[') {
    int depth = 0;
    while ((ch = get(r)) != EOF) {
      if (text->len < ORUK_READER_MAX_RECORD)
        put(text, (char)ch);
      else
        fits = false;
      if (in_string(ch, &in_str, &esc))
        continue;
      if (ch == '{' || ch == '[') {
        depth++;
      } else if ((ch == '}' || ch == ']') && --depth == 0) {
        break;
      }
    }
    return fits;
  }
  /* A scalar where a service should be: read up to the next separator. */
  while ((ch = peek(r)) != EOF) {
    if (!in_str && (ch == ',' || ch == ']' || ch == '}' || ch == '\n'))
      break;
    get(r);
    if (text->len < 4096)
      put(text, (char)ch);
    in_string(ch, &in_str, &esc);
  }
  return true;
}

/* Read the rest of the current line into text, without the line break.
 * Returns false when it was too long. */
static bool scan_line(struct oruk_reader *r, struct buf *text)
{
  text->len = 0;
  buf_reserve(text, 0);
  text->data[0] = '\0';
  if (r->peeked != NO_PEEK) {
    int ch = get(r);
    if (ch == EOF || ch == '\n')
      return true;
    put(text, (char)ch);
  }
  ssize_t n = getline(&r->line_buf, &r->line_cap, r->f);
  if (n <= 0)
    return true;
  bool newline = r->line_buf[n - 1] == '\n';
  size_t len = (size_t)n - (newline ? 1 : 0);
  if (newline) {
    r->line++;
    r->col = 1;
  } else {
    r->col += len;
  }
  if (text->len + len > ORUK_READER_MAX_RECORD)
    return false;
  buf_append(text, r->line_buf, len);
  return true;
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

/* After a whole document only white space may follow. */
static bool at_end(struct oruk_reader *r)
{
  skip_space(r);
  return peek(r) == EOF;
}

static const char trailing_text[] =
    "unexpected text after the end of the JSON document; give one JSON array, one page, or one "
    "service per line (NDJSON)";

json_t *oruk_reader_parse(const struct oruk_rec *rec, const char *text, size_t len, char *msg,
                          size_t msglen)
{
  json_error_t jerr;
  json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
  if (v)
    return v;
  int jl = jerr.line < 1 ? 1 : jerr.line;
  unsigned long jc = jerr.column < 1 ? 1 : (unsigned long)jerr.column;
  unsigned long line = rec->line + (unsigned long)jl - 1;
  unsigned long col = jl == 1 ? rec->col + jc - 1 : jc;
  bool ndjson = strncmp(rec->label, "line ", 5) == 0;
  snprintf(msg, msglen, "line %lu, column %lu: invalid JSON%s%s: %s; correct the JSON syntax", line,
           col, ndjson ? "" : " in ", ndjson ? "" : rec->label, jerr.text);
  return NULL;
}

/* Work out the file's format from its first bytes. Returns ORUK_REC_END to
 * mean "mode chosen, read on", or a message. */
static enum oruk_rec_kind detect(struct oruk_reader *r, struct oruk_rec *rec, struct buf *text)
{
  if (peek(r) == 0xEF) { /* UTF-8 byte order mark */
    get(r);
    if (get(r) != 0xBB || get(r) != 0xBF) {
      r->mode = M_DONE;
      return message(rec, 1, 1, true, "the file does not start with JSON; give UTF-8 JSON text");
    }
    r->col = 1;
  }
  skip_space(r);
  int ch = peek(r);
  unsigned long line = r->line, col = r->col;
  if (ch == EOF) {
    r->mode = M_DONE;
    return message(rec, line, 0, false,
                   "the file is empty; give a JSON array of services, a page with \"contents\", "
                   "or NDJSON (one service per line)");
  }
  if (ch == '[') {
    get(r);
    r->mode = M_ARRAY;
    return ORUK_REC_END;
  }
  if (ch != '{') {
    r->mode = M_DONE;
    return message(rec, line, col, true,
                   "expected '[' (a JSON array of services) or '{' (a page, or NDJSON with one "
                   "service per line), found '%c'",
                   ch >= ' ' && ch < 127 ? ch : '?');
  }
  /* The first line decides: a complete value on it means NDJSON (or a page on
   * one line); an incomplete one means one document over several lines. */
  bool fits = scan_line(r, text);
  json_error_t jerr;
  json_t *v = fits ? json_loadb(text->data, text->len, JSON_REJECT_DUPLICATES, &jerr) : NULL;
  if (v && is_page(v)) {
    r->doc = v;
    r->mode = M_PAGE;
    if (!at_end(r)) {
      r->mode = M_DONE;
      return message(rec, r->line, r->col, true, trailing_text);
    }
    return ORUK_REC_END;
  }
  if (v || !fits || json_error_code(&jerr) != json_error_premature_end_of_input) {
    /* NDJSON. The first line is handed out as the first record (re-parsed
     * from its text so that errors are reported the same way as others). */
    json_decref(v);
    r->mode = M_LINES;
    r->first_line = line;
    r->first_col = col;
    return fits ? ORUK_REC_TEXT
                : message(rec, line, 0, false,
                          "the line is longer than %u bytes; a service must be smaller",
                          ORUK_READER_MAX_RECORD);
  }
  /* One document over several lines: read it all. */
  put(text, '\n');
  while ((ch = get(r)) != EOF) {
    if (text->len >= ORUK_READER_MAX_DOCUMENT) {
      r->mode = M_DONE;
      return message(rec, line, col, true,
                     "the JSON document is larger than %u MiB; split it or give NDJSON (one "
                     "service per line)",
                     ORUK_READER_MAX_DOCUMENT >> 20);
    }
    put(text, (char)ch);
  }
  struct oruk_rec whole = {.line = line, .col = col};
  snprintf(whole.label, sizeof whole.label, "the document");
  char msg[sizeof rec->message];
  r->doc = oruk_reader_parse(&whole, text->data, text->len, msg, sizeof msg);
  if (!r->doc) {
    r->mode = M_DONE;
    rec->kind = ORUK_REC_MESSAGE;
    snprintf(rec->message, sizeof rec->message, "%s", msg);
    return rec->kind;
  }
  r->mode = is_page(r->doc) ? M_PAGE : M_SINGLE;
  return ORUK_REC_END;
}

static enum oruk_rec_kind next_in_array(struct oruk_reader *r, struct oruk_rec *rec,
                                        struct buf *text)
{
  skip_space(r);
  int ch = peek(r);
  if (r->array_started) {
    if (ch == ',') {
      get(r);
      skip_space(r);
      ch = peek(r);
      if (ch == ']') {
        r->mode = M_DONE;
        return message(rec, r->line, r->col, true, "a comma before ']'; remove the last comma");
      }
    } else if (ch == ']') {
      get(r);
      r->mode = M_DONE;
      return at_end(r) ? ORUK_REC_END : message(rec, r->line, r->col, true, trailing_text);
    } else {
      r->mode = M_DONE;
      if (ch == EOF)
        return message(rec, r->line, r->col, true,
                       "the file ends inside the array; add the closing ']'");
      return message(rec, r->line, r->col, true, "expected ',' or ']' after record %zu", r->recno);
    }
  } else if (ch == ']') {
    get(r);
    r->mode = M_DONE;
    return at_end(r) ? ORUK_REC_END : message(rec, r->line, r->col, true, trailing_text);
  }
  if (ch == EOF) {
    r->mode = M_DONE;
    return message(rec, r->line, r->col, true,
                   "the file ends inside the array; add the closing ']'");
  }
  r->array_started = true;
  rec->line = r->line;
  rec->col = r->col;
  r->recno++;
  snprintf(rec->label, sizeof rec->label, "record %zu (line %lu)", r->recno, rec->line);
  if (!scan_value(r, text))
    return message(rec, rec->line, rec->col, true,
                   "record %zu is larger than %u bytes; a service must be smaller", r->recno,
                   ORUK_READER_MAX_RECORD);
  return rec->kind = ORUK_REC_TEXT;
}

enum oruk_rec_kind oruk_reader_next(struct oruk_reader *r, struct oruk_rec *rec, struct buf *text)
{
  memset(rec, 0, offsetof(struct oruk_rec, message));
  rec->message[0] = '\0';
  for (;;) {
    switch (r->mode) {
    case M_START: {
      enum oruk_rec_kind k = detect(r, rec, text);
      if (k == ORUK_REC_TEXT || (k == ORUK_REC_MESSAGE && r->mode == M_LINES)) {
        /* the first NDJSON line */
        r->recno = 1;
        rec->line = r->first_line;
        rec->col = r->first_col;
        snprintf(rec->label, sizeof rec->label, "line %lu", rec->line);
        return rec->kind = k;
      }
      if (k != ORUK_REC_END)
        return k;
      continue;
    }
    case M_SINGLE:
      r->mode = M_DONE;
      r->recno = 1;
      snprintf(rec->label, sizeof rec->label, "record 1");
      rec->value = r->doc;
      r->doc = NULL;
      return rec->kind = ORUK_REC_JSON;
    case M_PAGE: {
      json_t *contents = json_object_get(r->doc, "contents");
      if (r->page_i >= json_array_size(contents)) {
        r->mode = M_DONE;
        continue;
      }
      r->recno = r->page_i + 1;
      snprintf(rec->label, sizeof rec->label, "contents[%zu]", r->page_i);
      rec->value = json_incref(json_array_get(contents, r->page_i++));
      return rec->kind = ORUK_REC_JSON;
    }
    case M_LINES: {
      skip_space(r);
      if (peek(r) == EOF) {
        r->mode = M_DONE;
        continue;
      }
      rec->line = r->line;
      rec->col = r->col;
      snprintf(rec->label, sizeof rec->label, "line %lu", rec->line);
      if (!scan_line(r, text)) {
        r->recno++;
        return message(rec, rec->line, 0, false,
                       "the line is longer than %u bytes; a service must be smaller",
                       ORUK_READER_MAX_RECORD);
      }
      if (only_space(text))
        continue;
      r->recno++;
      return rec->kind = ORUK_REC_TEXT;
    }
    case M_ARRAY:
      return next_in_array(r, rec, text);
    case M_DONE:
      return rec->kind = ORUK_REC_END;
    }
  }
}
