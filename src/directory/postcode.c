/* postcode.c: UK postcode normalisation, shape check and 32-bit packing.
 *
 * Shape rules (Royal Mail PAF programmers' guide, as used by the ORUK
 * validator's pattern): the outward code is A9, A99, AA9, AA99, A9A or AA9A;
 * the inward code is 9AA. Letters allowed by position: the first letter is
 * never Q V X; a second letter is never I J Z; the letter after the digit in
 * A9A is one of A B C D E F G H J K P S T U W, in AA9A one of A B E H M N P R V
 * W X Y; the two inward letters are never C I K M O V. "GIR 0AA" is the one
 * exception. */
#include "postcode.h"
#include <string.h>

#define INPUT_MAX 64
#define INWARD_COUNT 6760u /* digit x letter x letter */

static bool is_upper(char c)
{
  return c >= 'A' && c <= 'Z';
}

static bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

static bool letter_in(char c, const char *allowed)
{
  return is_upper(c) && strchr(allowed, c) != NULL;
}

static bool letter_not(char c, const char *banned)
{
  return is_upper(c) && strchr(banned, c) == NULL;
}

/* True when out[0..n) (upper case, no spaces) is an outward code of an allowed shape. */
static bool outward_ok(const char *s, size_t n)
{
  if (n < 2 || n > 4 || !letter_not(s[0], "QVX"))
    return false;
  if (is_digit(s[1])) {
    if (n == 2)
      return true; /* A9 */
    if (n == 3)
      return is_digit(s[2]) || letter_in(s[2], "ABCDEFGHJKPSTUW"); /* A99, A9A */
    return false;
  }
  if (n < 3 || !letter_not(s[1], "IJZ") || !is_digit(s[2]))
    return false;
  if (n == 3)
    return true;                                            /* AA9 */
  return is_digit(s[3]) || letter_in(s[3], "ABEHMNPRVWXY"); /* AA99, AA9A */
}

static bool inward_ok(const char *s)
{
  return is_digit(s[0]) && letter_not(s[1], "CIKMOV") && letter_not(s[2], "CIKMOV");
}

enum postcode_status postcode_normalise(const char *in, char out[POSTCODE_MAX])
{
  char c[8];
  size_t n = 0, i;
  out[0] = '\0';
  for (i = 0; in[i] && i < INPUT_MAX; i++) {
    char ch = in[i];
    if (ch == ' ' || ch == '\t' || ch == '.' || ch == ',' || ch == '-' || ch == '/')
      continue;
    if (ch >= 'a' && ch <= 'z')
      ch = (char)(ch - 'a' + 'A');
    if (!is_upper(ch) && !is_digit(ch))
      return POSTCODE_BAD_CHARS;
    if (n == sizeof c)
      return POSTCODE_BAD_SHAPE; /* more than 8 letters and digits */
    c[n++] = ch;
  }
  if (in[i])
    return POSTCODE_BAD_SHAPE;
  if (n == 0)
    return POSTCODE_EMPTY;
  if (n < 5 || n > 7)
    return POSTCODE_BAD_SHAPE;
  size_t out_len = n - 3;
  bool gir = n == 6 && memcmp(c, "GIR0AA", 6) == 0;
  if (!gir && (!outward_ok(c, out_len) || !inward_ok(c + out_len)))
    return POSTCODE_BAD_SHAPE;
  memcpy(out, c, out_len);
  out[out_len] = ' ';
  memcpy(out + out_len + 1, c + out_len, 3);
  out[n + 1] = '\0';
  return POSTCODE_OK;
}

const char *postcode_message(enum postcode_status status)
{
  switch (status) {
  case POSTCODE_OK:
    return "";
  case POSTCODE_EMPTY:
    return "Enter a postcode";
  case POSTCODE_BAD_CHARS:
    return "Postcode must only include letters a to z, numbers and spaces";
  case POSTCODE_BAD_SHAPE:
    break;
  }
  return "Enter a full UK postcode, like SW1A 1AA";
}

