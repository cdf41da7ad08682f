/*
 * serve_body.c - the strict reading of a request body: valid UTF-8 JSON
 * (jansson checks every byte), one object, no duplicate keys, no field the
 * route does not know, every required field present.  Kept apart from the
 * rest of the server, with no state, so that the fuzz target
 * (fuzz/fuzz_http_body.c) drives exactly the code the server runs.
 */
#include "serve.h"

#include <stdio.h>
#include <string.h>

static bool
listed(const char *const *names, const char *key)
{
    for (size_t i = 0; names != NULL && names[i] != NULL; i++)
        if (strcmp(names[i], key) == 0)
            return true;
    return false;
}

json_t *
serve_parse_object(const char *body, size_t len, const char *const *allowed,
                   const char *const *required, const char **code,
                   char field[64], char msg[160])
{
    json_error_t jerr;
    json_t *doc;
    const char *key;
    json_t *value;

    field[0] = '\0';
    if (len == 0) {
        *code = "bad_json";
        snprintf(msg, 160, "the body is empty: send a JSON object");
        return NULL;
    }
    /* No JSON text holds a raw NUL, but jansson skips one between tokens
     * ("[1\0,2]" would pass): refuse it here. */
    if (memchr(body, '\0', len) != NULL) {
        *code = "bad_json";
        snprintf(msg, 160, "the body holds a NUL byte");
        return NULL;
    }
    doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (doc == NULL) {
        *code = "bad_json";
        snprintf(msg, 160, "line %d, column %d: %.120s", jerr.line, jerr.column,
                 jerr.text);
        return NULL;
    }
    if (!json_is_object(doc)) {
        json_decref(doc);
        *code = "bad_json";
        snprintf(msg, 160, "the body must be a JSON object");
        return NULL;
    }
    json_object_foreach(doc, key, value)
    {
        (void)value;
        if (!listed(allowed, key)) {
            *code = "unknown_field";
            snprintf(field, 64, "%s", key);
            snprintf(msg, 160, "this request takes no such field");
            json_decref(doc);
            return NULL;
        }
    }
    for (size_t i = 0; required != NULL && required[i] != NULL; i++) {
        if (json_object_get(doc, required[i]) == NULL) {
            *code = "missing_field";
            snprintf(field, 64, "%s", required[i]);
            snprintf(msg, 160, "this field is required");
            json_decref(doc);
            return NULL;
        }
    }
    return doc;
}

/* The longest nesting of arrays and objects jansson accepts. */
#define MAX_DEPTH 2048

struct scan {
    const unsigned char *p, *end;
};

static void
skip_space(struct scan *s)
{
    while (s->p < s->end &&
           (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static int
hex4(const unsigned char *p)
{
    int v = 0;

    for (int i = 0; i < 4; i++) {
        unsigned char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return -1;
    }
    return v;
}

/* A \u escape at s->p (after the backslash and 'u'): one code point, a
 * surrogate pair, never U+0000 (jansson refuses it without
 * JSON_ALLOW_NUL). */
static bool
unicode_escape(struct scan *s)
{
    int v, low;

    if (s->end - s->p < 4 || (v = hex4(s->p)) < 0)
        return false;
    s->p += 4;
    if (v == 0 || (v >= 0xDC00 && v <= 0xDFFF))
        return false;
    if (v < 0xD800 || v > 0xDBFF)
        return true;
    if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u' ||
        (low = hex4(s->p + 2)) < 0xDC00 || low > 0xDFFF)
        return false;
    s->p += 6;
    return true;
}

/* One UTF-8 sequence at s->p (its first byte >= 0x80): shortest form, no
 * surrogate, at most U+10FFFF. */
static bool
utf8_sequence(struct scan *s)
{
    unsigned char c = *s->p;
    size_t n = c >= 0xC2 && c <= 0xDF   ? 2
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4
                                        : 0;
    uint32_t v;

    if (n == 0 || (size_t)(s->end - s->p) < n)
        return false;
    v = c & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s->p[i] & 0xC0) != 0x80)
            return false;
        v = (v << 6) | (s->p[i] & 0x3Fu);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
        (v >= 0xD800 && v <= 0xDFFF))
        return false;
    s->p += n;
    return true;
}

/* Past a run of plain printable ASCII (most of any body), eight bytes at
 * a time: a word goes by unless one of its bytes is below 0x20, has the
 * high bit, or is a quote or a backslash (the usual "has a zero byte" and
 * "has a byte less than n" word tricks, which never miss one; a word they
 * flag is finished a byte at a time). */
