/*
 * presentation_fast.c - a parser for the usual presentation JSON, about a
 * tenth of jansson's instructions on it: it knows the shape (which keys
 * each object has, where the objects and arrays are), so it sorts values
 * into slots as it goes and allocates nothing.  It is strict in the other
 * direction from the reader: it must never accept a document that jansson
 * refuses or reads differently, because then the error (or the value) would
 * differ from the jansson path's.  So it gives up ("not handled": jansson
 * reads the same bytes) on any JSON error, any byte it is not sure of
 * (invalid UTF-8, control characters, \u0000 and lone surrogates, leading
 * zeros, integers of more than 18 digits, real numbers), on duplicate and
 * unknown keys (errors, whose order jansson's path keeps), on objects and
 * arrays where the shape has none, and on more documents or
 * vulnerabilities than it has slots for.  Everything it accepts is checked
 * by the same code as jansson's values (presentation.c), and
 * tests/test_presentation.c and fuzz/fuzz_presentation.c hold both paths
 * to the reference reader.
 */
#include "presentation.h"

#include <stdint.h>
#include <string.h>

struct scan {
    const unsigned char *p, *end;
    struct sarhad__fast_tree *t;
};

/* Whitespace as jansson skips it; there is mostly none, so that case comes
 * first and inline. */
static inline void
skip_ws(struct scan *s)
{
    if (s->p < s->end && s->p[0] > ' ')
        return;
    while (s->p < s->end && *s->p <= ' ' &&
           (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
        s->p++;
}

/*
 * The first byte from p that is not plain string text (a quote, a
 * backslash, a control character or a byte of UTF-8), or end.  Strings are
 * most of a presentation's bytes, so they are looked at eight at a time
 * where the byte order allows finding the first odd one with a bit count:
 * per byte, x - 0x20 sets the high bit for x < 0x20, and (x ^ c) - 1 for
 * x == c, exactly for the lowest such byte (the ones above it may be
 * wrong, having borrowed, but they are not looked at); bytes with the high
 * bit set are odd anyway.
 */
static const unsigned char *
plain_run(const unsigned char *p, const unsigned char *end)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101u, high = ones * 0x80;

    while (end - p >= 8) {
        uint64_t w, odd;
        memcpy(&w, p, 8);
        odd = ((w - ones * 0x20) | ((w ^ (ones * '"')) - ones) |
               ((w ^ (ones * '\\')) - ones) | w) &
              high;
        if (odd != 0)
            return p + __builtin_ctzll(odd) / 8;
        p += 8;
    }
#endif
    while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
        p++;
    return p;
}

/* The byte at the cursor, or 0 at the end (0 is never valid there). */
static unsigned char
peek(const struct scan *s)
{
    return s->p < s->end ? *s->p : 0;
}

/* The length of the UTF-8 sequence at p (first byte >= 0x80), or 0 when it
 * is not one jansson takes: no overlong forms, no surrogates, nothing past
 * U+10FFFF (jansson's utf8_check_first and utf8_check_full). */
static size_t
utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned char c = p[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* the second byte's range */

    if (c < 0xC2 || c > 0xF4)
        return 0;
    n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if ((size_t)(end - p) < n)
        return 0;
    if (c == 0xE0)
        lo = 0xA0; /* overlong */
    else if (c == 0xED)
        hi = 0x9F; /* surrogates */
    else if (c == 0xF0)
        lo = 0x90; /* overlong */
    else if (c == 0xF4)
        hi = 0x8F; /* past U+10FFFF */
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

/* Four hex digits at p as a number, or -1. */
static long
hex4(const unsigned char *p)
{
    long v = 0;

    for (int i = 0; i < 4; i++) {
        unsigned char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v += c - '0';
        else if (c >= 'a' && c <= 'f')
            v += c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v += c - 'A' + 10;
        else
            return -1;
    }
    return v;
}

/* Write code point cp (not a surrogate, at most U+10FFFF) as UTF-8. */
static char *
put_utf8(char *d, long cp)
{
    if (cp < 0x80) {
        *d++ = (char)cp;
    } else if (cp < 0x800) {
        *d++ = (char)(0xC0 | (cp >> 6));
        *d++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *d++ = (char)(0xE0 | (cp >> 12));
        *d++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *d++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *d++ = (char)(0xF0 | (cp >> 18));
        *d++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *d++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *d++ = (char)(0x80 | (cp & 0x3F));
    }
    return d;
}

/*
 * The escape at p (its backslash) decoded into *d as jansson decodes it;
 * returns the byte after it, or NULL to give up: \u0000 (jansson refuses it
 * without JSON_ALLOW_NUL) and the surrogate halves jansson refuses.  The
 * caller leaves room for the longest step (4 bytes).
 */
static const unsigned char *
decode_escape(const unsigned char *p, const unsigned char *end, char **d)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *k;
    long cp, low;

    if (end - p < 2)
        return NULL;
    k = p[1] != 'u' ? strchr(from, p[1]) : NULL;
    if (k != NULL && p[1] != '\0') {
        *(*d)++ = to[k - from];
        return p + 2;
    }
    if (p[1] != 'u' || end - p < 6 || (cp = hex4(p + 2)) <= 0 ||
        (cp >= 0xDC00 && cp <= 0xDFFF))
        return NULL;
    p += 6;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
            (low = hex4(p + 2)) < 0xDC00 || low > 0xDFFF)
            return NULL;
        cp = ((cp - 0xD800) << 10) + (low - 0xDC00) + 0x10000;
        p += 6;
    }
    *d = put_utf8(*d, cp);
    return p;
}

