/*
 * presentation_ref.h - the presentation reader and the decision writer as
 * they were before the second performance pass (jansson on malloc, the
 * whole 18 KB struct zeroed, json_object_get per field, snprintf for
 * numbers), kept as the reference that the differential checks in
 * tests/test_presentation.c and fuzz/fuzz_presentation.c hold the fast code
 * to: same status, same error (code, field, message, line, col, offset),
 * same fields, same bytes.  Everything here is static; only those two files
 * include it.
 */
#ifndef SARHAD_PRESENTATION_REF_H
#define SARHAD_PRESENTATION_REF_H

#include "../src/internal.h"
#include "../src/presentation.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

struct ref_ctx {
    struct sarhad_error *err;
    char path[32];
};

static enum sarhad_status
ref_fail(struct ref_ctx *c, enum sarhad_status code, const char *field,
         const char *msg)
{
    char where[64];

    if (c->path[0] != '\0' && field[0] != '\0')
        snprintf(where, sizeof(where), "%s.%s", c->path, field);
    else
        snprintf(where, sizeof(where), "%s", c->path[0] ? c->path : field);
    return sarhad__fail(c->err, code, where, SIZE_MAX, "%s", msg);
}

/* Every key of obj must be in names (NULL-terminated). */
static enum sarhad_status
ref_only_keys(struct ref_ctx *c, json_t *obj, const char *const *names)
{
    const char *key;
    json_t *value;

    json_object_foreach(obj, key, value)
    {
        bool known = false;
        (void)value;
        for (size_t i = 0; names[i] != NULL; i++)
            if (strcmp(key, names[i]) == 0)
                known = true;
        if (!known) {
            char field[32];
            snprintf(field, sizeof(field), "%.31s", key);
            return ref_fail(c, SARHAD_EFORMAT, field, "unknown field");
        }
    }
    return SARHAD_OK;
}

/* A string field into dst[cap]; absent or null leaves dst empty unless
 * required. */
static enum sarhad_status
ref_get_str(struct ref_ctx *c, json_t *obj, const char *key, char *dst,
            size_t cap, bool required)
{
    json_t *v = json_object_get(obj, key);
    size_t len;

    if (v == NULL || json_is_null(v)) {
        if (required)
            return ref_fail(c, SARHAD_EFORMAT, key, "required");
        return SARHAD_OK;
    }
    if (!json_is_string(v))
        return ref_fail(c, SARHAD_EFORMAT, key, "expected a string");
    len = json_string_length(v);
    if (len >= cap)
        return ref_fail(c, SARHAD_ETOOBIG, key, "too long");
    if (memchr(json_string_value(v), '\0', len) != NULL)
        return ref_fail(c, SARHAD_EFORMAT, key, "contains a NUL character");
    memcpy(dst, json_string_value(v), len);
    dst[len] = '\0';
    return SARHAD_OK;
}

static enum sarhad_status
ref_get_date(struct ref_ctx *c, json_t *obj, const char *key,
             struct sarhad_date *d)
{
    char buf[16] = "";
    enum sarhad_status st = ref_get_str(c, obj, key, buf, sizeof(buf), false);

    if (st != SARHAD_OK || buf[0] == '\0')
        return st;
    if (sarhad_date_parse(d, buf, strlen(buf), NULL) != SARHAD_OK)
        return ref_fail(c, SARHAD_EFORMAT, key,
                        "expected a real date YYYY-MM-DD");
    return SARHAD_OK;
}

static enum sarhad_status
ref_get_int(struct ref_ctx *c, json_t *obj, const char *key, int *out, int max)
{
    json_t *v = json_object_get(obj, key);

    if (v == NULL || json_is_null(v))
        return SARHAD_OK;
    if (!json_is_integer(v))
        return ref_fail(c, SARHAD_EFORMAT, key, "expected a whole number");
    if (json_integer_value(v) < 0 || json_integer_value(v) > max)
        return ref_fail(c, SARHAD_EFORMAT, key, "number out of range");
    *out = (int)json_integer_value(v);
    return SARHAD_OK;
}

