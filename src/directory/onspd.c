/* onspd.c: streaming RFC 4180 CSV reader specialised for the ONSPD/NSPL
 * postcode files (see onspd.h). One row is held at a time. */
#include "onspd.h"
#include "postcode.h"
#include "../lib/buf.h"
#include "../lib/util.h"
#include "../lib/utf8.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum csv_state { AT_FIELD_START, IN_UNQUOTED, IN_QUOTED, AFTER_QUOTE };

/* Offset of a field whose text was not kept (a column we do not use). */
#define NOT_KEPT ((size_t)-1)

/* Column indexes found in the header; -1 when absent. */
struct columns {
  int pc, lat, lon, doterm, osgrdind;
};

struct onspd {
  bool (*emit)(void *cls, const struct store_postcode *pc);
  void *cls;
  bool allow_bt;
  enum onspd_status status;
  enum csv_state state;
  bool header_done;
  bool started; /* a byte has been seen (for the byte order mark) */
  size_t bom_seen;
  unsigned long line, row_line; /* current line; line the row started on */
  struct buf row;               /* the row's fields, each NUL-terminated */
  size_t field_start;           /* offset in row of the field being read */
  size_t offs[ONSPD_MAX_FIELDS];
  size_t nfields;
  bool row_has_data;
  struct columns col;
  bool keep[ONSPD_MAX_FIELDS]; /* columns whose text is kept (after the header) */
  struct onspd_stats stats;
  char err[512];
};

struct onspd *onspd_new(bool (*emit)(void *cls, const struct store_postcode *pc), void *cls,
                        bool allow_bt)
{
  struct onspd *p = xcalloc(1, sizeof *p);
  p->emit = emit;
  p->cls = cls;
  p->allow_bt = allow_bt;
  p->line = p->row_line = 1;
  buf_init(&p->row);
  return p;
}

void onspd_free(struct onspd *p)
{
  if (!p)
    return;
  buf_free(&p->row);
  free(p);
}

const char *onspd_error(const struct onspd *p)
{
  return p->err;
}

const struct onspd_stats *onspd_stats(const struct onspd *p)
{
  return &p->stats;
}

static const char *field(const struct onspd *p, int i)
{
  if (i < 0 || (size_t)i >= p->nfields)
    return NULL;
  return p->offs[i] == NOT_KEPT ? "" : p->row.data + p->offs[i];
}

/* The field with leading and trailing blanks removed, copied into out. */
static const char *trimmed(const char *s, char *out, size_t outlen)
{
  if (!s)
    return NULL;
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  if (n >= outlen)
    n = outlen - 1;
  memcpy(out, s, n);
  out[n] = '\0';
  return out;
}

static int find_column(const struct onspd *p, const char *const *names)
{
  for (const char *const *name = names; *name; name++)
    for (size_t i = 0; i < p->nfields; i++) {
      char h[64];
      trimmed(p->row.data + p->offs[i], h, sizeof h);
      if (strcasecmp(h, *name) == 0)
        return (int)i;
    }
  return -1;
}

static bool take_header(struct onspd *p)
{
  static const char *const pc_names[] = {"pcds", "pcd2", "pcd", "postcode", NULL};
  static const char *const lat_names[] = {"lat", "latitude", NULL};
  static const char *const lon_names[] = {"long", "lon", "longitude", NULL};
  static const char *const doterm_names[] = {"doterm", NULL};
  static const char *const grid_names[] = {"osgrdind", NULL};
  p->col.pc = find_column(p, pc_names);
  p->col.lat = find_column(p, lat_names);
  p->col.lon = find_column(p, lon_names);
  p->col.doterm = find_column(p, doterm_names);
  p->col.osgrdind = find_column(p, grid_names);
  if (p->col.pc >= 0 && p->col.lat >= 0 && p->col.lon >= 0) {
    int used[] = {p->col.pc, p->col.lat, p->col.lon, p->col.doterm, p->col.osgrdind};
    for (size_t i = 0; i < ARRAY_LEN(used); i++)
      if (used[i] >= 0)
        p->keep[used[i]] = true;
    return true;
  }
  char found[256] = "";
  for (size_t i = 0; i < p->nfields && strlen(found) < sizeof found - 40; i++)
    snprintf(found + strlen(found), sizeof found - strlen(found), "%s%.*s", i ? ", " : "",
             (int)utf8_prefix(p->row.data + p->offs[i], strlen(p->row.data + p->offs[i]), 30),
             p->row.data + p->offs[i]);
  snprintf(p->err, sizeof p->err,
           "line %lu: no %s column; an ONSPD or NSPL CSV starts with a header row naming at least "
           "pcds, lat and long (this one has: %s)",
           p->row_line,
           p->col.pc < 0    ? "pcds"
           : p->col.lat < 0 ? "lat"
                            : "long",
           found);
  return false;
}

