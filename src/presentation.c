/*
 * presentation.c - reads what a traveller presents at a counter (the
 * presentation JSON of DESIGN.md) into struct sarhad_presentation.  Strict
 * by design: an officer's typo must come back as a precise error naming the
 * field ("documents[1].mrz"), never as a silently different decision.  MRZs
 * are read here (shape only); whether their check digits pass is for the
 * policy to decide, because a document that did not read cleanly is
 * referred, not rejected as bad input.
 *
 * Every recorded crossing starts here, so the read is kept cheap.  The
 * usual presentation is parsed by presentation_fast.c, which gives up on
 * anything unusual; then jansson parses it, allocating from an arena on the
 * stack (json_arena.h), the tree forgotten rather than freed.  Either
 * parser's values go through the same checks here (presentation.h says
 * how), each object's values sorted into slots by key once (jansson's
 * unknown keys fail on the spot, in the order the JSON gives them), and
 * only what is read is cleared, not the documents that are not there.
 * tests/presentation_ref.h keeps the straightforward version that the tests
 * and the fuzz target compare with.
 */
#include "presentation.h"
#include "json_arena.h"

#include <jansson.h>
#include <stdalign.h>
#include <stddef.h>
#include <string.h>

/* jansson needs about 2.5-3.5 KB for a presentation of one or two
 * documents and some 100 bytes per further field; more spills to the heap. */
#define ARENA_SIZE (12 * 1024)

struct ctx {
    struct sarhad_error *err;
    const char *section; /* "traveller", "movement", "documents" or NULL */
    unsigned index;      /* of the document being read */
    bool fast;           /* the values are the fast parser's, not jansson's */
};

/* The path of the object being read ("documents[1]"), made only when an
 * error names it. */
static void
path_of(const struct ctx *c, char path[32])
{
    if (c->section == NULL)
        path[0] = '\0';
    else if (strcmp(c->section, "documents") == 0)
        snprintf(path, 32, "documents[%u]", c->index);
    else
        snprintf(path, 32, "%s", c->section);
}

static enum sarhad_status
fail(struct ctx *c, enum sarhad_status code, const char *field, const char *msg)
{
    char path[32], where[64];

    path_of(c, path);
    if (path[0] != '\0' && field[0] != '\0')
        snprintf(where, sizeof(where), "%s.%s", path, field);
    else
        snprintf(where, sizeof(where), "%s", path[0] ? path : field);
    return sarhad__fail(c->err, code, where, SIZE_MAX, "%s", msg);
}

#define KEY(s)                                                                 \
    {                                                                          \
        s, sizeof(s) - 1                                                       \
    }

const struct sarhad__pkey sarhad__top_keys[SARHAD__P_COUNT] = {
    KEY("crossing"),  KEY("direction"), KEY("time"),    KEY("counter"),
    KEY("traveller"), KEY("documents"), KEY("movement")};
const struct sarhad__pkey sarhad__traveller_keys[SARHAD__T_COUNT] = {
    KEY("nationality"), KEY("sex"),        KEY("birth_date"),
    KEY("residence"),   KEY("tribe"),      KEY("occupation"),
    KEY("purpose"),     KEY("father_name")};
const struct sarhad__pkey sarhad__movement_keys[SARHAD__M_COUNT] = {
    KEY("category"),        KEY("household"),  KEY("household_size"),
    KEY("vulnerabilities"), KEY("vehicles"),   KEY("intended_stay"),
    KEY("arrest_province"), KEY("arrested_on")};
const struct sarhad__pkey sarhad__document_keys[SARHAD__D_COUNT] = {
    KEY("kind"),     KEY("mrz"),      KEY("number"),   KEY("issued"),
    KEY("expiry"),   KEY("district"), KEY("tribe"),    KEY("issuer"),
    KEY("category"), KEY("entries"),  KEY("stay_days")};

