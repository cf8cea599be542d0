/* import.c: `firstdays import oruk` and `firstdays import postcodes`: reading
 * service files (JSON array, paginated page or NDJSON, detected) record by
 * record without holding the file in memory, checking every record, and
 * storing all of them in one transaction or none; and streaming ONSPD/NSPL
 * postcode CSVs into the store in batches. */
#include "import.h"
#include "claims.h"
#include "onspd.h"
#include "oruk_reader.h"
#include "oruk_validate.h"
#include "state.h"
#include "../content/content.h"
#include "../lib/buf.h"
#include "../lib/conf.h"
#include "../lib/util.h"
#include "../store/store.h"
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- a set of service ids seen in the file (open addressing) ---- */

struct id_entry {
  char *id;    /* lower case */
  char *exact; /* as written */
  char *label; /* where it was first seen */
};

struct id_set {
  struct id_entry *slots;
  size_t cap, n;
};

static size_t id_hash(const char *s)
{
  size_t h = 1469598103934665603ull;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static void id_set_free(struct id_set *set)
{
  for (size_t i = 0; i < set->cap; i++) {
    free(set->slots[i].id);
    free(set->slots[i].exact);
    free(set->slots[i].label);
  }
  free(set->slots);
  memset(set, 0, sizeof *set);
}

/* The key of an id: lower case (ids are UUIDs, at most 36 characters). */
static void id_key(char key[64], const char *id)
{
  snprintf(key, 64, "%s", id);
  for (char *k = key; *k; k++)
    if (*k >= 'A' && *k <= 'Z')
      *k = (char)(*k - 'A' + 'a');
}

/* The entry for key, or the empty slot where it would go; NULL while the set
 * has no slots. */
static struct id_entry *id_set_slot(const struct id_set *set, const char *key)
{
  if (!set->cap)
    return NULL;
  size_t j = id_hash(key) & (set->cap - 1);
  while (set->slots[j].id && strcmp(set->slots[j].id, key) != 0)
    j = (j + 1) & (set->cap - 1);
  return &set->slots[j];
}

/* The entry of the service whose id is exactly id, or NULL. */
static const struct id_entry *id_set_exact(const struct id_set *set, const char *id)
{
  char key[64];
  id_key(key, id);
  const struct id_entry *e = id_set_slot(set, key);
  return e && e->id && strcmp(e->exact, id) == 0 ? e : NULL;
}

/* Add id; returns the label of an earlier entry with the same id (in any
 * case), or NULL. */
static const char *id_set_add(struct id_set *set, const char *id, const char *label)
{
  if ((set->n + 1) * 2 > set->cap) {
    struct id_set bigger = {xcalloc(set->cap ? set->cap * 2 : 1024, sizeof *set->slots),
                            set->cap ? set->cap * 2 : 1024, 0};
    for (size_t i = 0; i < set->cap; i++) {
      struct id_entry *e = &set->slots[i];
      if (!e->id)
        continue;
      *id_set_slot(&bigger, e->id) = *e;
      bigger.n++;
    }
    free(set->slots);
    *set = bigger;
  }
  char key[64];
  id_key(key, id);
  struct id_entry *e = id_set_slot(set, key);
  if (e->id)
    return e->label;
  e->id = xstrdup(key);
  e->exact = xstrdup(id);
  e->label = xstrdup(label);
  set->n++;
  return NULL;
}

/* ---- checking records on worker threads ----
 *
 * The reader (this thread) splits the file into records and fills batches;
 * worker threads parse, canonicalise, check and serialise each record; this
 * thread takes the batches back in file order, prints their problems, checks
 * ids are unique, and hands the good services to the store, which writes them
 * all in one transaction. Parsing is most of the work, so this scales with
 * the number of processors. */

enum { BATCH_ITEMS = 64, MAX_WORKERS = 8 };

struct item {
  enum oruk_rec_kind kind;
  struct oruk_rec rec;
  struct buf text;     /* ORUK_REC_TEXT: the record's JSON text */
  json_t *v;           /* the canonical service, once parsed */
  char *dump;          /* v serialised with STORE_JSON_FLAGS, when it has no problems */
  bool text_is_json;   /* the text itself is stored (compact, nothing removed) */
  json_t *old_v;       /* the previous use's v and dump, freed by a worker so that */
  char *old_dump;      /* this thread spends its time feeding the database */
  struct buf problems; /* formatted problem lines */
  size_t nproblems;
  char id[40]; /* the service id when it is a UUID, else "" */
};

struct batch {
  struct item items[BATCH_ITEMS];
  size_t n;
  bool submitted, ready;
  struct batch *next_job;
};

struct importer {
  const char *name;
  FILE *errs;
  const struct oruk_vocab *vocab;
  bool dry_run;
  struct oruk_reader *reader;
  bool reader_done;
  /* the pool */
  pthread_mutex_t mu;
  pthread_cond_t job_cv, done_cv;
  struct batch *queue_head, *queue_tail;
  bool stop;
  pthread_t threads[MAX_WORKERS];
  size_t nthreads;
  struct batch *ring;
  size_t nring, ring_pos;
  struct batch *cur; /* batch being handed to the store */
  size_t cur_i;
  /* results */
  size_t problems;
  bool finished;
  struct id_set ids;                /* every service id in the file */
  struct directory_claims *claims;  /* the ids the index will give the good ones */
};

/* Worker side: one problem line into the item. */
struct item_report {
  const struct importer *im;
  struct item *it;
};

static void item_problem(void *cls, const char *path, const char *message)
{
  struct item_report *r = cls;
  struct item *it = r->it;
  buf_printf(&it->problems, "%s: %s", r->im->name, it->rec.label);
  if (it->id[0])
    buf_printf(&it->problems, " (id %s)", it->id);
  if (path && *path)
    buf_printf(&it->problems, ": %s", path);
  buf_printf(&it->problems, ": %s\n", message);
  it->nproblems++;
}

/* True when JSON text has no white space outside strings. */
static bool is_compact(const char *s, size_t n)
{
  bool in_str = false;
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if (in_str) {
      if (ch == '\\')
        i++;
      else if (ch == '"')
        in_str = false;
    } else if (ch == '"') {
      in_str = true;
    } else if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') {
      return false;
    }
  }
  return true;
}

