/* app.h: the application state shared read-only by every request, and the
 * deployment configuration. One struct app lives for the life of the process;
 * it is built before the server starts and torn down after it stops. Parts that
 * change while serving (the directory index) are swapped atomically by their
 * own module. */
#ifndef FD_APP_H
#define FD_APP_H
#include <stdbool.h>
#include <stddef.h>

struct store;
struct content;
struct static_files;
struct page_cache;     /* rendered Markdown pages (src/web/pages.c) */
struct campaign_set;   /* awareness-week years (src/campaign) */
struct timeline_data;  /* owned by src/timeline (issue: my 1001 days) */
struct instrument_set; /* owned by src/checkin (issue: wellbeing checks) */
struct directory_state;/* owned by src/directory (issue: find support) */
struct resource_catalogue; /* curated resources (src/resources) */
struct urgent_set;     /* urgent-help routes (src/content/urgent.h) */

/* Deployment configuration: config file first, then command-line flags. */
struct config {
  char *listen;          /* "127.0.0.1:8080" */
  char *db_path;         /* "firstdays.db" */
  char *content_dir;     /* NULL: built-in content only */
  char *org_name;        /* shown in the header and footer */
  char *service_name;    /* "firstdays" by default */
  char *area_name;       /* "Demo area" */
  char *logo_path;       /* optional SVG/PNG file shown in the header */
  char *colour;          /* header colour, "#005eb8" */
  char *base_url;        /* "http://127.0.0.1:8080" for links, Open Graph and feeds */
  char *contact_phone;
  char *contact_email;
  char *contact_address;
  char *epds_wording;    /* optional file with licensed EPDS wording */
  int epds_threshold;    /* 13 (or 10 for higher sensitivity) */
  bool quiet;            /* no request log */
  /* Mail (src/mail): the SMTP relay, e.g. "smtp://relay.example.org:587" (STARTTLS
   * required unless the address is loopback) or "smtps://..."; NULL: mail stays in
   * the outbox, and `firstdays check` says so. */
  char *smtp_url;
  char *smtp_user;
  char *smtp_password_file; /* the password alone, in a file only the service reads */
  char *mail_from;          /* "firstdays@example.org" */
  /* The deployment's secret key file (32 random bytes, made on first start when
   * missing): seals second-factor secrets at rest. */
  char *key_file;
  /* Staff sessions: idle and absolute limits. */
  unsigned session_idle_min, session_max_hours;
  /* Sign-in through the organisation's identity provider (OpenID Connect);
   * NULL issuer: password sign-in only. */
  char *oidc_issuer;             /* "https://login.microsoftonline.com/TENANT/v2.0" */
  char *oidc_client_id;
  char *oidc_client_secret_file; /* the client secret alone, in a file */
  char *oidc_name;               /* the button's words: "Sign in with NHSmail" */
  /* Require a second factor for admins and publishers (editors): yes or no. */
  bool require_2fa;
  unsigned threads, max_connections, per_ip, timeout_s, head_timeout_s, body_timeout_s;
};

struct app {
  struct config cfg;
  struct store *store;
  struct content *content;
  struct static_files *statics;
  struct page_cache *pages;
  struct campaign_set *campaigns;
  struct timeline_data *timeline;
  struct instrument_set *instruments;
  struct directory_state *directory;
  struct resource_catalogue *resources;
  struct urgent_set *urgent; /* national urgent-help routes and the deployment's additions */
  /* Content files of the deployment's that failed to load and are served
   * without (a message each, naming the file): /healthz says "degraded"
   * and `firstdays check` fails while there are any. */
  char **content_problems;
  size_t ncontent_problems;
};

#endif