/* A jansson value as the checks see it. */
static struct sarhad__pv
pv_of(json_t *v)
{
    struct sarhad__pv pv = {SARHAD__PV_OTHER, NULL, 0, 0, v};

    switch (json_typeof(v)) {
    case JSON_OBJECT:
        pv.kind = SARHAD__PV_OBJECT;
        break;
    case JSON_ARRAY:
        pv.kind = SARHAD__PV_ARRAY;
        pv.len = json_array_size(v);
        break;
    case JSON_STRING:
        pv.kind = SARHAD__PV_STRING;
        pv.text = json_string_value(v);
        pv.len = json_string_length(v);
        break;
    case JSON_INTEGER:
        pv.kind = SARHAD__PV_INTEGER;
        pv.num = json_integer_value(v);
        break;
    case JSON_NULL:
        pv.kind = SARHAD__PV_NULL;
        break;
    default:
        break;
    }
    return pv;
}

/*
 * The values of the object obj by key (*slots: count values in the order
 * of keys, absent ones SARHAD__PV_ABSENT).  The fast parser has sorted
 * them already (and given up on unknown and repeated keys); jansson's are
 * sorted into buf here, and the first member whose key is not there is an
 * "unknown field" error, in the order the JSON gives them (jansson has
 * already refused duplicates).
 */
static enum sarhad_status
collect(struct ctx *c, const struct sarhad__pv *obj,
        const struct sarhad__pkey *keys, size_t count, struct sarhad__pv *buf,
        const struct sarhad__pv **slots)
{
    const char *key;
    size_t key_len;
    json_t *value;

    if (c->fast) {
        *slots = obj->node;
        return SARHAD_OK;
    }
    for (size_t i = 0; i < count; i++)
        buf[i].kind = SARHAD__PV_ABSENT;
    json_object_keylen_foreach((json_t *)obj->node, key, key_len, value)
    {
        size_t i = 0;
        while (i < count && (keys[i].len != key_len ||
                             memcmp(keys[i].name, key, key_len) != 0))
            i++;
        if (i == count) {
            char field[32];
            snprintf(field, sizeof(field), "%.31s", key);
            return fail(c, SARHAD_EFORMAT, field, "unknown field");
        }
        buf[i] = pv_of(value);
    }
    *slots = buf;
    return SARHAD_OK;
}

/* Item i of the array arr. */
static struct sarhad__pv
item(const struct ctx *c, const struct sarhad__pv *arr, size_t i)
{
    if (c->fast)
        return ((const struct sarhad__pv *)arr->node)[i];
    return pv_of(json_array_get((json_t *)arr->node, i));
}

static bool
absent(const struct sarhad__pv *v)
{
    return v->kind == SARHAD__PV_ABSENT || v->kind == SARHAD__PV_NULL;
}

/* A string field's text (*text, *len: the value's own bytes) when it holds
 * fewer than cap bytes; absent or null gives len 0 unless required. */
static enum sarhad_status
get_text(struct ctx *c, const struct sarhad__pv *v, const char *key, size_t cap,
         bool required, const char **text, size_t *len)
{
    *len = 0;
    if (absent(v)) {
        if (required)
            return fail(c, SARHAD_EFORMAT, key, "required");
        return SARHAD_OK;
    }
    if (v->kind != SARHAD__PV_STRING)
        return fail(c, SARHAD_EFORMAT, key, "expected a string");
    *len = v->len;
    if (*len >= cap)
        return fail(c, SARHAD_ETOOBIG, key, "too long");
    *text = v->text;
    if (memchr(*text, '\0', *len) != NULL)
        return fail(c, SARHAD_EFORMAT, key, "contains a NUL character");
    return SARHAD_OK;
}

/* A string field into dst[cap] (already zeroed: absent leaves it empty). */
static enum sarhad_status
get_str(struct ctx *c, const struct sarhad__pv *v, const char *key, char *dst,
        size_t cap, bool required)
{
    const char *text = NULL;
    size_t len;
    enum sarhad_status st = get_text(c, v, key, cap, required, &text, &len);

    if (st == SARHAD_OK && text != NULL && len > 0) {
        memcpy(dst, text, len);
        dst[len] = '\0';
    }
    return st;
}

/* An empty string is no date, as an absent one. */
static enum sarhad_status
get_date(struct ctx *c, const struct sarhad__pv *v, const char *key,
         struct sarhad_date *d)
{
    const char *text = NULL;
    size_t len;
    enum sarhad_status st = get_text(c, v, key, 16, false, &text, &len);

