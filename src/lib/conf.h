/* conf.h: the deployment configuration file: "key = value" lines, '#' starts a
 * comment, blank lines ignored. Unknown keys and malformed lines are errors
 * naming the line, so a typo never goes unnoticed. */
#ifndef FD_CONF_H
#define FD_CONF_H
#include "../app.h"

/* base_url when the deployment does not set one: the loopback address of the
 * default listen. While it is this value, pages build their addresses from
 * the request's own Host (view_base_url()) and `firstdays check` warns. */
#define CONF_DEFAULT_BASE_URL "http://127.0.0.1:8080"

/* Fill cfg with the built-in defaults. */
void conf_defaults(struct config *cfg);
/* Read path into cfg. Returns false with a message in err. */
bool conf_load_file(struct config *cfg, const char *path, char *err, size_t errlen);
/* Set one key (used by the file reader and by flags). Returns false with a
 * message in err for an unknown key or a bad value. */
bool conf_set(struct config *cfg, const char *key, const char *value, char *err, size_t errlen);
void conf_free(struct config *cfg);

#endif