static const unsigned char *
plain_run(const unsigned char *p, const unsigned char *end)
{
    const uint64_t ones = 0x0101010101010101u;
    const uint64_t highs = 0x8080808080808080u;

    while (end - p >= 8) {
        uint64_t x, q, b;
        memcpy(&x, p, sizeof(x));
        q = x ^ (ones * '"');
        b = x ^ (ones * '\\');
        if ((((x - ones * 0x20) & ~x) | x | ((q - ones) & ~q) |
             ((b - ones) & ~b)) &
            highs)
            break;
        p += 8;
    }
    while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
        p++;
    return p;
}

/* A string, s->p at its opening quote. */
static bool
string(struct scan *s)
{
    s->p++;
    while (s->p < s->end) {
        unsigned char c;
        s->p = plain_run(s->p, s->end);
        if (s->p == s->end)
            break;
        c = *s->p;
        if (c == '"') {
            s->p++;
            return true;
        }
        if (c < 0x20)
            return false;
        if (c >= 0x80) {
            if (!utf8_sequence(s))
                return false;
            continue;
        }
        s->p++;
        if (c != '\\')
            continue;
        if (s->p == s->end)
            return false;
        c = *s->p++;
        if (c == 'u') {
            if (!unicode_escape(s))
                return false;
        } else if (strchr("\"\\/bfnrt", c) == NULL || c == '\0') {
            return false;
        }
    }
    return false;
}

static bool
digits(struct scan *s)
{
    const unsigned char *start = s->p;

    while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
        s->p++;
    return s->p > start;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool
number(struct scan *s)
{
    if (*s->p == '-')
        s->p++;
    if (s->p < s->end && *s->p == '0') {
        s->p++;
        if (s->p < s->end && *s->p >= '0' && *s->p <= '9')
            return false;
    } else if (!digits(s)) {
        return false;
    }
    if (s->p < s->end && *s->p == '.') {
        s->p++;
        if (!digits(s))
            return false;
    }
    if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
        s->p++;
        if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
            s->p++;
        if (!digits(s))
            return false;
    }
    return true;
}

static bool
literal(struct scan *s, const char *word, size_t n)
{
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
        return false;
    s->p += n;
    /* "truex" is one bad word to jansson, not "true" and then "x" */
    return s->p == s->end ||
           !((*s->p >= 'a' && *s->p <= 'z') || (*s->p >= 'A' && *s->p <= 'Z'));
}

static bool value(struct scan *s, int depth);

/* An array or an object at nesting depth, s->p at its opening bracket.
 * The recursion through value() stops at MAX_DEPTH, jansson's own limit. */
static bool
container(struct scan *s, int depth) /* NOLINT(misc-no-recursion): MAX_DEPTH */
{
    unsigned char close = *s->p == '[' ? ']' : '}';

    s->p++;
    skip_space(s);
    if (s->p < s->end && *s->p == close) {
        s->p++;
        return true;
    }
    for (;;) {
        if (close == '}') {
            if (s->p == s->end || *s->p != '"' || !string(s))
                return false;
            skip_space(s);
            if (s->p == s->end || *s->p != ':')
                return false;
            s->p++;
            skip_space(s);
        }
        if (!value(s, depth + 1))
            return false;
        skip_space(s);
        if (s->p == s->end)
            return false;
        if (*s->p == close) {
            s->p++;
            return true;
        }
        if (*s->p++ != ',')
            return false;
        skip_space(s);
    }
}

/* A value at nesting depth (the top one is 1; jansson counts every value,
 * not only arrays and objects, against its limit). */
static bool
value(struct scan *s, int depth) /* NOLINT(misc-no-recursion): MAX_DEPTH */
{
    if (s->p == s->end || depth > MAX_DEPTH)
        return false;
    switch (*s->p) {
    case '{':
    case '[':
        return container(s, depth);
    case '"':
        return string(s);
    case 't':
        return literal(s, "true", 4);
    case 'f':
        return literal(s, "false", 5);
    case 'n':
        return literal(s, "null", 4);
    default:
        return (*s->p == '-' || (*s->p >= '0' && *s->p <= '9')) && number(s);
    }
}

bool
serve_json_check(const char *body, size_t len, size_t *offset)
{
    struct scan s = {(const unsigned char *)body,
                     (const unsigned char *)body + len};
    bool ok;

    skip_space(&s);
    ok = s.p < s.end && (*s.p == '{' || *s.p == '[') && value(&s, 1);
    if (ok)
        skip_space(&s);
    ok = ok && s.p == s.end;
    if (offset != NULL)
        *offset = (size_t)(s.p - (const unsigned char *)body);
    return ok;
}
