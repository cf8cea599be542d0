/* find_support.c: the "Find support" pages. A GET form (postcode, need,
 * stage, referral route, distance) whose results list the nearest active
 * services with how to be referred, contact details, opening times and when
 * the entry was last checked, then the phone and online services that match;
 * and a page per service. Everything works without JavaScript. Reads only
 * the in-memory directory index. */
#include "find_support.h"
#include "web.h"
#include "../app.h"
#include "../directory/area.h"
#include "../directory/entry.h"
#include "../directory/index.h"
#include "../directory/postcode.h"
#include "../directory/state.h"
#include "../lib/util.h"
#include "../view/view.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define METRES_PER_MILE 1609.344
#define PARAM_MAX 100
#define PAGE_MAX 100000
#define CARD_DESCRIPTION_MAX 160                   /* bytes of a description on a result card */
#define REFERRAL_PROFESSIONAL "professionals-only" /* the referral route term */

static const int distance_miles[] = {1, 3, 5, 10, 25, 50};

/* Languages a family may ask for: the most common main languages in England
 * after English (Census 2021), and British Sign Language. A service matches
 * by the language's code (ISO 639, "pl" or "pl-PL") or its English name. */
static const struct {
  const char *code, *name;
} language_options[] = {
    {"ar", "Arabic"},     {"bn", "Bengali"},  {"bfi", "British Sign Language"},
    {"gu", "Gujarati"},   {"pa", "Panjabi"},  {"pl", "Polish"},
    {"pt", "Portuguese"}, {"ro", "Romanian"}, {"so", "Somali"},
    {"es", "Spanish"},    {"tr", "Turkish"},  {"ur", "Urdu"},
};

/* The search as typed, checked. */
struct fs_params {
  const char *typed;           /* postcode, district or town as typed, for the form */
  char postcode[POSTCODE_MAX]; /* a whole postcode, normalised; "" when none */
  const char *where;           /* what was found: "SW1A 1AA", "DM1" or "Demoford"; NULL when none */
  const char *need, *stage, *referral;
  const char *search;   /* words of a service's name or description */
  const char *language; /* a language code of language_options[] */
  int miles;
  size_t page;
  bool submitted; /* the form was sent (any search parameter present) */
  bool has_origin;
  double lat, lon;
  const char *error; /* message for the postcode field, or NULL */
};

/* Needs whose name in an address could put someone at risk if another person
 * reads the browser's history (hazard H5 in docs/clinical-safety/
 * hazard-log.md): the form, the page links and the links from other pages
 * carry the code instead. The codes never change, so saved links keep
 * working. */
static const struct {
  const char *term, *code;
} sensitive_needs[] = {
    {"domestic-abuse", "n1"},
    {"perinatal-mental-health", "n2"},
    {"bereavement", "n3"},
};

const char *find_support_need_param(const char *term)
{
  for (size_t i = 0; term && i < ARRAY_LEN(sensitive_needs); i++)
    if (strcmp(term, sensitive_needs[i].term) == 0)
      return sensitive_needs[i].code;
  return term;
}

const char *find_support_need_term(const char *param)
{
  for (size_t i = 0; param && i < ARRAY_LEN(sensitive_needs); i++)
    if (strcmp(param, sensitive_needs[i].code) == 0)
      return sensitive_needs[i].term;
  return param;
}

bool find_support_need_sensitive(const char *term)
{
  return term && find_support_need_param(term) != term;
}

static const char *param(const struct http_req *rq, const char *key)
{
  const char *v = http_query(rq, key);
  return v && *v && strlen(v) <= PARAM_MAX ? v : NULL;
}

/* True when s could be the name of a town: letters, spaces, hyphens,
 * apostrophes and full stops, with a letter, and no digit. */
static bool town_shaped(const char *s)
{
  bool letter = false;
  for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
    if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || *c >= 0x80)
      letter = true;
    else if (!strchr(" -'.", *c))
      return false;
  }
  return letter;
}

static const char *area_name(const struct http_req *rq)
{
  return rq->app->cfg.area_name ? rq->app->cfg.area_name : "our area";
}

/* The message for a place the postcode table does not cover. */
static const char *outside_area(struct http_req *rq, const char *place)
{
  const char *area = area_name(rq);
  return arena_printf(rq->arena,
                      "%s is outside the area this directory covers (%s). Enter a postcode in "
                      "%s, or ask your health visitor or GP about services where you live",
                      place, area, area);
}

/* Where the search is from: a whole postcode, a postcode district ("DM1")
 * or a town of the directory's places. A postcode whose district the
 * postcode table does not have is outside the area the directory covers, and
 * the message says so rather than that the postcode does not exist. */
static void find_place(struct http_req *rq, const struct directory_index *ix, struct fs_params *p)
{
  const char *area = area_name(rq);
  char outward[DIRECTORY_OUTWARD_MAX];
  enum postcode_status st = postcode_normalise(p->typed, p->postcode);
  if (st == POSTCODE_OK) {
    p->where = p->postcode;
    if (directory_postcode_find(ix, p->postcode, &p->lat, &p->lon)) {
      p->has_origin = true;
      return;
    }
    char district[POSTCODE_MAX];
    memcpy(district, p->postcode, POSTCODE_MAX);
    *strchr(district, ' ') = '\0';
    double la, lo;
    if (directory_outward_centre(ix, district, &la, &lo))
      p->error = arena_printf(rq->arena,
                              "We cannot find the postcode %s. Check it is right, or try a "
                              "postcode nearby",
                              p->postcode);
    else
      p->error = outside_area(rq, p->postcode);
    return;
  }
  p->postcode[0] = '\0';
  if (directory_outward_normalise(p->typed, outward)) {
    p->where = arena_strdup(rq->arena, outward);
    if (!directory_outward_centre(ix, outward, &p->lat, &p->lon))
      p->error = outside_area(rq, outward);
    else
      p->has_origin = true;
    return;
  }
  const char *name;
  if (town_shaped(p->typed)) {
    if (directory_town_centre(ix, p->typed, rq->arena, &p->lat, &p->lon, &name)) {
      p->where = name;
      p->has_origin = true;
    } else {
      p->error = arena_printf(rq->arena,
                              "We cannot find a town called %s in %s. Enter a postcode, or "
                              "the first part of one, such as SW1A",
                              p->typed, area);
    }
    return;
  }
  p->error = st == POSTCODE_BAD_SHAPE ? "Enter a postcode, like SW1A 1AA, the first part of "
                                        "one, like SW1A, or a town"
                                      : postcode_message(st);
}

