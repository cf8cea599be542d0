/* log.h: structured log lines (one JSON object per line) on stderr. */
#ifndef FD_LOG_H
#define FD_LOG_H

/* Log a message at level ("info", "warn", "error") with printf formatting. */
void log_msg(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One line per request: method, path (never the query: it may hold personal
 * answers), status, bytes sent and duration. */
void log_request(const char *method, const char *path, int status, unsigned long long bytes,
                 long long micros);

#endif
