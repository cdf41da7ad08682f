/*
 * ledger_json.c - the ledger's text output: a growable buffer with JSON
 * string escaping, and the presentation written back as JSON so that each
 * recorded attempt keeps the documents exactly as they were read.  JSON is
 * built by escaping every value, never by pasting input into a format.
 */
#include "ledger.h"

#include <stdio.h>
#include <string.h>

void
sarhad__buf_reset(struct sarhad__buf *b)
{
    b->len = 0;
    b->failed = false;
    if (b->data != NULL)
        b->data[0] = '\0';
}

void
sarhad__buf_free(struct sarhad__buf *b)
{
    sarhad__free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

bool
sarhad__buf_reserve(struct sarhad__buf *b, size_t more)
{
    size_t want;
    char *p;

    if (b->failed)
        return false;
    if (b->len + more + 1 <= b->cap)
        return true;
    want = b->cap ? b->cap : 256;
    while (want < b->len + more + 1)
        want *= 2;
    p = sarhad__realloc(b->data, want);
    if (p == NULL) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = want;
    return true;
}

void
sarhad__buf_add(struct sarhad__buf *b, const char *s, size_t len)
{
    if (!sarhad__buf_reserve(b, len))
        return;
    memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void
sarhad__buf_puts(struct sarhad__buf *b, const char *s)
{
    sarhad__buf_add(b, s, strlen(s));
}

void
sarhad__buf_printf(struct sarhad__buf *b, const char *fmt, ...)
{
    va_list ap;
    size_t room = b->failed || b->cap <= b->len ? 0 : b->cap - b->len;
    int n;

    /* Formatted once in place when it fits, which it nearly always does. */
    va_start(ap, fmt);
    n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < room) {
        b->len += (size_t)n;
        return;
    }
    if (room) /* a truncated attempt: the text still ends at len */
        b->data[b->len] = '\0';
    if (n < 0 || !sarhad__buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void
sarhad__buf_int(struct sarhad__buf *b, int64_t v)
{
    char text[24], *end = text + sizeof(text), *s = end;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

    do {
        *--s = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        *--s = '-';
    sarhad__buf_add(b, s, (size_t)(end - s));
}

void
sarhad__buf_json_str(struct sarhad__buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const char *run;

    if (s == NULL) {
        sarhad__buf_add(b, "null", 4);
        return;
    }
    sarhad__buf_add(b, "\"", 1);
    run = s;
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[2];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        sarhad__buf_add(b, run, (size_t)(s - run));
        run = s + 1;
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            sarhad__buf_add(b, esc, 2);
        } else if (c == '\n') {
            sarhad__buf_add(b, "\\n", 2);
        } else {
            esc[0] = hex[c >> 4];
            esc[1] = hex[c & 15];
            sarhad__buf_add(b, "\\u00", 4);
            sarhad__buf_add(b, esc, 2);
        }
    }
    sarhad__buf_add(b, run, (size_t)(s - run));
    sarhad__buf_add(b, "\"", 1);
}

void
sarhad__buf_json_date(struct sarhad__buf *b, struct sarhad_date d)
{
    char text[11];

    if (d.year == 0) {
        sarhad__buf_add(b, "null", 4);
        return;
    }
    sarhad_date_format(text, d);
    sarhad__buf_json_str(b, text);
}

/* "key": "value" with a leading comma, skipped when value is empty. */
static void
opt_str(struct sarhad__buf *b, const char *key, const char *value)
{
    if (value[0] == '\0')
        return;
    sarhad__buf_add(b, ",\"", 2);
    sarhad__buf_puts(b, key);
    sarhad__buf_add(b, "\":", 2);
    sarhad__buf_json_str(b, value);
}

static void
opt_date(struct sarhad__buf *b, const char *key, struct sarhad_date d)
{
    if (d.year == 0)
        return;
    sarhad__buf_add(b, ",\"", 2);
    sarhad__buf_puts(b, key);
    sarhad__buf_add(b, "\":", 2);
    sarhad__buf_json_date(b, d);
}

static const char *
entries_name(enum sarhad_visa_entries e)
{
    switch (e) {
    case SARHAD_ENTRIES_SINGLE:
        return "single";
    case SARHAD_ENTRIES_DOUBLE:
        return "double";
    case SARHAD_ENTRIES_MULTIPLE:
        return "multiple";
    default:
        return "";
    }
}

static void
document_json(struct sarhad__buf *b, const struct sarhad_document *d)
{
    char mrz[128];
    struct sarhad_error err;

    sarhad__buf_puts(b, "{\"kind\":");
    sarhad__buf_json_str(b, sarhad_doc_kind_name(d->kind));
    /* The MRZ as read is rebuilt from its fields; the fields keep what the
     * reader saw even when a check digit failed. */
    if (d->has_mrz &&
        sarhad_mrz_format(mrz, sizeof(mrz), &d->mrz, &err) == SARHAD_OK) {
        /* The MRZ holds every field; a reader parses it again. */
        sarhad__buf_puts(b, ",\"mrz\":");
        sarhad__buf_json_str(b, mrz);
        sarhad__buf_puts(b, d->mrz.valid ? ",\"mrz_valid\":true"
                                         : ",\"mrz_valid\":false");
    } else if (d->has_mrz) {
        sarhad__buf_puts(b, ",\"mrz_valid\":false");
        opt_str(b, "issuing_state", d->mrz.issuing_state);
        opt_str(b, "document_number", d->mrz.document_number);
        opt_str(b, "surname", d->mrz.surname);
        opt_str(b, "given_names", d->mrz.given_names);
        opt_date(b, "birth_date", d->mrz.birth_date);
        opt_date(b, "expiry_date", d->mrz.expiry_date);
    }
    opt_str(b, "number", d->number);
    opt_date(b, "issued", d->issued);
    opt_date(b, "expiry", d->expiry);
    opt_str(b, "district", d->district);
    opt_str(b, "tribe", d->tribe);
    opt_str(b, "issuer", d->issuer);
    opt_str(b, "category", d->category);
    opt_str(b, "entries", entries_name(d->entries));
    if (d->stay_days > 0) {
        sarhad__buf_puts(b, ",\"stay_days\":");
        sarhad__buf_int(b, d->stay_days);
    }
    sarhad__buf_puts(b, "}");
}

void
sarhad__presentation_json(struct sarhad__buf *b,
                          const struct sarhad_presentation *p)
{
    const struct sarhad_traveller *t = &p->traveller;
    char time[26], sex[2] = {t->sex, '\0'};

    sarhad_time_format(time, &p->time);
    sarhad__buf_puts(b, "{\"crossing\":");
    sarhad__buf_json_str(b, p->crossing);
    sarhad__buf_puts(b, p->direction == SARHAD_EXIT
                            ? ",\"direction\":\"exit\",\"time\":"
                            : ",\"direction\":\"entry\",\"time\":");
    sarhad__buf_json_str(b, time);
    opt_str(b, "counter", p->counter);
    sarhad__buf_puts(b, ",\"traveller\":{\"nationality\":");
    sarhad__buf_json_str(b, t->nationality);
    opt_str(b, "sex", sex);
    opt_date(b, "birth_date", t->birth_date);
    opt_str(b, "residence", t->residence);
    opt_str(b, "tribe", t->tribe);
    opt_str(b, "occupation", t->occupation);
    opt_str(b, "purpose", t->purpose);
    opt_str(b, "father_name", t->father_name);
    sarhad__buf_puts(b, "}");
    if (p->direction == SARHAD_EXIT) {
        const struct sarhad_movement_info *m = &p->movement;
        sarhad__buf_puts(b, ",\"movement\":{\"category\":");
        sarhad__buf_json_str(b, sarhad_movement_name(m->category));
        opt_str(b, "household", m->household);
        if (m->household_size > 0) {
            sarhad__buf_puts(b, ",\"household_size\":");
            sarhad__buf_int(b, m->household_size);
        }
        sarhad__buf_puts(b, ",\"vulnerabilities\":[");
        for (unsigned i = 0, n = 0; sarhad_vulnerability_name(i) != NULL; i++)
            if (m->vulnerabilities & (1u << i)) {
                sarhad__buf_puts(b, n++ ? ",\"" : "\"");
                sarhad__buf_puts(b, sarhad_vulnerability_name(i));
                sarhad__buf_puts(b, "\"");
            }
        sarhad__buf_puts(b, "],\"vehicles\":");
        sarhad__buf_int(b, m->vehicles);
        opt_str(b, "intended_stay", m->intended_stay);
        if (m->arrest_province != SARHAD_PROVINCE_NONE)
            opt_str(b, "arrest_province",
                    sarhad_province_name(m->arrest_province));
        opt_date(b, "arrested_on", m->arrested_on);
        sarhad__buf_puts(b, "}");
    }
    sarhad__buf_puts(b, ",\"documents\":[");
    for (unsigned i = 0; i < p->document_count && i < SARHAD_MAX_DOCUMENTS;
         i++) {
        if (i > 0)
            sarhad__buf_puts(b, ",");
        document_json(b, &p->documents[i]);
    }
    sarhad__buf_puts(b, "]}");
}