static void read_params(struct http_req *rq, const struct directory_index *ix, struct fs_params *p)
{
  memset(p, 0, sizeof *p);
  p->typed = http_query(rq, "postcode");
  p->need = find_support_need_term(param(rq, "need"));
  p->stage = param(rq, "stage");
  p->referral = param(rq, "referral");
  p->search = param(rq, "search");
  const char *lang = param(rq, "language");
  for (size_t i = 0; lang && i < ARRAY_LEN(language_options); i++)
    if (strcmp(lang, language_options[i].code) == 0)
      p->language = language_options[i].code;
  p->submitted = p->typed || http_query(rq, "need") || http_query(rq, "stage") ||
                 http_query(rq, "referral") || http_query(rq, "search") ||
                 http_query(rq, "language");
  p->miles = FIND_SUPPORT_DEFAULT_MILES;
  const char *d = http_query(rq, "distance");
  for (size_t i = 0; d && i < ARRAY_LEN(distance_miles); i++)
    if (atoi(d) == distance_miles[i] && strspn(d, "0123456789") == strlen(d))
      p->miles = distance_miles[i];
  p->page = 1;
  const char *pg = http_query(rq, "page");
  if (pg && *pg && strlen(pg) <= 6 && strspn(pg, "0123456789") == strlen(pg) && atol(pg) >= 1 &&
      atol(pg) <= PAGE_MAX)
    p->page = (size_t)atol(pg);
  if (p->typed && strlen(p->typed) > PARAM_MAX)
    p->typed = arena_strndup(rq->arena, p->typed, PARAM_MAX);
  bool blank = true;
  for (const char *c = p->typed; c && *c; c++)
    if (*c != ' ' && *c != '\t')
      blank = false;
  if (!blank)
    find_place(rq, ix, p);
  else if (p->submitted && !p->need && !p->search && !p->language)
    p->error = "Enter a postcode or town, a service name, or choose what you need help with";
}

/* The search as a URL query string (values percent-encoded; write it with %s
 * so that the & are escaped). */
static const char *search_qs(struct http_req *rq, const struct fs_params *p, size_t page)
{
  struct buf b = BUF_INIT;
  const char *sep = "";
  if (p->where) {
    html_printf(&b, "postcode=%U", p->where);
    sep = "&";
  }
  static const char *const keys[] = {"need", "stage", "referral", "search", "language"};
  const char *vals[] = {find_support_need_param(p->need), p->stage, p->referral, p->search,
                        p->language};
  for (size_t i = 0; i < ARRAY_LEN(keys); i++)
    if (vals[i]) {
      html_printf(&b, "%R%R=%U", sep, keys[i], vals[i]);
      sep = "&";
    }
  if (p->where || p->miles != FIND_SUPPORT_DEFAULT_MILES) {
    html_printf(&b, "%Rdistance=%d", sep, p->miles);
    sep = "&";
  }
  if (page > 1)
    html_printf(&b, "%Rpage=%zu", sep, page);
  char *s = arena_strdup(rq->arena, buf_cstr(&b));
  buf_free(&b);
  return s;
}

static const char *miles_text(struct http_req *rq, double metres)
{
  double miles = metres / METRES_PER_MILE;
  if (miles < 0.1)
    return "less than 0.1 miles";
  return arena_printf(rq->arena, "%.1f miles", miles);
}

/* --- The form --- */

struct term_option {
  const char *value, *name;
};

/* Listed terms of a vocabulary that some service carries (and the selected
 * one even if none does). Stages put pregnancy first, then in name order. */
static size_t vocabulary_options(struct http_req *rq, const struct directory_index *ix,
                                 enum directory_kind kind, const char *selected,
                                 struct term_option **out)
{
  size_t n = directory_term_count(ix), m = 0;
  *out = arena_alloc(rq->arena, (n ? n : 1) * sizeof **out);
  for (uint32_t t = 0; t < n; t++) {
    struct directory_term_info ti;
    directory_term_info(ix, t, &ti);
    if (!ti.listed || ti.kind != kind || !ti.name)
      continue;
    const char *value = ti.code ? ti.code : ti.id;
    if (!ti.services && !(selected && strcmp(selected, value) == 0))
      continue;
    (*out)[m].value = value;
    (*out)[m].name = ti.name;
    if (kind == DIRECTORY_KIND_STAGE && strstr(value, "pregnan") && m) {
      memmove(*out + 1, *out, m * sizeof **out);
      (*out)[0].value = value;
      (*out)[0].name = ti.name;
    }
    m++;
  }
  return m;
}

static void select_field(struct buf *b, struct http_req *rq, const struct directory_index *ix,
                         const char *name, const char *label, const char *hint,
                         const char *any_text, enum directory_kind kind, const char *selected)
{
  struct term_option *opts;
  size_t n = vocabulary_options(rq, ix, kind, selected, &opts);
  html_printf(b,
              "<div class=\"nhsuk-form-group\">\n"
              "<label class=\"nhsuk-label\" for=\"%s\">%s</label>\n",
              name, label);
  if (hint)
    html_printf(b, "<div class=\"nhsuk-hint\" id=\"%s-hint\">%s</div>\n", name, hint);
  html_printf(b, "<select class=\"nhsuk-select\" id=\"%s\" name=\"%s\"%R>\n", name, name,
              hint ? arena_printf(rq->arena, " aria-describedby=\"%s-hint\"", name) : "");
  html_printf(b, "<option value=\"\">%s</option>\n", any_text);
  for (size_t i = 0; i < n; i++)
    html_printf(b, "<option value=\"%s\"%R>%s</option>\n",
                kind == DIRECTORY_KIND_NEED ? find_support_need_param(opts[i].value)
                                            : opts[i].value,
                selected && strcmp(selected, opts[i].value) == 0 ? " selected" : "",
                strcmp(opts[i].value, REFERRAL_PROFESSIONAL) == 0
                    ? "Referred by a professional (such as a GP, midwife or social worker)"
                    : opts[i].name);
  html_printf(b, "</select>\n</div>\n");
}