    if (st != SARHAD_OK || len == 0)
        return st;
    if (sarhad_date_parse(d, text, len, NULL) != SARHAD_OK)
        return fail(c, SARHAD_EFORMAT, key, "expected a real date YYYY-MM-DD");
    return SARHAD_OK;
}

static enum sarhad_status
get_int(struct ctx *c, const struct sarhad__pv *v, const char *key, int *out,
        int max)
{
    if (absent(v))
        return SARHAD_OK;
    if (v->kind != SARHAD__PV_INTEGER)
        return fail(c, SARHAD_EFORMAT, key, "expected a whole number");
    if (v->num < 0 || v->num > max)
        return fail(c, SARHAD_EFORMAT, key, "number out of range");
    *out = (int)v->num;
    return SARHAD_OK;
}

static bool
text_is(const char *text, size_t len, const char *word, size_t word_len)
{
    return len == word_len && memcmp(text, word, len) == 0;
}

static enum sarhad_status
read_traveller(struct ctx *c, const struct sarhad__pv *obj,
               struct sarhad_traveller *t)
{
    enum sarhad_status st;
    struct sarhad__pv buf[SARHAD__T_COUNT];
    const struct sarhad__pv *v;
    const char *sex = NULL;
    size_t sex_len;

    c->section = "traveller";
    if (obj->kind != SARHAD__PV_OBJECT)
        return fail(c, SARHAD_EFORMAT, "", "expected an object");
    if ((st = collect(c, obj, sarhad__traveller_keys, SARHAD__T_COUNT, buf,
                      &v)) != SARHAD_OK ||
        (st = get_str(c, &v[SARHAD__T_NATIONALITY], "nationality",
                      t->nationality, sizeof(t->nationality), false)) !=
            SARHAD_OK ||
        (st = get_text(c, &v[SARHAD__T_SEX], "sex", 8, false, &sex,
                       &sex_len)) != SARHAD_OK ||
        (st = get_date(c, &v[SARHAD__T_BIRTH_DATE], "birth_date",
                       &t->birth_date)) != SARHAD_OK ||
        (st = get_str(c, &v[SARHAD__T_RESIDENCE], "residence", t->residence,
                      sizeof(t->residence), false)) != SARHAD_OK ||
        (st = get_str(c, &v[SARHAD__T_TRIBE], "tribe", t->tribe,
                      sizeof(t->tribe), false)) != SARHAD_OK ||
        (st = get_str(c, &v[SARHAD__T_OCCUPATION], "occupation", t->occupation,
                      sizeof(t->occupation), false)) != SARHAD_OK ||
        (st = get_str(c, &v[SARHAD__T_PURPOSE], "purpose", t->purpose,
                      sizeof(t->purpose), false)) != SARHAD_OK ||
        (st = get_str(c, &v[SARHAD__T_FATHER_NAME], "father_name",
                      t->father_name, sizeof(t->father_name), false)) !=
            SARHAD_OK)
        return st;
    for (size_t i = 0; t->nationality[i] != '\0'; i++)
        if (t->nationality[i] < 'A' || t->nationality[i] > 'Z')
            return fail(c, SARHAD_EFORMAT, "nationality",
                        "expected a 3-letter ICAO code such as AFG");
    if (t->nationality[0] != '\0' && strlen(t->nationality) != 3)
        return fail(c, SARHAD_EFORMAT, "nationality",
                    "expected a 3-letter ICAO code such as AFG");
    if (sex_len > 0) {
        if (sex_len != 1 || (sex[0] != 'M' && sex[0] != 'F' && sex[0] != 'X'))
            return fail(c, SARHAD_EFORMAT, "sex", "expected M, F or X");
        t->sex = sex[0];
    }
    return SARHAD_OK;
}

/*
 * Clear d except its MRZ's issue list (1.7 KB of the 2.1 KB): only the
 * first issue_count issues are ever read, the MRZ reader writes those, and
 * a document without an MRZ has none.
 */
static void
clear_document(struct sarhad_document *d)
{
    size_t issues = offsetof(struct sarhad_document, mrz.issues);
    size_t after = offsetof(struct sarhad_document, mrz.has_suggestion);

    memset(d, 0, issues);
    memset((char *)d + after, 0, sizeof(*d) - after);
}

