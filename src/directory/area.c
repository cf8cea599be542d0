/* area.c: a postcode district or a town as a point to search around
 * (see area.h). */
#include "area.h"
#include "postcode.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

bool directory_outward_normalise(const char *in, char out[DIRECTORY_OUTWARD_MAX])
{
  out[0] = '\0';
  while (*in == ' ')
    in++;
  size_t n = 0;
  char code[DIRECTORY_OUTWARD_MAX];
  for (; in[n] && in[n] != ' '; n++) {
    if (n >= DIRECTORY_OUTWARD_MAX - 1 || !isalnum((unsigned char)in[n]))
      return false;
    code[n] = (char)toupper((unsigned char)in[n]);
  }
  for (const char *p = in + n; *p; p++)
    if (*p != ' ')
      return false;
  if (n < 2)
    return false;
  code[n] = '\0';
  /* The shape rules are postcode.c's: an outward code is valid when it
   * makes a valid postcode with any valid inward code. */
  char probe[16], norm[POSTCODE_MAX];
  snprintf(probe, sizeof probe, "%s 1AA", code);
  if (postcode_normalise(probe, norm) != POSTCODE_OK || strcmp(norm, probe) != 0)
    return false;
  memcpy(out, code, n + 1);
  return true;
}

/* The key of the i-th postcode of the table. */
static uint32_t nth_key(const struct directory_index *ix, size_t i)
{
  char pc[POSTCODE_MAX];
  double lat, lon;
  uint32_t key = 0;
  if (directory_postcode_nth(ix, i, pc, &lat, &lon))
    postcode_pack(pc, &key);
  return key;
}

/* The first index of the table whose key is at least key. */
static size_t lower_bound(const struct directory_index *ix, uint32_t key)
{
  size_t lo = 0, hi = directory_postcode_count(ix);
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (nth_key(ix, mid) < key)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

size_t directory_outward_centre(const struct directory_index *ix, const char *outward, double *lat,
                                double *lon)
{
  /* A district's postcodes are one run of the table: the key is the outward
   * code's number times the inward codes, plus the inward code's number. */
  char first[16], last[16];
  uint32_t k0, k1;
  snprintf(first, sizeof first, "%s 0AA", outward);
  snprintf(last, sizeof last, "%s 9ZZ", outward);
  if (!postcode_pack(first, &k0) || !postcode_pack(last, &k1))
    return 0;
  size_t from = lower_bound(ix, k0), to = lower_bound(ix, k1 + 1);
  double sum_lat = 0, sum_lon = 0;
  size_t n = 0;
  for (size_t i = from; i < to; i++) {
    char pc[POSTCODE_MAX];
    double la, lo;
    if (directory_postcode_nth(ix, i, pc, &la, &lo)) {
      sum_lat += la;
      sum_lon += lo;
      n++;
    }
  }
  if (n) {
    *lat = sum_lat / (double)n;
    *lon = sum_lon / (double)n;
  }
  return n;
}

/* s without the spaces around it, as a length. */
static size_t trimmed(const char **s)
{
  while (**s == ' ')
    (*s)++;
  size_t n = strlen(*s);
  while (n && (*s)[n - 1] == ' ')
    n--;
  return n;
}

size_t directory_town_centre(const struct directory_index *ix, const char *town, struct arena *a,
                             double *lat, double *lon, const char **name)
{
  size_t tn = trimmed(&town);
  if (!tn || tn > DIRECTORY_MAX_TEXT)
    return 0;
  /* The word index holds the towns of places: a text search finds the
   * places that may be in the town, and their addresses decide. */
  struct directory_query q;
  memset(&q, 0, sizeof q);
  q.unit = DIRECTORY_UNIT_SERVICE_AT_LOCATION;
  q.text = arena_strndup(a, town, tn);
  q.located = DIRECTORY_LOCATED_ONLY;
  q.per_page = DIRECTORY_TOWN_SCAN;
  q.page = 1;
  struct directory_result res;
  directory_search(ix, &q, a, &res);
  double sum_lat = 0, sum_lon = 0;
  size_t n = 0;
  for (size_t i = 0; i < res.nhits; i++) {
    uint32_t sal = res.hits[i].sal;
    double la, lo;
    if (sal == DIRECTORY_NONE || !directory_sal_point(ix, sal, &la, &lo))
      continue;
    json_t *loc = directory_sal_location_json(ix, sal);
    const char *city = json_string_value(
        json_object_get(json_array_get(json_object_get(loc, "addresses"), 0), "city"));
    size_t cn = city ? trimmed(&city) : 0;
    if (cn == tn && strncasecmp(city, town, tn) == 0) {
      if (!n)
        *name = arena_strndup(a, city, cn);
      sum_lat += la;
      sum_lon += lo;
      n++;
    }
    json_decref(loc);
  }
  if (n) {
    *lat = sum_lat / (double)n;
    *lon = sum_lon / (double)n;
  }
  return n;
}
