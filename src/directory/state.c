/* state.c: the live directory index, its atomic replacement, and the watcher
 * thread that rebuilds it on SIGHUP or when the store's directory_updated_at
 * changes. See state.h for the scheme. */
#include "state.h"
#include "files.h"
#include "../content/content.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include "../store/store.h"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOGGED_PROBLEMS_MAX 20

struct directory_state {
  pthread_mutex_t mu;
  struct directory_index *cur; /* guarded by mu */
  unsigned long generation;    /* guarded by mu */
  struct store *store;
  const struct content *content;
  char *files_dir; /* FIRSTDAYS_DIRECTORY_FILES, or NULL */
  char *version;   /* last directory_updated_at seen, or NULL */
  pthread_t watcher;
  bool watching;
  atomic_bool stop;
  atomic_bool loading; /* the first index from the store is still being built */
};

struct store_walk {
  struct directory_builder *b;
  size_t added, skipped;
};

static bool add_service_cb(void *cls, json_t *service)
{
  struct store_walk *w = cls;
  char msg[256];
  if (directory_builder_add_service(w->b, service, msg, sizeof msg)) {
    w->added++;
  } else {
    if (w->skipped < LOGGED_PROBLEMS_MAX)
      log_msg("warn", "directory: skipped a stored service: %s", msg);
    w->skipped++;
  }
  return true;
}

static bool add_postcode_cb(void *cls, const struct store_postcode *pc)
{
  struct store_walk *w = cls;
  if (directory_builder_add_postcode(w->b, pc->pc, pc->lat, pc->lon))
    w->added++;
  else
    w->skipped++;
  return true;
}

static char *read_version(struct store *s)
{
  char *v = NULL;
  if (s && s->ops->meta_get && s->ops->meta_get(s, DIRECTORY_VERSION_KEY, &v) == STORE_OK)
    return v;
  free(v);
  return NULL;
}

/* The vocabularies in content/directory/taxonomy.json ({"taxonomies": [...]}),
 * if the content has them, so taxonomies are described in full. */
static void add_taxonomies(struct directory_builder *b, const struct content *c)
{
  const struct content_file *f = c ? content_get(c, DIRECTORY_TAXONOMY_FILE) : NULL;
  if (!f)
    return;
  json_error_t je;
  json_t *doc = json_loadb(f->data, f->len, 0, &je);
  if (!doc) {
    log_msg("warn",
            "directory: content/%s is not JSON (line %d: %s); taxonomies are described "
            "from the services only",
            DIRECTORY_TAXONOMY_FILE, je.line, je.text);
    return;
  }
  size_t i;
  json_t *t;
  json_array_foreach(json_object_get(doc, "taxonomies"), i, t)
  {
    char msg[200];
    if (!directory_builder_add_taxonomy(b, t, msg, sizeof msg))
      log_msg("warn", "directory: content/%s: taxonomies[%zu]: %s", DIRECTORY_TAXONOMY_FILE, i,
              msg);
  }
  json_decref(doc);
}

/* Build a new index from the source; NULL (logged) if it cannot be read. */
static struct directory_index *build(struct directory_state *st, char *err, size_t errlen)
{
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  struct directory_builder *b = directory_builder_new();
  add_taxonomies(b, st->content);
  size_t services = 0, skipped = 0, postcodes = 0, pc_skipped = 0;
  const char *from;
  if (st->files_dir) {
    struct directory_load_report rep;
    memset(&rep, 0, sizeof rep);
    if (!directory_load_dir(b, st->files_dir, &rep, err, errlen)) {
      directory_builder_free(b);
      return NULL;
    }
    if (rep.first_problem[0])
      log_msg("warn", "directory: skipped %zu services; the first: %s", rep.services_skipped,
              rep.first_problem);
    services = rep.services;
    skipped = rep.services_skipped;
    postcodes = rep.postcodes;
    pc_skipped = rep.postcodes_skipped;
    from = st->files_dir;
  } else if (st->store && st->store->ops->services_each && st->store->ops->postcodes_each) {
    struct store_walk w = {b, 0, 0};
    if (st->store->ops->services_each(st->store, add_service_cb, &w) != STORE_OK) {
      snprintf(err, errlen, "cannot read the services from the database");
      directory_builder_free(b);
      return NULL;
    }
    services = w.added;
    skipped = w.skipped;
    w.added = w.skipped = 0;
    if (st->store->ops->postcodes_each(st->store, add_postcode_cb, &w) != STORE_OK) {
      snprintf(err, errlen, "cannot read the postcodes from the database");
      directory_builder_free(b);
      return NULL;
    }
    postcodes = w.added;
    pc_skipped = w.skipped;
    from = "the database";
  } else {
    from = "nowhere (this store has no directory data)";
  }
  struct directory_index *ix = directory_builder_finish(b);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  struct directory_stats s;
  directory_index_stats(ix, &s);
  log_msg("info",
          "directory: built from %s in %.2f s: %zu services (%zu skipped), %zu places (%zu with "
          "coordinates), %zu organisations, %zu taxonomy terms, %zu postcodes (%zu skipped), "
          "%.1f MB",
          from, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, services,
          skipped, s.service_at_locations, s.located, s.organizations, s.terms, postcodes,
          pc_skipped, (double)s.bytes / 1048576.0);
  return ix;
}