static void stage_field(struct buf *b, struct http_req *rq, const struct directory_index *ix,
                        const char *selected)
{
  struct term_option *opts;
  size_t n = vocabulary_options(rq, ix, DIRECTORY_KIND_STAGE, selected, &opts);
  if (!n)
    return;
  html_printf(b,
              "<div class=\"nhsuk-form-group\">\n<fieldset class=\"nhsuk-fieldset\">\n"
              "<legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">Stage</legend>\n"
              "<div class=\"nhsuk-radios nhsuk-radios--inline\">\n");
  html_printf(b,
              "<div class=\"nhsuk-radios__item\">\n<input class=\"nhsuk-radios__input\" "
              "id=\"stage\" name=\"stage\" type=\"radio\" value=\"\"%R>\n"
              "<label class=\"nhsuk-label nhsuk-radios__label\" for=\"stage\">Any stage</label>\n"
              "</div>\n",
              selected ? "" : " checked");
  for (size_t i = 0; i < n; i++)
    html_printf(b,
                "<div class=\"nhsuk-radios__item\">\n<input class=\"nhsuk-radios__input\" "
                "id=\"stage-%zu\" name=\"stage\" type=\"radio\" value=\"%s\"%R>\n"
                "<label class=\"nhsuk-label nhsuk-radios__label\" for=\"stage-%zu\">%s</label>\n"
                "</div>\n",
                i + 1, opts[i].value,
                selected && strcmp(selected, opts[i].value) == 0 ? " checked" : "", i + 1,
                opts[i].name);
  html_printf(b, "</div>\n</fieldset>\n</div>\n");
}

static void render_form(struct buf *b, struct http_req *rq, const struct directory_index *ix,
                        const struct fs_params *p)
{
  /* The fragment takes the page to the results once they are there (a GET
   * form keeps its action's fragment), which on a phone are below the form. */
  html_printf(b, "<form method=\"get\" action=\"/find-support#results\" novalidate>\n");
  html_printf(b,
              "<div class=\"nhsuk-form-group%R\">\n"
              "<label class=\"nhsuk-label nhsuk-label--s\" for=\"postcode\">Postcode or "
              "town</label>\n"
              "<div class=\"nhsuk-hint\" id=\"postcode-hint\">For example, SW1A 1AA, the first "
              "part of a postcode such as SW1A, or a town</div>\n",
              p->error ? " nhsuk-form-group--error" : "");
  if (p->error)
    html_printf(b,
                "<span class=\"nhsuk-error-message\" id=\"postcode-error\"><span "
                "class=\"nhsuk-u-visually-hidden\">Error: </span>%s</span>\n",
                p->error);
  html_printf(b,
              "<input class=\"nhsuk-input nhsuk-input--width-10%R\" id=\"postcode\" "
              "name=\"postcode\" type=\"text\" autocomplete=\"postal-code\" spellcheck=\"false\" "
              "aria-describedby=\"postcode-hint%R\" value=\"%s\">\n</div>\n",
              p->error ? " nhsuk-input--error" : "", p->error ? " postcode-error" : "",
              p->typed ? p->typed : "");
  select_field(b, rq, ix, "need", "What do you need help with?", NULL, "Any kind of support",
               DIRECTORY_KIND_NEED, p->need);
  html_printf(b,
              "<div class=\"nhsuk-form-group\">\n"
              "<label class=\"nhsuk-label\" for=\"search\">Service name (optional)</label>\n"
              "<div class=\"nhsuk-hint\" id=\"search-hint\">Or words from its description, such "
              "as breastfeeding</div>\n"
              "<input class=\"nhsuk-input nhsuk-u-width-two-thirds\" id=\"search\" name=\"search\" "
              "type=\"text\" spellcheck=\"false\" aria-describedby=\"search-hint\" "
              "value=\"%s\">\n</div>\n",
              p->search ? p->search : "");
  stage_field(b, rq, ix, p->stage);
  select_field(b, rq, ix, "referral", "How would you like to be referred? (optional)",
               "Some services need a referral from a GP, midwife or health visitor.", "Any way",
               DIRECTORY_KIND_REFERRAL, p->referral);
  html_printf(
      b, "<div class=\"nhsuk-form-group\">\n"
         "<label class=\"nhsuk-label\" for=\"language\">Language (optional)</label>\n"
         "<div class=\"nhsuk-hint\" id=\"language-hint\">Services that say they work in "
         "this language. If none does, ask a service whether it can book an interpreter.</div>\n"
         "<select class=\"nhsuk-select\" id=\"language\" name=\"language\" "
         "aria-describedby=\"language-hint\">\n<option value=\"\">Any language</option>\n");
  for (size_t i = 0; i < ARRAY_LEN(language_options); i++)
    html_printf(b, "<option value=\"%s\"%R>%s</option>\n", language_options[i].code,
                p->language == language_options[i].code ? " selected" : "",
                language_options[i].name);
  html_printf(b, "</select>\n</div>\n");
  html_printf(b, "<div class=\"nhsuk-form-group\">\n"
                 "<label class=\"nhsuk-label\" for=\"distance\">Distance</label>\n"
                 "<select class=\"nhsuk-select\" id=\"distance\" name=\"distance\">\n");
  for (size_t i = 0; i < ARRAY_LEN(distance_miles); i++)
    html_printf(b, "<option value=\"%d\"%R>Within %d mile%R</option>\n", distance_miles[i],
                distance_miles[i] == p->miles ? " selected" : "", distance_miles[i],
                distance_miles[i] == 1 ? "" : "s");
  html_printf(b, "</select>\n</div>\n"
                 "<button class=\"nhsuk-button\" type=\"submit\">Search</button>\n</form>\n");
}

/* --- Results --- */

/* The name of a service's organisation, or NULL. */
static const char *org_name(const json_t *svc)
{
  return json_string_value(json_object_get(json_object_get(svc, "organization"), "name"));
}

/* The summary-list rows every result and service page share. */
static void row_begin(struct buf *b, const char *key)
{
  html_printf(
      b,
      "<div class=\"nhsuk-summary-list__row\">\n<dt class=\"nhsuk-summary-list__key\">%s</dt>\n"
      "<dd class=\"nhsuk-summary-list__value\">",
      key);
}

static void row_end(struct buf *b)
{
  html_printf(b, "</dd>\n</div>\n");
}

/* A referral route's name for people. The term "Professionals only" reads as
 * "only for professionals", so the route is named by what it means: beside
 * self-referral, that a professional can refer too; alone, that a
 * professional must. */
