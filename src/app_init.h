/* app_init.h: building the application state before serving. */
#ifndef FD_APP_INIT_H
#define FD_APP_INIT_H
#include "app.h"
#include <stdbool.h>
#include <stddef.h>

/* Load content, static files, pages and every module's data; open and migrate
 * the store when open_store. app->cfg must be filled in first. On failure
 * returns false with a message in err; call app_free() either way. */
bool app_init(struct app *app, bool open_store, char *err, size_t errlen);
void app_free(struct app *app);

#endif