static void process_item(const struct importer *im, struct item *it)
{
  json_decref(it->old_v);
  free(it->old_dump);
  it->old_v = NULL;
  it->old_dump = NULL;
  if (it->kind == ORUK_REC_MESSAGE) {
    buf_printf(&it->problems, "%s: %s\n", im->name, it->rec.message);
    it->nproblems = 1;
    return;
  }
  if (it->kind == ORUK_REC_TEXT) {
    char msg[600];
    it->v = oruk_reader_parse(&it->rec, buf_cstr(&it->text), it->text.len, msg, sizeof msg);
    if (!it->v) {
      buf_printf(&it->problems, "%s: %s\n", im->name, msg);
      it->nproblems = 1;
      return;
    }
  } else {
    it->v = it->rec.value;
    it->rec.value = NULL;
  }
  bool changed = oruk_canonicalise(it->v);
  const char *id = json_string_value(json_object_get(it->v, "id"));
  if (id && oruk_is_uuid(id))
    snprintf(it->id, sizeof it->id, "%s", id);
  struct item_report r = {im, it};
  oruk_validate_service(it->v, im->vocab, item_problem, &r);
  if (it->nproblems)
    return;
  /* A record that is already compact and lost nothing is stored as it came
   * (machine-written NDJSON usually is); any other is stored as jansson
   * writes it. Either way the export is jansson's form and round-trips. */
  if (it->kind == ORUK_REC_TEXT && !changed && is_compact(it->text.data, it->text.len)) {
    it->text_is_json = true;
    return;
  }
  it->dump = json_dumps(it->v, STORE_JSON_FLAGS);
  if (!it->dump)
    fatal("out of memory");
}