static const char *referral_name(const struct directory_referral *refs, size_t n, size_t i)
{
  if (!refs[i].code || strcmp(refs[i].code, REFERRAL_PROFESSIONAL) != 0)
    return refs[i].name;
  for (size_t k = 0; k < n; k++)
    if (refs[k].code && strcmp(refs[k].code, "self-referral") == 0)
      return "A professional can also refer you";
  return "Only with a referral from a professional";
}

static void referral_rows(struct buf *b, const json_t *svc)
{
  struct directory_referral refs[8];
  size_t n = directory_entry_referrals(svc, refs, ARRAY_LEN(refs));
  row_begin(b, "How to be referred");
  if (!n)
    html_printf(b, "Contact the service to ask.");
  for (size_t i = 0; i < n; i++) {
    html_printf(b, "%R<strong>%s</strong>", i ? "<br>\n" : "", referral_name(refs, n, i));
    if (refs[i].instructions)
      html_printf(b, ": %s", refs[i].instructions);
  }
  row_end(b);
}

static void contact_row(struct buf *b, const json_t *svc)
{
  const char *phones[6];
  size_t np = directory_entry_phones(svc, phones, ARRAY_LEN(phones));
  const char *email = json_string_value(json_object_get(svc, "email"));
  const char *url = json_string_value(json_object_get(svc, "url"));
  if (!np && !email && !directory_entry_web_url(url))
    return;
  row_begin(b, "Contact");
  const char *sep = "";
  for (size_t i = 0; i < np; i++) {
    html_printf(b, "%RPhone: <a href=\"tel:%U\">%s</a>", sep, phones[i], phones[i]);
    sep = "<br>\n";
  }
  if (email && strchr(email, '@') && !strpbrk(email, " <>\"'")) {
    html_printf(b, "%REmail: <a href=\"mailto:%s\">%s</a>", sep, email, email);
    sep = "<br>\n";
  }
  if (directory_entry_web_url(url))
    html_printf(b,
                "%R<a href=\"%s\">Website<span class=\"nhsuk-u-visually-hidden\"> of %s</span></a>",
                sep, url, json_string_value(json_object_get(svc, "name")));
  row_end(b);
}

static void opening_row(struct buf *b, const json_t *svc)
{
  size_t i;
  const json_t *sc;
  bool any = false;
  json_array_foreach(json_object_get(svc, "schedules"), i, sc)
  {
    char text[300];
    directory_entry_schedule_text(sc, text, sizeof text);
    if (!text[0])
      continue;
    if (!any)
      row_begin(b, "Opening times");
    html_printf(b, "%R%s", any ? "<br>\n" : "", text);
    any = true;
  }
  if (any)
    row_end(b);
}

static void checked_row(struct buf *b, const json_t *svc)
{
  struct date d;
  char when[32];
  row_begin(b, "Last checked");
  if (directory_entry_last_checked(svc, &d)) {
    date_format_long(d, when);
    html_printf(b, "%s", when);
  } else {
    html_printf(b, "Not known");
  }
  row_end(b);
}

/* "Name, 1 Street, Town SE1 7EH" for a location. */
static const char *place_text(struct http_req *rq, const json_t *loc)
{
  struct buf b = BUF_INIT;
  const char *name = json_string_value(json_object_get(loc, "name"));
  if (name)
    buf_puts(&b, name);
  const json_t *a = json_array_get(json_object_get(loc, "addresses"), 0);
  static const char *const parts[] = {"address_1", "city", "postal_code"};
  for (size_t i = 0; i < ARRAY_LEN(parts); i++) {
    const char *v = json_string_value(json_object_get(a, parts[i]));
    if (v) {
      if (b.len)
        buf_puts(&b, i == 2 ? " " : ", ");
      buf_puts(&b, v);
    }
  }
  const char *s = arena_strdup(rq->arena, buf_cstr(&b));
  buf_free(&b);
  return s;
}

/* The languages a service says it works in, names joined by ", " (arena
 * memory), or NULL when it names none. */
static const char *languages_text(struct http_req *rq, const json_t *svc)
{
  struct buf b = BUF_INIT;
  size_t i;
  const json_t *l;
  json_array_foreach(json_object_get(svc, "languages"), i, l)
  {
    const char *name = json_string_value(json_object_get(l, "name"));
    if (!name)
      name = json_string_value(json_object_get(l, "code"));
    if (name) {
      if (b.len)
        buf_puts(&b, ", ");
      buf_puts(&b, name);
    }
  }
  const char *s = b.len ? arena_strdup(rq->arena, buf_cstr(&b)) : NULL;
  buf_free(&b);
  return s;
}

/* True when the service names the language of language_options[] whose code
 * is code: by its code ("pl", "pl-PL", any case) or its English name. */
static bool service_speaks(const json_t *svc, const char *code)
{
  const char *name = NULL;
  for (size_t i = 0; i < ARRAY_LEN(language_options); i++)
    if (strcmp(language_options[i].code, code) == 0)
      name = language_options[i].name;
  size_t cn = strlen(code), i;
  const json_t *l;
  json_array_foreach(json_object_get(svc, "languages"), i, l)
  {
    const char *c = json_string_value(json_object_get(l, "code"));
    const char *n = json_string_value(json_object_get(l, "name"));
    if (c && strncasecmp(c, code, cn) == 0 && (c[cn] == '\0' || c[cn] == '-' || c[cn] == '_'))
      return true;
    if (n && name && strcasecmp(n, name) == 0)
      return true;
  }
  return false;
}

/* At most max bytes of text, cut at a space, with "…" when cut. */
static const char *shortened(struct http_req *rq, const char *text, size_t max)
{
  size_t n = strlen(text);
  if (n <= max)
    return text;
  size_t cut = max;
  while (cut > 0 && text[cut] != ' ')
    cut--;
  if (!cut)
    cut = max;
  while (cut > 0 && strchr(" ,.;:", text[cut - 1]))
    cut--;
  return arena_printf(rq->arena, "%.*s…", (int)cut, text);
}

/* One result: what a person needs to choose, in a few lines; the rest is on
 * the service's page. */
