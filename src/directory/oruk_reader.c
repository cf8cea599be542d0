/* oruk_reader.c: format detection and record splitting for ORUK service files
 * (see oruk_reader.h). The file's first value and array elements are found by
 * bracket depth (outside strings), so only one element is in memory at a time
 * and the shape of a file never depends on how long its lines are; jansson
 * checks the syntax of each record afterwards. */
#include "oruk_reader.h"
#include "../lib/util.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum mode { M_START, M_ARRAY, M_LINES, M_PAGE, M_SINGLE, M_DONE };

/* Bytes read from the file at a time. */
#define READ_CHUNK 65536

struct oruk_reader {
  FILE *f;
  unsigned char *in; /* READ_CHUNK bytes read ahead of the reader's position */
  size_t in_pos, in_len;
  bool eof;
  unsigned long line, col; /* position of the next byte */
  enum mode mode;
  bool array_started; /* an element has been read (a comma is expected) */
  json_t *doc;        /* M_PAGE / M_SINGLE: the whole document */
  size_t page_i;
  unsigned long first_line, first_col; /* M_LINES: where the first line starts */
  size_t recno;
};

struct oruk_reader *oruk_reader_new(FILE *f)
{
  struct oruk_reader *r = xcalloc(1, sizeof *r);
  r->f = f;
  r->in = xmalloc(READ_CHUNK);
  r->line = r->col = 1;
  return r;
}

void oruk_reader_free(struct oruk_reader *r)
{
  if (!r)
    return;
  json_decref(r->doc);
  free(r->in);
  free(r);
}

size_t oruk_reader_records(const struct oruk_reader *r)
{
  return r->recno;
}

/* Make sure a byte is waiting; false at the end of the file (or on a read
 * error, which the caller sees with ferror). */
static bool fill(struct oruk_reader *r)
{
  if (r->in_pos < r->in_len)
    return true;
  if (r->eof)
    return false;
  r->in_pos = 0;
  r->in_len = fread(r->in, 1, READ_CHUNK, r->f);
  if (r->in_len == 0)
    r->eof = true;
  return r->in_len > 0;
}

static int peek(struct oruk_reader *r)
{
  return fill(r) ? r->in[r->in_pos] : EOF;
}