static void *worker_main(void *cls)
{
  struct importer *im = cls;
  for (;;) {
    pthread_mutex_lock(&im->mu);
    while (!im->stop && !im->queue_head)
      pthread_cond_wait(&im->job_cv, &im->mu);
    struct batch *b = im->queue_head;
    if (!b) {
      pthread_mutex_unlock(&im->mu);
      return NULL;
    }
    im->queue_head = b->next_job;
    if (!im->queue_head)
      im->queue_tail = NULL;
    pthread_mutex_unlock(&im->mu);
    for (size_t i = 0; i < b->n; i++)
      process_item(im, &b->items[i]);
    pthread_mutex_lock(&im->mu);
    b->ready = true;
    pthread_cond_broadcast(&im->done_cv);
    pthread_mutex_unlock(&im->mu);
  }
}

/* Make an item ready for reuse; its tree is freed later, by a worker. */
static void clear_item(struct item *it)
{
  json_decref(it->old_v);
  free(it->old_dump);
  it->old_v = it->v;
  it->old_dump = it->dump;
  json_decref(it->rec.value);
  it->v = it->rec.value = NULL;
  it->dump = NULL;
  it->text_is_json = false;
  it->problems.len = 0;
  if (it->problems.data)
    it->problems.data[0] = '\0';
  it->nproblems = 0;
  it->id[0] = '\0';
}

/* Refill b from the reader and queue it for the workers (unless the file is
 * done and b stays empty). */
static void fill_and_submit(struct importer *im, struct batch *b)
{
  for (size_t i = 0; i < b->n; i++)
    clear_item(&b->items[i]);
  b->n = 0;
  b->ready = false;
  b->submitted = false;
  while (b->n < BATCH_ITEMS && !im->reader_done) {
    struct item *it = &b->items[b->n];
    enum oruk_rec_kind k = oruk_reader_next(im->reader, &it->rec, &it->text);
    if (k == ORUK_REC_END) {
      im->reader_done = true;
      break;
    }
    it->kind = k;
    b->n++;
  }
  if (b->n == 0)
    return;
  b->submitted = true;
  b->next_job = NULL;
  pthread_mutex_lock(&im->mu);
  if (im->queue_tail)
    im->queue_tail->next_job = b;
  else
    im->queue_head = b;
  im->queue_tail = b;
  pthread_cond_signal(&im->job_cv);
  pthread_mutex_unlock(&im->mu);
}

/* Print an item's problem lines, up to IMPORT_MAX_PROBLEM_LINES in all. */
static void print_problems(struct importer *im, const struct item *it)
{
  const char *p = buf_cstr(&it->problems);
  for (size_t k = 0; k < it->nproblems; k++) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
    if (im->problems++ < IMPORT_MAX_PROBLEM_LINES)
      fwrite(p, 1, len, im->errs);
    p += len;
  }
}

/* One problem line, "NAME: LABEL (id ID): PATH: MESSAGE", counted and
 * printed up to IMPORT_MAX_PROBLEM_LINES in all. */
__attribute__((format(printf, 5, 6))) static void report(struct importer *im, const char *label,
                                                         const char *id, const char *path,
                                                         const char *fmt, ...)
{
  if (im->problems++ >= IMPORT_MAX_PROBLEM_LINES)
    return;
  fprintf(im->errs, "%s: %s (id %s): %s: ", im->name, label, id, path);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(im->errs, fmt, ap);
  va_end(ap);
  fputc('\n', im->errs);
}

/* The store's source of services: the next good record, in file order. Every
 * record is read, so that every problem is reported; once there is one,
 * nothing more is stored, and commit_batch rolls the batch back. */