static void render_card(struct buf *b, struct http_req *rq, const struct directory_index *ix,
                        const struct directory_hit *h, const struct fs_params *p)
{
  json_t *svc = directory_service_json(ix, h->service);
  const char *name = json_string_value(json_object_get(svc, "name"));
  const char *org = org_name(svc);
  const char *qs = search_qs(rq, p, p->page);
  html_printf(b,
              "<li>\n<div class=\"nhsuk-card app-result\">\n<div class=\"nhsuk-card__content\">\n"
              "<h3 class=\"nhsuk-card__heading nhsuk-heading-s\"><a "
              "href=\"/find-support/service/%U%s%s\">%s</a></h3>\n",
              directory_service_id(ix, h->service), qs[0] ? "?" : "", qs, name);
  const char *place = "";
  uint32_t sal = h->sal, first;
  if (sal == DIRECTORY_NONE && h->distance_m < 0 && !p->has_origin &&
      directory_service_sals(ix, h->service, &first))
    sal = first; /* a listing without a place to search from: say where, if it has a place */
  if (sal != DIRECTORY_NONE) {
    json_t *loc = directory_sal_location_json(ix, sal);
    place = place_text(rq, loc);
    json_decref(loc);
  }
  html_printf(b, "<p class=\"nhsuk-body-s app-result__where\">");
  if (h->sal != DIRECTORY_NONE && h->distance_m >= 0)
    html_printf(b, "<strong>%s away</strong>%R", miles_text(rq, h->distance_m),
                place[0] ? " at " : "");
  html_printf(b, "%s%R%s</p>\n", place, org && place[0] ? "<br>\n" : "", org ? org : "");
  const char *desc = json_string_value(json_object_get(svc, "description"));
  if (desc)
    html_printf(b, "<p class=\"nhsuk-body-s\">%s</p>\n", shortened(rq, desc, CARD_DESCRIPTION_MAX));
  html_printf(b, "<ul class=\"nhsuk-list nhsuk-body-s app-result__facts\">\n");
  struct directory_referral refs[8];
  size_t nr = directory_entry_referrals(svc, refs, ARRAY_LEN(refs));
  html_printf(b, "<li><strong>How to be referred:</strong> ");
  for (size_t i = 0; i < nr; i++)
    html_printf(b, "%R%s", i ? "; " : "", referral_name(refs, nr, i));
  html_printf(b, "%R</li>\n", nr ? "" : "contact the service to ask");
  const char *phones[1];
  if (directory_entry_phones(svc, phones, 1))
    html_printf(b, "<li><strong>Phone:</strong> <a href=\"tel:%U\">%s</a></li>\n", phones[0],
                phones[0]);
  const char *langs = languages_text(rq, svc);
  if (langs)
    html_printf(b, "<li><strong>Languages:</strong> %s</li>\n", langs);
  struct date d;
  char when[32] = "not known";
  if (directory_entry_last_checked(svc, &d))
    date_format_long(d, when);
  html_printf(b, "<li><strong>Last checked:</strong> %s</li>\n</ul>\n</div>\n</div>\n</li>\n",
              when);
  json_decref(svc);
}

static void pagination(struct buf *b, struct http_req *rq, const struct fs_params *p, size_t total)
{
  size_t pages = (total + FIND_SUPPORT_PER_PAGE - 1) / FIND_SUPPORT_PER_PAGE;
  if (pages <= 1)
    return;
  html_printf(b, "<nav class=\"nhsuk-pagination\" role=\"navigation\" aria-label=\"Pages of "
                 "results\">\n<ul class=\"nhsuk-list nhsuk-pagination__list\">\n");
  if (p->page > 1 && p->page <= pages)
    html_printf(b,
                "<li class=\"nhsuk-pagination-item--previous\"><a class=\"nhsuk-pagination__link "
                "nhsuk-pagination__link--prev\" href=\"/find-support?%s#results\" rel=\"prev\">"
                "<span class=\"nhsuk-pagination__title\">Previous</span><span "
                "class=\"nhsuk-u-visually-hidden\">:</span> <span "
                "class=\"nhsuk-pagination__page\">Page %zu of %zu</span></a></li>\n",
                search_qs(rq, p, p->page - 1), p->page - 1, pages);
  if (p->page < pages)
    html_printf(b,
                "<li class=\"nhsuk-pagination-item--next\"><a class=\"nhsuk-pagination__link "
                "nhsuk-pagination__link--next\" href=\"/find-support?%s#results\" rel=\"next\">"
                "<span class=\"nhsuk-pagination__title\">Next</span><span "
                "class=\"nhsuk-u-visually-hidden\">:</span> <span "
                "class=\"nhsuk-pagination__page\">Page %zu of %zu</span></a></li>\n",
                search_qs(rq, p, p->page + 1), p->page + 1, pages);
  html_printf(b, "</ul>\n</nav>\n");
}

static void base_query(const struct fs_params *p, struct directory_query *q)
{
  memset(q, 0, sizeof *q);
  q->need = p->need;
  q->stage = p->stage;
  q->referral = p->referral;
  q->text = p->search;
  q->active_only = true;
  q->per_page = FIND_SUPPORT_PER_PAGE;
  q->page = p->page;
}

/* directory_search with the language filter applied here, since the index
 * has none: every hit is read, those whose service names the language are
 * kept, and then the page is cut. */
static void run_search(struct http_req *rq, const struct directory_index *ix,
                       const struct directory_query *q, const struct fs_params *p,
                       struct directory_result *res)
{
  if (!p->language) {
    directory_search(ix, q, rq->arena, res);
    return;
  }
  struct directory_query all = *q;
  all.page = 1;
  all.per_page = 0;
  directory_search(ix, &all, rq->arena, res);
  size_t kept = 0;
  for (size_t i = 0; i < res->nhits; i++) {
    json_t *svc = directory_service_json(ix, res->hits[i].service);
    if (service_speaks(svc, p->language))
      res->hits[kept++] = res->hits[i];
    json_decref(svc);
  }
  size_t per = q->per_page ? q->per_page : kept, page = q->page ? q->page : 1;
  size_t from = (page - 1) * per < kept ? (page - 1) * per : kept;
  res->total = kept;
  res->hits += from;
  res->nhits = kept - from < per ? kept - from : per;
}

/* True when no place of any service is within the longest distance of the
 * form: the place searched from is outside the area the directory covers. */
static bool nothing_near(struct http_req *rq, const struct directory_index *ix,
                         const struct fs_params *p)
{
  struct directory_query q;
  memset(&q, 0, sizeof q);
  q.has_origin = true;
  q.lat = p->lat;
  q.lon = p->lon;
  q.proximity_m = distance_miles[ARRAY_LEN(distance_miles) - 1] * METRES_PER_MILE;
  q.active_only = true;
  q.per_page = 1;
  q.page = 1;
  struct directory_result res;
  directory_search(ix, &q, rq->arena, &res);
  return res.total == 0;
}