struct directory_index *directory_state_acquire(struct directory_state *st)
{
  pthread_mutex_lock(&st->mu);
  struct directory_index *ix = st->cur;
  directory_index_ref(ix);
  pthread_mutex_unlock(&st->mu);
  return ix;
}

void directory_state_swap(struct directory_state *st, struct directory_index *ix)
{
  pthread_mutex_lock(&st->mu);
  struct directory_index *old = st->cur;
  st->cur = ix;
  st->generation++;
  pthread_mutex_unlock(&st->mu);
  directory_index_unref(old);
}

bool directory_state_loading(struct directory_state *st)
{
  return atomic_load(&st->loading);
}

unsigned long directory_state_generation(struct directory_state *st)
{
  pthread_mutex_lock(&st->mu);
  unsigned long g = st->generation;
  pthread_mutex_unlock(&st->mu);
  return g;
}

bool directory_state_reload(struct directory_state *st)
{
  char err[512];
  struct directory_index *ix = build(st, err, sizeof err);
  if (!ix) {
    log_msg("error", "directory: rebuild failed, keeping the current index: %s", err);
    return false;
  }
  directory_state_swap(st, ix);
  return true;
}

static void *watch(void *arg)
{
  struct directory_state *st = arg;
  /* Building an index takes a CPU for seconds: below the threads that
   * answer requests, so that urgent help and every page stay quick. */
  if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10) != 0)
    log_msg("warn", "directory: cannot lower the priority of the index builder");
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  /* The first index from the store, built here so that the server answers
   * (urgent help, every page, /healthz "starting") while it is built;
   * tried again at each poll if the store cannot be read. */
  while (atomic_load(&st->loading) && !atomic_load(&st->stop)) {
    if (directory_state_reload(st)) {
      atomic_store(&st->loading, false);
      break;
    }
    struct timespec ts = {DIRECTORY_POLL_SECONDS, 0};
    if (sigtimedwait(&set, NULL, &ts) < 0 && errno != EAGAIN && errno != EINTR)
      break;
  }
  while (!atomic_load(&st->stop)) {
    struct timespec ts = {DIRECTORY_POLL_SECONDS, 0};
    /* Where the store announces commits (PostgreSQL's NOTIFY), wait on that
     * instead, so an import on any server sharing the database reaches this
     * one at once; the version check below stays as the fallback, and a
     * SIGHUP sent meanwhile waits for it. */
    if (st->store && st->store->ops->changes_wait) {
      st->store->ops->changes_wait(st->store, DIRECTORY_POLL_SECONDS * 1000);
      ts.tv_sec = 0;
    }
    int sig = sigtimedwait(&set, NULL, &ts);
    if (atomic_load(&st->stop))
      break;
    if (sig == SIGHUP) {
      log_msg("info", "directory: SIGHUP received, rebuilding the index");
      free(st->version);
      st->version = read_version(st->store);
      directory_state_reload(st);
      continue;
    }
    char *v = read_version(st->store);
    bool changed = v && (!st->version || strcmp(v, st->version) != 0);
    if (changed) {
      log_msg("info", "directory: the data changed (updated at %s), rebuilding the index", v);
      free(st->version);
      st->version = v;
      directory_state_reload(st);
    } else {
      free(v);
    }
  }
  return NULL;
}

struct directory_state *directory_state_start(struct store *store, const struct content *content,
                                              char *err, size_t errlen)
{
  struct directory_state *st = xcalloc(1, sizeof *st);
  pthread_mutex_init(&st->mu, NULL);
  atomic_init(&st->stop, false);
  st->store = store;
  st->content = content;
  const char *dir = getenv(DIRECTORY_FILES_ENV);
  if (dir && *dir)
    st->files_dir = xstrdup(dir);
  st->version = read_version(store);
  /* From the store, the first index is built by the watcher while the
   * server already answers: at 100,000 services that takes seconds. From
   * the files (benchmarks and tests) it is built here, so that a folder
   * that cannot be read stops the start. */
  atomic_init(&st->loading, !st->files_dir && store);
  if (atomic_load(&st->loading)) {
    st->cur = directory_index_empty();
  } else {
    char msg[512];
    struct directory_index *ix = build(st, msg, sizeof msg);
    if (!ix) {
      snprintf(err, errlen, "directory: %s", msg);
      directory_state_stop(st);
      return NULL;
    }
    st->cur = ix;
  }
  st->generation = 1;
  /* SIGHUP is for the watcher only: block it here so every thread created from
   * now on (the HTTP workers) inherits the block, and sigtimedwait takes it. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  if (pthread_create(&st->watcher, NULL, watch, st) == 0) {
    st->watching = true;
  } else {
    log_msg("warn", "directory: cannot start the watcher thread; the index will not be rebuilt");
    if (atomic_load(&st->loading) && directory_state_reload(st))
      atomic_store(&st->loading, false);
  }
  return st;
}

void directory_state_stop(struct directory_state *st)
{
  if (!st)
    return;
  if (st->watching) {
    atomic_store(&st->stop, true);
    pthread_kill(st->watcher, SIGHUP);
    pthread_join(st->watcher, NULL);
  }
  directory_index_unref(st->cur);
  pthread_mutex_destroy(&st->mu);
  free(st->files_dir);
  free(st->version);
  free(st);
}