static bool parse_coord(const char *s, double *out)
{
  char *end;
  if (!*s)
    return false;
  double v = strtod(s, &end);
  if (end == s || *end != '\0' || !isfinite(v))
    return false;
  *out = v;
  return true;
}

static void unreadable(struct onspd *p)
{
  if (p->stats.unreadable++ == 0)
    p->stats.first_unreadable_line = p->row_line;
}

/* One complete data row. Returns false to stop (emit said so). */
static bool take_row(struct onspd *p)
{
  char doterm[32], grid[8], lat_s[32], lon_s[32], pc_s[32];
  p->stats.rows++;
  const char *pc = trimmed(field(p, p->col.pc), pc_s, sizeof pc_s);
  const char *lat = trimmed(field(p, p->col.lat), lat_s, sizeof lat_s);
  const char *lon = trimmed(field(p, p->col.lon), lon_s, sizeof lon_s);
  if (!pc || !lat || !lon) {
    unreadable(p);
    return true;
  }
  const char *term = trimmed(field(p, p->col.doterm), doterm, sizeof doterm);
  if (term && *term) {
    p->stats.terminated++;
    return true;
  }
  const char *g = trimmed(field(p, p->col.osgrdind), grid, sizeof grid);
  double la, lo;
  if ((g && strcmp(g, "9") == 0) || !*lat || !*lon) {
    p->stats.no_location++;
    return true;
  }
  if (!parse_coord(lat, &la) || !parse_coord(lon, &lo)) {
    unreadable(p);
    return true;
  }
  if (fabs(la - 99.999999) < 1e-9 || la < -90 || la > 90 || lo < -180 || lo > 180) {
    p->stats.no_location++;
    return true;
  }
  struct store_postcode out;
  memset(&out, 0, sizeof out);
  if (postcode_normalise(pc, out.pc) != POSTCODE_OK) {
    unreadable(p);
    return true;
  }
  if (!p->allow_bt && out.pc[0] == 'B' && out.pc[1] == 'T' && isdigit((unsigned char)out.pc[2])) {
    p->stats.excluded++;
    return true;
  }
  out.lat = la;
  out.lon = lo;
  p->stats.kept++;
  return p->emit(p->cls, &out);
}

static bool end_field(struct onspd *p)
{
  if (p->nfields == ONSPD_MAX_FIELDS) {
    snprintf(p->err, sizeof p->err, "line %lu: more than %d fields in one row; is this a CSV file?",
             p->row_line, ONSPD_MAX_FIELDS);
    p->status = ONSPD_BAD_CSV;
    return false;
  }
  if (p->header_done && !p->keep[p->nfields]) {
    p->offs[p->nfields++] = NOT_KEPT;
    return true;
  }
  buf_putc(&p->row, '\0');
  p->offs[p->nfields++] = p->field_start;
  p->field_start = p->row.len;
  return true;
}

static void end_row(struct onspd *p)
{
  if (!end_field(p))
    return;
  bool blank = !p->row_has_data && p->nfields == 1;
  if (!blank) {
    if (!p->header_done) {
      if (take_header(p))
        p->header_done = true;
      else
        p->status = ONSPD_BAD_HEADER;
    } else if (!take_row(p)) {
      p->status = ONSPD_STOPPED;
    }
  }
  p->row.len = 0;
  p->field_start = 0;
  p->nfields = 0;
  p->row_has_data = false;
  p->row_line = p->line;
}

