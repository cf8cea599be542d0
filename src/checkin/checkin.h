/* checkin.h: the wellbeing self-check instruments (Whooley questions, GAD-2,
 * PHQ-9, GAD-7, EPDS) and the one engine that scores them.
 *
 * The instruments are data (content/instruments/<id>.json): items, options in
 * printed order each with its own score, bands, the positive threshold and the
 * safety flags. This module parses and validates that data once at start and
 * scores answers with no I/O and no globals, so every rule can be unit tested
 * with worked examples (tests/unit/test_checkin.c).
 *
 * An answer is the 0-based index of the chosen option in printed order. The
 * score of an answer is always looked up in the item's option list: an index is
 * never taken as a score (EPDS items 3 and 5 to 10 are reverse scored).
 *
 * Care level, the project rule from reference clinical.md sections 4 and 10:
 *   urgent      whenever a safety flag is raised (PHQ-9 item 9 or EPDS item 10
 *               above 0), whatever the total;
 *   non-urgent  when the total is at or above the positive threshold and no
 *               flag is raised;
 *   none        otherwise. */
#ifndef FD_CHECKIN_H
#define FD_CHECKIN_H
#include <stdbool.h>
#include <stddef.h>

struct content;

#define INSTRUMENT_MAX_ITEMS 16  /* items per instrument (EPDS has the most: 10) */
#define INSTRUMENT_MAX_OPTIONS 8 /* options per item */
#define INSTRUMENT_MAX_FLAGS 4   /* safety flags per instrument */
#define INSTRUMENT_MAX_BANDS 8

enum checkin_care {
  CHECKIN_CARE_NONE = 0,
  CHECKIN_CARE_NON_URGENT = 1,
  CHECKIN_CARE_URGENT = 2,
};

struct instrument_option {
  const char *label; /* printed text; NULL when the wording is not available (EPDS) */
  int score;         /* score of this option, from the instrument's own key */
};

struct instrument_item {
  const char *id;   /* "phq9.9" */
  const char *text; /* question text; NULL when the wording is not available */
  const char *hint; /* optional: why we ask (sensitive items) */
  struct instrument_option options[INSTRUMENT_MAX_OPTIONS];
  size_t noptions;
  int min_score, max_score; /* lowest and highest option score */
};

struct instrument_band {
  const char *id;    /* stable API value: "minimal", "moderately-severe", "positive" */
  const char *label; /* words for people: "moderately severe" */
  int min, max;      /* inclusive score range */
  bool sooner;       /* the band calls for a sooner step: the GP or health visitor in the next
                        few days (PHQ-9 severe 20-27, GAD-7 severe 15-21); only positive bands */
};

struct instrument_flag {
  const char *id;    /* stable API value: "self-harm" */
  const char *label; /* words for people */
  const char *says;  /* what the answer means, for the urgent panel: "One of your answers says
                        you have had thoughts of harming yourself." (the instrument's own item) */
  size_t item;       /* 0-based item index */
  int min_score;     /* raised when the item's score is at least this */
};

/* An unscored question asked only after a positive screen (the Whooley help question). */
struct instrument_followup {
  const char *id; /* "whooley.help" */
  const char *text;
  const char *hint;
  const char *options[INSTRUMENT_MAX_OPTIONS];    /* labels in printed order */
  const char *option_ids[INSTRUMENT_MAX_OPTIONS]; /* stable ids: "yes", "not-today", "no" */
  size_t noptions;
};

struct instrument_def {
  const char *id;            /* "phq9" (matches the file name) */
  const char *name;          /* "PHQ-9" */
  const char *title;         /* page title */
  const char *summary;       /* one line for lists */
  const char *about;         /* what the check asks about, for the start page */
  const char *recall_period; /* "the last 2 weeks" */
  const char *stem;          /* the question stem shown with every item */
  struct instrument_item items[INSTRUMENT_MAX_ITEMS];
  size_t nitems;
  struct instrument_band bands[INSTRUMENT_MAX_BANDS];
  size_t nbands;
  struct instrument_flag flags[INSTRUMENT_MAX_FLAGS];
  size_t nflags;
  int min, max;              /* lowest and highest possible total */
  int positive_at;           /* positive when total >= positive_at */
  int thresholds_allowed[4]; /* when the deployment may choose the threshold */
  size_t nthresholds_allowed;
  const char *threshold_setting;  /* configuration key that sets it ("epds_threshold") */
  bool wording_available;         /* false: no item wording (EPDS without a licensed file) */
  bool wording_from_deployment;   /* the wording must come from a licensed file */
  const char *licence;            /* licence and permission notes */
  const char *attribution;        /* line shown wherever the items are shown, or NULL */
  const char *wording_permission; /* the deployment's permission statement (EPDS), or NULL */
  const char *sources[8];
  size_t nsources;
  bool has_followup;
  struct instrument_followup followup;
};

/* The outcome wording of the wellbeing pages (content/wellbeing/outcomes.json,
 * format in docs/api-instruments.md). "{talk_to}" in a text stands for who to
 * talk to ("your midwife, health visitor or GP"). Route ids name national
 * urgent-help routes (content/urgent/routes.json). */
