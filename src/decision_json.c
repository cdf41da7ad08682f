/*
 * decision_json.c - writes a decision as the one-line JSON of DESIGN.md.
 * snprintf-like (the caller may ask for the length first) and
 * allocation-free, so the server can write straight into its reply buffer.
 */
#include "internal.h"

#include <stdio.h>
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

static void
puts_(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

/* A JSON string of at most cap bytes of s (fixed-size struct fields). */
static void
put_str(struct out *o, const char *s, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = strnlen(s, cap), run = 0;

    put(o, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        if (c >= 0x20 && c != 0x7f && c != '"' && c != '\\')
            continue;
        /* Plain characters go out as one run. */
        put(o, s + run, i - run);
        run = i + 1;
        if (c == '"' || c == '\\') {
            char two[2] = {'\\', (char)c};
            put(o, two, 2);
        } else if (c == '\n') {
            put(o, "\\n", 2);
        } else {
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
    int n = snprintf(num, sizeof(num), "%ld", v);

    put(o, num, (size_t)n);
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
        puts_(o, first ? "{\"code\":" : ",{\"code\":");
        put_str(o, f->code, sizeof(f->code));
        puts_(o, ",\"detail\":");
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

    puts_(&o, "{\"decision\":");
    put_str(&o, sarhad_outcome_name(d->outcome), 16);
    puts_(&o, ",\"zone\":");
    if (d->zone[0] == '\0')
        puts_(&o, "null");
    else
        put_str(&o, d->zone, sizeof(d->zone));
    puts_(&o, ",\"rule\":");
    put_str(&o, d->rule, sizeof(d->rule));
    puts_(&o, ",\"policy\":{\"name\":");
    put_str(&o, d->policy_name, sizeof(d->policy_name));
    puts_(&o, ",\"version\":");
    put_int(&o, d->policy_version);
    puts_(&o, "},\"reasons\":[");
    for (unsigned i = 0; i < d->reason_count && i < SARHAD_MAX_REASONS; i++) {
        puts_(&o, i ? ",{\"code\":" : "{\"code\":");
        put_str(&o, d->reasons[i].code, sizeof(d->reasons[i].code));
        puts_(&o, ",\"message\":");
        put_str(&o, d->reasons[i].message, sizeof(d->reasons[i].message));
        put(&o, "}", 1);
    }
    puts_(&o, "],\"flags\":{\"overstay_days\":");
    put_int(&o, d->overstay_days);
    puts_(&o, ",\"fine_usd\":");
    put_int(&o, d->fine_usd);
    puts_(&o, ",\"watchlist_hits\":[");
    for (unsigned i = 0; i < d->hit_count && i < SARHAD_MAX_HITS; i++) {
        const struct sarhad_hit *h = &d->hits[i];
        puts_(&o, i ? ",{\"list_version\":" : "{\"list_version\":");
        put_str(&o, h->list_version, sizeof(h->list_version));
        puts_(&o, ",\"entry_id\":");
        put_str(&o, h->entry_id, sizeof(h->entry_id));
        puts_(&o, ",\"name\":");
        put_str(&o, h->name, sizeof(h->name));
        puts_(&o, ",\"score\":");
        put_int(&o, h->score);
        puts_(&o, ",\"why\":");
        put_str(&o, h->why, sizeof(h->why));
        put(&o, "}", 1);
    }
    puts_(&o, "],\"mrz_problems\":");
    put_flags(&o, d, true);
    puts_(&o, ",\"notes\":");
    put_flags(&o, d, false);
    puts_(&o, "}}");
    if (cap > 0)
        out[o.len < cap - 1 ? o.len : cap - 1] = '\0';
    return o.len;
}