/* Append n bytes to the field being read. Fields of columns we do not use
 * are not kept (only their length would matter, and nothing reads them). */
static void put_span(struct onspd *p, const char *s, size_t n)
{
  p->row_has_data = true;
  if (p->header_done && (p->nfields >= ONSPD_MAX_FIELDS || !p->keep[p->nfields]))
    return;
  if (p->row.len - p->field_start + n > ONSPD_MAX_FIELD) {
    snprintf(p->err, sizeof p->err,
             "line %lu: a field is longer than %d bytes; is a quote left open?", p->row_line,
             ONSPD_MAX_FIELD);
    p->status = ONSPD_BAD_CSV;
    return;
  }
  buf_append(&p->row, s, n);
}

/* Bytes that end a run of ordinary text: in an unquoted field, and in a
 * quoted one (where the line break only matters for counting lines). */
static bool special_unquoted(char ch)
{
  return ch == ',' || ch == '\n' || ch == '\r';
}

static bool special_quoted(char ch)
{
  return ch == '"' || ch == '\n';
}

enum onspd_status onspd_feed(struct onspd *p, const char *data, size_t n)
{
  static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
  size_t i = 0;
  while (i < n && p->status == ONSPD_OK) {
    char ch = data[i];
    if (!p->started) {
      if (p->bom_seen < 3 && (unsigned char)ch == bom[p->bom_seen]) {
        p->bom_seen++;
        i++;
        continue;
      }
      p->started = true;
    }
    /* Runs of ordinary bytes go in at once. */
    if (p->state == IN_UNQUOTED ||
        (p->state == AT_FIELD_START && ch != '"' && !special_unquoted(ch))) {
      size_t j = i;
      while (j < n && !special_unquoted(data[j]))
        j++;
      if (j > i) {
        p->state = IN_UNQUOTED;
        put_span(p, data + i, j - i);
        i = j;
        continue;
      }
    } else if (p->state == IN_QUOTED) {
      size_t j = i;
      while (j < n && !special_quoted(data[j]))
        j++;
      if (j > i) {
        put_span(p, data + i, j - i);
        i = j;
        continue;
      }
    }
    i++;
    if (ch == '\n')
      p->line++;
    switch (p->state) {
    case AFTER_QUOTE:
      if (ch == '"') { /* a doubled quote stands for one */
        put_span(p, "\"", 1);
        p->state = IN_QUOTED;
        break;
      }
      /* Anything else ends the quoted part; text after it is kept, as
       * spreadsheets do. */
      p->state = IN_UNQUOTED;
      /* fall through */
    case AT_FIELD_START:
      if (p->state == AT_FIELD_START && ch == '"') {
        p->state = IN_QUOTED;
        p->row_has_data = true;
        break;
      }
      p->state = IN_UNQUOTED;
      /* fall through */
    case IN_UNQUOTED:
      if (ch == ',') {
        p->row_has_data = true;
        end_field(p);
        p->state = AT_FIELD_START;
      } else if (ch == '\n') {
        end_row(p);
        p->state = AT_FIELD_START;
      } else if (ch != '\r') {
        put_span(p, &ch, 1);
      }
      break;
    case IN_QUOTED:
      if (ch == '"')
        p->state = AFTER_QUOTE;
      else
        put_span(p, &ch, 1);
      break;
    }
  }
  return p->status;
}

enum onspd_status onspd_finish(struct onspd *p)
{
  if (p->status != ONSPD_OK)
    return p->status;
  if (p->state == IN_QUOTED) {
    snprintf(p->err, sizeof p->err,
             "line %lu: a quoted field is not closed before the end of the file; add the closing "
             "\"",
             p->row_line);
    p->status = ONSPD_BAD_CSV;
    return p->status;
  }
  if (p->row_has_data || p->nfields > 0)
    end_row(p);
  if (p->status == ONSPD_OK && !p->header_done) {
    snprintf(p->err, sizeof p->err,
             "the file is empty; an ONSPD or NSPL CSV starts with a header row naming at least "
             "pcds, lat and long");
    p->status = ONSPD_BAD_HEADER;
  }
  return p->status;
}
