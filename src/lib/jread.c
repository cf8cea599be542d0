/* jread.c: shared helpers of the JSON content readers (see jread.h). */
#include "jread.h"
#include <stdarg.h>
#include <stdio.h>

bool jread_fail(char *err, size_t errlen, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
  return false;
}

bool jread_str(json_t *o, const char *key, bool required, const char **out, char *err,
               size_t errlen, const char *where)
{
  json_t *v = json_object_get(o, key);
  *out = NULL;
  if (!v || json_is_null(v))
    return !required || jread_fail(err, errlen, "%s'%s' is missing", where, key);
  if (!json_is_string(v) || json_string_length(v) == 0)
    return jread_fail(err, errlen, "%s'%s' must be a non-empty string", where, key);
  *out = json_string_value(v);
  return true;
}
