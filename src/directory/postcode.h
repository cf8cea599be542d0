/* postcode.h: UK postcodes typed any way ("sw1a1aa", " SW1A-1AA ", "Sw1a 1aA")
 * normalised to the Royal Mail display form "SW1A 1AA", checked for shape, and
 * packed into 32 bits so that the 2.7 million live postcodes of the ONS
 * Postcode Directory fit in a small sorted in-memory table. Pure: no I/O. */
#ifndef FD_POSTCODE_H
#define FD_POSTCODE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Normalised form: outward code, one space, inward code; at most 8 characters. */
#define POSTCODE_MAX 9 /* bytes, with the terminating NUL */

enum postcode_status {
  POSTCODE_OK = 0,
  POSTCODE_EMPTY,     /* nothing but spaces or punctuation */
  POSTCODE_BAD_CHARS, /* something other than letters, digits, spaces and . , - / */
  POSTCODE_BAD_SHAPE, /* letters and digits, but not in the shape of a UK postcode */
};

/* Normalise in (NUL-terminated, any case, any spacing, the punctuation . , - /
 * ignored) into out as "SW1A 1AA". Checks the shape rules of the Royal Mail
 * format (outward A9, A99, AA9, AA99, A9A or AA9A with the letters each
 * position allows; inward 9AA without C I K M O V), plus "GIR 0AA". On any
 * status other than POSTCODE_OK, out is set to "". Never reads more than 64
 * bytes of in. */
enum postcode_status postcode_normalise(const char *in, char out[POSTCODE_MAX]);

/* A message for a person about status, in the style of the NHS design system
 * ("Enter a full UK postcode, like SW1A 1AA"). Static storage; "" for OK. */
const char *postcode_message(enum postcode_status status);
/* A stable machine code for status: "ok", "postcode_missing", "postcode_bad_chars",
 * "postcode_malformed". */
const char *postcode_code(enum postcode_status status);

/* Pack a normalised postcode (as written by postcode_normalise) into a key
 * below POSTCODE_KEY_LIMIT. Returns false if norm is not normalised. Keys of
 * different postcodes differ; their order is not the string order. */
bool postcode_pack(const char *norm, uint32_t *key);
#define POSTCODE_KEY_LIMIT 1755849160u
/* Write the normalised postcode for key into out. Returns false (out "") for a
 * value that no postcode packs to. */
bool postcode_unpack(uint32_t key, char out[POSTCODE_MAX]);

#endif
