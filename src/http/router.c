/* router.c: matches a method and path against the route table.
 * Patterns are literal segments, '*' for exactly one non-empty segment (captured)
 * and a final '**' for the rest of the path (captured, may contain '/'). */
#include "http.h"
#include <string.h>

enum http_method http_method_from(const char *s)
{
  static const struct {
    const char *name;
    enum http_method m;
  } t[] = {{"GET", HTTP_GET},         {"HEAD", HTTP_HEAD},       {"POST", HTTP_POST},
           {"PUT", HTTP_PUT},         {"DELETE", HTTP_DELETE},   {"OPTIONS", HTTP_OPTIONS},
           {"PATCH", HTTP_PATCH}};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    if (strcmp(s, t[i].name) == 0)
      return t[i].m;
  return HTTP_OTHER;
}

/* Match one pattern; on success fill caps and return true. */
static bool pattern_match(const char *pat, const char *path, struct arena *a, const char **caps,
                          size_t *ncaps)
{
  size_t n = 0;
  const char *p = pat, *s = path;
  while (*p && *s) {
    if (p[0] == '*' && p[1] == '*') {
      if (!*s)
        return false;
      if (n < HTTP_MAX_CAPTURES)
        caps[n++] = arena_strdup(a, s);
      *ncaps = n;
      return p[2] == '\0';
    }
    if (p[0] == '*') {
      const char *e = strchr(s, '/');
      size_t len = e ? (size_t)(e - s) : strlen(s);
      if (len == 0)
        return false;
      if (n < HTTP_MAX_CAPTURES)
        caps[n++] = arena_strndup(a, s, len);
      p++;
      s += len;
      continue;
    }
    if (*p != *s)
      return false;
    p++;
    s++;
  }
  if (*p == '\0' && *s == '\0') {
    *ncaps = n;
    return true;
  }
  return false;
}

const struct http_route *http_route_match(const struct http_route *routes, size_t nroutes,
                                          enum http_method m, const char *path,
                                          struct arena *a, const char **caps, size_t *ncaps,
                                          unsigned *allowed)
{
  *allowed = 0;
  *ncaps = 0;
  for (size_t i = 0; i < nroutes; i++) {
    const struct http_route *r = &routes[i];
    /* Patterns and paths start with '/': the next character rules out most. */
    if (path[0] == '/' && r->path[1] != path[1] && r->path[1] != '*')
      continue;
    size_t nc = 0;
    const char *tmp[HTTP_MAX_CAPTURES];
    if (!pattern_match(r->path, path, a, tmp, &nc))
      continue;
    unsigned methods = r->methods;
    if (methods & HTTP_GET)
      methods |= HTTP_HEAD;
    if (methods & m) {
      memcpy(caps, tmp, nc * sizeof(*caps));
      *ncaps = nc;
      return r;
    }
    *allowed |= methods;
  }
  return NULL;
}