/* Zero the bytes past the NUL of a text field of cap bytes. */
static void
clear_tail(char *text, size_t cap)
{
    size_t n = strnlen(text, cap);

    if (n < cap)
        memset(text + n, 0, cap - n);
}

/*
 * The MRZ reader writes an issue's texts without clearing past their NUL;
 * the issues it reported are cleared there so that they hold exactly what
 * they held when the whole struct was zeroed first.  Only an MRZ that did
 * not read cleanly has issues.
 */
static void
tidy_issues(struct sarhad_mrz *m)
{
    for (unsigned k = 0; k < m->issue_count && k < SARHAD_MRZ_MAX_ISSUES; k++) {
        clear_tail(m->issues[k].field, sizeof(m->issues[k].field));
        clear_tail(m->issues[k].code, sizeof(m->issues[k].code));
        clear_tail(m->issues[k].message, sizeof(m->issues[k].message));
    }
}

/* "entries": single, double or multiple, or not given. */
static enum sarhad_status
read_entries(struct ctx *c, const char *entries, size_t entries_len,
             struct sarhad_document *d)
{
    if (entries_len == 0)
        return SARHAD_OK;
    if (text_is(entries, entries_len, "single", 6))
        d->entries = SARHAD_ENTRIES_SINGLE;
    else if (text_is(entries, entries_len, "double", 6))
        d->entries = SARHAD_ENTRIES_DOUBLE;
    else if (text_is(entries, entries_len, "multiple", 8))
        d->entries = SARHAD_ENTRIES_MULTIPLE;
    else
        return fail(c, SARHAD_EFORMAT, "entries",
                    "expected single, double or multiple");
    return SARHAD_OK;
}

/* The fields of a document other than its kind and MRZ. */
static enum sarhad_status
read_document_fields(struct ctx *c, const struct sarhad__pv *v,
                     struct sarhad_document *d)
{
    enum sarhad_status st;
    const char *entries = NULL;
    size_t entries_len;

    if ((st = get_str(c, &v[SARHAD__D_NUMBER], "number", d->number,
                      sizeof(d->number), false)) != SARHAD_OK ||
        (st = get_date(c, &v[SARHAD__D_ISSUED], "issued", &d->issued)) !=
            SARHAD_OK ||
        (st = get_date(c, &v[SARHAD__D_EXPIRY], "expiry", &d->expiry)) !=
            SARHAD_OK ||
        (st = get_str(c, &v[SARHAD__D_DISTRICT], "district", d->district,
                      sizeof(d->district), false)) != SARHAD_OK ||
        (st = get_str(c, &v[SARHAD__D_TRIBE], "tribe", d->tribe,
                      sizeof(d->tribe), false)) != SARHAD_OK ||
        (st = get_str(c, &v[SARHAD__D_ISSUER], "issuer", d->issuer,
                      sizeof(d->issuer), false)) != SARHAD_OK ||
        (st = get_str(c, &v[SARHAD__D_CATEGORY], "category", d->category,
                      sizeof(d->category), false)) != SARHAD_OK ||
        (st = get_text(c, &v[SARHAD__D_ENTRIES], "entries", 16, false, &entries,
                       &entries_len)) != SARHAD_OK ||
        (st = get_int(c, &v[SARHAD__D_STAY_DAYS], "stay_days", &d->stay_days,
                      3660)) != SARHAD_OK)
        return st;
    return read_entries(c, entries, entries_len, d);
}