static const char *const ref_traveller_keys[] = {
    "nationality", "sex",     "birth_date",  "residence", "tribe",
    "occupation",  "purpose", "father_name", NULL};

static enum sarhad_status
ref_read_traveller(struct ref_ctx *c, json_t *obj, struct sarhad_traveller *t)
{
    enum sarhad_status st;
    char sex[8] = "";

    snprintf(c->path, sizeof(c->path), "traveller");
    if (!json_is_object(obj))
        return ref_fail(c, SARHAD_EFORMAT, "", "expected an object");
    if ((st = ref_only_keys(c, obj, ref_traveller_keys)) != SARHAD_OK ||
        (st = ref_get_str(c, obj, "nationality", t->nationality,
                          sizeof(t->nationality), false)) != SARHAD_OK ||
        (st = ref_get_str(c, obj, "sex", sex, sizeof(sex), false)) !=
            SARHAD_OK ||
        (st = ref_get_date(c, obj, "birth_date", &t->birth_date)) !=
            SARHAD_OK ||
        (st = ref_get_str(c, obj, "residence", t->residence,
                          sizeof(t->residence), false)) != SARHAD_OK ||
        (st = ref_get_str(c, obj, "tribe", t->tribe, sizeof(t->tribe),
                          false)) != SARHAD_OK ||
        (st = ref_get_str(c, obj, "occupation", t->occupation,
                          sizeof(t->occupation), false)) != SARHAD_OK ||
        (st = ref_get_str(c, obj, "purpose", t->purpose, sizeof(t->purpose),
                          false)) != SARHAD_OK ||
        (st = ref_get_str(c, obj, "father_name", t->father_name,
                          sizeof(t->father_name), false)) != SARHAD_OK)
        return st;
    for (size_t i = 0; t->nationality[i] != '\0'; i++)
        if (t->nationality[i] < 'A' || t->nationality[i] > 'Z')
            return ref_fail(c, SARHAD_EFORMAT, "nationality",
                            "expected a 3-letter ICAO code such as AFG");
    if (t->nationality[0] != '\0' && strlen(t->nationality) != 3)
        return ref_fail(c, SARHAD_EFORMAT, "nationality",
                        "expected a 3-letter ICAO code such as AFG");
    if (sex[0] != '\0') {
        if (sex[1] != '\0' || (sex[0] != 'M' && sex[0] != 'F' && sex[0] != 'X'))
            return ref_fail(c, SARHAD_EFORMAT, "sex", "expected M, F or X");
        t->sex = sex[0];
    }
    return SARHAD_OK;
}

static const char *const ref_document_keys[] = {
    "kind",  "mrz",    "number",   "issued",  "expiry",    "district",
    "tribe", "issuer", "category", "entries", "stay_days", NULL};

static enum sarhad_status
ref_read_document(struct ref_ctx *c, json_t *obj, unsigned index,
                  struct sarhad_document *d)
{
    enum sarhad_status st;
    char kind[24] = "", entries[16] = "";
    json_t *mrz;

