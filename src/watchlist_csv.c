/*
 * watchlist_csv.c - reading a watchlist from CSV (RFC 4180: quoted fields
 * with "" escapes, CRLF or LF line ends).  The header is
 *   id,name,aliases,birth_date,nationality,father_name[,sex]
 * aliases, birth dates and nationalities hold several values separated by
 * ';'.  Every fault is reported at its line and column (1-based, bytes) so
 * that the person preparing the list can find it.
 */
#include "watchlist.h"

#include <string.h>

#define CSV_MAX_FIELD 8192
#define CSV_COLUMNS   7

static const char *const columns[CSV_COLUMNS] = {
    "id", "name", "aliases", "birth_date", "nationality", "father_name", "sex",
};

struct field {
    char text[CSV_MAX_FIELD];
    size_t len;
    unsigned col; /* where the field starts */
};

struct csv {
    const char *data;
    size_t len;
    size_t pos;
    unsigned line;
    size_t line_start;
};

static unsigned
col_at(const struct csv *c, size_t pos)
{
    return (unsigned)(pos - c->line_start + 1);
}

/* Read a quoted field, c->pos at its opening quote, into f; doubled
 * quotes are one, newlines are data. */
static enum sarhad_status
read_quoted(struct csv *c, struct field *f, struct sarhad_error *err)
{
    unsigned open_line = c->line, open_col = col_at(c, c->pos);

    c->pos++;
    for (;;) {
        if (c->pos >= c->len)
            return sarhad__fail_at(err, SARHAD_EFORMAT, "csv", open_line,
                                   open_col, "quoted field never closed");
        char ch = c->data[c->pos];
        if (ch == '"') {
            if (c->pos + 1 < c->len && c->data[c->pos + 1] == '"') {
                ch = '"';
                c->pos++;
            } else {
                c->pos++;
                break;
            }
        } else if (ch == '\n') {
            /* A newline inside quotes is data; keep counting. */
            c->line++;
            c->line_start = c->pos + 1;
        }
        if (f->len + 1 >= CSV_MAX_FIELD)
            return sarhad__fail_at(err, SARHAD_ETOOBIG, "csv", c->line, f->col,
                                   "field over %d bytes", CSV_MAX_FIELD - 1);
        f->text[f->len++] = ch;
        c->pos++;
    }
    if (c->pos < c->len && c->data[c->pos] != ',' && c->data[c->pos] != '\n' &&
        c->data[c->pos] != '\r')
        return sarhad__fail_at(err, SARHAD_EFORMAT, "csv", c->line,
                               col_at(c, c->pos), "text after a closing quote");
    return SARHAD_OK;
}

/* Read an unquoted field into f, up to a comma or the end of the line. */
static enum sarhad_status
read_unquoted(struct csv *c, struct field *f, struct sarhad_error *err)
{
    while (c->pos < c->len && c->data[c->pos] != ',' &&
           c->data[c->pos] != '\n' && c->data[c->pos] != '\r') {
        if (c->data[c->pos] == '"')
            return sarhad__fail_at(err, SARHAD_EFORMAT, "csv", c->line,
                                   col_at(c, c->pos),
                                   "quote inside an unquoted field");
        if (f->len + 1 >= CSV_MAX_FIELD)
            return sarhad__fail_at(err, SARHAD_ETOOBIG, "csv", c->line, f->col,
                                   "field over %d bytes", CSV_MAX_FIELD - 1);
        f->text[f->len++] = c->data[c->pos++];
    }
    return SARHAD_OK;
}

/* Step over what ends a field: a comma (*more set: the record goes on),
 * a line ending (CRLF or LF) or the end of the data. */
static enum sarhad_status
end_field(struct csv *c, bool *more, struct sarhad_error *err)
{
    *more = false;
    if (c->pos >= c->len)
        return SARHAD_OK;
    if (c->data[c->pos] == ',') {
        c->pos++;
        *more = true;
        return SARHAD_OK;
    }
    if (c->data[c->pos] == '\r') {
        if (c->pos + 1 >= c->len || c->data[c->pos + 1] != '\n')
            return sarhad__fail_at(err, SARHAD_EFORMAT, "csv", c->line,
                                   col_at(c, c->pos),
                                   "carriage return without newline");
        c->pos++;
    }
    c->pos++; /* the newline */
    c->line++;
    c->line_start = c->pos;
    return SARHAD_OK;
}

/*
 * Read one record into fields (at most CSV_COLUMNS + 1 so that an extra
 * column is noticed).  *count gets the number of fields; *eof is set when
 * nothing was left to read.
 */