static int next_service(void *cls, json_t **service, const char **json)
{
  struct importer *im = cls;
  for (;;) {
    if (!im->cur) {
      struct batch *b = &im->ring[im->ring_pos];
      if (!b->submitted)
        return 0;
      pthread_mutex_lock(&im->mu);
      while (!b->ready)
        pthread_cond_wait(&im->done_cv, &im->mu);
      pthread_mutex_unlock(&im->mu);
      im->cur = b;
      im->cur_i = 0;
    }
    if (im->cur_i == im->cur->n) {
      fill_and_submit(im, im->cur);
      im->ring_pos = (im->ring_pos + 1) % im->nring;
      im->cur = NULL;
      continue;
    }
    struct item *it = &im->cur->items[im->cur_i++];
    print_problems(im, it);
    if (it->id[0]) {
      const char *first = id_set_add(&im->ids, it->id, it->rec.label);
      if (first) {
        report(im, it->rec.label, it->id, "id", "%s has the same id; give each service its own id",
               first);
        continue;
      }
    }
    if (!it->dump && !it->text_is_json)
      continue;
    /* What the index would leave out is refused here, by the same rule. */
    struct directory_refusal why;
    if (!directory_claims_take(im->claims, it->v, &why)) {
      const struct id_entry *holder = id_set_exact(&im->ids, why.holder);
      if (holder && strcmp(holder->exact, it->id) == 0)
        holder = NULL;
      report(im, it->rec.label, it->id, why.path,
             "%s%s%s%s; the server would leave this service out: give each service_at_location "
             "its own id",
             why.message, holder ? " (" : "", holder ? holder->label : "", holder ? ")" : "");
      continue;
    }
    if (im->problems)
      continue;
    *service = it->v;
    *json = it->text_is_json ? it->text.data : it->dump;
    return 1;
  }
}

/* Whether a stored service is one of the file's (the store skips checking
 * it: the file's version replaces it). */
static bool known_service(void *cls, const char *id)
{
  struct importer *im = cls;
  return directory_claims_holds(im->claims, id) || id_set_exact(&im->ids, id);
}

/* A stored service that the file leaves as it is: the index will hold it
 * beside the file's services, so it must not use their ids. A clash with a
 * service of the file is a problem of that record; a stored service that the
 * index leaves out for another reason was so before, and is a warning. */
static bool check_stored(void *cls, json_t *service)
{
  struct importer *im = cls;
  struct directory_refusal why;
  if (directory_claims_take(im->claims, service, &why))
    return true;
  const char *id = json_string_value(json_object_get(service, "id"));
  const struct id_entry *holder = id_set_exact(&im->ids, why.holder);
  if (holder) {
    report(im, holder->label, holder->exact, "service_at_locations",
           "service_at_location %s is also used by service %s, already in the database; the "
           "server would leave one of them out: give this service_at_location its own id, or "
           "correct service %s in the same import",
           why.id, id, id);
  } else {
    fprintf(im->errs,
            "%s: warning: service %s, already in the database, is left out by the server: %s: "
            "%s; import a corrected version of it\n",
            im->name, id ? id : "without an id", why.path, why.message);
  }
  return true;
}

/* After the walk: commit only a clean file, and never on a dry run. */
static bool commit_batch(void *cls)
{
  struct importer *im = cls;
  im->finished = true;
  return !im->problems && !im->dry_run;
}

/* One worker per processor this process may run on (up to MAX_WORKERS). */
static size_t worker_count(void)
{
  cpu_set_t set;
  long n =
      sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : (size_t)n;
}

enum import_status directory_import_oruk(struct store *s, const struct oruk_vocab *vocab, FILE *in,
                                         const char *name, FILE *errs, bool dry_run,
                                         struct import_result *res)
{
  struct importer *im = xcalloc(1, sizeof *im);
  im->name = name;
  im->errs = errs;
  im->vocab = vocab;
  im->dry_run = dry_run;
  im->reader = oruk_reader_new(in);
  pthread_mutex_init(&im->mu, NULL);
  pthread_cond_init(&im->job_cv, NULL);
  pthread_cond_init(&im->done_cv, NULL);
  json_object_seed(0); /* before any thread creates objects */
  size_t workers = worker_count();
  im->nring = 2 * workers + 1;
  im->ring = xcalloc(im->nring, sizeof *im->ring);
  for (size_t i = 0; i < workers; i++)
    if (pthread_create(&im->threads[im->nthreads], NULL, worker_main, im) == 0)
      im->nthreads++;
  if (im->nthreads == 0)
    fatal("cannot start an import thread");
  for (size_t i = 0; i < im->nring; i++)
    fill_and_submit(im, &im->ring[i]);
  im->claims = directory_claims_new();