    snprintf(c->path, sizeof(c->path), "documents[%u]", index);
    if (!json_is_object(obj))
        return ref_fail(c, SARHAD_EFORMAT, "", "expected an object");
    if ((st = ref_only_keys(c, obj, ref_document_keys)) != SARHAD_OK ||
        (st = ref_get_str(c, obj, "kind", kind, sizeof(kind), true)) !=
            SARHAD_OK)
        return st;
    if (!sarhad_doc_kind_parse(&d->kind, kind, strlen(kind)))
        return ref_fail(c, SARHAD_EFORMAT, "kind", "unknown document kind");
    if ((st = ref_get_str(c, obj, "number", d->number, sizeof(d->number),
                          false)) != SARHAD_OK ||
        (st = ref_get_date(c, obj, "issued", &d->issued)) != SARHAD_OK ||
        (st = ref_get_date(c, obj, "expiry", &d->expiry)) != SARHAD_OK ||
        (st = ref_get_str(c, obj, "district", d->district, sizeof(d->district),
                          false)) != SARHAD_OK ||
        (st = ref_get_str(c, obj, "tribe", d->tribe, sizeof(d->tribe),
                          false)) != SARHAD_OK ||
        (st = ref_get_str(c, obj, "issuer", d->issuer, sizeof(d->issuer),
                          false)) != SARHAD_OK ||
        (st = ref_get_str(c, obj, "category", d->category, sizeof(d->category),
                          false)) != SARHAD_OK ||
        (st = ref_get_str(c, obj, "entries", entries, sizeof(entries),
                          false)) != SARHAD_OK ||
        (st = ref_get_int(c, obj, "stay_days", &d->stay_days, 3660)) !=
            SARHAD_OK)
        return st;
    if (entries[0] != '\0') {
        if (strcmp(entries, "single") == 0)
            d->entries = SARHAD_ENTRIES_SINGLE;
        else if (strcmp(entries, "double") == 0)
            d->entries = SARHAD_ENTRIES_DOUBLE;
        else if (strcmp(entries, "multiple") == 0)
            d->entries = SARHAD_ENTRIES_MULTIPLE;
        else
            return ref_fail(c, SARHAD_EFORMAT, "entries",
                            "expected single, double or multiple");
    }
    mrz = json_object_get(obj, "mrz");
    if (mrz != NULL && !json_is_null(mrz)) {
        if (!json_is_string(mrz))
            return ref_fail(c, SARHAD_EFORMAT, "mrz", "expected a string");
        if (json_string_length(mrz) > 200)
            return ref_fail(c, SARHAD_ETOOBIG, "mrz", "too long for an MRZ");
        if (sarhad_mrz_parse(&d->mrz, json_string_value(mrz),
                             json_string_length(mrz), NULL) != SARHAD_OK)
            return ref_fail(c, SARHAD_EFORMAT, "mrz",
                            "not the shape of a machine-readable zone");
        d->has_mrz = true;
    }
    if (d->has_mrz && d->kind == SARHAD_DOC_PASSPORT &&
        ((d->mrz.format != SARHAD_MRZ_TD3 && d->mrz.format != SARHAD_MRZ_TD2) ||
         d->mrz.document_code[0] != 'P'))
        return ref_fail(c, SARHAD_EFORMAT, "mrz",
                        "a passport's MRZ is TD3 (or TD2) with a code "
                        "starting with P");
    if (d->has_mrz && d->kind == SARHAD_DOC_VISA &&
        ((d->mrz.format != SARHAD_MRZ_MRVA &&
          d->mrz.format != SARHAD_MRZ_MRVB) ||
         d->mrz.document_code[0] != 'V'))
        return ref_fail(c, SARHAD_EFORMAT, "mrz",
                        "a visa's MRZ is MRV-A or MRV-B with a code starting "
                        "with V");
    if ((d->kind == SARHAD_DOC_PASSPORT && !d->has_mrz))
        return ref_fail(c, SARHAD_EFORMAT, "mrz", "a passport needs its MRZ");
    if (d->kind == SARHAD_DOC_VISA && !d->has_mrz && d->number[0] == '\0')
        return ref_fail(c, SARHAD_EFORMAT, "mrz",
                        "a visa needs its MRZ or an e-visa number");
    if (d->kind == SARHAD_DOC_CNIC) {
        struct sarhad_cnic cnic;
        struct sarhad_error e;
        if (d->number[0] == '\0')
            return ref_fail(c, SARHAD_EFORMAT, "number",
                            "a CNIC needs its number");
        /* The province digit is the policy's to judge (refer), so only the
         * shape is an input error here. */
        if (sarhad_cnic_parse(&cnic, d->number, strlen(d->number), &e) !=
                SARHAD_OK &&
            strcmp(e.field, "province") != 0)
            return ref_fail(c, SARHAD_EFORMAT, "number",
                            "expected a CNIC number DDDDD-DDDDDDD-D");
    }
    return SARHAD_OK;
}

static const char *const ref_vulnerability_names[] = {
    "unaccompanied_child", "medical", "single_woman", "elderly", "disabled",
    "specific_needs"};