static void render_results(struct buf *b, struct http_req *rq, const struct directory_index *ix,
                           const struct fs_params *p)
{
  struct directory_query q;
  struct directory_result res;
  base_query(p, &q);
  if (p->has_origin) {
    q.has_origin = true;
    q.lat = p->lat;
    q.lon = p->lon;
    q.proximity_m = p->miles * METRES_PER_MILE;
  }
  run_search(rq, ix, &q, p, &res);
  /* tabindex lets the browser move focus to the results when the address
   * ends in #results, so a screen reader starts there too. */
  html_printf(b, "<h2 id=\"results\" tabindex=\"-1\">");
  if (p->has_origin)
    html_printf(b, "%zu service%R within %d mile%R of %s", res.total, res.total == 1 ? "" : "s",
                p->miles, p->miles == 1 ? "" : "s", p->where);
  else
    html_printf(b, "%zu service%R", res.total, res.total == 1 ? "" : "s");
  html_printf(b, "</h2>\n");
  size_t pages = (res.total + FIND_SUPPORT_PER_PAGE - 1) / FIND_SUPPORT_PER_PAGE;
  if (res.total && p->page > pages)
    html_printf(b,
                "<p>There are only %zu pages of results. <a href=\"/find-support?%s\">Go to "
                "the first page</a>.</p>\n",
                pages, search_qs(rq, p, 1));
  else if (!res.total && p->has_origin && nothing_near(rq, ix, p))
    html_printf(b,
                "<p>%s is outside the area this directory covers (%s): it lists no services "
                "within %d miles of it. Ask your health visitor or GP about services where you "
                "live.</p>\n",
                p->where, area_name(rq), distance_miles[ARRAY_LEN(distance_miles) - 1]);
  else if (!res.total && p->has_origin)
    html_printf(b,
                "<p>We found no services that match within %d mile%R. Try a longer distance, "
                "or fewer choices.</p>\n",
                p->miles, p->miles == 1 ? "" : "s");
  else if (!res.total)
    html_printf(b, "<p>We found no services that match. Try fewer choices.</p>\n");
  if (pages > 1 && p->page <= pages)
    html_printf(b, "<p class=\"nhsuk-body-s\">Page %zu of %zu</p>\n", p->page, pages);
  if (res.total)
    html_printf(b, "<div class=\"app-result-actions\">\n<p><a href=\"#share-heading\">Share this "
                   "list</a></p>\n<button class=\"nhsuk-button nhsuk-button--secondary app-print\" "
                   "type=\"button\" hidden>Print this list</button>\n</div>\n");
  if (res.nhits) {
    html_printf(b, "<ul class=\"nhsuk-list app-results\">\n");
    for (size_t i = 0; i < res.nhits; i++)
      render_card(b, rq, ix, &res.hits[i], p);
    html_printf(b, "</ul>\n");
  }
  pagination(b, rq, p, res.total);

  /* With a postcode: services reached by phone or online, on the first page. */
  if (p->has_origin && p->page == 1) {
    struct fs_params none = *p;
    none.has_origin = false;
    base_query(p, &q);
    q.located = DIRECTORY_LOCATED_NONE;
    q.page = 1;
    q.per_page = FIND_SUPPORT_ONLINE_MAX;
    run_search(rq, ix, &q, p, &res);
    if (res.total) {
      html_printf(b, "<h2 id=\"phone-online\">Support by phone or online</h2>\n"
                     "<p>These services have no place to visit, so you can use them wherever you "
                     "live.</p>\n<ul class=\"nhsuk-list app-results\">\n");
      for (size_t i = 0; i < res.nhits; i++)
        render_card(b, rq, ix, &res.hits[i], &none);
      html_printf(b, "</ul>\n");
      if (res.total > res.nhits)
        html_printf(b, "<p>And %zu more. Choose what you need help with to narrow the list.</p>\n",
                    res.total - res.nhits);
    }
  }
}

static struct directory_index *page_index(struct http_req *rq, struct http_resp *rs)
{
  if (!rq->app->directory) {
    web_render_error(rq, rs, 503, "directory_unavailable",
                     "The list of services is not available at the moment. Try again later.");
    return NULL;
  }
  if (directory_state_loading(rq->app->directory)) {
    web_render_error(rq, rs, 503, "directory_loading",
                     "The list of services is still loading. Try again in a few seconds. If you "
                     "need help now, see the urgent help page.");
    http_add_header(rs, "Retry-After", "5");
    return NULL;
  }
  return directory_state_acquire(rq->app->directory);
}

void web_find_support(struct http_req *rq, struct http_resp *rs)
{
  struct directory_index *ix = page_index(rq, rs);
  if (!ix)
    return;
  struct fs_params p;
  read_params(rq, ix, &p);
  struct view_page vp = {.title = "Find support near you",
                         .description = "Find local services for pregnancy, babies and toddlers, "
                                        "and how to be referred to them.",
                         .nav = "find-support",
                         .main_class = "app-find-support",
                         .error = p.error != NULL,
                         .noindex = p.submitted,
                         .quick_exit = find_support_need_sensitive(p.need)};
  /* A list is shared with its search, so the one it is sent to sees the same
   * services (a sensitive need travels as its neutral code). */
  if (p.submitted && !p.error) {
    vp.share_path = arena_printf(rq->arena, "/find-support?%s", search_qs(rq, &p, 1));
    vp.share_title =
        p.where ? arena_printf(rq->arena, "Support near %s", p.where) : "Support for families";
  }
  struct buf *b = &rs->body;
  if (p.error)
    rs->status = 400;
  view_page_begin(b, rq, &vp);
  html_printf(b, "<div class=\"nhsuk-grid-row\">\n<div class=\"nhsuk-grid-column-two-thirds\">\n");
  if (p.error) {
    view_error_summary_begin(b);
    view_error_summary_item(b, "postcode", p.error);
    view_error_summary_end(b);
  }
  html_printf(b, "<h1>Find support near you</h1>\n"
                 "<p class=\"nhsuk-lede-text\">Search for services for pregnancy, babies and "
                 "toddlers near you, and find out how to be referred.</p>\n");
  render_form(b, rq, ix, &p);
  if (p.submitted && !p.error)
    render_results(b, rq, ix, &p);
  else if (!p.submitted)
    html_printf(b, "<p>You can also <a href=\"/urgent-help\">get urgent help</a> now if you or "
                   "your baby are not safe.</p>\n");
  html_printf(b, "</div>\n</div>\n");
  view_page_end(b, rq, &vp);
  rs->cache = p.submitted ? HTTP_CACHE_NO_STORE : HTTP_CACHE_SHORT;
  directory_index_unref(ix);
}