#define CHECKIN_MAX_TEXTS 8
#define CHECKIN_MAX_CARDS 4
struct checkin_texts {
  const char *t[CHECKIN_MAX_TEXTS];
  size_t n;
};
struct checkin_card {
  const char *heading;
  struct checkin_texts paragraphs;
  const char *link_text, *link_href; /* optional */
};
struct checkin_routes_text {
  const char *text;                   /* "If you ever feel you cannot cope ... do not wait:" */
  const char *ids[CHECKIN_MAX_TEXTS]; /* route ids, joined by urgent_join_short */
  size_t n;
};
struct checkin_outcomes {
  const char *urgent_title;         /* "Please get support now" */
  struct checkin_texts urgent_body; /* after the flag's own words */
  const char *urgent_after;         /* closing line, with {talk_to} */
  const char *non_urgent_title, *non_urgent_lede, *help_not_today, *help_no;
  struct checkin_card sooner;                   /* first card for a band with "sooner" */
  struct checkin_card cards[CHECKIN_MAX_CARDS]; /* the non-urgent cards */
  size_t ncards;
  const char *none_title, *none_lede;
  const char *keep_well_heading;
  struct checkin_texts keep_well;
  const char *check_again_heading, *check_again;
  const char *safety_net_heading;
  struct checkin_routes_text safety_net;
  struct checkin_routes_text next_urgent; /* "What to do next" in the summary */
  const char *next_sooner, *next_non_urgent, *next_none;
};

/* Parse and check outcome wording (JSON text). Strings point into *doc
 * (release with instrument_doc_free). Returns false with a message naming
 * the field. Every route id must be a national urgent-help route. */
bool checkin_outcomes_parse(const char *json, size_t len, struct checkin_outcomes *o, void **doc,
                            char *err, size_t errlen);

struct instrument_set {
  struct instrument_def *defs;
  size_t n;
  struct checkin_outcomes outcomes; /* from content/wellbeing/outcomes.json */
  void *json[16];                   /* parsed documents the strings point into (owned) */
  size_t njson;
};

struct instrument_result {
  int score, max;
  const struct instrument_band *band; /* never NULL after INSTRUMENT_OK */
  bool positive;
  bool sooner; /* the band calls for the sooner step (see struct instrument_band) */
  const struct instrument_flag *flags[INSTRUMENT_MAX_FLAGS];
  size_t nflags;
  enum checkin_care care;
};

enum instrument_status {
  INSTRUMENT_OK = 0,
  INSTRUMENT_WRONG_COUNT, /* n is not the number of items */
  INSTRUMENT_BAD_ANSWER,  /* an answer is not an option index of its item */
  INSTRUMENT_BROKEN,      /* the definition cannot place the total in a band */
};

/* Score answers[0..n) against def. answers[i] is the 0-based option index for
 * item i. On INSTRUMENT_OK fills *out (total, band, positive, flags, care).
 * On INSTRUMENT_BAD_ANSWER *bad_item (may be NULL) receives the 0-based index of
 * the first bad answer. Pure: no I/O, no allocation. */
enum instrument_status instrument_score(const struct instrument_def *def, const int *answers,
                                        size_t n, struct instrument_result *out, size_t *bad_item);

/* Safety flags raised by the answers given so far. answers[i] < 0 means item i
 * is not answered yet; answers outside an item's options are ignored. Lets a
 * half-filled form still show urgent help straight away. Writes at most
 * INSTRUMENT_MAX_FLAGS pointers into flags and returns how many. */
size_t instrument_partial_flags(const struct instrument_def *def, const int *answers, size_t n,
                                const struct instrument_flag **flags);

/* The band holding score, or NULL when no band does. */
const struct instrument_band *instrument_band_for(const struct instrument_def *def, int score);

/* "none", "non-urgent", "urgent". */
const char *checkin_care_name(enum checkin_care c);
/* The more urgent of a and b. */
enum checkin_care checkin_care_max(enum checkin_care a, enum checkin_care b);

/* Parse and validate one instrument definition (JSON text). The strings in
 * *def point into a parsed document that is returned through *doc; keep it
 * until the definition is no longer used and release it with
 * instrument_doc_free(). Returns false with a message naming the field in err.
 * Checks, among others: every option has a score; bands cover min..max with no
 * gap or overlap; the threshold lies on a band boundary; flags name a real
 * item; the declared maximum equals the sum of the item maxima; the worked
 * examples in the file score as stated. */
bool instrument_def_parse(const char *json, size_t len, struct instrument_def *def, void **doc,
                          char *err, size_t errlen);
void instrument_doc_free(void *doc);

/* Apply a deployment's threshold (e.g. EPDS 10 or 13): it must be one of the
 * definition's thresholds_allowed. Moves the boundary between the two bands
 * that meet at the old threshold. Returns false with a message otherwise. */
bool instrument_set_threshold(struct instrument_def *def, int threshold, char *err, size_t errlen);

/* Merge a deployment's licensed wording (JSON text, format in
 * docs/api-instruments.md) into def: item texts and option labels, matched
 * by item id and option count, and the permission statement. The wording
 * document is returned through *doc (release with instrument_doc_free). */
bool instrument_apply_wording(struct instrument_def *def, const char *json, size_t len, void **doc,
                              char *err, size_t errlen);

/* Build the set from every content file instruments/<id>.json and the outcome
 * wording wellbeing/outcomes.json, apply the EPDS
 * threshold and, when wording is not NULL, the licensed EPDS wording. The
 * instruments whooley, gad2, phq9, gad7 and epds must all be present. Returns
 * NULL with a message naming the file in err. Free with instrument_set_free(). */
struct instrument_set *instrument_set_build(const struct content *c, int epds_threshold,
                                            const char *wording, size_t wording_len, char *err,
                                            size_t errlen);
void instrument_set_free(struct instrument_set *s);
/* Start-up wrapper around instrument_set_build(): reads the licensed EPDS
 * wording file named by the epds_wording setting, when set (the only file this
 * module reads; see load_file.c). Same errors and ownership. */
struct config;
struct instrument_set *instrument_set_load(const struct content *c, const struct config *cfg,
                                           char *err, size_t errlen);
/* The definition with this id, or NULL. */
const struct instrument_def *instrument_find(const struct instrument_set *s, const char *id);

#endif