/* The MRZ, when given, and that it is of the document's kind. */
static enum sarhad_status
read_document_mrz(struct ctx *c, const struct sarhad__pv *mrz,
                  struct sarhad_document *d)
{
    if (!absent(mrz)) {
        if (mrz->kind != SARHAD__PV_STRING)
            return fail(c, SARHAD_EFORMAT, "mrz", "expected a string");
        if (mrz->len > 200)
            return fail(c, SARHAD_ETOOBIG, "mrz", "too long for an MRZ");
        if (sarhad_mrz_parse(&d->mrz, mrz->text, mrz->len, NULL) != SARHAD_OK)
            return fail(c, SARHAD_EFORMAT, "mrz",
                        "not the shape of a machine-readable zone");
        d->has_mrz = true;
        tidy_issues(&d->mrz);
    }
    if (d->has_mrz && d->kind == SARHAD_DOC_PASSPORT &&
        ((d->mrz.format != SARHAD_MRZ_TD3 && d->mrz.format != SARHAD_MRZ_TD2) ||
         d->mrz.document_code[0] != 'P'))
        return fail(c, SARHAD_EFORMAT, "mrz",
                    "a passport's MRZ is TD3 (or TD2) with a code "
                    "starting with P");
    if (d->has_mrz && d->kind == SARHAD_DOC_VISA &&
        ((d->mrz.format != SARHAD_MRZ_MRVA &&
          d->mrz.format != SARHAD_MRZ_MRVB) ||
         d->mrz.document_code[0] != 'V'))
        return fail(c, SARHAD_EFORMAT, "mrz",
                    "a visa's MRZ is MRV-A or MRV-B with a code starting "
                    "with V");
    return SARHAD_OK;
}

/* What each kind cannot do without: a passport its MRZ, a visa its MRZ or
 * an e-visa number, a CNIC a number of the CNIC shape. */
static enum sarhad_status
check_document_needs(struct ctx *c, const struct sarhad_document *d)
{
    if ((d->kind == SARHAD_DOC_PASSPORT && !d->has_mrz))
        return fail(c, SARHAD_EFORMAT, "mrz", "a passport needs its MRZ");
    if (d->kind == SARHAD_DOC_VISA && !d->has_mrz && d->number[0] == '\0')
        return fail(c, SARHAD_EFORMAT, "mrz",
                    "a visa needs its MRZ or an e-visa number");
    if (d->kind == SARHAD_DOC_CNIC) {
        struct sarhad_cnic cnic;
        struct sarhad_error e;
        if (d->number[0] == '\0')
            return fail(c, SARHAD_EFORMAT, "number", "a CNIC needs its number");
        /* The province digit is the policy's to judge (refer), so only the
         * shape is an input error here. */
        if (sarhad_cnic_parse(&cnic, d->number, strlen(d->number), &e) !=
                SARHAD_OK &&
            strcmp(e.field, "province") != 0)
            return fail(c, SARHAD_EFORMAT, "number",
                        "expected a CNIC number DDDDD-DDDDDDD-D");
    }
    return SARHAD_OK;
}

static enum sarhad_status
read_document(struct ctx *c, const struct sarhad__pv *obj, unsigned index,
              struct sarhad_document *d)
{
    enum sarhad_status st;
    struct sarhad__pv buf[SARHAD__D_COUNT];
    const struct sarhad__pv *v;
    const char *kind = NULL;
    size_t kind_len;

    c->section = "documents";
    c->index = index;
    if (obj->kind != SARHAD__PV_OBJECT)
        return fail(c, SARHAD_EFORMAT, "", "expected an object");
    if ((st = collect(c, obj, sarhad__document_keys, SARHAD__D_COUNT, buf,
                      &v)) != SARHAD_OK ||
        (st = get_text(c, &v[SARHAD__D_KIND], "kind", 24, true, &kind,
                       &kind_len)) != SARHAD_OK)
        return st;
    if (!sarhad_doc_kind_parse(&d->kind, kind, kind_len))
        return fail(c, SARHAD_EFORMAT, "kind", "unknown document kind");
    if ((st = read_document_fields(c, v, d)) != SARHAD_OK ||
        (st = read_document_mrz(c, &v[SARHAD__D_MRZ], d)) != SARHAD_OK)
        return st;
    return check_document_needs(c, d);
}

static const struct sarhad__pkey vulnerability_names[] = {
    KEY("unaccompanied_child"),
    KEY("medical"),
    KEY("single_woman"),
    KEY("elderly"),
    KEY("disabled"),
    KEY("specific_needs")};

/* Where and when a returnee handed over from detention was arrested:
 * only on an exit, a province of Pakistan, a day not after the crossing's
 * and within ten years of it (no one is held longer before removal). */
