/*
 * mrz.c - `sarhad mrz`: reads machine-readable zones (one document's lines
 * separated by newlines, documents separated by a blank line) and prints one
 * JSON object per document per line, as DESIGN.md specifies; with --format
 * it does the reverse and turns field JSON into MRZ text.
 */
#include "cmd.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

SARHAD_VERB(mrz, "read and check machine-readable zones (ICAO 9303)")

/* Inputs are typed or scanned documents: 16 MiB is far beyond any batch. */
#define MRZ_INPUT_CAP (16u << 20)

static void
usage(FILE *out)
{
    fputs("usage: sarhad mrz [--strict] [FILE]\n"
          "       sarhad mrz --format [FILE]\n"
          "Reads MRZs from FILE (stdin when absent or '-'): the lines of one\n"
          "document separated by newlines, documents by a blank line.\n"
          "Prints one JSON object per document: format, valid, fields,\n"
          "errors and, when an OCR misreading can be repaired, suggestion.\n"
          "Exit 0 when every document was read, 1 with --strict when any\n"
          "was invalid, 2 on usage errors.\n"
          "--format reads JSON objects of fields (with \"format\") and\n"
          "prints their MRZs, separated by blank lines.\n",
          out);
}

static json_t *
str_or_null(const char *s)
{
    return json_string(s);
}

static json_t *
date_json(struct sarhad_date d)
{
    char buf[11];

    if (d.year == 0)
        return json_null();
    sarhad_date_format(buf, d);
    return json_string(buf);
}

static json_t *
fields_json(const struct sarhad_mrz *m)
{
    json_t *f = json_object();
    char sex[2] = {m->sex, '\0'};

    json_object_set_new(f, "document_code", str_or_null(m->document_code));
    json_object_set_new(f, "issuing_state", str_or_null(m->issuing_state));
    json_object_set_new(f, "surname", str_or_null(m->surname));
    json_object_set_new(f, "given_names", str_or_null(m->given_names));
    json_object_set_new(f, "document_number", str_or_null(m->document_number));
    json_object_set_new(f, "nationality", str_or_null(m->nationality));
    json_object_set_new(f, "birth_date", date_json(m->birth_date));
    json_object_set_new(f, "sex", m->sex ? json_string(sex) : json_null());
    json_object_set_new(f, "expiry_date", date_json(m->expiry_date));
    json_object_set_new(f, "optional_data", str_or_null(m->optional_data));
    json_object_set_new(f, "optional_data_2", str_or_null(m->optional_data_2));
    return f;
}

/* Print the reading of one document; returns whether it was valid. */
static bool
print_document(const char *text, size_t len)
{
    struct sarhad_mrz m;
    json_t *o = json_object(), *errors = json_array();
    const char *name;
    char *line;

    /* Not an MRZ at all is a reading too: m then holds the one issue. */
    if (sarhad_mrz_parse(&m, text, len, NULL) != SARHAD_OK)
        m.valid = false;
    name = sarhad_mrz_format_name(m.format);
    json_object_set_new(o, "format", name ? json_string(name) : json_null());
    json_object_set_new(o, "valid", json_boolean(m.valid));
    json_object_set_new(o, "fields",
                        m.format == SARHAD_MRZ_UNKNOWN ? json_null()
                                                       : fields_json(&m));
    for (unsigned i = 0; i < m.issue_count; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "field", json_string(m.issues[i].field));
        json_object_set_new(e, "code", json_string(m.issues[i].code));
        json_object_set_new(e, "message", json_string(m.issues[i].message));
        json_array_append_new(errors, e);
    }
    json_object_set_new(o, "errors", errors);
    if (m.has_suggestion)
        json_object_set_new(o, "suggestion", json_string(m.suggestion));
    line = json_dumps(o, JSON_COMPACT);
    if (line == NULL) {
        fputs("sarhad: out of memory\n", stderr);
        exit(1);
    }
    puts(line);
    free(line);
    json_decref(o);
    return m.valid;
}

/* Whether text[i..] up to the next '\n' holds only blanks ('\r' too). */
static bool
is_blank_line(const char *text, size_t len, size_t i, size_t *next)
{
    bool blank = true;

    for (; i < len && text[i] != '\n'; i++)
        if (text[i] != ' ' && text[i] != '\r' && text[i] != '\t')
            blank = false;
    *next = i < len ? i + 1 : len;
    return blank;
}

/* Split on blank lines and read each document; returns the invalid count. */
static unsigned
read_documents(const char *text, size_t len)
{
    unsigned invalid = 0;
    size_t i = 0;

    while (i < len) {
        size_t start, end, next;
        while (i < len && is_blank_line(text, len, i, &next))
            i = next;
        if (i >= len)
            break;
        start = i;
        end = i;
        while (i < len && !is_blank_line(text, len, i, &next)) {
            end = next;
            i = next;
        }
        if (!print_document(text + start, end - start))
            invalid++;
    }
    return invalid;
}

/* ---- --format: field JSON to MRZ text ---------------------------------- */

static const char *const string_fields[] = {
    "document_code",   "issuing_state", "surname",       "given_names",
    "document_number", "nationality",   "optional_data", "optional_data_2"};

static char *
string_slot(struct sarhad_mrz *m, size_t i, size_t *cap)
{
    char *slots[] = {m->document_code, m->issuing_state,   m->surname,
                     m->given_names,   m->document_number, m->nationality,
                     m->optional_data, m->optional_data_2};
    size_t caps[] = {sizeof(m->document_code),   sizeof(m->issuing_state),
                     sizeof(m->surname),         sizeof(m->given_names),
                     sizeof(m->document_number), sizeof(m->nationality),
                     sizeof(m->optional_data),   sizeof(m->optional_data_2)};
    *cap = caps[i];
    return slots[i];
}