/*
 * The rest of a string from p, its first escape, with the bytes from start
 * (after the opening quote) copied first: decoded into the tree's text as
 * jansson decodes it.
 */
static bool
decode(struct scan *s, const unsigned char *start, const unsigned char *p,
       struct sarhad__pv *out)
{
    struct sarhad__fast_tree *t = s->t;
    char *first = t->text + t->text_used, *d = first;
    const char *lim = t->text + sizeof(t->text);

    if ((size_t)(p - start) > (size_t)(lim - d))
        return false;
    memcpy(d, start, (size_t)(p - start));
    d += p - start;
    while (p < s->end) {
        const unsigned char *q = plain_run(p, s->end);
        unsigned char c;
        if ((size_t)(q - p) > (size_t)(lim - d))
            return false;
        memcpy(d, p, (size_t)(q - p));
        d += q - p;
        p = q;
        if (p == s->end || lim - d < 4) /* room for the longest step */
            return false;
        c = *p;
        if (c == '"') {
            *out = (struct sarhad__pv){SARHAD__PV_STRING, first,
                                       (size_t)(d - first), 0, NULL};
            t->text_used += (size_t)(d - first);
            s->p = p + 1;
            return true;
        }
        if (c < 0x20)
            return false;
        if (c >= 0x80) {
            size_t n = utf8_len(p, s->end);
            if (n == 0)
                return false;
            memcpy(d, p, n);
            d += n;
            p += n;
        } else if ((p = decode_escape(p, s->end, &d)) == NULL) {
            return false;
        }
    }
    return false;
}

/* A string at the cursor (its opening quote). */
static bool
string(struct scan *s, struct sarhad__pv *out)
{
    const unsigned char *start = s->p + 1, *p = start;

    for (;;) {
        size_t n;
        p = plain_run(p, s->end);
        if (p == s->end)
            return false;
        if (*p == '"') {
            *out = (struct sarhad__pv){SARHAD__PV_STRING, (const char *)start,
                                       (size_t)(p - start), 0, NULL};
            s->p = p + 1;
            return true;
        }
        if (*p == '\\')
            return decode(s, start, p, out);
        if (*p < 0x20 || (n = utf8_len(p, s->end)) == 0)
            return false;
        p += n;
    }
}

/* The word w (len bytes) at the cursor. */
static bool
word(struct scan *s, const char *w, size_t len)
{
    if ((size_t)(s->end - s->p) < len || memcmp(s->p, w, len) != 0)
        return false;
    s->p += len;
    return true;
}

/* An integer as jansson reads one: -?(0|[1-9][0-9]*) not followed by a
 * fraction or exponent (a real), here of at most 18 digits so that it
 * cannot overflow. */
static bool
integer(struct scan *s, struct sarhad__pv *out)
{
    const unsigned char *p = s->p, *digits;
    bool negative = p < s->end && *p == '-';
    long long v = 0;

    if (negative)
        p++;
    digits = p;
    while (p < s->end && *p >= '0' && *p <= '9') {
        if (p - digits == 18)
            return false; /* a 19th digit: left to jansson */
        v = v * 10 + (*p - '0');
        p++;
    }
    if (p == digits || (*digits == '0' && p - digits > 1))
        return false;
    if (p < s->end && (*p == '.' || *p == 'e' || *p == 'E'))
        return false;
    *out = (struct sarhad__pv){SARHAD__PV_INTEGER, NULL, 0, negative ? -v : v,
                               NULL};
    s->p = p;
    return true;
}

/* A string, integer, null, true or false; objects and arrays give up. */
static bool
scalar(struct scan *s, struct sarhad__pv *out)
{
    static const struct sarhad__pv null = {SARHAD__PV_NULL, NULL, 0, 0, NULL};
    static const struct sarhad__pv other = {SARHAD__PV_OTHER, NULL, 0, 0, NULL};

    switch (peek(s)) {
    case '"':
        return string(s, out);
    case 'n':
        *out = null;
        return word(s, "null", 4);
    case 't':
        *out = other;
        return word(s, "true", 4);
    case 'f':
        *out = other;
        return word(s, "false", 5);
    default:
        return integer(s, out);
    }
}

/*
 * A key at the cursor (its opening quote) as the index of its slot in
 * keys[count], trying *hint first: keys mostly come in the usual order.  A
 * key is one of keys exactly when the JSON has its bytes and then a quote
 * (the names have no quote nor backslash); any other key is unknown or
 * written with escapes: give up.
 */