static enum sarhad_status
read_record(struct csv *c, struct field *fields, size_t *count, bool *eof,
            struct sarhad_error *err)
{
    size_t n = 0;
    bool more = true;

    *eof = c->pos >= c->len;
    *count = 0;
    if (*eof)
        return SARHAD_OK;
    while (more) {
        struct field *f = &fields[n < CSV_COLUMNS + 1 ? n : CSV_COLUMNS];
        enum sarhad_status s;
        f->len = 0;
        f->col = col_at(c, c->pos);
        if (c->pos < c->len && c->data[c->pos] == '"')
            s = read_quoted(c, f, err);
        else
            s = read_unquoted(c, f, err);
        if (s != SARHAD_OK)
            return s;
        f->text[f->len] = '\0';
        n++;
        s = end_field(c, &more, err);
        if (s != SARHAD_OK)
            return s;
    }
    *count = n;
    return SARHAD_OK;
}

/* Call each(ctx, start, len) for each ';'-separated, trimmed, non-empty
 * part of f; stops at the first failure. */
static enum sarhad_status
split_parts(const struct field *f, unsigned line,
            enum sarhad_status (*each)(void *ctx, const char *s, size_t len,
                                       struct sarhad_error *err),
            void *ctx, struct sarhad_error *err)
{
    size_t i = 0;

    while (i <= f->len) {
        size_t a = i, b;
        while (i < f->len && f->text[i] != ';')
            i++;
        b = i;
        while (a < b && f->text[a] == ' ')
            a++;
        while (b > a && f->text[b - 1] == ' ')
            b--;
        if (b > a) {
            enum sarhad_status s = each(ctx, f->text + a, b - a, err);
            if (s != SARHAD_OK) {
                if (err != NULL) {
                    err->line = line;
                    err->col =
                        f->col + (unsigned)a +
                        (err->offset != SIZE_MAX ? (unsigned)err->offset : 0);
                }
                return s;
            }
        }
        i++;
    }
    return SARHAD_OK;
}

static enum sarhad_status
add_alias(void *ctx, const char *s, size_t len, struct sarhad_error *err)
{
    struct sarhad_watchlist_entry *e = ctx;

    e->alias_count++;
    return sarhad__entry_add_name(e, s, len, err);
}

static enum sarhad_status
add_birth(void *ctx, const char *s, size_t len, struct sarhad_error *err)
{
    struct sarhad_watchlist_entry *e = ctx;
    struct sarhad_birth b;
    enum sarhad_status st = sarhad_birth_parse(&b, s, len, err);

    if (st != SARHAD_OK)
        return st;
    if (e->birth_count == SARHAD_WL_MAX_BIRTHS)
        return sarhad__fail(err, SARHAD_ETOOBIG, "birth_date", 0,
                            "more than %d birth dates", SARHAD_WL_MAX_BIRTHS);
    e->births[e->birth_count++] = b;
    return SARHAD_OK;
}

static enum sarhad_status
add_nationality(void *ctx, const char *s, size_t len, struct sarhad_error *err)
{
    struct sarhad_watchlist_entry *e = ctx;
    char code[4];

    if (!sarhad_nationality_code(code, s, len))
        return sarhad__fail(err, SARHAD_EFORMAT, "nationality", 0,
                            "not an ICAO code or a known country name");
    for (unsigned i = 0; i < e->nationality_count; i++)
        if (strcmp(e->nationalities[i], code) == 0)
            return SARHAD_OK;
    if (e->nationality_count == SARHAD_WL_MAX_NATS)
        return sarhad__fail(err, SARHAD_ETOOBIG, "nationality", 0,
                            "more than %d nationalities", SARHAD_WL_MAX_NATS);
    memcpy(e->nationalities[e->nationality_count++], code, 4);
    return SARHAD_OK;
}

static enum sarhad_status
check_header(const struct field *fields, size_t count, unsigned line,
             struct sarhad_error *err)
{
    if (count < CSV_COLUMNS - 1 || count > CSV_COLUMNS)
        return sarhad__fail_at(err, SARHAD_EFORMAT, "csv", line, 1,
                               "the header must be id,name,aliases,"
                               "birth_date,nationality,father_name[,sex]");
    for (size_t i = 0; i < count; i++)
        if (strcmp(fields[i].text, columns[i]) != 0)
            return sarhad__fail_at(err, SARHAD_EFORMAT, "csv", line,
                                   fields[i].col, "column %zu must be \"%s\"",
                                   i + 1, columns[i]);
    return SARHAD_OK;
}