static int
field_error(const char *name, const char *why)
{
    fprintf(stderr, "sarhad mrz: fields.%s: %s\n", name, why);
    return 1;
}

static int
read_format(const char *value, enum sarhad_mrz_format *out)
{
    for (int f = SARHAD_MRZ_TD1; f <= SARHAD_MRZ_MRVB; f++)
        if (strcmp(value, sarhad_mrz_format_name(f)) == 0) {
            *out = (enum sarhad_mrz_format)f;
            return 0;
        }
    return field_error("format", "expected TD1, TD2, TD3, MRVA or MRVB");
}

static int
read_date_field(json_t *v, const char *name, struct sarhad_date *out)
{
    struct sarhad_error err;
    const char *s;

    if (json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return field_error(name, "expected a date as \"YYYY-MM-DD\"");
    s = json_string_value(v);
    if (sarhad_date_parse(out, s, strlen(s), &err) != SARHAD_OK)
        return field_error(name, err.message);
    return 0;
}

/* One field of the object into *m; non-zero (reported) on a bad value. */
static int
read_field(struct sarhad_mrz *m, const char *key, json_t *v)
{
    for (size_t i = 0; i < sizeof(string_fields) / sizeof(*string_fields);
         i++) {
        size_t cap;
        char *slot;
        if (strcmp(key, string_fields[i]) != 0)
            continue;
        if (json_is_null(v))
            return 0;
        if (!json_is_string(v))
            return field_error(key, "expected a string");
        slot = string_slot(m, i, &cap);
        if (json_string_length(v) >= cap)
            return field_error(key, "too long for any MRZ format");
        memcpy(slot, json_string_value(v), json_string_length(v) + 1);
        if (strlen(slot) != json_string_length(v))
            return field_error(key, "holds a NUL character");
        return 0;
    }
    if (strcmp(key, "birth_date") == 0)
        return read_date_field(v, key, &m->birth_date);
    if (strcmp(key, "expiry_date") == 0)
        return read_date_field(v, key, &m->expiry_date);
    if (strcmp(key, "sex") == 0) {
        if (json_is_null(v))
            return 0;
        if (!json_is_string(v) || json_string_length(v) != 1)
            return field_error(key, "expected \"M\", \"F\" or \"X\"");
        m->sex = json_string_value(v)[0];
        return 0;
    }
    return field_error(key, "not a field of an MRZ");
}

/*
 * Fields come either flat ({"format": "TD3", "surname": ...}) or as the
 * reader prints them ({"format": ..., "fields": {...}, "valid": ...}), so
 * the reader's output can be fed back.
 */
static int
format_one(json_t *doc)
{
    struct sarhad_mrz m;
    struct sarhad_error err;
    json_t *fmt, *fields, *v;
    const char *key;
    char out[3 * 45];

    memset(&m, 0, sizeof(m));
    if (!json_is_object(doc))
        return field_error("", "expected a JSON object of fields");
    fmt = json_object_get(doc, "format");
    if (!json_is_string(fmt))
        return field_error("format", "expected TD1, TD2, TD3, MRVA or MRVB");
    if (read_format(json_string_value(fmt), &m.format) != 0)
        return 1;
    fields = json_object_get(doc, "fields");
    if (fields != NULL && !json_is_object(fields))
        return field_error("fields", "expected an object");
    json_object_foreach(fields ? fields : doc, key, v)
    {
        if (fields == NULL && strcmp(key, "format") == 0)
            continue;
        if (read_field(&m, key, v) != 0)
            return 1;
    }
    sarhad_error_clear(&err);
    if (sarhad_mrz_format(out, sizeof(out), &m, &err) != SARHAD_OK)
        return field_error(err.field, err.message);
    puts(out);
    return 0;
}

static int
format_documents(const char *text, size_t len)
{
    size_t at = 0, count = 0;

    for (;;) {
        json_error_t jerr;
        json_t *doc;
        while (at < len && strchr(" \t\r\n", text[at]) != NULL)
            at++;
        if (at >= len)
            break;
        doc =
            json_loadb(text + at, len - at,
                       JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &jerr);
        if (doc == NULL) {
            fprintf(stderr, "sarhad mrz: JSON at byte %zu: %s\n",
                    at + (size_t)jerr.position, jerr.text);
            return 1;
        }
        at += (size_t)jerr.position;
        if (count++ > 0)
            putchar('\n');
        if (format_one(doc) != 0) {
            json_decref(doc);
            return 1;
        }
        json_decref(doc);
    }
    return 0;
}

int
cmd_mrz(int argc, char **argv)
{
    bool strict = false, format = false;
    const char *path = NULL;
    size_t len;
    char *text;
    int status;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--strict") == 0) {
            strict = true;
        } else if (strcmp(argv[i], "--format") == 0) {
            format = true;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage_error("mrz", "unknown option '%s'", argv[i]);
        } else if (path != NULL) {
            return usage_error("mrz", "one FILE at most");
        } else {
            path = argv[i];
        }
    }
    if (strict && format)
        return usage_error("mrz", "--strict does not apply to --format");
    text = read_input(path, MRZ_INPUT_CAP, &len);
    if (text == NULL)
        return 1;
    if (format)
        status = format_documents(text, len);
    else
        status = read_documents(text, len) > 0 && strict ? 1 : 0;
    free(text);
    return status;
}