static const char *const ref_movement_keys[] = {
    "category",        "household",   "household_size",
    "vulnerabilities", "vehicles",    "intended_stay",
    "arrest_province", "arrested_on", NULL};
static const char *const ref_province_names[] = {
    "khyber_pakhtunkhwa", "punjab",           "sindh",       "balochistan",
    "islamabad",          "gilgit_baltistan", "azad_kashmir"};

static enum sarhad_status
ref_read_arrest(struct ref_ctx *c, json_t *obj,
                const struct sarhad_presentation *p,
                struct sarhad_movement_info *m)
{
    enum sarhad_status st;
    char province[24] = "";
    long held;

    if ((st = ref_get_str(c, obj, "arrest_province", province, sizeof(province),
                          false)) != SARHAD_OK ||
        (st = ref_get_date(c, obj, "arrested_on", &m->arrested_on)) !=
            SARHAD_OK)
        return st;
    for (size_t k = 0; k < SARHAD_COUNT_OF(ref_province_names); k++)
        if (strcmp(province, ref_province_names[k]) == 0)
            m->arrest_province = (enum sarhad_province)(k + 1);
    if (province[0] != '\0' && m->arrest_province == SARHAD_PROVINCE_NONE)
        return ref_fail(c, SARHAD_EFORMAT, "arrest_province",
                        "expected khyber_pakhtunkhwa, punjab, sindh, "
                        "balochistan, islamabad, gilgit_baltistan or "
                        "azad_kashmir");
    if ((province[0] != '\0' || m->arrested_on.year != 0) &&
        p->direction != SARHAD_EXIT)
        return ref_fail(c, SARHAD_EFORMAT,
                        province[0] != '\0' ? "arrest_province" : "arrested_on",
                        "an arrest is recorded on an exit");
    if (m->arrested_on.year == 0)
        return SARHAD_OK;
    held = (long)sarhad_date_to_days(p->time.date) -
           (long)sarhad_date_to_days(m->arrested_on);
    if (held < 0)
        return ref_fail(c, SARHAD_EFORMAT, "arrested_on",
                        "after the day of the crossing");
    if (held > 3652)
        return ref_fail(c, SARHAD_EFORMAT, "arrested_on",
                        "more than ten years before the crossing");
    return SARHAD_OK;
}

static enum sarhad_status
ref_read_movement(struct ref_ctx *c, json_t *obj,
                  const struct sarhad_presentation *p,
                  struct sarhad_movement_info *m)
{
    enum sarhad_status st;
    char category[24] = "";
    json_t *vulns;

    snprintf(c->path, sizeof(c->path), "movement");
    if (!json_is_object(obj))
        return ref_fail(c, SARHAD_EFORMAT, "", "expected an object");
    if ((st = ref_only_keys(c, obj, ref_movement_keys)) != SARHAD_OK ||
        (st = ref_get_str(c, obj, "category", category, sizeof(category),
                          false)) != SARHAD_OK ||
        (st = ref_get_str(c, obj, "household", m->household,
                          sizeof(m->household), false)) != SARHAD_OK ||
        (st = ref_get_int(c, obj, "household_size", &m->household_size,
                          1000)) != SARHAD_OK ||
        (st = ref_get_int(c, obj, "vehicles", &m->vehicles, 1000)) !=
            SARHAD_OK ||
        (st = ref_get_str(c, obj, "intended_stay", m->intended_stay,
                          sizeof(m->intended_stay), false)) != SARHAD_OK ||
        (st = ref_read_arrest(c, obj, p, m)) != SARHAD_OK)
        return st;
    if (category[0] != '\0') {
        bool found = false;
        for (int k = SARHAD_MOVE_REGULAR; k <= SARHAD_MOVE_DEPORTATION; k++)
            if (strcmp(category,
                       sarhad_movement_name((enum sarhad_movement)k)) == 0) {
                m->category = (enum sarhad_movement)k;
                found = true;
            }
        if (!found)
            return ref_fail(c, SARHAD_EFORMAT, "category",
                            "expected regular, spontaneous_return, "
                            "assisted_return or deportation");
    }
    vulns = json_object_get(obj, "vulnerabilities");
    if (vulns != NULL && !json_is_null(vulns)) {
        size_t i;
        json_t *v;
        if (!json_is_array(vulns))
            return ref_fail(c, SARHAD_EFORMAT, "vulnerabilities",
                            "expected an array");
        json_array_foreach(vulns, i, v)
        {
            bool found = false;
            if (!json_is_string(v))
                return ref_fail(c, SARHAD_EFORMAT, "vulnerabilities",
                                "expected strings");
            for (size_t k = 0; k < SARHAD_COUNT_OF(ref_vulnerability_names);
                 k++)
                if (strcmp(json_string_value(v), ref_vulnerability_names[k]) ==
                    0) {
                    m->vulnerabilities |= 1u << k;
                    found = true;
                }
            if (!found)
                return ref_fail(c, SARHAD_EFORMAT, "vulnerabilities",
                                "unknown vulnerability");
        }
    }
    return SARHAD_OK;
}

