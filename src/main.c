/* main.c: the firstdays binary and its subcommands (serve, check, version).
 * Each subcommand has --help; wrong arguments get a message that says what to do. */
#include "app.h"
#include "app_init.h"
#include "commands.h"
#include "http/http.h"
#include "lib/conf.h"
#include "lib/log.h"
#include "store/store.h"
#include "routes.h"
#include "web/web.h"
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIRSTDAYS_VERSION "0.1.0"


static const char serve_usage[] =
    "usage: firstdays serve [--listen ADDR:PORT] [--db PATH] [--content DIR]\n"
    "                       [--config FILE] [--threads N] [--quiet]\n"
    "\n"
    "Serve the website and APIs. A new database is created and migrated on first\n"
    "start; an existing one is migrated forward.\n"
    "\n"
    "  --listen ADDR:PORT  address to listen on (default 127.0.0.1:8080; port 0 picks one)\n"
    "  --db PATH           SQLite database file (default firstdays.db)\n"
    "  --content DIR       folder whose files replace or add to the built-in content\n"
    "  --config FILE       configuration file (key = value lines; see docs/configuration.md)\n"
    "  --set KEY=VALUE     set one configuration key (may be repeated)\n"
    "  --threads N         worker threads (default: number of CPUs)\n"
    "  --quiet             no log line per request\n"
    "  --help              show this help\n";

/* Parse the options shared by commands that build the app. Returns 0 to go on,
 * 1 after --help, 2 on a usage error (message printed). */