/* --- A page per service --- */

static void status_warning(struct buf *b, const json_t *svc)
{
  const char *status = json_string_value(json_object_get(svc, "status"));
  const char *alert = json_string_value(json_object_get(svc, "alert"));
  const char *what = NULL;
  if (status && strcmp(status, "temporarily closed") == 0)
    what = "This service is closed for now";
  else if (status && (strcmp(status, "inactive") == 0 || strcmp(status, "defunct") == 0))
    what = "This service is not running";
  if (!what && !alert)
    return;
  html_printf(
      b,
      "<div class=\"nhsuk-card nhsuk-card--warning\">\n<div class=\"nhsuk-card__content\">\n"
      "<h2 class=\"nhsuk-card__heading\"><span class=\"nhsuk-u-visually-hidden\">Important: "
      "</span>%s</h2>\n",
      what ? what : "Please note");
  if (alert)
    html_printf(b, "<p class=\"nhsuk-card__description\">%s</p>\n", alert);
  else
    html_printf(b, "<p class=\"nhsuk-card__description\">Contact the service or your health "
                   "visitor to find another.</p>\n");
  html_printf(b, "</div>\n</div>\n");
}

static void terms_row(struct buf *b, const json_t *svc, enum directory_kind kind, const char *key)
{
  const json_t *terms[16];
  size_t n = directory_entry_terms(svc, kind, terms, ARRAY_LEN(terms));
  if (!n)
    return;
  row_begin(b, key);
  for (size_t i = 0; i < n; i++)
    html_printf(b, "%R%s", i ? ", " : "", json_string_value(json_object_get(terms[i], "name")));
  row_end(b);
}

static void places_section(struct buf *b, struct http_req *rq, const struct directory_index *ix,
                           uint32_t s, const struct fs_params *p)
{
  uint32_t first;
  size_t n = directory_service_sals(ix, s, &first);
  if (!n)
    return;
  html_printf(b, "<h2>Where</h2>\n");
  for (uint32_t i = first; i < first + n; i++) {
    json_t *loc = directory_sal_location_json(ix, i);
    const char *type = json_string_value(json_object_get(loc, "location_type"));
    const char *name = json_string_value(json_object_get(loc, "name"));
    html_printf(b, "<h3 class=\"nhsuk-heading-s\">%s</h3>\n",
                name ? name
                     : (type && strcmp(type, "virtual") == 0 ? "By phone or online" : "Place"));
    const json_t *a = json_array_get(json_object_get(loc, "addresses"), 0);
    if (a) {
      html_printf(b, "<p>");
      static const char *const lines[] = {"address_1", "city", "postal_code"};
      for (size_t k = 0; k < ARRAY_LEN(lines); k++) {
        const char *v = json_string_value(json_object_get(a, lines[k]));
        if (v)
          html_printf(b, "%s<br>\n", v);
      }
      html_printf(b, "</p>\n");
    }
    double lat, lon;
    if (p->has_origin && directory_sal_point(ix, i, &lat, &lon))
      html_printf(b, "<p>%s from %s</p>\n",
                  miles_text(rq, directory_distance_m(p->lat, p->lon, lat, lon)), p->postcode);
    const char *desc = json_string_value(json_object_get(loc, "description"));
    if (desc)
      html_printf(b, "<p>%s</p>\n", desc);
    size_t k;
    const json_t *acc;
    json_array_foreach(json_object_get(loc, "accessibility"), k, acc)
    {
      const char *d = json_string_value(json_object_get(acc, "description"));
      if (d)
        html_printf(b, "<p>Access: %s</p>\n", d);
    }
    json_decref(loc);
  }
}

/* "/find-support/service/ID", the id url-encoded (arena memory). */
static const char *service_path(struct http_req *rq, const struct directory_index *ix, uint32_t s)
{
  struct buf b = BUF_INIT;
  html_printf(&b, "/find-support/service/%U", directory_service_id(ix, s));
  const char *out = arena_strdup(rq->arena, buf_cstr(&b));
  buf_free(&b);
  return out;
}

/* What is shared with a link to a service, so that the message alone says how
 * to get in touch: its name, phone, first address and how to be referred.
 * Plain text (arena memory); the view escapes it. */
static const char *share_text(struct http_req *rq, const struct directory_index *ix, uint32_t s,
                              const json_t *svc)
{
  struct buf t = BUF_INIT;
  buf_puts(&t, json_string_value(json_object_get(svc, "name")));
  const char *phones[1];
  if (directory_entry_phones(svc, phones, 1))
    buf_printf(&t, "\nPhone: %s", phones[0]);
  uint32_t first;
  if (directory_service_sals(ix, s, &first)) {
    json_t *loc = directory_sal_location_json(ix, first);
    const char *place = place_text(rq, loc);
    if (place[0])
      buf_printf(&t, "\nAddress: %s", place);
    json_decref(loc);
  }
  struct directory_referral refs[8];
  size_t n = directory_entry_referrals(svc, refs, ARRAY_LEN(refs));
  for (size_t i = 0; i < n; i++)
    buf_printf(&t, "%s%s%s%s", i ? "\n" : "\nHow to be referred: ", referral_name(refs, n, i),
               refs[i].instructions ? ": " : "", refs[i].instructions ? refs[i].instructions : "");
  const char *out = arena_strdup(rq->arena, buf_cstr(&t));
  buf_free(&t);
  return out;
}