static const char *const ref_top_keys[] = {"crossing", "direction", "time",
                                           "counter",  "traveller", "documents",
                                           "movement", NULL};

static enum sarhad_status
ref_read_top(struct ref_ctx *c, json_t *root, struct sarhad_presentation *p)
{
    enum sarhad_status st;
    char direction[8] = "", time[40] = "";
    json_t *docs, *v;
    size_t i;

    if (!json_is_object(root))
        return ref_fail(c, SARHAD_EFORMAT, "", "expected a JSON object");
    if ((st = ref_only_keys(c, root, ref_top_keys)) != SARHAD_OK ||
        (st = ref_get_str(c, root, "crossing", p->crossing, sizeof(p->crossing),
                          true)) != SARHAD_OK ||
        (st = ref_get_str(c, root, "direction", direction, sizeof(direction),
                          true)) != SARHAD_OK ||
        (st = ref_get_str(c, root, "time", time, sizeof(time), true)) !=
            SARHAD_OK ||
        (st = ref_get_str(c, root, "counter", p->counter, sizeof(p->counter),
                          false)) != SARHAD_OK)
        return st;
    if (sarhad_crossing_index(p->crossing, strlen(p->crossing)) < 0)
        return ref_fail(c, SARHAD_EFORMAT, "crossing", "unknown crossing code");
    if (strcmp(direction, "entry") == 0)
        p->direction = SARHAD_ENTRY;
    else if (strcmp(direction, "exit") == 0)
        p->direction = SARHAD_EXIT;
    else
        return ref_fail(c, SARHAD_EFORMAT, "direction",
                        "expected entry or exit");
    if (sarhad_time_parse(&p->time, time, strlen(time), NULL) != SARHAD_OK)
        return ref_fail(c, SARHAD_EFORMAT, "time",
                        "expected an RFC 3339 time such as "
                        "2023-11-05T09:30:00+05:00");
    v = json_object_get(root, "traveller");
    if (v == NULL)
        return ref_fail(c, SARHAD_EFORMAT, "traveller", "required");
    if ((st = ref_read_traveller(c, v, &p->traveller)) != SARHAD_OK)
        return st;
    c->path[0] = '\0';
    v = json_object_get(root, "movement");
    if (v != NULL && !json_is_null(v) &&
        (st = ref_read_movement(c, v, p, &p->movement)) != SARHAD_OK)
        return st;
    c->path[0] = '\0';
    docs = json_object_get(root, "documents");
    if (docs == NULL)
        return ref_fail(c, SARHAD_EFORMAT, "documents", "required");
    if (!json_is_array(docs))
        return ref_fail(c, SARHAD_EFORMAT, "documents", "expected an array");
    if (json_array_size(docs) > SARHAD_MAX_DOCUMENTS)
        return ref_fail(c, SARHAD_ETOOBIG, "documents",
                        "more than 8 documents");
    json_array_foreach(docs, i, v)
    {
        if ((st = ref_read_document(c, v, (unsigned)i, &p->documents[i])) !=
            SARHAD_OK)
            return st;
        p->document_count++;
    }
    return SARHAD_OK;
}