const char *postcode_code(enum postcode_status status)
{
  switch (status) {
  case POSTCODE_OK:
    return "ok";
  case POSTCODE_EMPTY:
    return "postcode_missing";
  case POSTCODE_BAD_CHARS:
    return "postcode_bad_chars";
  case POSTCODE_BAD_SHAPE:
    break;
  }
  return "postcode_malformed";
}

/* --- Packing ---
 * The outward code is numbered within its shape, and the shapes follow one
 * another: A9 (260), A99 (2600), AA9 (6760), AA99 (67600), A9A (6760), AA9A
 * (175760), then GIR. Letters count as 26 values each whatever the position
 * rules, digits as 10. The key is outward_number * 6760 + inward_number. */
enum { SHAPE_A9, SHAPE_A99, SHAPE_AA9, SHAPE_AA99, SHAPE_A9A, SHAPE_AA9A, SHAPE_COUNT };
static const char *const shape_pattern[SHAPE_COUNT] = {"A9", "A99", "AA9", "AA99", "A9A", "AA9A"};
static const uint32_t shape_size[SHAPE_COUNT] = {260, 2600, 6760, 67600, 6760, 175760};
#define OUTWARD_GIR 259740u

static uint32_t shape_base(int shape)
{
  uint32_t b = 0;
  for (int i = 0; i < shape; i++)
    b += shape_size[i];
  return b;
}

bool postcode_pack(const char *norm, uint32_t *key)
{
  const char *sp = strchr(norm, ' ');
  if (!sp || strlen(sp + 1) != 3)
    return false;
  size_t n = (size_t)(sp - norm);
  const char *inw = sp + 1;
  if (!is_digit(inw[0]) || !is_upper(inw[1]) || !is_upper(inw[2]))
    return false;
  uint32_t in_num =
      (uint32_t)(inw[0] - '0') * 676u + (uint32_t)(inw[1] - 'A') * 26u + (uint32_t)(inw[2] - 'A');
  uint32_t out_num;
  if (n == 3 && memcmp(norm, "GIR", 3) == 0) {
    out_num = OUTWARD_GIR;
  } else {
    int shape = -1;
    for (int s = 0; s < SHAPE_COUNT && shape < 0; s++) {
      const char *p = shape_pattern[s];
      if (strlen(p) != n)
        continue;
      bool ok = true;
      for (size_t i = 0; i < n && ok; i++)
        ok = p[i] == 'A' ? is_upper(norm[i]) : is_digit(norm[i]);
      if (ok)
        shape = s;
    }
    if (shape < 0)
      return false;
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++)
      v = shape_pattern[shape][i] == 'A' ? v * 26u + (uint32_t)(norm[i] - 'A')
                                         : v * 10u + (uint32_t)(norm[i] - '0');
    out_num = shape_base(shape) + v;
  }
  *key = out_num * INWARD_COUNT + in_num;
  return true;
}

bool postcode_unpack(uint32_t key, char out[POSTCODE_MAX])
{
  out[0] = '\0';
  if (key >= POSTCODE_KEY_LIMIT)
    return false;
  uint32_t out_num = key / INWARD_COUNT, in_num = key % INWARD_COUNT;
  size_t n;
  if (out_num == OUTWARD_GIR) {
    memcpy(out, "GIR", 3);
    n = 3;
  } else {
    int shape = 0;
    while (out_num >= shape_size[shape]) {
      out_num -= shape_size[shape];
      shape++;
    }
    const char *p = shape_pattern[shape];
    n = strlen(p);
    for (size_t i = n; i-- > 0;) {
      if (p[i] == 'A') {
        out[i] = (char)('A' + out_num % 26u);
        out_num /= 26u;
      } else {
        out[i] = (char)('0' + out_num % 10u);
        out_num /= 10u;
      }
    }
  }
  out[n] = ' ';
  out[n + 1] = (char)('0' + in_num / 676u);
  out[n + 2] = (char)('A' + (in_num / 26u) % 26u);
  out[n + 3] = (char)('A' + in_num % 26u);
  out[n + 4] = '\0';
  return true;
}
