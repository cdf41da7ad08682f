/*
 * test_mrz_vectors.c - runs the known-answer vectors in tests/vectors/mrz/:
 * the ICAO 9303 specimens of every format and constructed documents (made
 * by an independent builder, make_vectors.py) for every check digit, every
 * field and the edge cases.  A block is the MRZ lines, then "key: value"
 * lines: a field's expected value ("null" for no date or sex), "issue:
 * FIELD CODE LINE COL" for each expected issue in order, "suggestion:" with
 * the lines joined by '|', "today:" and "roundtrip: no" when the MRZ is
 * valid but not the form the formatter writes.
 */
#include "test.h"

#include <dirent.h>
#include <stdlib.h>

#define VECTOR_DIR "tests/vectors/mrz"

struct block {
    char mrz[256];
    size_t mrz_len;
    char keys[40][24];
    char values[40][128];
    unsigned count;
    unsigned first_line;
};

static const char *
field_value(const struct sarhad_mrz *m, const char *key, char buf[16])
{
    if (strcmp(key, "format") == 0) {
        const char *n = sarhad_mrz_format_name(m->format);
        return n ? n : "null";
    }
    if (strcmp(key, "valid") == 0)
        return m->valid ? "true" : "false";
    if (strcmp(key, "birth_date") == 0 || strcmp(key, "expiry_date") == 0) {
        struct sarhad_date d = key[0] == 'b' ? m->birth_date : m->expiry_date;
        if (d.year == 0)
            return "null";
        sarhad_date_format(buf, d);
        return buf;
    }
    if (strcmp(key, "sex") == 0) {
        if (m->sex == 0)
            return "null";
        buf[0] = m->sex;
        buf[1] = '\0';
        return buf;
    }
#define F(name)                                                                \
    if (strcmp(key, #name) == 0)                                               \
        return m->name;
    F(document_code)
    F(issuing_state)
    F(surname)
    F(given_names)
    F(document_number)
    F(nationality)
    F(optional_data)
    F(optional_data_2)
#undef F
    return NULL;
}

static int failures;

/* Report a failed expectation: what, then the two values at stake. */
static void
fail(const char *file, const struct block *b, const char *fmt, const char *a,
     const char *c)
{
    char where[128];

    snprintf(where, sizeof(where), "%s/%s:%u", VECTOR_DIR, file, b->first_line);
    test_failed(where, 0, "%s: %s | %s", fmt, a, c);
    failures++;
}

static void
check_block(const char *file, const struct block *b)
{
    struct sarhad_mrz m;
    struct sarhad_error err;
    struct sarhad_date today = {2025, 6, 1};
    unsigned issue = 0;
    bool want_suggestion = false, roundtrip = true;
    char buf[16], got[160], text[256];

    for (unsigned i = 0; i < b->count; i++)
        if (strcmp(b->keys[i], "today") == 0 &&
            sarhad_date_parse(&today, b->values[i], strlen(b->values[i]),
                              NULL) != SARHAD_OK)
            fail(file, b, "bad today", b->values[i], "");
    if (sarhad_mrz_parse_at(&m, b->mrz, b->mrz_len, today, &err) != SARHAD_OK) {
        fail(file, b, "not read as an MRZ", err.message, "");
        return;
    }
    for (unsigned i = 0; i < b->count; i++) {
        const char *k = b->keys[i], *v = b->values[i], *g;
        if (strcmp(k, "today") == 0)
            continue;
        if (strcmp(k, "roundtrip") == 0) {
            roundtrip = strcmp(v, "no") != 0;
            continue;
        }
        if (strcmp(k, "suggestion") == 0) {
            want_suggestion = true;
            snprintf(text, sizeof(text), "%s", m.suggestion);
            for (char *p = text; *p; p++)
                if (*p == '\n')
                    *p = '|';
            if (!m.has_suggestion || strcmp(text, v) != 0)
                fail(file, b, "suggestion (want | got)", v,
                     m.has_suggestion ? text : "none");
            continue;
        }
        if (strcmp(k, "issue") == 0) {
            if (issue >= m.issue_count) {
                fail(file, b, "missing issue", v, "");
                continue;
            }
            snprintf(got, sizeof(got), "%s %s %u %u", m.issues[issue].field,
                     m.issues[issue].code, m.issues[issue].line,
                     m.issues[issue].col);
            if (strcmp(got, v) != 0)
                fail(file, b, "issue (want | got)", v, got);
            issue++;
            continue;
        }
        g = field_value(&m, k, buf);
        if (g == NULL)
            fail(file, b, "unknown key", k, "");
        else if (strcmp(g, v) != 0)
            fail(file, b, "field (want | got)", v, g);
    }
    if (issue < m.issue_count)
        fail(file, b, "unexpected issue", m.issues[issue].field,
             m.issues[issue].message);
    if (!want_suggestion && m.has_suggestion)
        fail(file, b, "unexpected suggestion", m.suggestion, "");
    if (m.valid && roundtrip) {
        if (sarhad_mrz_format(text, sizeof(text), &m, &err) != SARHAD_OK)
            fail(file, b, "format failed", err.field, err.message);
        else if (strcmp(text, b->mrz) != 0)
            fail(file, b, "round trip (formatted | read)", text, b->mrz);
    }
}

/* Read one vector file; returns the number of blocks checked. */
static unsigned
run_file(const char *name)
{
    char path[512], line[512];
    struct block b;
    unsigned blocks = 0, lineno = 0;
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", VECTOR_DIR, name);
    f = fopen(path, "r");
    if (f == NULL)
        return 0;
    memset(&b, 0, sizeof(b));
    for (;;) {
        char *ok = fgets(line, sizeof(line), f);
        size_t n = ok ? strlen(line) : 0;
        lineno++;
        while (n > 0 && line[n - 1] == '\n')
            line[--n] = '\0';
        if (ok == NULL || n == 0) {
            if (b.mrz_len > 0) {
                b.mrz[b.mrz_len - 1] = '\0'; /* drop the last '\n' */
                b.mrz_len--;
                check_block(name, &b);
                blocks++;
            }
            memset(&b, 0, sizeof(b));
            if (ok == NULL)
                break;
            continue;
        }
        if (line[0] == '#')
            continue;
        if (b.mrz_len == 0 && b.count == 0)
            b.first_line = lineno;
        char *colon = strstr(line, ": ");
        if (colon == NULL && strchr(line, ':') == NULL) {
            if (b.mrz_len + n + 1 < sizeof(b.mrz)) {
                memcpy(b.mrz + b.mrz_len, line, n);
                b.mrz_len += n;
                b.mrz[b.mrz_len++] = '\n';
            }
        } else if (b.count < 40) {
            const char *v = colon ? colon + 2 : "";
            *strchr(line, ':') = '\0';
            /* Keys and values longer than their slots are vector-file
             * mistakes; truncation makes the comparison fail visibly. */
            size_t kn = strlen(line), vn = strlen(v);
            if (kn >= sizeof(b.keys[0]))
                kn = sizeof(b.keys[0]) - 1;
            if (vn >= sizeof(b.values[0]))
                vn = sizeof(b.values[0]) - 1;
            memcpy(b.keys[b.count], line, kn);
            b.keys[b.count][kn] = '\0';
            memcpy(b.values[b.count], v, vn);
            b.values[b.count][vn] = '\0';
            b.count++;
        }
    }
    fclose(f);
    return blocks;
}

TEST(mrz_vectors)
{
    DIR *d = opendir(VECTOR_DIR);
    struct dirent *e;
    unsigned blocks = 0;

    ASSERT(d != NULL);
    failures = 0;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".txt") == 0)
            blocks += run_file(e->d_name);
    }
    closedir(d);
    ASSERT(blocks >= 50);
    ASSERT_EQ_INT(0, failures);
}
