/* log.c: JSON-lines logging through jansson, so no field can break the line. */
#include "log.h"
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static void iso_now(char *out, size_t n)
{
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  size_t k = strftime(out, n, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out + k, n - k, ".%03ldZ", ts.tv_nsec / 1000000);
}

static void emit(json_t *o)
{
  char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
  if (s) {
    fprintf(stderr, "%s\n", s);
    free(s);
  }
  json_decref(o);
}

void log_msg(const char *level, const char *fmt, ...)
{
  char ts[40], msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  iso_now(ts, sizeof ts);
  json_t *o = json_object();
  json_object_set_new(o, "ts", json_string(ts));
  json_object_set_new(o, "level", json_string(level));
  json_t *m = json_string(msg);
  json_object_set_new(o, "msg", m ? m : json_string("(message not valid UTF-8)"));
  emit(o);
}

void log_request(const char *method, const char *path, int status, unsigned long long bytes,
                 long long micros)
{
  char ts[40];
  iso_now(ts, sizeof ts);
  json_t *o = json_object();
  json_object_set_new(o, "ts", json_string(ts));
  json_object_set_new(o, "level", json_string("info"));
  json_object_set_new(o, "method", json_string(method));
  json_t *p = json_string(path);
  json_object_set_new(o, "path", p ? p : json_string("(invalid UTF-8)"));
  json_object_set_new(o, "status", json_integer(status));
  json_object_set_new(o, "bytes", json_integer((json_int_t)bytes));
  json_object_set_new(o, "us", json_integer(micros));
  emit(o);
}