static enum sarhad_status
build_entry(struct sarhad_watchlist_entry *e, const struct field *f,
            size_t count, unsigned line, struct sarhad_error *err)
{
    enum sarhad_status s;

    memset(e, 0, sizeof(*e));
    if (f[0].len == 0 || f[0].len >= sizeof(e->id))
        return sarhad__fail_at(err, SARHAD_EFORMAT, "id", line, f[0].col,
                               "an id of 1 to %zu bytes is required",
                               sizeof(e->id) - 1);
    for (size_t i = 0; i < f[0].len; i++)
        if ((unsigned char)f[0].text[i] < 0x21 ||
            (unsigned char)f[0].text[i] > 0x7e)
            return sarhad__fail_at(err, SARHAD_EFORMAT, "id", line,
                                   f[0].col + (unsigned)i,
                                   "an id is printable ASCII without spaces");
    memcpy(e->id, f[0].text, f[0].len + 1);
    s = sarhad__entry_add_name(e, f[1].text, f[1].len, err);
    if (s == SARHAD_OK && e->name_count == 0)
        s = sarhad__fail(err, SARHAD_EFORMAT, "name", 0, "a name is required");
    if (s != SARHAD_OK) {
        if (err != NULL) {
            err->line = line;
            err->col = f[1].col +
                       (err->offset != SIZE_MAX ? (unsigned)err->offset : 0);
        }
        return s;
    }
    s = split_parts(&f[2], line, add_alias, e, err);
    if (s == SARHAD_OK)
        s = split_parts(&f[3], line, add_birth, e, err);
    if (s == SARHAD_OK)
        s = split_parts(&f[4], line, add_nationality, e, err);
    if (s != SARHAD_OK)
        return s;
    if (f[5].len >= sizeof(e->father_name))
        return sarhad__fail_at(err, SARHAD_ETOOBIG, "father_name", line,
                               f[5].col, "a name is at most %zu bytes",
                               sizeof(e->father_name) - 1);
    memcpy(e->father_name, f[5].text, f[5].len + 1);
    if (count == CSV_COLUMNS && f[6].len > 0) {
        if (f[6].len != 1 || strchr("MFX", f[6].text[0]) == NULL)
            return sarhad__fail_at(err, SARHAD_EFORMAT, "sex", line, f[6].col,
                                   "sex is M, F, X or empty");
        e->sex = (char)(f[6].text[0] == 'X' ? 0 : f[6].text[0]);
    }
    return SARHAD_OK;
}

enum sarhad_status
sarhad__watchlist_csv(const char *data, size_t len, sarhad__entry_fn fn,
                      void *ctx, struct sarhad_error *err)
{
    struct csv c = {data, len, 0, 1, 0};
    struct field *fields;
    struct sarhad_watchlist_entry *e;
    enum sarhad_status s;
    size_t count, header_count, entries = 0;
    bool eof;

    fields = sarhad__calloc(CSV_COLUMNS + 1, sizeof(*fields));
    e = sarhad__malloc(sizeof(*e));
    if (fields == NULL || e == NULL) {
        sarhad__free(fields);
        sarhad__free(e);
        return sarhad__fail(err, SARHAD_ENOMEM, "csv", SIZE_MAX, NULL);
    }
    /* A UTF-8 byte-order mark from spreadsheet exports is not data. */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        c.pos = 3;
        c.line_start = 3;
    }
    s = read_record(&c, fields, &header_count, &eof, err);
    if (s == SARHAD_OK && eof)
        s = sarhad__fail_at(err, SARHAD_EFORMAT, "csv", 1, 1,
                            "empty file: the header is missing");
    if (s == SARHAD_OK)
        s = check_header(fields, header_count, 1, err);
    while (s == SARHAD_OK) {
        unsigned line = c.line;
        s = read_record(&c, fields, &count, &eof, err);
        if (s != SARHAD_OK || eof)
            break;
        if (count == 1 && fields[0].len == 0)
            continue; /* a blank line */
        if (count != header_count) {
            s = sarhad__fail_at(
                err, SARHAD_EFORMAT, "csv", line,
                count > header_count
                    ? fields[header_count].col
                    : fields[count - 1].col + (unsigned)fields[count - 1].len,
                "expected %zu fields, found %zu", header_count, count);
            break;
        }
        if (++entries > SARHAD_WL_MAX_ENTRIES) {
            s = sarhad__fail_at(err, SARHAD_ETOOBIG, "csv", line, 1,
                                "more than %d entries", SARHAD_WL_MAX_ENTRIES);
            break;
        }
        s = build_entry(e, fields, count, line, err);
        if (s == SARHAD_OK && fn(ctx, e) != 0)
            break;
    }
    sarhad__free(fields);
    sarhad__free(e);
    return s;
}