static enum sarhad_status
ref_presentation_parse(struct sarhad_presentation *out, const char *json,
                       size_t len, struct sarhad_error *err)
{
    struct ref_ctx c;
    json_error_t jerr;
    json_t *root;
    enum sarhad_status st;

    if (out == NULL || (json == NULL && len > 0))
        return sarhad__fail(err, SARHAD_EINVAL, "", SIZE_MAX,
                            "no presentation given");
    memset(out, 0, sizeof(*out));
    if (len > SARHAD_PRESENTATION_MAX_LEN)
        return sarhad__fail(err, SARHAD_ETOOBIG, "", SIZE_MAX,
                            "a presentation is at most %d bytes",
                            SARHAD_PRESENTATION_MAX_LEN);
    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        enum sarhad_status code = sarhad__fail(
            err, SARHAD_EFORMAT, "",
            (size_t)(jerr.position > 0 ? jerr.position : 0), "%s", jerr.text);
        if (err != NULL && jerr.line > 0) {
            err->line = (unsigned)jerr.line;
            err->col = (unsigned)(jerr.column > 0 ? jerr.column : 1);
        }
        return code;
    }
    c.err = err;
    c.path[0] = '\0';
    st = ref_read_top(&c, root, out);
    json_decref(root);
    if (st != SARHAD_OK)
        memset(out, 0, sizeof(*out));
    return st;
}

struct ref_out {
    char *buf;
    size_t cap, len;
};