  struct store_service_batch batch = {.next = next_service,
                                      .known = known_service,
                                      .check = check_stored,
                                      .commit = commit_batch,
                                      .stamp_key = DIRECTORY_VERSION_KEY,
                                      .cls = im};
  enum store_status st = s->ops->services_upsert_stream(s, &batch);

  pthread_mutex_lock(&im->mu);
  im->stop = true;
  pthread_cond_broadcast(&im->job_cv);
  pthread_mutex_unlock(&im->mu);
  for (size_t i = 0; i < im->nthreads; i++)
    pthread_join(im->threads[i], NULL);
  if (ferror(in)) {
    fprintf(errs, "%s: read error: %s\n", name, strerror(errno));
    im->problems++;
  }
  if (res) {
    res->records = oruk_reader_records(im->reader);
    res->problems = im->problems;
  }
  if (im->problems > IMPORT_MAX_PROBLEM_LINES)
    fprintf(errs, "%s: ... and %zu more problems not shown\n", name,
            im->problems - IMPORT_MAX_PROBLEM_LINES);
  enum import_status rc = IMPORT_FAILED;
  if (im->problems)
    rc = IMPORT_REFUSED;
  else if (st == STORE_OK || (dry_run && im->finished))
    rc = IMPORT_OK;
  for (size_t i = 0; i < im->nring; i++)
    for (size_t k = 0; k < BATCH_ITEMS; k++) {
      clear_item(&im->ring[i].items[k]);
      clear_item(&im->ring[i].items[k]);
      buf_free(&im->ring[i].items[k].text);
      buf_free(&im->ring[i].items[k].problems);
    }
  free(im->ring);
  id_set_free(&im->ids);
  directory_claims_free(im->claims);
  oruk_reader_free(im->reader);
  pthread_cond_destroy(&im->job_cv);
  pthread_cond_destroy(&im->done_cv);
  pthread_mutex_destroy(&im->mu);
  free(im);
  return rc;
}

/* ---- postcodes ---- */

struct postcode_batch {
  struct store *s;
  struct store_postcode *pcs;
  size_t n;
  unsigned long stored;
  bool failed;
};

/* Store the postcodes held; the last batch also sets the directory's stamp
 * in its transaction (last may come with none held, to set it alone). */
static bool flush_postcodes(struct postcode_batch *b, bool last)
{
  if (b->n == 0 && !last)
    return true;
  if (b->s->ops->postcodes_upsert(b->s, b->pcs, b->n, last ? DIRECTORY_VERSION_KEY : NULL) !=
      STORE_OK) {
    b->failed = true;
    return false;
  }
  b->stored += b->n;
  b->n = 0;
  return true;
}

static bool emit_postcode(void *cls, const struct store_postcode *pc)
{
  struct postcode_batch *b = cls;
  b->pcs[b->n++] = *pc;
  return b->n < IMPORT_POSTCODE_BATCH || flush_postcodes(b, false);
}

