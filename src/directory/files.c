/* files.c: loading services (NDJSON, JSON array or ORUK page) and postcode
 * centroids (ONSPD-style CSV) from files into a directory builder. */
#include "files.h"
#include "../lib/util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define CSV_MAX_FIELDS 256

static void note_problem(struct directory_load_report *rep, const char *where, const char *msg)
{
  if (!rep->first_problem[0])
    snprintf(rep->first_problem, sizeof rep->first_problem, "%s: %s", where, msg);
}

static void add_one(struct directory_builder *b, const json_t *svc, const char *path, size_t line,
                    struct directory_load_report *rep)
{
  char msg[200], where[300];
  if (directory_builder_add_service(b, svc, msg, sizeof msg)) {
    rep->services++;
    return;
  }
  rep->services_skipped++;
  snprintf(where, sizeof where, "%s:%zu", path, line);
  note_problem(rep, where, msg);
}

bool directory_load_services(struct directory_builder *b, const char *path,
                             struct directory_load_report *rep, char *err, size_t errlen)
{
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
    return false;
  }
  int c;
  while ((c = fgetc(f)) == ' ' || c == '\n' || c == '\r' || c == '\t')
    ;
  if (c == '[' || c == EOF) {
    /* A whole JSON document: an array of services. */
    ungetc(c, f);
    json_error_t je;
    json_t *doc = c == EOF ? json_array() : json_loadf(f, 0, &je);
    fclose(f);
    if (!doc) {
      snprintf(err, errlen, "%s:%d: not JSON: %s", path, je.line, je.text);
      return false;
    }
    size_t i;
    json_t *s;
    json_array_foreach(doc, i, s) add_one(b, s, path, i + 1, rep);
    json_decref(doc);
    return true;
  }
  ungetc(c, f);
  /* One JSON value per line; a single object with "contents" is an ORUK page. */
  char *line = NULL;
  size_t cap = 0, lineno = 0;
  ssize_t n;
  bool ok = true;
  while ((n = getline(&line, &cap, f)) >= 0) {
    lineno++;
    size_t len = (size_t)n;
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' '))
      len--;
    if (!len)
      continue;
    json_error_t je;
    json_t *j = json_loadb(line, len, 0, &je);
    if (!j) {
      if (lineno == 1) {
        /* Perhaps a pretty-printed page or object spanning lines. */
        rewind(f);
        j = json_loadf(f, 0, &je);
        if (!j) {
          snprintf(err, errlen, "%s:%d: not JSON: %s", path, je.line, je.text);
          ok = false;
          break;
        }
        fseek(f, 0, SEEK_END);
      } else {
        char where[300];
        snprintf(where, sizeof where, "%s:%zu", path, lineno);
        note_problem(rep, where, je.text);
        rep->services_skipped++;
        continue;
      }
    }
    json_t *contents = json_object_get(j, "contents");
    if (json_is_array(contents)) {
      size_t i;
      json_t *s;
      json_array_foreach(contents, i, s) add_one(b, s, path, i + 1, rep);
    } else {
      add_one(b, j, path, lineno, rep);
    }
    json_decref(j);
  }
  free(line);
  fclose(f);
  return ok;
}

/* Split one CSV record (RFC 4180 quoting, no embedded newlines) in place. */
static size_t csv_split(char *line, char **fields, size_t max)
{
  size_t n = 0;
  char *p = line;
  for (;;) {
    if (n == max)
      return n;
    char *out = p;
    fields[n++] = p;
    if (*p == '"') {
      p++;
      for (;;) {
        if (*p == '"' && p[1] == '"') {
          *out++ = '"';
          p += 2;
        } else if (*p == '"') {
          p++;
          break;
        } else if (!*p) {
          break;
        } else {
          *out++ = *p++;
        }
      }
      while (*p && *p != ',')
        p++;
    } else {
      while (*p && *p != ',')
        *out++ = *p++;
    }
    char sep = *p;
    *out = '\0';
    if (sep != ',')
      return n;
    p++;
  }
}

static int column(char **h, size_t n, const char *const *names)
{
  for (const char *const *nm = names; *nm; nm++)
    for (size_t i = 0; i < n; i++)
      if (strcasecmp(h[i], *nm) == 0)
        return (int)i;
  return -1;
}

bool directory_load_postcodes(struct directory_builder *b, const char *path,
                              struct directory_load_report *rep, char *err, size_t errlen)
{
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
    return false;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  char *fields[CSV_MAX_FIELDS];
  int c_pc = -1, c_lat = -1, c_lon = -1, c_term = -1, c_grd = -1;
  bool header = true, ok = true;
  while ((n = getline(&line, &cap, f)) >= 0) {
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
      line[--n] = '\0';
    if (header && (unsigned char)line[0] == 0xef && (unsigned char)line[1] == 0xbb &&
        (unsigned char)line[2] == 0xbf)
      memmove(line, line + 3, (size_t)n - 2); /* byte order mark */
    size_t nf = csv_split(line, fields, CSV_MAX_FIELDS);
    if (header) {
      static const char *const pc_names[] = {"pcds", "pcd", "pcd2", "postcode", NULL};
      static const char *const lat_names[] = {"lat", "latitude", NULL};
      static const char *const lon_names[] = {"long", "lon", "longitude", "lng", NULL};
      static const char *const term_names[] = {"doterm", NULL};
      static const char *const grd_names[] = {"osgrdind", NULL};
      c_pc = column(fields, nf, pc_names);
      c_lat = column(fields, nf, lat_names);
      c_lon = column(fields, nf, lon_names);
      c_term = column(fields, nf, term_names);
      c_grd = column(fields, nf, grd_names);
      if (c_pc < 0 || c_lat < 0 || c_lon < 0) {
        snprintf(err, errlen,
                 "%s: the header row needs columns named pcds, lat and long (as in the ONS "
                 "Postcode Directory)",
                 path);
        ok = false;
        break;
      }
      header = false;
      continue;
    }
    int need = c_pc > c_lat ? c_pc : c_lat;
    need = need > c_lon ? need : c_lon;
    if ((int)nf <= need || (c_term >= 0 && (int)nf > c_term && fields[c_term][0]) ||
        (c_grd >= 0 && (int)nf > c_grd && strcmp(fields[c_grd], "9") == 0)) {
      rep->postcodes_skipped++;
      continue;
    }
    char *e1, *e2;
    double lat = strtod(fields[c_lat], &e1), lon = strtod(fields[c_lon], &e2);
    if (e1 == fields[c_lat] || *e1 || e2 == fields[c_lon] || *e2 || lat > 99.9 ||
        !directory_builder_add_postcode(b, fields[c_pc], lat, lon)) {
      rep->postcodes_skipped++;
      continue;
    }
    rep->postcodes++;
  }
  free(line);
  fclose(f);
  return ok;
}

bool directory_load_dir(struct directory_builder *b, const char *dir,
                        struct directory_load_report *rep, char *err, size_t errlen)
{
  char sp[4096], pp[4096];
  struct stat st;
  snprintf(sp, sizeof sp, "%s/services.ndjson", dir);
  snprintf(pp, sizeof pp, "%s/postcodes.csv", dir);
  bool has_s = stat(sp, &st) == 0, has_p = stat(pp, &st) == 0;
  if (!has_s && !has_p) {
    snprintf(err, errlen, "%s holds neither services.ndjson nor postcodes.csv", dir);
    return false;
  }
  if (has_s && !directory_load_services(b, sp, rep, err, errlen))
    return false;
  if (has_p && !directory_load_postcodes(b, pp, rep, err, errlen))
    return false;
  return true;
}