static void
ref_put(struct ref_out *o, const char *s, size_t n)
{
    if (o->len < o->cap) {
        size_t room = o->cap - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

static void
ref_puts_(struct ref_out *o, const char *s)
{
    ref_put(o, s, strlen(s));
}

/* A JSON string of at most cap bytes of s (fixed-size struct fields). */
static void
ref_put_str(struct ref_out *o, const char *s, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = strnlen(s, cap), run = 0;

    ref_put(o, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        if (c >= 0x20 && c != 0x7f && c != '"' && c != '\\')
            continue;
        /* Plain characters go out as one run. */
        ref_put(o, s + run, i - run);
        run = i + 1;
        if (c == '"' || c == '\\') {
            char two[2] = {'\\', (char)c};
            ref_put(o, two, 2);
        } else if (c == '\n') {
            ref_put(o, "\\n", 2);
        } else {
            ref_put(o, esc, 6);
        }
    }
    ref_put(o, s + run, n - run);
    ref_put(o, "\"", 1);
}

static void
ref_put_int(struct ref_out *o, long v)
{
    char num[24];
    int n = snprintf(num, sizeof(num), "%ld", v);

    ref_put(o, num, (size_t)n);
}

static void
ref_put_flags(struct ref_out *o, const struct sarhad_decision *d, bool mrz)
{
    bool first = true;

    ref_put(o, "[", 1);
    for (unsigned i = 0; i < d->flag_count && i < SARHAD_MAX_FLAGS; i++) {
        const struct sarhad_flag *f = &d->flags[i];
        if ((strcmp(f->code, "mrz_check_failed") == 0) != mrz)
            continue;
        ref_puts_(o, first ? "{\"code\":" : ",{\"code\":");
        ref_put_str(o, f->code, sizeof(f->code));
        ref_puts_(o, ",\"detail\":");
        ref_put_str(o, f->detail, sizeof(f->detail));
        ref_put(o, "}", 1);
        first = false;
    }
    ref_put(o, "]", 1);
}

static size_t
ref_decision_json(char *out, size_t cap, const struct sarhad_decision *d)
{
    struct ref_out o = {out, cap ? cap - 1 : 0, 0};

    ref_puts_(&o, "{\"decision\":");
    ref_put_str(&o, sarhad_outcome_name(d->outcome), 16);
    ref_puts_(&o, ",\"zone\":");
    if (d->zone[0] == '\0')
        ref_puts_(&o, "null");
    else
        ref_put_str(&o, d->zone, sizeof(d->zone));
    ref_puts_(&o, ",\"rule\":");
    ref_put_str(&o, d->rule, sizeof(d->rule));
    ref_puts_(&o, ",\"policy\":{\"name\":");
    ref_put_str(&o, d->policy_name, sizeof(d->policy_name));
    ref_puts_(&o, ",\"version\":");
    ref_put_int(&o, d->policy_version);
    ref_puts_(&o, "},\"reasons\":[");
    for (unsigned i = 0; i < d->reason_count && i < SARHAD_MAX_REASONS; i++) {
        ref_puts_(&o, i ? ",{\"code\":" : "{\"code\":");
        ref_put_str(&o, d->reasons[i].code, sizeof(d->reasons[i].code));
        ref_puts_(&o, ",\"message\":");
        ref_put_str(&o, d->reasons[i].message, sizeof(d->reasons[i].message));
        ref_put(&o, "}", 1);
    }
    ref_puts_(&o, "],\"flags\":{\"overstay_days\":");
    ref_put_int(&o, d->overstay_days);
    ref_puts_(&o, ",\"fine_usd\":");
    ref_put_int(&o, d->fine_usd);
    ref_puts_(&o, ",\"watchlist_hits\":[");
    for (unsigned i = 0; i < d->hit_count && i < SARHAD_MAX_HITS; i++) {
        const struct sarhad_hit *h = &d->hits[i];
        ref_puts_(&o, i ? ",{\"list_version\":" : "{\"list_version\":");
        ref_put_str(&o, h->list_version, sizeof(h->list_version));
        ref_puts_(&o, ",\"entry_id\":");
        ref_put_str(&o, h->entry_id, sizeof(h->entry_id));
        ref_puts_(&o, ",\"name\":");
        ref_put_str(&o, h->name, sizeof(h->name));
        ref_puts_(&o, ",\"score\":");
        ref_put_int(&o, h->score);
        ref_puts_(&o, ",\"why\":");
        ref_put_str(&o, h->why, sizeof(h->why));
        ref_put(&o, "}", 1);
    }
    ref_puts_(&o, "],\"mrz_problems\":");
    ref_put_flags(&o, d, true);
    ref_puts_(&o, ",\"notes\":");
    ref_put_flags(&o, d, false);
    ref_puts_(&o, "}}");
    if (cap > 0)
        out[o.len < cap - 1 ? o.len : cap - 1] = '\0';
    return o.len;
}

/* ----- the differential checks ----- */

#include <stddef.h>

static bool
ref_same_error(const struct sarhad_error *a, const struct sarhad_error *b)
{
    return a->code == b->code && a->offset == b->offset && a->line == b->line &&
           a->col == b->col && strcmp(a->field, b->field) == 0 &&
           strcmp(a->message, b->message) == 0;
}

/* The parts of a document both readers define: all but the MRZ's issue
 * list past issue_count (the MRZ reader's fast path leaves it as it was,
 * and a document without an MRZ has none). */
static bool
ref_same_document(const struct sarhad_document *a,
                  const struct sarhad_document *b)
{
    size_t issues = offsetof(struct sarhad_document, mrz.issues);
    size_t after = offsetof(struct sarhad_document, mrz.has_suggestion);

    if (memcmp(a, b, issues) != 0 ||
        memcmp((const char *)a + after, (const char *)b + after,
               sizeof(*a) - after) != 0)
        return false;
    if (!a->has_mrz && a->mrz.issue_count != 0)
        return false;
    return a->mrz.issue_count <= SARHAD_MRZ_MAX_ISSUES &&
           memcmp(a->mrz.issues, b->mrz.issues,
                  a->mrz.issue_count * sizeof(a->mrz.issues[0])) == 0;
}

/*
 * Read json (len bytes) with the library and with the reference and say
 * what differs ("" when nothing): the status, every part of the error, and
 * every field that is defined.  The library's output starts filled with
 * 0xA5 bytes so that a field it forgot to set cannot look like a zero.
 * When out is not NULL it receives the library's reading.
 */
static const char *
ref_compare_parse(const char *json, size_t len, struct sarhad_presentation *out)
{
    static _Thread_local struct sarhad_presentation fast, slow;
    struct sarhad_error fast_err, slow_err;
    enum sarhad_status fast_st, slow_st;

    memset(&fast, 0xA5, sizeof(fast));
    memset(&fast_err, 0xA5, sizeof(fast_err));
    memset(&slow_err, 0xA5, sizeof(slow_err));
    fast_st = sarhad_presentation_parse(&fast, json, len, &fast_err);
    slow_st = ref_presentation_parse(&slow, json, len, &slow_err);
    if (out != NULL)
        memcpy(out, &fast, sizeof(fast));
    if (fast_st != slow_st)
        return "status";
    if (fast_st != SARHAD_OK) {
        if (!ref_same_error(&fast_err, &slow_err))
            return "error";
        return memcmp(&fast, &slow, sizeof(fast)) == 0 ? "" : "not zeroed";
    }
    if (memcmp(&fast, &slow, offsetof(struct sarhad_presentation, documents)))
        return "fields";
    for (unsigned i = 0; i < slow.document_count; i++)
        if (!ref_same_document(&fast.documents[i], &slow.documents[i]))
            return "document";
    return "";
}

/* Whether all n bytes at p are b. */
static bool
ref_all_bytes(const void *p, size_t n, unsigned char b)
{
    const unsigned char *q = p;

    for (size_t i = 0; i < n; i++)
        if (q[i] != b)
            return false;
    return true;
}

/*
 * Read json (len bytes) with the fast parser and with jansson alone
 * (src/presentation.h) and say what differs ("" when nothing), as
 * ref_compare_parse does.  *handled says whether the fast parser took the
 * input; when it did not, it must have written nothing at all.
 */
static const char *
ref_compare_fast(const char *json, size_t len, bool *handled)
{
    static _Thread_local struct sarhad_presentation fast, slow;
    struct sarhad_error fast_err, slow_err;
    enum sarhad_status fast_st = SARHAD_OK, slow_st;

    memset(&fast, 0xA5, sizeof(fast));
    memset(&slow, 0xA5, sizeof(slow));
    memset(&fast_err, 0xA5, sizeof(fast_err));
    memset(&slow_err, 0xA5, sizeof(slow_err));
    *handled =
        sarhad__presentation_parse_fast(&fast, json, len, &fast_err, &fast_st);
    if (!*handled)
        return ref_all_bytes(&fast, sizeof(fast), 0xA5) &&
                       ref_all_bytes(&fast_err, sizeof(fast_err), 0xA5)
                   ? ""
                   : "written when not handled";
    slow_st = sarhad__presentation_parse_jansson(&slow, json, len, &slow_err);
    if (fast_st != slow_st)
        return "fast status";
    if (fast_st != SARHAD_OK) {
        if (!ref_same_error(&fast_err, &slow_err))
            return "fast error";
        return memcmp(&fast, &slow, sizeof(fast)) == 0 ? "" : "fast not zeroed";
    }
    if (memcmp(&fast, &slow, offsetof(struct sarhad_presentation, documents)))
        return "fast fields";
    for (unsigned i = 0; i < slow.document_count; i++)
        if (!ref_same_document(&fast.documents[i], &slow.documents[i]))
            return "fast document";
    return "";
}

/*
 * Write d with the library and with the reference into buffers of cap
 * bytes and say whether both give the same length and the same bytes
 * (with the NUL), for cap 0, 1, a short one and a full one.
 */
static bool
ref_same_decision_json(const struct sarhad_decision *d)
{
    static _Thread_local char fast[8192], slow[8192];
    const size_t caps[] = {0, 1, 2, 17, 64, 300, sizeof(fast)};

    for (size_t k = 0; k < sizeof(caps) / sizeof(caps[0]); k++) {
        size_t cap = caps[k], n, m;
        memset(fast, 0x5A, sizeof(fast));
        memset(slow, 0x5A, sizeof(slow));
        n = sarhad_decision_json(cap ? fast : NULL, cap, d);
        m = ref_decision_json(cap ? slow : NULL, cap, d);
        if (n != m || memcmp(fast, slow, sizeof(fast)) != 0)
            return false;
    }
    return true;
}

#endif
