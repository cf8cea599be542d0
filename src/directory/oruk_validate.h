/* oruk_validate.h: checks one Open Referral UK 3.0 service (fully nested JSON,
 * the shape of the ORUK compiled service schema) against the ORUK rules and
 * firstdays' own: required fields, UUIDs at every level, enumerations, number
 * ranges, date and time formats, and that nested foreign keys agree with the
 * objects they sit in. Pure: no I/O, no globals. Every problem is reported as
 * a JSON path ("service_at_locations[0].location.latitude") and a message that
 * says what is wrong and what to do about it. */
#ifndef FD_ORUK_VALIDATE_H
#define FD_ORUK_VALIDATE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Limits on one service, so a hostile file cannot make us work without end. */
#define ORUK_MAX_TEXT 20000 /* characters in one string field */
#define ORUK_MAX_ITEMS 500  /* entries in one nested list */
#define ORUK_PATH_MAX 256   /* bytes of a reported path */

/* The firstdays vocabularies (content/directory/taxonomy.json): which taxonomy
 * and term ids are ours, so an attribute naming one of our taxonomies with an
 * unknown term is caught. Immutable once built; safe to share between threads. */
struct oruk_vocab;

/* One term of a vocabulary. Strings point into the vocabulary. */
struct oruk_vocab_term {
  const char *id;          /* term UUID */
  const char *slug;        /* the term's "term" field, e.g. "perinatal-mental-health" */
  const char *name;        /* "Perinatal mental health" */
  const char *taxonomy_id; /* UUID of its taxonomy */
  const char *taxonomy;    /* the taxonomy's name, e.g. "firstdays needs" */
};

/* Build the vocabulary from the parsed taxonomy document ({"taxonomies": [ORUK
 * taxonomy with taxonomy_terms, ...]}). Returns NULL with a message in err when
 * the document is not of that shape. Free with oruk_vocab_free(). */
struct oruk_vocab *oruk_vocab_from_json(const json_t *doc, char *err, size_t errlen);
void oruk_vocab_free(struct oruk_vocab *v);
/* The term with this id, or NULL. */
const struct oruk_vocab_term *oruk_vocab_term_by_id(const struct oruk_vocab *v, const char *id);
/* The term with this short name in the named taxonomy, or NULL. */
const struct oruk_vocab_term *oruk_vocab_term_by_slug(const struct oruk_vocab *v,
                                                      const char *taxonomy, const char *slug);
/* True when id is one of the vocabulary's taxonomies. */
bool oruk_vocab_has_taxonomy(const struct oruk_vocab *v, const char *id);

/* Called once per problem. path is relative to the service ("" for the service
 * itself); message is one sentence: what is wrong, then what to do. Both are
 * valid only during the call. */
typedef void (*oruk_report_fn)(void *cls, const char *path, const char *message);

/* Check svc. vocab may be NULL (no firstdays term checks). Returns the number
 * of problems reported (0: the service is valid). Never modifies svc. */
size_t oruk_validate_service(const json_t *svc, const struct oruk_vocab *vocab,
                             oruk_report_fn report, void *cls);

/* Bring a service to the stored form: remove, at every level, members whose
 * value is null, "" , [] or {} (ORUK: empty fields are omitted, never null).
 * Run before oruk_validate_service, so a required field that is empty is
 * reported as missing. Returns true when anything was removed. */
bool oruk_canonicalise(json_t *svc);

/* True for the 8-4-4-4-12 hexadecimal form of a UUID (RFC 4122 text form;
 * either case). */
bool oruk_is_uuid(const char *s);

#endif