static double seconds_since(const struct timespec *t0)
{
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

bool directory_import_postcodes(struct store *s, FILE *in, const char *name, bool allow_bt,
                                FILE *out, char *err, size_t errlen)
{
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  struct postcode_batch b = {s, xmalloc(IMPORT_POSTCODE_BATCH * sizeof *b.pcs), 0, 0, false};
  struct onspd *p = onspd_new(emit_postcode, &b, allow_bt);
  char *chunk = xmalloc(1 << 20);
  enum onspd_status st = ONSPD_OK;
  size_t n;
  while (st == ONSPD_OK && (n = fread(chunk, 1, 1 << 20, in)) > 0)
    st = onspd_feed(p, chunk, n);
  bool ok = false;
  if (st == ONSPD_OK && ferror(in)) {
    snprintf(err, errlen, "%s: read error: %s", name, strerror(errno));
    goto done;
  }
  if (st == ONSPD_OK)
    st = onspd_finish(p);
  if (st == ONSPD_OK)
    flush_postcodes(&b, true);
  else if (b.stored && !b.failed) {
    /* The batches stored so far stay (the unfinished one is dropped): set the
     * stamp alone, so that a running server serves what the database holds. */
    b.n = 0;
    flush_postcodes(&b, true);
  }
  if (b.failed) {
    snprintf(err, errlen,
             "%s: the database refused the postcodes (see the log line above); %lu "
             "were stored before that",
             name, b.stored);
    goto done;
  }
  if (st != ONSPD_OK) {
    snprintf(err, errlen, "%s: %s%s", name, onspd_error(p),
             b.stored ? "; the postcodes before that line were stored" : "; nothing was stored");
    goto done;
  }
  const struct onspd_stats *stats = onspd_stats(p);
  if (!out)
    goto quiet;
  fprintf(out,
          "firstdays: imported %lu postcodes from %s in %.1f s (%lu rows; skipped %lu "
          "terminated, %lu without a location, %lu in Northern Ireland, %lu unreadable",
          b.stored, name, seconds_since(&t0), stats->rows, stats->terminated, stats->no_location,
          stats->excluded, stats->unreadable);
  if (stats->unreadable)
    fprintf(out, ", the first on line %lu", stats->first_unreadable_line);
  fprintf(out, ")\n");
quiet:
  ok = true;
done:
  free(chunk);
  onspd_free(p);
  free(b.pcs);
  return ok;
}

/* ---- vocabulary ---- */

struct oruk_vocab *directory_vocab_load(const struct content *c, char *err, size_t errlen)
{
  const struct content_file *f = content_get(c, "directory/taxonomy.json");
  if (!f) {
    snprintf(err, errlen, "content file directory/taxonomy.json is missing");
    return NULL;
  }
  json_error_t jerr;
  json_t *doc = json_loadb(f->data, f->len, JSON_REJECT_DUPLICATES, &jerr);
  if (!doc) {
    snprintf(err, errlen, "directory/taxonomy.json line %d, column %d: %s", jerr.line, jerr.column,
             jerr.text);
    return NULL;
  }
  char sub[256];
  struct oruk_vocab *v = oruk_vocab_from_json(doc, sub, sizeof sub);
  json_decref(doc);
  if (!v)
    snprintf(err, errlen, "directory/taxonomy.json: %s", sub);
  return v;
}

/* ---- the command ---- */

static const char import_usage[] =
    "usage: firstdays import oruk [--db PATH] [--content DIR] [--dry-run] FILE\n"
    "       firstdays import postcodes [--db PATH] [--include-northern-ireland] FILE.csv\n"
    "\n"
    "import oruk: add or replace (by id) Open Referral UK 3.0 services. FILE is a JSON\n"
    "array of fully nested services, a paginated page ({\"contents\": [...]}), or NDJSON\n"
    "(one service per line); '-' reads standard input. Every record is checked first;\n"
    "if any has a problem, nothing is imported, each problem is printed on its own\n"
    "line (record, field, what to fix) and the exit status is 1.\n"
    "\n"
    "import postcodes: add or replace postcode centroids from an ONS Postcode Directory\n"
    "(ONSPD) or NSPL CSV, read by header name (pcds, lat, long, doterm, osgrdind).\n"
    "Terminated postcodes and rows without a location are skipped.\n"
    "\n"
    "  --db PATH            SQLite database file (default firstdays.db; created if new)\n"
    "  --content DIR        content folder with its own directory/taxonomy.json\n"
    "  --dry-run            check the file only; store nothing\n"
    "  --include-northern-ireland  also load BT postcodes (check the ONSPD licence first)\n"
    "  --help               show this help\n";

/* Remove a database file this command created (and its WAL files). */
static void remove_new_db(const char *path)
{
  char p[4096];
  unlink(path);
  snprintf(p, sizeof p, "%s-wal", path);
  unlink(p);
  snprintf(p, sizeof p, "%s-shm", path);
  unlink(p);
}

int directory_cmd_import(int argc, char **argv)
{
  static const struct option opts[] = {
      {"db", required_argument, NULL, 'd'}, {"content", required_argument, NULL, 'c'},
      {"dry-run", no_argument, NULL, 'n'},  {"include-northern-ireland", no_argument, NULL, 'b'},
      {"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0}};
  struct config cfg;
  memset(&cfg, 0, sizeof cfg);
  conf_defaults(&cfg);
  const char *db = cfg.db_path, *content_dir = NULL;
  bool dry_run = false, allow_bt = false;
  int rc = 2, c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
    case 'd':
      db = optarg;
      break;
    case 'c':
      content_dir = optarg;
      break;
    case 'n':
      dry_run = true;
      break;
    case 'b':
      allow_bt = true;
      break;
    case 'h':
      fputs(import_usage, stdout);
      rc = 0;
      goto out;
    default:
      fprintf(stderr, "firstdays import: unknown or incomplete option '%s'\n%s", argv[optind - 1],
              import_usage);
      goto out;
    }
  }
  if (argc - optind != 2 || (strcmp(argv[optind], "oruk") && strcmp(argv[optind], "postcodes"))) {
    fprintf(stderr, "firstdays import: give what to import (oruk or postcodes) and one file\n%s",
            import_usage);
    goto out;
  }
  bool oruk = strcmp(argv[optind], "oruk") == 0;
  const char *path = argv[optind + 1];
  FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!in) {
    fprintf(stderr, "firstdays import: cannot open %s: %s\n", path, strerror(errno));
    rc = 1;
    goto out;
  }
  char err[1024];
  struct content *content = NULL;
  struct oruk_vocab *vocab = NULL;
  struct store *s = NULL;
  rc = 1;
  if (oruk) {
    content = content_load(content_dir, err, sizeof err);
    if (!content || !(vocab = directory_vocab_load(content, err, sizeof err))) {
      fprintf(stderr, "firstdays import: %s\n", err);
      goto close;
    }
  }
  s = store_open(db, err, sizeof err);
  if (!s) {
    fprintf(stderr, "firstdays import: %s\n", err);
    goto close;
  }
  bool created = s->created;
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (oruk) {
    struct import_result res;
    char db_shown[512];
    enum import_status st = directory_import_oruk(s, vocab, in, path, stderr, dry_run, &res);
    if (st == IMPORT_OK) {
      if (dry_run)
        printf("firstdays: %s: %zu services checked, no problems (nothing stored: --dry-run)\n",
               path, res.records);
      else
        printf("firstdays: imported %zu services from %s into %s in %.1f s\n", res.records, path,
               store_shown(db, db_shown, sizeof db_shown), seconds_since(&t0));
      rc = 0;
    } else if (st == IMPORT_REFUSED) {
      fprintf(stderr,
              "firstdays: %s has %zu problem%s in %zu records; nothing was imported. Correct "
              "the file and run the import again.\n",
              path, res.problems, res.problems == 1 ? "" : "s", res.records);
    } else {
      fprintf(stderr,
              "firstdays: the database %s could not store the services (see the log "
              "line above); nothing was imported\n",
              db);
    }
  } else {
    if (directory_import_postcodes(s, in, path, allow_bt, stdout, err, sizeof err))
      rc = 0;
    else
      fprintf(stderr, "firstdays import: %s\n", err);
  }
  store_close(s);
  if (created && (rc != 0 || dry_run))
    remove_new_db(db);
close:
  oruk_vocab_free(vocab);
  content_free(content);
  if (in != stdin)
    fclose(in);
out:
  conf_free(&cfg);
  return rc;
}