static enum sarhad_status
read_arrest(struct ctx *c, const struct sarhad__pv *v,
            const struct sarhad_presentation *p, struct sarhad_movement_info *m)
{
    enum sarhad_status st;
    const char *province = NULL;
    size_t len;
    int32_t held;

    if ((st = get_text(c, &v[SARHAD__M_ARREST_PROVINCE], "arrest_province", 24,
                       false, &province, &len)) != SARHAD_OK ||
        (st = get_date(c, &v[SARHAD__M_ARRESTED_ON], "arrested_on",
                       &m->arrested_on)) != SARHAD_OK)
        return st;
    for (int k = SARHAD_PROVINCE_KHYBER_PAKHTUNKHWA;
         len > 0 && sarhad_province_name((enum sarhad_province)k); k++) {
        const char *name = sarhad_province_name((enum sarhad_province)k);
        if (text_is(province, len, name, strlen(name)))
            m->arrest_province = (enum sarhad_province)k;
    }
    if (len > 0 && m->arrest_province == SARHAD_PROVINCE_NONE)
        return fail(c, SARHAD_EFORMAT, "arrest_province",
                    "expected khyber_pakhtunkhwa, punjab, sindh, balochistan, "
                    "islamabad, gilgit_baltistan or azad_kashmir");
    if ((len > 0 || m->arrested_on.year != 0) && p->direction != SARHAD_EXIT)
        return fail(c, SARHAD_EFORMAT,
                    len > 0 ? "arrest_province" : "arrested_on",
                    "an arrest is recorded on an exit");
    if (m->arrested_on.year == 0)
        return SARHAD_OK;
    held =
        sarhad_date_to_days(p->time.date) - sarhad_date_to_days(m->arrested_on);
    if (held < 0)
        return fail(c, SARHAD_EFORMAT, "arrested_on",
                    "after the day of the crossing");
    if (held > 3652)
        return fail(c, SARHAD_EFORMAT, "arrested_on",
                    "more than ten years before the crossing");
    return SARHAD_OK;
}

static enum sarhad_status
read_movement(struct ctx *c, const struct sarhad__pv *obj,
              const struct sarhad_presentation *p,
              struct sarhad_movement_info *m)
{
    enum sarhad_status st;
    struct sarhad__pv buf[SARHAD__M_COUNT];
    const struct sarhad__pv *v, *vulns;
    const char *category = NULL;
    size_t category_len;

    c->section = "movement";
    if (obj->kind != SARHAD__PV_OBJECT)
        return fail(c, SARHAD_EFORMAT, "", "expected an object");
    if ((st = collect(c, obj, sarhad__movement_keys, SARHAD__M_COUNT, buf,
                      &v)) != SARHAD_OK ||
        (st = get_text(c, &v[SARHAD__M_CATEGORY], "category", 24, false,
                       &category, &category_len)) != SARHAD_OK ||
        (st = get_str(c, &v[SARHAD__M_HOUSEHOLD], "household", m->household,
                      sizeof(m->household), false)) != SARHAD_OK ||
        (st = get_int(c, &v[SARHAD__M_HOUSEHOLD_SIZE], "household_size",
                      &m->household_size, 1000)) != SARHAD_OK ||
        (st = get_int(c, &v[SARHAD__M_VEHICLES], "vehicles", &m->vehicles,
                      1000)) != SARHAD_OK ||
        (st = get_str(c, &v[SARHAD__M_INTENDED_STAY], "intended_stay",
                      m->intended_stay, sizeof(m->intended_stay), false)) !=
            SARHAD_OK ||
        (st = read_arrest(c, v, p, m)) != SARHAD_OK)
        return st;
    if (category_len > 0) {
        bool found = false;
        for (int k = SARHAD_MOVE_REGULAR; k <= SARHAD_MOVE_DEPORTATION; k++) {
            const char *name = sarhad_movement_name((enum sarhad_movement)k);
            if (text_is(category, category_len, name, strlen(name))) {
                m->category = (enum sarhad_movement)k;
                found = true;
            }
        }
        if (!found)
            return fail(c, SARHAD_EFORMAT, "category",
                        "expected regular, spontaneous_return, "
                        "assisted_return or deportation");
    }
    vulns = &v[SARHAD__M_VULNERABILITIES];
    if (!absent(vulns)) {
        if (vulns->kind != SARHAD__PV_ARRAY)
            return fail(c, SARHAD_EFORMAT, "vulnerabilities",
                        "expected an array");
        for (size_t i = 0; i < vulns->len; i++) {
            struct sarhad__pv name = item(c, vulns, i);
            bool found = false;
            size_t len;
            if (name.kind != SARHAD__PV_STRING)
                return fail(c, SARHAD_EFORMAT, "vulnerabilities",
                            "expected strings");
            len = strnlen(name.text, name.len); /* as compared before: up to
                                                   a NUL */
            for (size_t k = 0; k < SARHAD_COUNT_OF(vulnerability_names); k++)
                if (text_is(name.text, len, vulnerability_names[k].name,
                            vulnerability_names[k].len)) {
                    m->vulnerabilities |= 1u << k;
                    found = true;
                }
            if (!found)
                return fail(c, SARHAD_EFORMAT, "vulnerabilities",
                            "unknown vulnerability");
        }
    }
    return SARHAD_OK;
}

