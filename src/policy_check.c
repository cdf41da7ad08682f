/*
 * policy_check.c - the policy checker behind `sarhad policy lint`.  It
 * reads a compiled policy the way a reviewing official would: does every
 * rule have dates that make sense, can every rule ever decide anything, and
 * where two rules cover the same travellers with different outcomes, does
 * the order of the file say clearly which one was meant?  Each rule's scope
 * is a box of dimensions (dates, crossings, direction, movement, age,
 * overstay and the word lists); containment and intersection of boxes
 * answer those questions.
 */
#include "policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct box {
    struct pwindow spans[16];
    unsigned span_count;
    unsigned crossings, directions, movements, overstay;
    int age_lo, age_hi;
    const struct plist *lists[5];
};

static void
make_box(const struct prule *r, struct box *b)
{
    memset(b, 0, sizeof(*b));
    if (r->window_count == 0) {
        b->spans[0].from = r->from;
        b->spans[0].until = r->until;
        b->span_count = r->from <= r->until;
    }
    for (unsigned i = 0; i < r->window_count && i < 16; i++) {
        int64_t a = r->windows[i].from > r->from ? r->windows[i].from : r->from;
        int64_t z =
            r->windows[i].until < r->until ? r->windows[i].until : r->until;
        if (a <= z) {
            b->spans[b->span_count].from = a;
            b->spans[b->span_count].until = z;
            b->span_count++;
        }
    }
    b->crossings = r->crossings;
    b->directions = r->directions;
    b->movements = r->movements;
    b->overstay = r->overstayed < 0 ? 3u : r->overstayed ? 2u : 1u;
    b->age_lo = r->age_min < 0 ? 0 : r->age_min;
    b->age_hi = r->age_max < 0 ? 1000 : r->age_max;
    b->lists[0] = &r->nationality;
    b->lists[1] = &r->residence;
    b->lists[2] = &r->tribe;
    b->lists[3] = &r->occupation;
    b->lists[4] = &r->purpose;
}

static bool
has_item(const struct plist *l, const char *v)
{
    for (unsigned i = 0; i < l->count; i++)
        if (strcasecmp(l->items[i], v) == 0)
            return true;
    return false;
}

/* Every value B accepts, A accepts too. */
static bool
list_contains(const struct plist *a, const struct plist *b)
{
    if (!a->present)
        return true;
    if (!b->present)
        return false;
    if (!a->negate && !b->negate) {
        for (unsigned i = 0; i < b->count; i++)
            if (!has_item(a, b->items[i]))
                return false;
        return true;
    }
    if (a->negate && !b->negate) {
        for (unsigned i = 0; i < b->count; i++)
            if (has_item(a, b->items[i]))
                return false;
        return true;
    }
    if (a->negate && b->negate) {
        for (unsigned i = 0; i < a->count; i++)
            if (!has_item(b, a->items[i]))
                return false;
        return true;
    }
    return false;
}

static bool
list_intersects(const struct plist *a, const struct plist *b)
{
    if (!a->present || !b->present || (a->negate && b->negate))
        return true;
    if (a->negate) { /* symmetric: walk the list that names its items */
        const struct plist *t = a;
        a = b;
        b = t;
    }
    for (unsigned i = 0; i < a->count; i++)
        if (b->negate ? !has_item(b, a->items[i]) : has_item(b, a->items[i]))
            return true;
    return false;
}

static bool
box_contains(const struct box *a, const struct box *b)
{
    for (unsigned i = 0; i < b->span_count; i++) {
        bool covered = false;
        for (unsigned k = 0; k < a->span_count && !covered; k++)
            covered = a->spans[k].from <= b->spans[i].from &&
                      a->spans[k].until >= b->spans[i].until;
        if (!covered)
            return false;
    }
    if ((b->crossings & ~a->crossings) || (b->directions & ~a->directions) ||
        (b->movements & ~a->movements) || (b->overstay & ~a->overstay) ||
        b->age_lo < a->age_lo || b->age_hi > a->age_hi)
        return false;
    for (unsigned i = 0; i < 5; i++)
        if (!list_contains(a->lists[i], b->lists[i]))
            return false;
    return true;
}

static bool
box_intersects(const struct box *a, const struct box *b)
{
    bool dates = false;

    for (unsigned i = 0; i < b->span_count && !dates; i++)
        for (unsigned k = 0; k < a->span_count && !dates; k++)
            dates = a->spans[k].from <= b->spans[i].until &&
                    b->spans[i].from <= a->spans[k].until;
    if (!dates || !(a->crossings & b->crossings) ||
        !(a->directions & b->directions) || !(a->movements & b->movements) ||
        !(a->overstay & b->overstay) || a->age_lo > b->age_hi ||
        b->age_lo > a->age_hi)
        return false;
    for (unsigned i = 0; i < 5; i++)
        if (!list_intersects(a->lists[i], b->lists[i]))
            return false;
    return true;
}