void web_find_support_service(struct http_req *rq, struct http_resp *rs)
{
  struct directory_index *ix = page_index(rq, rs);
  if (!ix)
    return;
  uint32_t s = directory_service_find(ix, rq->captures[0]);
  if (s == DIRECTORY_NONE) {
    web_render_error(rq, rs, 404, "not_found",
                     "We could not find that service. It may have been removed from the list.");
    directory_index_unref(ix);
    return;
  }
  struct fs_params p;
  read_params(rq, ix, &p);
  const char *qs = p.error ? "" : search_qs(rq, &p, p.page);
  json_t *svc = directory_service_json(ix, s);
  const char *name = json_string_value(json_object_get(svc, "name"));
  const char *desc = json_string_value(json_object_get(svc, "description"));
  const char *back =
      qs[0] ? arena_printf(rq->arena, "/find-support?%s#results", qs) : "/find-support";
  struct view_page vp = {.title = name,
                         .description = desc,
                         .nav = "find-support",
                         .back_href = back,
                         .back_text = qs[0] ? "Back to results" : "Find support",
                         .share_path = service_path(rq, ix, s),
                         .share_text = share_text(rq, ix, s, svc)};
  struct buf *b = &rs->body;
  view_page_begin(b, rq, &vp);
  html_printf(b, "<div class=\"nhsuk-grid-row\">\n<div class=\"nhsuk-grid-column-two-thirds\">\n");
  const char *org = org_name(svc);
  if (org)
    html_printf(b, "<span class=\"nhsuk-caption-l\">%s</span>\n", org);
  html_printf(b, "<h1>%s</h1>\n", name);
  status_warning(b, svc);
  if (desc)
    html_printf(b, "<p class=\"nhsuk-lede-text\">%s</p>\n", desc);
  html_printf(b, "<dl class=\"nhsuk-summary-list\">\n");
  referral_rows(b, svc);
  terms_row(b, svc, DIRECTORY_KIND_STAGE, "Who it is for");
  terms_row(b, svc, DIRECTORY_KIND_NEED, "Help with");
  const char *langs = languages_text(rq, svc);
  if (langs) {
    row_begin(b, "Languages");
    html_printf(b, "%s", langs);
    row_end(b);
  }
  const json_t *mn = json_object_get(svc, "minimum_age"), *mx = json_object_get(svc, "maximum_age");
  if (json_is_number(mn) || json_is_number(mx)) {
    row_begin(b, "Ages");
    if (json_is_number(mn) && json_is_number(mx))
      html_printf(b, "%R to %R years", arena_printf(rq->arena, "%g", json_number_value(mn)),
                  arena_printf(rq->arena, "%g", json_number_value(mx)));
    else if (json_is_number(mn))
      html_printf(b, "From %R years", arena_printf(rq->arena, "%g", json_number_value(mn)));
    else
      html_printf(b, "Up to %R years", arena_printf(rq->arena, "%g", json_number_value(mx)));
    row_end(b);
  }
  contact_row(b, svc);
  opening_row(b, svc);
  const char *fees = json_string_value(json_object_get(svc, "fees"));
  const json_t *costs = json_object_get(svc, "cost_options");
  if (fees || json_array_size(costs)) {
    row_begin(b, "Cost");
    if (fees)
      html_printf(b, "%s", fees);
    size_t i;
    const json_t *c;
    json_array_foreach(costs, i, c)
    {
      const char *opt = json_string_value(json_object_get(c, "option"));
      const char *ad = json_string_value(json_object_get(c, "amount_description"));
      const json_t *amount = json_object_get(c, "amount");
      /* A free option says so once: "Free", not "Free: £0.00 Free of charge". */
      bool zero = json_is_number(amount) && json_number_value(amount) == 0;
      bool opt_free = opt && strcasestr(opt, "free");
      html_printf(b, "%R%s%R", fees || i ? "<br>\n" : "", opt ? opt : zero ? "Free" : "",
                  zero                   ? (opt && !opt_free ? ": free" : "")
                  : json_is_number(amount) ? arena_printf(rq->arena, "%s£%.2f", opt ? ": " : "",
                                                          json_number_value(amount))
                                           : "");
      if (ad && !(zero && strcasestr(ad, "free")))
        html_printf(b, " %s", ad);
    }
    row_end(b);
  }
  checked_row(b, svc);
  html_printf(b, "</dl>\n");
  places_section(b, rq, ix, s, &p);
  html_printf(b, "<button class=\"nhsuk-button nhsuk-button--secondary app-print\" type=\"button\" "
                 "hidden>Print this page</button>\n");
  html_printf(b,
              "<p class=\"nhsuk-body-s\">If something here is wrong, tell the service or "
              "your health visitor. This entry is also published as <a "
              "href=\"/openreferral/services/%U\">open data (Open Referral UK)</a>.</p>\n",
              directory_service_id(ix, s));
  html_printf(b, "</div>\n</div>\n");
  view_page_end(b, rq, &vp);
  rs->cache = HTTP_CACHE_SHORT;
  json_decref(svc);
  directory_index_unref(ix);
}

size_t find_support_local_list(struct buf *b, struct http_req *rq, const char *need, size_t max,
                               const char *heading)
{
  if (!rq->app->directory || directory_state_loading(rq->app->directory))
    return 0;
  struct directory_index *ix = directory_state_acquire(rq->app->directory);
  struct directory_query q;
  memset(&q, 0, sizeof q);
  q.need = need;
  q.active_only = true;
  q.per_page = max;
  q.page = 1;
  struct directory_result res;
  directory_search(ix, &q, rq->arena, &res);
  if (res.nhits) {
    html_printf(b, "<h2>%s</h2>\n<ul class=\"nhsuk-list app-local-services\">\n", heading);
    for (size_t i = 0; i < res.nhits; i++) {
      uint32_t s = res.hits[i].service;
      json_t *svc = directory_service_json(ix, s);
      const char *org = org_name(svc);
      html_printf(b,
                  "<li>\n<h3 class=\"nhsuk-heading-s nhsuk-u-margin-bottom-1\"><a "
                  "href=\"/find-support/service/%U\">%s</a></h3>\n",
                  directory_service_id(ix, s), directory_service_name(ix, s));
      if (org)
        html_printf(b, "<p class=\"nhsuk-body-s nhsuk-u-margin-bottom-2\">%s</p>\n", org);
      html_printf(b, "<dl class=\"nhsuk-summary-list\">\n");
      referral_rows(b, svc);
      contact_row(b, svc);
      html_printf(b, "</dl>\n</li>\n");
      json_decref(svc);
    }
    html_printf(b, "</ul>\n");
    if (res.total > res.nhits)
      html_printf(b,
                  "<p><a href=\"/find-support?need=%U\">See all %zu services for this in our "
                  "area</a></p>\n",
                  find_support_need_param(need), res.total);
  }
  directory_index_unref(ix);
  return res.nhits;
}