static enum sarhad_status
read_top(struct ctx *c, const struct sarhad__pv *root,
         struct sarhad_presentation *p)
{
    enum sarhad_status st;
    struct sarhad__pv buf[SARHAD__P_COUNT];
    const struct sarhad__pv *v, *docs;
    const char *direction = NULL, *time = NULL;
    size_t direction_len, time_len;

    if (root->kind != SARHAD__PV_OBJECT)
        return fail(c, SARHAD_EFORMAT, "", "expected a JSON object");
    if ((st = collect(c, root, sarhad__top_keys, SARHAD__P_COUNT, buf, &v)) !=
            SARHAD_OK ||
        (st = get_str(c, &v[SARHAD__P_CROSSING], "crossing", p->crossing,
                      sizeof(p->crossing), true)) != SARHAD_OK ||
        (st = get_text(c, &v[SARHAD__P_DIRECTION], "direction", 8, true,
                       &direction, &direction_len)) != SARHAD_OK ||
        (st = get_text(c, &v[SARHAD__P_TIME], "time", 40, true, &time,
                       &time_len)) != SARHAD_OK ||
        (st = get_str(c, &v[SARHAD__P_COUNTER], "counter", p->counter,
                      sizeof(p->counter), false)) != SARHAD_OK)
        return st;
    if (sarhad_crossing_index(p->crossing, strlen(p->crossing)) < 0)
        return fail(c, SARHAD_EFORMAT, "crossing", "unknown crossing code");
    if (text_is(direction, direction_len, "entry", 5))
        p->direction = SARHAD_ENTRY;
    else if (text_is(direction, direction_len, "exit", 4))
        p->direction = SARHAD_EXIT;
    else
        return fail(c, SARHAD_EFORMAT, "direction", "expected entry or exit");
    if (sarhad_time_parse(&p->time, time_len ? time : "", time_len, NULL) !=
        SARHAD_OK)
        return fail(c, SARHAD_EFORMAT, "time",
                    "expected an RFC 3339 time such as "
                    "2023-11-05T09:30:00+05:00");
    if (v[SARHAD__P_TRAVELLER].kind == SARHAD__PV_ABSENT)
        return fail(c, SARHAD_EFORMAT, "traveller", "required");
    if ((st = read_traveller(c, &v[SARHAD__P_TRAVELLER], &p->traveller)) !=
        SARHAD_OK)
        return st;
    c->section = NULL;
    if (!absent(&v[SARHAD__P_MOVEMENT]) &&
        (st = read_movement(c, &v[SARHAD__P_MOVEMENT], p, &p->movement)) !=
            SARHAD_OK)
        return st;
    c->section = NULL;
    docs = &v[SARHAD__P_DOCUMENTS];
    if (docs->kind == SARHAD__PV_ABSENT)
        return fail(c, SARHAD_EFORMAT, "documents", "required");
    if (docs->kind != SARHAD__PV_ARRAY)
        return fail(c, SARHAD_EFORMAT, "documents", "expected an array");
    if (docs->len > SARHAD_MAX_DOCUMENTS)
        return fail(c, SARHAD_ETOOBIG, "documents", "more than 8 documents");
    for (size_t i = 0; i < docs->len; i++) {
        struct sarhad__pv doc = item(c, docs, i);
        clear_document(&p->documents[i]);
        if ((st = read_document(c, &doc, (unsigned)i, &p->documents[i])) !=
            SARHAD_OK)
            return st;
        p->document_count++;
    }
    return SARHAD_OK;
}