static int get(struct oruk_reader *r)
{
  if (!fill(r))
    return EOF;
  int ch = r->in[r->in_pos++];
  if (ch == '\n') {
    r->line++;
    r->col = 1;
  } else {
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

/* Read the rest of the current line, without the line break, onto the end of
 * text, keeping at most limit bytes in text. Returns false when the line is
 * longer: text is then emptied and the rest of the line is read past without
 * being kept, so a line of any length costs no more memory than limit. */
static bool scan_line(struct oruk_reader *r, struct buf *text, size_t limit)
{
  bool fits = true;
  while (fill(r)) {
    const unsigned char *p = r->in + r->in_pos;
    size_t avail = r->in_len - r->in_pos;
    const unsigned char *nl = memchr(p, '\n', avail);
    size_t n = nl ? (size_t)(nl - p) : avail;
    if (fits && text->len + n > limit) {
      fits = false;
      text->len = 0;
    }
    if (fits)
      buf_append(text, p, n);
    r->in_pos += n;
    r->col += n;
    if (nl) {
      get(r);
      break;
    }
  }
  if (text->data)
    text->data[text->len] = '\0';
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

static const char long_line[] =
    "the line is longer than %u MiB (%u bytes); a service must be smaller. Give one service per "
    "line (NDJSON), a JSON array of services, or a page with \"contents\"";

/* What the first JSON value of a file that starts with '{' says about the
 * file's shape. */
enum first {
  FIRST_LINE,      /* the value ends on the first line: an NDJSON record, or a page on one line */
  FIRST_BAD_LINE,  /* the first line is broken JSON on its own: NDJSON */
  FIRST_LONG_LINE, /* the first line passed ORUK_READER_MAX_RECORD and is no page: NDJSON */
  FIRST_DOCUMENT,  /* a value over several lines (or cut off by the end of the file) */
  FIRST_BIG_PAGE,  /* a page larger than ORUK_READER_MAX_DOCUMENT */
  FIRST_BIG_VALUE, /* a value over several lines, larger than a record and no page */
};

/* Read the file's first value into text by bracket depth (outside strings),
 * and the rest of its line when it ends on the first line. The length of a
 * line decides nothing: a value may grow past ORUK_READER_MAX_RECORD only
 * when it has a top-level "contents" array (a page), and then up to
 * ORUK_READER_MAX_DOCUMENT; *page says whether it has one. */
static enum first scan_first(struct oruk_reader *r, struct buf *text, bool *page)
{
  static const char contents_key[] = "\"contents\"";
  enum { K_OTHER, K_CONTENTS, K_COLON } key = K_OTHER; /* what a '[' at depth 1 follows */
  int depth = 0;
  bool in_str = false, esc = false, multiline = false;
  size_t str_start = 0;
  text->len = 0;
  *page = false;
  for (;;) {
    int ch = peek(r);
    if (ch == EOF)
      return FIRST_DOCUMENT; /* cut off: the parser says where */
    if (ch == '\n' && !multiline && !in_str) {
      /* The first line ends inside the value: one document over several
       * lines, unless the line is broken JSON on its own (a bad NDJSON line). */
      json_error_t jerr;
      json_t *v = json_loadb(text->data, text->len, JSON_REJECT_DUPLICATES, &jerr);
      json_decref(v);
      if (json_error_code(&jerr) != json_error_premature_end_of_input) {
        get(r);
        return FIRST_BAD_LINE;
      }
      multiline = true;
    }
    if (text->len >= (*page ? ORUK_READER_MAX_DOCUMENT : ORUK_READER_MAX_RECORD))
      return *page ? FIRST_BIG_PAGE : multiline ? FIRST_BIG_VALUE : FIRST_LONG_LINE;
    get(r);
    put(text, (char)ch);
    bool was_in_str = in_str;
    if (in_string(ch, &in_str, &esc)) {
      if (!was_in_str) {
        str_start = text->len - 1;
      } else if (!in_str && depth == 1) {
        size_t n = text->len - str_start;
        key = n == sizeof contents_key - 1 && memcmp(text->data + str_start, contents_key, n) == 0
                  ? K_CONTENTS
                  : K_OTHER;
      }
      continue;
    }
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
      continue;
    if (depth == 1 && ch == ':' && key == K_CONTENTS) {
      key = K_COLON;
      continue;
    }
    if (depth == 1 && ch == '[' && key == K_COLON)
      *page = true;
    key = K_OTHER;
    if (ch == '{' || ch == '[') {
      depth++;
    } else if ((ch == '}' || ch == ']') && --depth == 0) {
      if (multiline)
        return FIRST_DOCUMENT;
      return scan_line(r, text, *page ? ORUK_READER_MAX_DOCUMENT : ORUK_READER_MAX_RECORD)
                 ? FIRST_LINE
                 : FIRST_LONG_LINE;
    }
  }
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
  bool page;
  enum first first = scan_first(r, text, &page);
  r->first_line = line;
  r->first_col = col;
  switch (first) {
  case FIRST_LINE:
    if (page) {
      json_error_t jerr;
      json_t *v = json_loadb(text->data, text->len, JSON_REJECT_DUPLICATES, &jerr);
      if (is_page(v)) {
        r->doc = v;
        r->mode = M_PAGE;
        buf_free(text);
        if (!at_end(r)) {
          r->mode = M_DONE;
          return message(rec, r->line, r->col, true, trailing_text);
        }
        return ORUK_REC_END;
      }
      json_decref(v);
      if (text->len > ORUK_READER_MAX_RECORD) {
        buf_free(text);
        r->mode = M_LINES;
        return message(rec, line, 0, false, long_line, ORUK_READER_MAX_RECORD >> 20,
                       ORUK_READER_MAX_RECORD);
      }
    }
    /* NDJSON. The first line is handed out as the first record, parsed later
     * like the others so that its errors are reported the same way. */
    r->mode = M_LINES;
    return ORUK_REC_TEXT;
  case FIRST_BAD_LINE:
    r->mode = M_LINES;
    return ORUK_REC_TEXT;
  case FIRST_LONG_LINE:
    text->len = 0;
    scan_line(r, text, 0);
    r->mode = M_LINES;
    return message(rec, line, 0, false, long_line, ORUK_READER_MAX_RECORD >> 20,
                   ORUK_READER_MAX_RECORD);
  case FIRST_BIG_PAGE:
    r->mode = M_DONE;
    return message(rec, line, col, true,
                   "the page is larger than %u MiB; split it into several pages or give NDJSON "
                   "(one service per line)",
                   ORUK_READER_MAX_DOCUMENT >> 20);
  case FIRST_BIG_VALUE:
    r->mode = M_DONE;
    return message(rec, line, col, true,
                   "the JSON document is larger than %u MiB and is not a page with \"contents\"; "
                   "a service must be smaller",
                   ORUK_READER_MAX_RECORD >> 20);
  case FIRST_DOCUMENT:
    break;
  }
  /* One document over several lines: a page, or one service. */
  struct oruk_rec whole = {.line = line, .col = col};
  snprintf(whole.label, sizeof whole.label, "the document");
  char msg[sizeof rec->message];
  r->doc = oruk_reader_parse(&whole, text->data, text->len, msg, sizeof msg);
  buf_free(text);
  if (!r->doc) {
    r->mode = M_DONE;
    rec->kind = ORUK_REC_MESSAGE;
    snprintf(rec->message, sizeof rec->message, "%s", msg);
    return rec->kind;
  }
  if (!at_end(r)) {
    r->mode = M_DONE;
    return message(rec, r->line, r->col, true, trailing_text);
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
      text->len = 0;
      if (!scan_line(r, text, ORUK_READER_MAX_RECORD)) {
        r->recno++;
        return message(rec, rec->line, 0, false, long_line, ORUK_READER_MAX_RECORD >> 20,
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
