/*
 * decision_json.c - writes a decision as the one-line JSON of DESIGN.md.
 * snprintf-like (the caller may ask for the length first) and
 * allocation-free, so the server can write straight into its reply buffer.
 * Written every time a crossing is recorded (twice by `sarhad cross`), so
 * it does without printf: numbers are formatted by hand, literals are copied
 * with their lengths known at compile time, and strings are scanned once
 * against a table of the bytes JSON needs escaped.
 */
#include "internal.h"

#include <stdint.h>
#include <string.h>

struct out {
    char *buf;
    size_t cap, len;
};

static void
put(struct out *o, const char *s, size_t n)
{
    if (o->len < o->cap) {
        size_t room = o->cap - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

/* A string literal, its length known at compile time. */
#define PUT_LIT(o, lit) put(o, lit, sizeof(lit) - 1)

/* Bytes that cannot go into a JSON string as they are: controls, DEL (kept
 * out for terminals), '"' and '\\'. */
static const unsigned char needs_escape[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1,
    [0x06] = 1, [0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1,
    [0x0c] = 1, [0x0d] = 1, [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1,
    [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
    [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1,
    [0x1e] = 1, [0x1f] = 1, ['"'] = 1,  ['\\'] = 1, [0x7f] = 1};

#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* True when none of the 8 bytes in w needs escaping.  The bit tricks are
 * exact as yes/no answers: a byte below 0x20 (control or NUL), or one equal
 * to '"', '\\' or DEL, sets a high bit; no other byte can. */
static bool
plain8(uint64_t w)
{
    uint64_t below = (w - ONES * 0x20) & ~w;
    uint64_t quote = w ^ (ONES * '"'), slash = w ^ (ONES * '\\');
    uint64_t del = w ^ (ONES * 0x7f);

    below |= (quote - ONES) & ~quote;
    below |= (slash - ONES) & ~slash;
    below |= (del - ONES) & ~del;
    return (below & HIGHS) == 0;
}

/* A JSON string of at most cap bytes of s (fixed-size struct fields). */
static void
put_str(struct out *o, const char *s, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = strnlen(s, cap), run = 0;

    put(o, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c;
        /* Eight plain bytes at a time while they last (all before the
         * NUL, so all of them are the string's). */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!plain8(w))
                break;
            i += 8;
        }
        if (i == n)
            break;
        c = (unsigned char)s[i];
        if (!needs_escape[c])
            continue;
        /* Plain characters go out as one run. */
        put(o, s + run, i - run);
        run = i + 1;
        if (c == '"' || c == '\\') {
            char two[2] = {'\\', (char)c};
            put(o, two, 2);
        } else if (c == '\n') {
            PUT_LIT(o, "\\n");
        } else {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            put(o, esc, 6);
        }
    }
    put(o, s + run, n - run);
    put(o, "\"", 1);
}

static void
put_int(struct out *o, long v)
{
    char num[24];
    size_t i = sizeof(num);
    unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;

    do {
        num[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        num[--i] = '-';
    put(o, num + i, sizeof(num) - i);
}

static void
put_flags(struct out *o, const struct sarhad_decision *d, bool mrz)
{
    bool first = true;

    put(o, "[", 1);
    for (unsigned i = 0; i < d->flag_count && i < SARHAD_MAX_FLAGS; i++) {
        const struct sarhad_flag *f = &d->flags[i];
        if ((strcmp(f->code, "mrz_check_failed") == 0) != mrz)
            continue;
        if (first)
            PUT_LIT(o, "{\"code\":");
        else
            PUT_LIT(o, ",{\"code\":");
        put_str(o, f->code, sizeof(f->code));
        PUT_LIT(o, ",\"detail\":");
        put_str(o, f->detail, sizeof(f->detail));
        put(o, "}", 1);
        first = false;
    }
    put(o, "]", 1);
}

size_t
sarhad_decision_json(char *out, size_t cap, const struct sarhad_decision *d)
{
    struct out o = {out, cap ? cap - 1 : 0, 0};

    PUT_LIT(&o, "{\"decision\":");
    put_str(&o, sarhad_outcome_name(d->outcome), 16);
    PUT_LIT(&o, ",\"zone\":");
    if (d->zone[0] == '\0')
        PUT_LIT(&o, "null");
    else
        put_str(&o, d->zone, sizeof(d->zone));
    PUT_LIT(&o, ",\"rule\":");
    put_str(&o, d->rule, sizeof(d->rule));
    PUT_LIT(&o, ",\"policy\":{\"name\":");
    put_str(&o, d->policy_name, sizeof(d->policy_name));
    PUT_LIT(&o, ",\"version\":");
    put_int(&o, d->policy_version);
    PUT_LIT(&o, "},\"reasons\":[");
    for (unsigned i = 0; i < d->reason_count && i < SARHAD_MAX_REASONS; i++) {
        if (i > 0)
            PUT_LIT(&o, ",{\"code\":");
        else
            PUT_LIT(&o, "{\"code\":");
        put_str(&o, d->reasons[i].code, sizeof(d->reasons[i].code));
        PUT_LIT(&o, ",\"message\":");
        put_str(&o, d->reasons[i].message, sizeof(d->reasons[i].message));
        put(&o, "}", 1);
    }
    PUT_LIT(&o, "],\"flags\":{\"overstay_days\":");
    put_int(&o, d->overstay_days);
    PUT_LIT(&o, ",\"fine_usd\":");
    put_int(&o, d->fine_usd);
    PUT_LIT(&o, ",\"watchlist_hits\":[");
    for (unsigned i = 0; i < d->hit_count && i < SARHAD_MAX_HITS; i++) {
        const struct sarhad_hit *h = &d->hits[i];
        if (i > 0)
            PUT_LIT(&o, ",{\"list_version\":");
        else
            PUT_LIT(&o, "{\"list_version\":");
        put_str(&o, h->list_version, sizeof(h->list_version));
        PUT_LIT(&o, ",\"entry_id\":");
        put_str(&o, h->entry_id, sizeof(h->entry_id));
        PUT_LIT(&o, ",\"name\":");
        put_str(&o, h->name, sizeof(h->name));
        PUT_LIT(&o, ",\"score\":");
        put_int(&o, h->score);
        PUT_LIT(&o, ",\"why\":");
        put_str(&o, h->why, sizeof(h->why));
        put(&o, "}", 1);
    }
    PUT_LIT(&o, "],\"mrz_problems\":");
    put_flags(&o, d, true);
    PUT_LIT(&o, ",\"notes\":");
    put_flags(&o, d, false);
    PUT_LIT(&o, "}}");
    if (cap > 0)
        out[o.len < cap - 1 ? o.len : cap - 1] = '\0';
    return o.len;
}