/* The checks common to both parsers: SARHAD_OK when *out may be read into
 * (its fields before the documents cleared). */
static enum sarhad_status
begin(struct sarhad_presentation *out, const char *json, size_t len,
      struct sarhad_error *err)
{
    if (out == NULL || (json == NULL && len > 0))
        return sarhad__fail(err, SARHAD_EINVAL, "", SIZE_MAX,
                            "no presentation given");
    if (len > SARHAD_PRESENTATION_MAX_LEN) {
        memset(out, 0, sizeof(*out));
        return sarhad__fail(err, SARHAD_ETOOBIG, "", SIZE_MAX,
                            "a presentation is at most %d bytes",
                            SARHAD_PRESENTATION_MAX_LEN);
    }
    /* Documents are cleared as they are read; those past document_count
     * are never looked at. */
    memset(out, 0, offsetof(struct sarhad_presentation, documents));
    return SARHAD_OK;
}

bool
sarhad__presentation_parse_fast(struct sarhad_presentation *out,
                                const char *json, size_t len,
                                struct sarhad_error *err,
                                enum sarhad_status *status)
{
    struct sarhad__fast_tree tree;
    struct ctx c;

    /* Bad arguments and sizes are the jansson path's to report. */
    if (out == NULL || json == NULL || len > SARHAD_PRESENTATION_MAX_LEN ||
        !sarhad__presentation_scan(&tree, json, len))
        return false;
    memset(out, 0, offsetof(struct sarhad_presentation, documents));
    c.err = err;
    c.section = NULL;
    c.index = 0;
    c.fast = true;
    *status = read_top(&c, &tree.root, out);
    if (*status != SARHAD_OK)
        memset(out, 0, sizeof(*out));
    return true;
}

enum sarhad_status
sarhad__presentation_parse_jansson(struct sarhad_presentation *out,
                                   const char *json, size_t len,
                                   struct sarhad_error *err)
{
    alignas(max_align_t) unsigned char heap[ARENA_SIZE];
    struct sarhad__json_arena arena;
    bool in_arena;
    struct ctx c;
    json_error_t jerr;
    json_t *root;
    struct sarhad__pv pv;
    enum sarhad_status st;

    if ((st = begin(out, json, len, err)) != SARHAD_OK)
        return st;
    in_arena = sarhad__json_arena_begin(&arena, heap, sizeof(heap));
    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        if (in_arena)
            sarhad__json_arena_end(&arena);
        memset(out, 0, sizeof(*out));
        st = sarhad__fail(err, SARHAD_EFORMAT, "",
                          (size_t)(jerr.position > 0 ? jerr.position : 0), "%s",
                          jerr.text);
        if (err != NULL && jerr.line > 0) {
            err->line = (unsigned)jerr.line;
            err->col = (unsigned)(jerr.column > 0 ? jerr.column : 1);
        }
        return st;
    }
    c.err = err;
    c.section = NULL;
    c.index = 0;
    c.fast = false;
    pv = pv_of(root);
    st = read_top(&c, &pv, out);
    /* A tree wholly in the arena goes with it; blocks that spilled to the
     * heap are freed by json_decref (arena blocks are skipped). */
    if (!in_arena || arena.spilled > 0)
        json_decref(root);
    if (in_arena)
        sarhad__json_arena_end(&arena);
    if (st != SARHAD_OK)
        memset(out, 0, sizeof(*out));
    return st;
}

/*
 * The fast parser reads the usual presentation in a tenth of jansson's
 * instructions; whatever it gives up on (anything unusual, and every JSON
 * error, so that its message, line and column are jansson's) is read again
 * by jansson from the start.  The fast parser writes nothing into *out or
 * *err before it has read the whole JSON.
 */
enum sarhad_status
sarhad_presentation_parse(struct sarhad_presentation *out, const char *json,
                          size_t len, struct sarhad_error *err)
{
    enum sarhad_status st;

    if (sarhad__presentation_parse_fast(out, json, len, err, &st))
        return st;
    return sarhad__presentation_parse_jansson(out, json, len, err);
}