static bool
key(struct scan *s, const struct sarhad__pkey *keys, size_t count, size_t *hint,
    size_t *slot)
{
    const unsigned char *start = s->p + 1;
    size_t room = (size_t)(s->end - start);

    for (size_t n = 0, i = *hint; n < count;
         n++, i = i + 1 < count ? i + 1 : 0) {
        const struct sarhad__pkey *k = &keys[i];
        if (room > k->len && start[k->len] == '"' &&
            memcmp(start, k->name, k->len) == 0) {
            *slot = i;
            *hint = i + 1 < count ? i + 1 : 0;
            s->p = start + k->len + 1;
            return true;
        }
    }
    return false;
}

typedef bool (*member_fn)(struct scan *s, size_t slot, struct sarhad__pv *out);

/*
 * An object at the cursor with the keys keys[count], its values sorted into
 * slots[count] (those absent left SARHAD__PV_ABSENT), each read by member.
 */
static bool
object(struct scan *s, const struct sarhad__pkey *keys, size_t count,
       struct sarhad__pv *slots, member_fn member)
{
    size_t hint = 0, slot;

    memset(slots, 0, count * sizeof(*slots));
    s->p++;
    skip_ws(s);
    if (peek(s) == '}') {
        s->p++;
        return true;
    }
    for (;;) {
        if (peek(s) != '"' || !key(s, keys, count, &hint, &slot) ||
            slots[slot].kind != SARHAD__PV_ABSENT) /* a duplicate */
            return false;
        skip_ws(s);
        if (peek(s) != ':')
            return false;
        s->p++;
        skip_ws(s);
        if (!member(s, slot, &slots[slot]))
            return false;
        skip_ws(s);
        if (peek(s) == '}') {
            s->p++;
            return true;
        }
        if (peek(s) != ',')
            return false;
        s->p++;
        skip_ws(s);
    }
}

/* An array at the cursor of at most cap items into items, each an object
 * with keys keys[count] into slots[i] or, when keys is NULL, a scalar. */
static bool
array(struct scan *s, struct sarhad__pv *items, size_t cap,
      const struct sarhad__pkey *keys, size_t count,
      struct sarhad__pv (*slots)[SARHAD__D_COUNT], member_fn member,
      struct sarhad__pv *out)
{
    size_t n = 0;

    s->p++;
    skip_ws(s);
    if (peek(s) != ']')
        for (;;) {
            if (n == cap)
                return false;
            if (keys != NULL && peek(s) == '{') {
                if (!object(s, keys, count, slots[n], member))
                    return false;
                items[n] = (struct sarhad__pv){SARHAD__PV_OBJECT, NULL, 0, 0,
                                               slots[n]};
            } else if (!scalar(s, &items[n])) {
                return false;
            }
            n++;
            skip_ws(s);
            if (peek(s) == ']')
                break;
            if (peek(s) != ',')
                return false;
            s->p++;
            skip_ws(s);
        }
    s->p++;
    *out = (struct sarhad__pv){SARHAD__PV_ARRAY, NULL, n, 0, items};
    return true;
}

static bool
scalar_member(struct scan *s, size_t slot, struct sarhad__pv *out)
{
    (void)slot;
    return scalar(s, out);
}

static bool
movement_member(struct scan *s, size_t slot, struct sarhad__pv *out)
{
    if (slot == SARHAD__M_VULNERABILITIES && peek(s) == '[')
        return array(s, s->t->vulns, SARHAD__FAST_MAX_VULNS, NULL, 0, NULL,
                     NULL, out);
    return scalar(s, out);
}

static bool
top_member(struct scan *s, size_t slot, struct sarhad__pv *out)
{
    struct sarhad__fast_tree *t = s->t;

    if (slot == SARHAD__P_DOCUMENTS && peek(s) == '[')
        return array(s, t->docs, SARHAD_MAX_DOCUMENTS, sarhad__document_keys,
                     SARHAD__D_COUNT, t->doc_slots, scalar_member, out);
    if (slot == SARHAD__P_TRAVELLER && peek(s) == '{') {
        *out = (struct sarhad__pv){SARHAD__PV_OBJECT, NULL, 0, 0, t->traveller};
        return object(s, sarhad__traveller_keys, SARHAD__T_COUNT, t->traveller,
                      scalar_member);
    }
    if (slot == SARHAD__P_MOVEMENT && peek(s) == '{') {
        *out = (struct sarhad__pv){SARHAD__PV_OBJECT, NULL, 0, 0, t->movement};
        return object(s, sarhad__movement_keys, SARHAD__M_COUNT, t->movement,
                      movement_member);
    }
    return scalar(s, out);
}

bool
sarhad__presentation_scan(struct sarhad__fast_tree *t, const char *json,
                          size_t len)
{
    struct scan s;

    if (json == NULL)
        return false;
    s.p = (const unsigned char *)json;
    s.end = s.p + len;
    s.t = t;
    t->text_used = 0;
    skip_ws(&s);
    if (peek(&s) != '{' ||
        !object(&s, sarhad__top_keys, SARHAD__P_COUNT, t->top, top_member))
        return false;
    skip_ws(&s);
    t->root = (struct sarhad__pv){SARHAD__PV_OBJECT, NULL, 0, 0, t->top};
    return s.p == s.end;
}