static int parse_common(int argc, char **argv, struct config *cfg, const char *usage)
{
  static const struct option opts[] = {
      {"listen", required_argument, NULL, 'l'}, {"db", required_argument, NULL, 'd'},
      {"content", required_argument, NULL, 'c'}, {"config", required_argument, NULL, 'f'},
      {"threads", required_argument, NULL, 't'}, {"set", required_argument, NULL, 's'},
      {"quiet", no_argument, NULL, 'q'},         {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  char err[512];
  /* The config file is read first so flags override it, wherever it appears. */
  for (int i = 1; i < argc; i++) {
    const char *path = NULL;
    if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
      path = argv[i + 1];
    else if (strncmp(argv[i], "--config=", 9) == 0)
      path = argv[i] + 9;
    if (path && !conf_load_file(cfg, path, err, sizeof err)) {
      fprintf(stderr, "firstdays: %s\n", err);
      return 2;
    }
  }
  optind = 1;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    const char *key = NULL;
    switch (c) {
    case 'l': key = "listen"; break;
    case 'd': key = "db"; break;
    case 'c': key = "content"; break;
    case 't': key = "threads"; break;
    case 'f': continue;
    case 'q': cfg->quiet = true; continue;
    case 'h': fputs(usage, stdout); return 1;
    case 's': {
      char *eq = strchr(optarg, '=');
      if (!eq) {
        fprintf(stderr, "firstdays: --set needs KEY=VALUE, not '%s'\n", optarg);
        return 2;
      }
      *eq = '\0';
      if (!conf_set(cfg, optarg, eq + 1, err, sizeof err)) {
        fprintf(stderr, "firstdays: --set: %s\n", err);
        return 2;
      }
      continue;
    }
    default:
      fprintf(stderr, "firstdays: unknown or incomplete option '%s'\n%s", argv[optind - 1], usage);
      return 2;
    }
    if (!conf_set(cfg, key, optarg, err, sizeof err)) {
      fprintf(stderr, "firstdays: %s\n", err);
      return 2;
    }
  }
  if (optind < argc) {
    fprintf(stderr, "firstdays: unexpected argument '%s'\n%s", argv[optind], usage);
    return 2;
  }
  return 0;
}

static int cmd_serve(int argc, char **argv)
{
  struct app app;
  memset(&app, 0, sizeof app);
  conf_defaults(&app.cfg);
  int rc = parse_common(argc, argv, &app.cfg, serve_usage);
  if (rc) {
    conf_free(&app.cfg);
    return rc == 1 ? 0 : 2;
  }
  /* Block the signals before any thread starts so that only sigwait sees them. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);

  char err[1024];
  if (!app_init(&app, true, err, sizeof err)) {
    fprintf(stderr, "firstdays: %s\n", err);
    app_free(&app);
    return 1;
  }
  struct http_server_opts o = {.listen = app.cfg.listen,
                               .threads = app.cfg.threads,
                               .max_connections = app.cfg.max_connections,
                               .per_ip = app.cfg.per_ip,
                               .timeout_s = app.cfg.timeout_s,
                               .head_timeout_s = app.cfg.head_timeout_s,
                               .body_timeout_s = app.cfg.body_timeout_s,
                               .quiet = app.cfg.quiet,
                               .render_error = web_render_error};
  struct http_server *srv = http_server_start(&o, &app, app_routes, app_routes_count);
  if (!srv) {
    app_free(&app);
    return 1;
  }
  const char *host = app.cfg.listen;
  char shown[300];
  const char *colon = strrchr(host, ':');
  snprintf(shown, sizeof shown, "%.*s:%u", (int)(colon - host), host, http_server_port(srv));
  if (shown[0] == ':')
    snprintf(shown, sizeof shown, "0.0.0.0:%u", http_server_port(srv));
  char db_shown[512];
  printf("firstdays: serving %s on http://%s/ (database %s). Press Ctrl-C to stop.\n",
         app.cfg.org_name, shown, store_shown(app.cfg.db_path, db_shown, sizeof db_shown));
  fflush(stdout);
  log_msg("info", "listening on %s", shown);
  int sig = 0;
  sigwait(&set, &sig);
  log_msg("info", "received signal %d, shutting down", sig);
  http_server_stop(srv);
  app_free(&app);
  return 0;
}

static const char check_usage[] =
    "usage: firstdays check [--db PATH] [--content DIR] [--config FILE]\n"
    "\n"
    "Check the configuration, the content files and the database without serving.\n"
    "The database must exist already: check never creates, seeds or migrates one.\n"
    "Prints what is wrong, file by file, and exits non-zero if anything is.\n";

static int cmd_check(int argc, char **argv)
{
  struct app app;
  memset(&app, 0, sizeof app);
  conf_defaults(&app.cfg);
  int rc = parse_common(argc, argv, &app.cfg, check_usage);
  if (rc) {
    conf_free(&app.cfg);
    return rc == 1 ? 0 : 2;
  }
  if (!app.cfg.base_url || strcmp(app.cfg.base_url, CONF_DEFAULT_BASE_URL) == 0)
    fprintf(stderr, "firstdays: warning: base_url is not set, so share links, og:url and the "
                    "canonical link are built from each request's Host header; set base_url to "
                    "the public address, such as https://families.example.org\n");
  /* The database as it is: a database serve would migrate first is looked at
   * but not given to the directory, whose tables it may not have yet. */
  char dberr[1024], err[1024];
  struct store *s = store_open_existing(app.cfg.db_path, dberr, sizeof dberr);
  int schema = s ? s->ops->schema_version(s) : 0, want = store_migrations_available();
  if (s && schema == want)
    app.store = s;
  bool ok = app_init(&app, false, err, sizeof err);
  if (!ok)
    fprintf(stderr, "firstdays: %s\n", err);
  for (size_t i = 0; ok && i < app.ncontent_problems; i++)
    fprintf(stderr, "firstdays: %s\n", app.content_problems[i]);
  if (ok && app.ncontent_problems) {
    fprintf(stderr, "firstdays: %zu content file(s) fail to load; the server would serve "
                    "without them\n", app.ncontent_problems);
    ok = false;
  }
  if (!s) {
    fprintf(stderr, "firstdays: %s\n", dberr);
    ok = false;
  }
  char db_shown[512];
  store_shown(app.cfg.db_path, db_shown, sizeof db_shown);
  if (ok && schema < want)
    printf("firstdays: configuration, content and database %s are fine (schema %d; serve will "
           "migrate it to %d)\n",
           db_shown, schema, want);
  else if (ok)
    printf("firstdays: configuration, content and database %s are fine (schema %d)\n",
           db_shown, schema);
  if (s != app.store)
    store_close(s);
  app_free(&app);
  return ok ? 0 : 1;
}

static int cmd_version(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  printf("firstdays %s (schema %d)\n", FIRSTDAYS_VERSION, store_migrations_available());
  return 0;
}

static const struct command commands[] = {
    {"serve", cmd_serve, "serve the website and APIs"},
    {"check", cmd_check, "check configuration, content and database"},
    {"version", cmd_version, "print the version"},
};

static void usage(FILE *f)
{
  fprintf(f, "usage: firstdays COMMAND [options]\n\ncommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
  size_t n;
  const struct command *extra = extra_commands(&n);
  for (size_t i = 0; i < n; i++)
    fprintf(f, "  %-10s %s\n", extra[i].name, extra[i].summary);
  fprintf(f, "\nRun 'firstdays COMMAND --help' for the options of a command.\n");
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
    usage(stdout);
    return 0;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(argv[1], commands[i].name) == 0)
      return commands[i].fn(argc - 1, argv + 1);
  size_t n;
  const struct command *extra = extra_commands(&n);
  for (size_t i = 0; i < n; i++)
    if (strcmp(argv[1], extra[i].name) == 0)
      return extra[i].fn(argc - 1, argv + 1);
  fprintf(stderr, "firstdays: unknown command '%s'\n", argv[1]);
  usage(stderr);
  return 2;
}
