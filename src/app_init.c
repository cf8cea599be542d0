/* app_init.c: builds and tears down the application state in one place.
 * Each capability that needs state at start adds its step here. */
#include "app_init.h"
#include "campaign/campaign.h"
#include "checkin/checkin.h"
#include "content/content.h"
#include "content/urgent.h"
#include "directory/import.h"
#include "directory/state.h"
#include "lib/conf.h"
#include "lib/log.h"
#include "lib/util.h"
#include "resources/catalogue.h"
#include "store/store.h"
#include "timeline/timeline.h"
#include "web/pages.h"
#include "web/statics.h"
#include <stdio.h>
#include <string.h>

/* Each content module's load, in one shape: true when it loaded. */
static bool load_pages(struct app *app, char *err, size_t errlen)
{
  return (app->pages = pages_build(app->content, err, errlen)) != NULL;
}

static bool load_campaigns(struct app *app, char *err, size_t errlen)
{
  return (app->campaigns = campaign_load(app->content, err, errlen)) != NULL;
}

static bool load_resources(struct app *app, char *err, size_t errlen)
{
  return (app->resources = catalogue_load(app->content, err, errlen)) != NULL;
}

static bool load_instruments(struct app *app, char *err, size_t errlen)
{
  return (app->instruments = instrument_set_load(app->content, &app->cfg, err, errlen)) != NULL;
}

static bool load_urgent(struct app *app, char *err, size_t errlen)
{
  return (app->urgent = urgent_load(app->content, err, errlen)) != NULL;
}

static bool load_timeline(struct app *app, char *err, size_t errlen)
{
  return (app->timeline = timeline_load(app->content, err, errlen)) != NULL;
}

/* Load one module; when a file of the deployment's own stops it, set that
 * file aside (the built-in one serves again), note the problem for
 * /healthz and `check`, and load again. A content mistake never stops the
 * start: only a mistake the deployment's files do not explain does. */
static bool load_module(struct app *app, bool (*load)(struct app *, char *, size_t), char *err,
                        size_t errlen)
{
  while (!load(app, err, errlen)) {
    const char *name = content_local_named(app->content, err);
    if (!name)
      return false;
    log_msg("error", "content: %s; serving without the file %s (the built-in one where there "
                     "is one) until it is fixed",
            err, name);
    app->content_problems =
        xrealloc(app->content_problems, (app->ncontent_problems + 1) * sizeof(char *));
    app->content_problems[app->ncontent_problems++] = xstrdup(err);
    content_set_aside(app->content, name);
  }
  return true;
}

bool app_init(struct app *app, bool open_store, char *err, size_t errlen)
{
  static bool (*const modules[])(struct app *, char *, size_t) = {
      load_urgent, load_pages, load_campaigns, load_resources, load_instruments, load_timeline};
  app->content = content_load(app->cfg.content_dir, err, errlen);
  if (!app->content)
    return false;
  app->statics = statics_build(&app->cfg, err, errlen);
  if (!app->statics)
    return false;
  for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++)
    if (!load_module(app, modules[i], err, errlen))
      return false;
  if (open_store) {
    app->store = store_open(app->cfg.db_path, err, errlen);
    if (!app->store)
      return false;
    if (app->store->created && !directory_demo_load(app->store, app->content, err, errlen))
      return false;
  }
  app->directory = directory_state_start(app->store, app->content, err, errlen);
  if (!app->directory)
    return false;
  return true;
}

void app_free(struct app *app)
{
  directory_state_stop(app->directory);
  store_close(app->store);
  campaign_free(app->campaigns);
  catalogue_free(app->resources);
  urgent_free(app->urgent);
  instrument_set_free(app->instruments);
  timeline_free(app->timeline);
  pages_free(app->pages);
  statics_free(app->statics);
  content_free(app->content);
  for (size_t i = 0; i < app->ncontent_problems; i++)
    free(app->content_problems[i]);
  free(app->content_problems);
  conf_free(&app->cfg);
  memset(app, 0, sizeof *app);
}
