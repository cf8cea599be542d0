/* app_init.c: builds and tears down the application state in one place.
 * Each capability that needs state at start adds its step here. */
#include "app_init.h"
#include "campaign/campaign.h"
#include "checkin/checkin.h"
#include "content/content.h"
#include "directory/import.h"
#include "directory/state.h"
#include "lib/conf.h"
#include "lib/log.h"
#include "resources/catalogue.h"
#include "store/store.h"
#include "timeline/timeline.h"
#include "web/pages.h"
#include "web/statics.h"
#include <stdio.h>
#include <string.h>

bool app_init(struct app *app, bool open_store, char *err, size_t errlen)
{
  app->content = content_load(app->cfg.content_dir, err, errlen);
  if (!app->content)
    return false;
  app->statics = statics_build(&app->cfg, err, errlen);
  if (!app->statics)
    return false;
  app->pages = pages_build(app->content, err, errlen);
  if (!app->pages)
    return false;
  app->campaigns = campaign_load(app->content, err, errlen);
  if (!app->campaigns)
    return false;
  app->resources = catalogue_load(app->content, err, errlen);
  if (!app->resources)
    return false;
  app->instruments = instrument_set_load(app->content, &app->cfg, err, errlen);
  if (!app->instruments)
    return false;
  app->timeline = timeline_load(app->content, err, errlen);
  if (!app->timeline)
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
  instrument_set_free(app->instruments);
  timeline_free(app->timeline);
  pages_free(app->pages);
  statics_free(app->statics);
  content_free(app->content);
  conf_free(&app->cfg);
  memset(app, 0, sizeof *app);
}
