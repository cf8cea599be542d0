/* state.h: the directory index the server is using now (app->directory), and
 * how it is replaced when the data changes.
 *
 * Swapping: the current index sits behind a mutex held only long enough to
 * copy the pointer and take a reference. A request takes a reference at its
 * start and drops it at its end, so it sees one index throughout; a rebuild
 * makes a whole new index off to the side, swaps the pointer, and drops the
 * state's reference to the old one, which is freed when its last reader
 * finishes. No request waits for a rebuild and none touches the database.
 *
 * Rebuilding: a watcher thread rebuilds the index
 *  - on SIGHUP (kill -HUP <pid>), and
 *  - when the store's "directory_updated_at" setting changes (checked every
 *    DIRECTORY_POLL_SECONDS), which every `firstdays import` sets, so a
 *    running server picks up an import within seconds.
 * The SIGHUP signal is blocked in every thread started after
 * directory_state_start() and taken only by the watcher.
 *
 * Source of the data: the store's directory operations; or, when the
 * environment variable FIRSTDAYS_DIRECTORY_FILES names a folder, its
 * services.ndjson and postcodes.csv (for benchmarks and tests; see
 * src/directory/files.h). */
#ifndef FD_DIRECTORY_STATE_H
#define FD_DIRECTORY_STATE_H
#include "index.h"
#include <stdbool.h>
#include <stddef.h>

#define DIRECTORY_POLL_SECONDS 2
#define DIRECTORY_VERSION_KEY "directory_updated_at"
#define DIRECTORY_TAXONOMY_FILE "directory/taxonomy.json"
#define DIRECTORY_FILES_ENV "FIRSTDAYS_DIRECTORY_FILES"

struct directory_state;
struct store;
struct content;

/* Start the watcher, which builds the first index from the store while the
 * server answers (directory_state_loading is true until then, and the
 * current index is empty); from FIRSTDAYS_DIRECTORY_FILES the first index
 * is built before this returns. The taxonomies described in the
 * content file directory/taxonomy.json, when there is one, are added first.
 * store and content may be NULL; both must outlive the state. Problems with
 * single records are logged and the records skipped; returns NULL with a
 * message in err only when FIRSTDAYS_DIRECTORY_FILES names a folder that
 * cannot be read. */
struct directory_state *directory_state_start(struct store *store, const struct content *content,
                                              char *err, size_t errlen);
/* Stop the watcher and drop the current index. NULL is ignored. */
void directory_state_stop(struct directory_state *st);
/* The current index, with a reference the caller drops with
 * directory_index_unref(). Never NULL for a started state. */
struct directory_index *directory_state_acquire(struct directory_state *st);
/* Replace the current index with ix (the state takes the caller's reference). */
void directory_state_swap(struct directory_state *st, struct directory_index *ix);
/* Rebuild from the source now, on the calling thread, and swap. Returns false
 * (and keeps the current index) if the source cannot be read. */
bool directory_state_reload(struct directory_state *st);
/* True until the first index from the store has been built: answers that
 * would list services say "try again in a few seconds" instead of "none". */
bool directory_state_loading(struct directory_state *st);
/* Number of indexes swapped in so far (1 after start). */
unsigned long directory_state_generation(struct directory_state *st);

#endif