/* Fires on its scope alone: no document requirement and no limit. */
static bool
unconditional(const struct prule *r)
{
    if (r->limit_days > 0)
        return false;
    if (r->set_count == 0)
        return true;
    for (unsigned i = 0; i < r->set_count; i++)
        if (r->sets[i].term_count == 0)
            return true;
    return false;
}

/* Some document set of a asks for exactly the kinds of one of b's. */
static bool
same_documents(const struct prule *a, const struct prule *b)
{
    for (unsigned i = 0; i < a->set_count; i++) {
        for (unsigned k = 0; k < b->set_count; k++) {
            unsigned ka = 0, kb = 0;
            for (unsigned t = 0; t < a->sets[i].term_count; t++)
                ka |= 1u << a->sets[i].terms[t].kind;
            for (unsigned t = 0; t < b->sets[k].term_count; t++)
                kb |= 1u << b->sets[k].terms[t].kind;
            if (ka == kb && ka != 0)
                return true;
        }
    }
    return false;
}

struct sink {
    struct sarhad_lint_issue *out;
    unsigned cap, count;
};

static void report(struct sink *s, unsigned line, unsigned col, bool is_error,
                   const char *code, const char *fmt, ...) SARHAD_PRINTF(6, 7);

static void
report(struct sink *s, unsigned line, unsigned col, bool is_error,
       const char *code, const char *fmt, ...)
{
    if (s->count < s->cap) {
        struct sarhad_lint_issue *i = &s->out[s->count];
        va_list ap;
        i->line = line;
        i->col = col;
        i->is_error = is_error;
        sarhad__strlcpy(i->code, code, sizeof(i->code));
        va_start(ap, fmt);
        vsnprintf(i->message, sizeof(i->message), fmt, ap);
        va_end(ap);
    }
    s->count++;
}

static bool
check_dates(struct sink *s, const struct prule *r)
{
    bool ok = true;

    if (r->from > r->until) {
        report(s, r->until_line, 3, true, "dates_backwards",
               "rule %s: 'until' is before 'from', so it is never in force",
               r->id);
        return false;
    }
    for (unsigned i = 0; i < r->window_count; i++) {
        if (r->windows[i].from > r->windows[i].until) {
            report(s, r->line, r->col, true, "dates_backwards",
                   "rule %s: window %u ends before it starts", r->id, i + 1);
            ok = false;
        } else if (r->windows[i].until < r->from ||
                   r->windows[i].from > r->until) {
            report(s, r->line, r->col, true, "never_in_force",
                   "rule %s: window %u lies outside its from/until dates",
                   r->id, i + 1);
            ok = false;
        }
    }
    return ok;
}

unsigned
sarhad_policy_lint(const struct sarhad_policy *policy,
                   struct sarhad_lint_issue *out, unsigned cap)
{
    struct sink s = {out, cap, 0};
    struct box a, b;

    for (unsigned j = 0; j < policy->rule_count; j++) {
        const struct prule *rb = &policy->rules[j];
        if (!check_dates(&s, rb))
            continue;
        make_box(rb, &b);
        if (b.span_count == 0)
            continue;
        for (unsigned i = 0; i < j; i++) {
            const struct prule *ra = &policy->rules[i];
            bool a_in_b, b_in_a;
            make_box(ra, &a);
            if (a.span_count == 0 || !box_intersects(&a, &b))
                continue;
            b_in_a = box_contains(&a, &b);
            if (unconditional(ra) && b_in_a) {
                report(&s, rb->line, rb->col, true, "unreachable",
                       "rule %s can never fire: rule %s (line %u) needs no "
                       "document and decides everything it covers",
                       rb->id, ra->id, ra->line);
                break;
            }
            if (ra->outcome == rb->outcome || ra->exception)
                continue;
            a_in_b = box_contains(&b, &a);
            if (a_in_b || b_in_a)
                continue; /* an exception before the general rule */
            if (unconditional(ra) || same_documents(ra, rb))
                report(&s, rb->line, rb->col, false, "overlap",
                       "rule %s overlaps rule %s (line %u) with a different "
                       "outcome and neither covers the other: their order "
                       "decides; narrow one of them",
                       rb->id, ra->id, ra->line);
        }
    }
    return s.count;
}
