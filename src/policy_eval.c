/*
 * policy_eval.c - deciding a presentation.  Pure and allocation-free: the
 * decision depends only on the compiled policy, the presentation, the
 * history and the screening.  The order is fixed by the law's priorities:
 * a document that did not read cleanly is referred before anything else
 * (never admit or refuse on it), then a watchlist alert, then the rules in
 * file order.  Rules that were in scope but whose documents fell short are
 * remembered, so that a refusal says what was missing or wrong.
 */
#include "policy.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_MISSES 6

/* What was established once per decision. */
struct facts {
    const struct sarhad_policy *p;
    const struct sarhad_presentation *pr;
    const struct sarhad_history *h;
    int32_t day;
    int64_t minute;          /* local, for rule dates and times */
    const char *nationality; /* as established, else the passport's */
    int age;                 /* -1 unknown */
    unsigned direction_bit;
    int overstay_days;
    int allowed_stay;
};

/* Why a rule in scope did not fire. */
struct miss {
    const struct pterm *term; /* NULL: the rolling limit */
    const struct sarhad_document *doc;
    const struct prule *rule;
    int cond; /* -1: no such document */
    int days_in_window;
};

bool
sarhad__plist_match(const struct plist *l, const char *value)
{
    bool found = false;

    if (!l->present)
        return true;
    for (unsigned i = 0; i < l->count && !found; i++)
        found = strcasecmp(l->items[i], value) == 0;
    return found != l->negate;
}

bool
sarhad__rule_in_force(const struct prule *r, int64_t minute)
{
    if (minute < r->from || minute > r->until)
        return false;
    if (r->window_count == 0)
        return true;
    for (unsigned i = 0; i < r->window_count; i++)
        if (minute >= r->windows[i].from && minute <= r->windows[i].until)
            return true;
    return false;
}

static int
age_on(struct sarhad_date birth, struct sarhad_date day)
{
    int age;

    if (birth.year == 0 || sarhad_date_cmp(birth, day) > 0)
        return -1;
    age = day.year - birth.year;
    if (day.month < birth.month ||
        (day.month == birth.month && day.day < birth.day))
        age--;
    return age;
}

static bool
in_scope(const struct prule *r, const struct facts *f)
{
    const struct sarhad_traveller *t = &f->pr->traveller;

    if (!sarhad__rule_in_force(r, f->minute))
        return false;
    if (!(r->movements >> f->pr->movement.category & 1u))
        return false;
    if (r->age_min >= 0 && (f->age < 0 || f->age < r->age_min))
        return false;
    if (r->age_max >= 0 && (f->age < 0 || f->age > r->age_max))
        return false;
    if (r->overstayed >= 0 && (f->overstay_days > 0) != (r->overstayed == 1))
        return false;
    return sarhad__plist_match(&r->nationality, f->nationality) &&
           sarhad__plist_match(&r->residence, t->residence) &&
           sarhad__plist_match(&r->tribe, t->tribe) &&
           sarhad__plist_match(&r->occupation, t->occupation) &&
           sarhad__plist_match(&r->purpose, t->purpose);
}

static struct sarhad_date
doc_expiry(const struct sarhad_document *d)
{
    return d->has_mrz && d->mrz.expiry_date.year != 0 ? d->mrz.expiry_date
                                                      : d->expiry;
}

static const char *
doc_issuer(const struct sarhad_document *d)
{
    return d->has_mrz && d->mrz.issuing_state[0] != '\0' ? d->mrz.issuing_state
                                                         : d->issuer;
}

static const char *const entries_names[] = {"", "single", "double", "multiple"};

static bool
cond_holds(const struct pcond *c, const struct sarhad_document *d,
           const struct facts *f)
{
    switch (c->kind) {
    case PC_NOT_EXPIRED: {
        struct sarhad_date e = doc_expiry(d);
        return e.year != 0 && sarhad_date_to_days(e) >= f->day;
    }
    case PC_ISSUED_BY:
        return sarhad__plist_match(&c->list, doc_issuer(d));
    case PC_CATEGORY:
        return sarhad__plist_match(&c->list, d->category);
    case PC_ENTRIES:
        return sarhad__plist_match(&c->list, entries_names[d->entries & 3]);
    case PC_ENTRIES_LEFT:
        if (f->h == NULL || !f->h->known || f->direction_bit != 1u)
            return true;
        if (d->entries == SARHAD_ENTRIES_SINGLE)
            return f->h->visa_entries_used < 1;
        if (d->entries == SARHAD_ENTRIES_DOUBLE)
            return f->h->visa_entries_used < 2;
        return true;
    case PC_STAY_MAX:
        return d->stay_days <= c->number;
    case PC_DISTRICT:
        return sarhad__plist_match(&c->list, d->district);
    case PC_TRIBE:
        return sarhad__plist_match(&c->list, d->tribe);
    }
    return false;
}

/* The first failing condition of d for term t, or -1 when all hold. */
static int
first_failing(const struct pterm *t, const struct sarhad_document *d,
              const struct facts *f)
{
    for (unsigned i = 0; i < t->cond_count; i++)
        if (!cond_holds(&t->conds[i], d, f))
            return (int)i;
    return -1;
}

/* Try one set; returns the number of terms not met and the first miss. */
static unsigned
try_set(const struct pset *s, const struct facts *f, struct miss *m)
{
    unsigned used = 0, failed = 0;
    const struct sarhad_presentation *pr = f->pr;

    for (unsigned t = 0; t < s->term_count; t++) {
        const struct pterm *term = &s->terms[t];
        const struct sarhad_document *first = NULL;
        int first_cond = -1;
        bool met = false;
        for (unsigned i = 0; i < pr->document_count && !met; i++) {
            const struct sarhad_document *d = &pr->documents[i];
            int bad;
            if (d->kind != term->kind || (used >> i & 1u))
                continue;
            bad = first_failing(term, d, f);
            if (bad < 0) {
                used |= 1u << i;
                met = true;
            } else if (first == NULL) {
                first = d;
                first_cond = bad;
            }
        }
        if (!met) {
            if (failed++ == 0) {
                m->term = term;
                m->doc = first;
                m->cond = first == NULL ? -1 : first_cond;
            }
        }
    }
    return failed;
}

/* Days present in Pakistan in [day - window + 1, day], today included. */
static int
days_in_window(const struct facts *f, int window)
{
    int32_t lo = f->day - window + 1;
    int total = 0;
    bool today = false;

    for (unsigned i = 0; i < f->h->stay_count && i < SARHAD_MAX_STAYS; i++) {
        const struct sarhad_stay *s = &f->h->stays[i];
        int32_t a, b;
        if (s->entry.year == 0)
            continue;
        a = sarhad_date_to_days(s->entry);
        b = s->exit.year != 0 ? sarhad_date_to_days(s->exit) : f->day;
        if (a < lo)
            a = lo;
        if (b > f->day)
            b = f->day;
        if (b >= a) {
            total += b - a + 1;
            today = today || (b == f->day);
        }
    }
    return total + (today ? 0 : 1);
}

/* Does rule r fire?  On a near miss fills *m and returns false. */
static bool
rule_fires(const struct prule *r, const struct facts *f, struct miss *m,
           bool *missed)
{
    *missed = false;
    if (r->set_count > 0) {
        unsigned best = ~0u;
        struct miss bm, cur;
        memset(&bm, 0, sizeof(bm));
        for (unsigned s = 0; s < r->set_count; s++) {
            unsigned failed;
            memset(&cur, 0, sizeof(cur));
            failed = try_set(&r->sets[s], f, &cur);
            if (failed == 0) {
                best = 0;
                break;
            }
            if (failed < best) {
                best = failed;
                bm = cur;
            }
        }
        if (best != 0) {
            *m = bm;
            m->rule = r;
            *missed = true;
            return false;
        }
    }
    if (r->limit_days > 0 && f->h != NULL && f->h->known &&
        f->direction_bit == 1u) {
        int n = days_in_window(f, r->limit_window);
        if (n > r->limit_days) {
            memset(m, 0, sizeof(*m));
            m->rule = r;
            m->days_in_window = n;
            *missed = true;
            return false;
        }
    }
    return true;
}

static void
add_reason(struct sarhad_decision *d, const char *code, const char *message)
{
    for (unsigned i = 0; i < d->reason_count; i++)
        if (strcmp(d->reasons[i].code, code) == 0)
            return;
    if (d->reason_count == SARHAD_MAX_REASONS)
        return;
    sarhad__strlcpy(d->reasons[d->reason_count].code, code,
                    sizeof(d->reasons[0].code));
    sarhad__strlcpy(d->reasons[d->reason_count].message, message,
                    sizeof(d->reasons[0].message));
    d->reason_count++;
}

static void
add_flag(struct sarhad_decision *d, const char *code, const char *detail)
{
    if (d->flag_count == SARHAD_MAX_FLAGS)
        return;
    sarhad__strlcpy(d->flags[d->flag_count].code, code,
                    sizeof(d->flags[0].code));
    sarhad__strlcpy(d->flags[d->flag_count].detail, detail,
                    sizeof(d->flags[0].detail));
    d->flag_count++;
}

static const char *
kind_label(enum sarhad_doc_kind k)
{
    static const char *const labels[SARHAD_DOC_KIND_COUNT] = {
        "passport",     "visa",           "CNIC",
        "tazkira",      "PoR card",       "Afghan Citizen Card",
        "Rahdari pass", "medical letter", "cancer card",
        "exit permit",  "token"};
    return (unsigned)k < SARHAD_DOC_KIND_COUNT ? labels[k] : "document";
}

static void
join_list(char *out, size_t cap, const struct plist *l)
{
    size_t n = 0;

    out[0] = '\0';
    for (unsigned i = 0; i < l->count && n + 1 < cap; i++) {
        int w = snprintf(out + n, cap - n, "%s%s",
                         i == 0              ? ""
                         : i + 1 == l->count ? " or "
                                             : ", ",
                         l->items[i]);
        if (w < 0)
            break;
        n += (size_t)w;
        if (n >= cap)
            n = cap - 1;
    }
}

/* Turn a near miss into words an officer can read out. */
static void
miss_reason(struct sarhad_decision *d, const struct miss *m,
            const struct facts *f)
{
    char code[32], msg[160], list[96], date[11];
    const char *kind, *label;
    const struct pcond *c;

    if (m->term == NULL) {
        snprintf(msg, sizeof(msg),
                 "The traveller has been in Pakistan %d of the last %d days; "
                 "at most %d are allowed.",
                 m->days_in_window, m->rule->limit_window, m->rule->limit_days);
        add_reason(d, "stay_limit", msg);
        return;
    }
    kind = sarhad_doc_kind_name(m->term->kind);
    label = kind_label(m->term->kind);
    if (m->cond < 0) {
        snprintf(code, sizeof(code), "missing_%s", kind);
        snprintf(msg, sizeof(msg), "No %s was presented.", label);
        add_reason(d, code, msg);
        return;
    }
    c = &m->term->conds[m->cond];
    join_list(list, sizeof(list), &c->list);
    switch (c->kind) {
    case PC_NOT_EXPIRED: {
        struct sarhad_date e = doc_expiry(m->doc);
        if (e.year == 0) {
            snprintf(code, sizeof(code), "%s_no_expiry", kind);
            snprintf(msg, sizeof(msg), "The %s shows no expiry date.", label);
        } else {
            sarhad_date_format(date, e);
            snprintf(code, sizeof(code), "%s_expired", kind);
            snprintf(msg, sizeof(msg), "The %s expired on %s.", label, date);
        }
        break;
    }
    case PC_ISSUED_BY:
        snprintf(code, sizeof(code), "%s_issuer", kind);
        snprintf(msg, sizeof(msg), "The %s was %sissued by %s.", label,
                 c->list.negate ? "" : "not ", list);
        break;
    case PC_CATEGORY:
        snprintf(code, sizeof(code), "%s_category", kind);
        snprintf(msg, sizeof(msg), "The %s's category must %sbe %s.", label,
                 c->list.negate ? "not " : "", list);
        break;
    case PC_ENTRIES:
        snprintf(code, sizeof(code), "%s_entries", kind);
        snprintf(msg, sizeof(msg), "The %s must %sbe for %s entry.", label,
                 c->list.negate ? "not " : "", list);
        break;
    case PC_ENTRIES_LEFT:
        snprintf(code, sizeof(code), "%s_entries_used", kind);
        snprintf(msg, sizeof(msg),
                 "The %s's entries have all been used (%u used).", label,
                 f->h != NULL ? f->h->visa_entries_used : 0);
        break;
    case PC_STAY_MAX:
        snprintf(code, sizeof(code), "%s_stay_days", kind);
        snprintf(msg, sizeof(msg),
                 "The %s grants %d days per visit; at most %d are allowed.",
                 label, m->doc->stay_days, c->number);
        break;
    case PC_DISTRICT:
        snprintf(code, sizeof(code), "%s_district", kind);
        snprintf(msg, sizeof(msg), "The %s must %sbe from %s.", label,
                 c->list.negate ? "not " : "", list);
        break;
    case PC_TRIBE:
        snprintf(code, sizeof(code), "%s_tribe", kind);
        snprintf(msg, sizeof(msg), "The %s must %sbe for the %s tribe.", label,
                 c->list.negate ? "not " : "", list);
        break;
    }
    add_reason(d, code, msg);
}

/* A document whose MRZ failed a check: a reason, and a flag per issue. */
static void
check_mrz(struct sarhad_decision *d, const struct sarhad_document *doc)
{
    const char *kind = sarhad_doc_kind_name(doc->kind);
    char msg[160], detail[128];

    if (!doc->has_mrz || doc->mrz.valid)
        return;
    snprintf(msg, sizeof(msg),
             "The %s's machine-readable zone did not read cleanly: "
             "send the traveller to secondary inspection.",
             kind_label(doc->kind));
    add_reason(d, "mrz_check_failed", msg);
    for (unsigned k = 0; k < doc->mrz.issue_count && k < SARHAD_MRZ_MAX_ISSUES;
         k++) {
        snprintf(detail, sizeof(detail), "%s: %s (%s)", kind,
                 doc->mrz.issues[k].field, doc->mrz.issues[k].code);
        add_flag(d, "mrz_check_failed", detail);
    }
}

/* A CNIC's province digit must exist and its sex digit fit the traveller. */
static void
check_cnic(struct sarhad_decision *d, const struct sarhad_document *doc,
           char sex)
{
    struct sarhad_cnic cnic;

    if (doc->kind != SARHAD_DOC_CNIC)
        return;
    if (sarhad_cnic_parse(&cnic, doc->number,
                          strnlen(doc->number, sizeof(doc->number)),
                          NULL) != SARHAD_OK)
        add_reason(d, "cnic_invalid",
                   "The CNIC number has an impossible province "
                   "digit: send to secondary inspection.");
    else if (!sarhad_cnic_sex_matches(&cnic, sex))
        add_reason(d, "cnic_sex_mismatch",
                   "The CNIC number's sex digit does not match the "
                   "traveller: send to secondary inspection.");
}

/* A number without an MRZ must fit one of the policy's number-formats for
 * its kind, when the policy gives any. */
static void
check_number_format(struct sarhad_decision *d, const struct sarhad_policy *p,
                    const struct sarhad_document *doc)
{
    bool ok = false;
    char msg[160];

    if (p->format_count[doc->kind] == 0 || doc->has_mrz)
        return;
    for (unsigned k = 0; k < p->format_count[doc->kind] && !ok; k++)
        ok = sarhad_id_pattern_match(p->formats[doc->kind][k], doc->number,
                                     strnlen(doc->number, sizeof(doc->number)));
    if (ok)
        return;
    snprintf(msg, sizeof(msg),
             "The %s number does not have the expected layout: "
             "send to secondary inspection.",
             kind_label(doc->kind));
    add_reason(d, "number_format", msg);
}

/* Every clean visa MRZ must name the holder of the clean passport MRZ. */
static void
check_visa_holder(struct sarhad_decision *d,
                  const struct sarhad_presentation *pr,
                  const struct sarhad_document *passport)
{
    for (unsigned i = 0; passport != NULL && i < pr->document_count; i++) {
        const struct sarhad_document *v = &pr->documents[i];
        if (v->kind != SARHAD_DOC_VISA || !v->has_mrz || !v->mrz.valid ||
            !passport->mrz.valid)
            continue;
        if (strcmp(v->mrz.surname, passport->mrz.surname) != 0 ||
            strcmp(v->mrz.given_names, passport->mrz.given_names) != 0 ||
            sarhad_date_cmp(v->mrz.birth_date, passport->mrz.birth_date) != 0)
            add_reason(d, "visa_holder_mismatch",
                       "The names or birth date on the visa differ from the "
                       "passport: send to secondary inspection.");
    }
}

/* Step 1: documents that did not read cleanly.  True when referred. */
static bool
document_check(struct sarhad_decision *d, const struct facts *f)
{
    const struct sarhad_presentation *pr = f->pr;
    const struct sarhad_document *passport = NULL;

    for (unsigned i = 0; i < pr->document_count; i++) {
        const struct sarhad_document *doc = &pr->documents[i];
        if (doc->kind == SARHAD_DOC_PASSPORT && passport == NULL)
            passport = doc;
        check_mrz(d, doc);
        check_cnic(d, doc, pr->traveller.sex);
        check_number_format(d, f->p, doc);
    }
    check_visa_holder(d, pr, passport);
    if (d->reason_count == 0)
        return false;
    d->outcome = SARHAD_REFER;
    sarhad__strlcpy(d->rule, "document-check", sizeof(d->rule));
    return true;
}

static int
fine_for(const struct sarhad_policy *p, int days)
{
    for (unsigned i = 0; i < p->fine_count; i++) {
        const struct pfine *row = &p->fines[i];
        int64_t fine;
        if (row->up_to_days >= 0 && days <= row->up_to_days)
            return row->usd;
        if (row->up_to_days >= 0)
            continue;
        if (row->per_days <= 0)
            return row->usd;
        fine = (int64_t)row->usd *
               (((int64_t)days + row->per_days - 1) / row->per_days);
        return fine > INT32_MAX ? INT32_MAX : (int)fine;
    }
    return 0;
}

static void
overstay(struct facts *f)
{
    const struct sarhad_history *h = f->h;

    if (h == NULL || !h->known || f->direction_bit != 2u)
        return;
    for (unsigned i = h->stay_count < SARHAD_MAX_STAYS ? h->stay_count
                                                       : SARHAD_MAX_STAYS;
         i-- > 0;) {
        const struct sarhad_stay *s = &h->stays[i];
        int allowed;
        int32_t last;
        if (s->exit.year != 0 || s->entry.year == 0)
            continue;
        allowed = s->allowed_days > 0 ? s->allowed_days : f->p->default_stay;
        if (allowed <= 0)
            return;
        if (allowed > 100000) /* no stay is longer; keeps the sums small */
            allowed = 100000;
        f->allowed_stay = allowed;
        last = sarhad_date_to_days(s->entry) + allowed - 1;
        if (f->day > last)
            f->overstay_days = (int)(f->day - last);
        return;
    }
}

static void
copy_hits(struct sarhad_decision *d, const struct sarhad_screening *s,
          int threshold)
{
    if (s == NULL || !s->screened)
        return;
    for (unsigned i = 0; i < s->hit_count && i < SARHAD_MAX_HITS; i++) {
        if (s->hits[i].score < threshold)
            continue;
        d->hits[d->hit_count++] = s->hits[i];
    }
}

static bool
kinds_known(const struct sarhad_presentation *pr)
{
    for (unsigned i = 0; i < pr->document_count; i++)
        if ((unsigned)pr->documents[i].kind >= SARHAD_DOC_KIND_COUNT)
            return false;
    return true;
}

/* Every field the evaluator indexes by is in range. */
static bool
presentation_in_range(const struct sarhad_presentation *pr)
{
    return pr->time.date.year != 0 &&
           pr->document_count <= SARHAD_MAX_DOCUMENTS &&
           (unsigned)pr->direction <= 1u &&
           (unsigned)pr->movement.category <= 3u && kinds_known(pr);
}

/* The birth date as established, else a passport's that read cleanly. */
static struct sarhad_date
birth_date_of(const struct sarhad_presentation *pr)
{
    struct sarhad_date birth = pr->traveller.birth_date;

    for (unsigned i = 0; birth.year == 0 && i < pr->document_count; i++)
        if (pr->documents[i].kind == SARHAD_DOC_PASSPORT &&
            pr->documents[i].mrz.valid)
            birth = pr->documents[i].mrz.birth_date;
    return birth;
}

/* What the officer established comes first; without it, a passport that
 * read cleanly says who the traveller is. */
static const char *
nationality_of(const struct sarhad_presentation *pr)
{
    const char *nationality = pr->traveller.nationality;

    for (unsigned i = 0; nationality[0] == '\0' && i < pr->document_count; i++)
        if (pr->documents[i].kind == SARHAD_DOC_PASSPORT &&
            pr->documents[i].mrz.valid)
            nationality = pr->documents[i].mrz.nationality;
    return nationality;
}

static void
facts_init(struct facts *f, const struct sarhad_policy *policy,
           const struct sarhad_presentation *pr,
           const struct sarhad_history *history)
{
    memset(f, 0, sizeof(*f));
    f->p = policy;
    f->pr = pr;
    f->h = history;
    f->day = sarhad_date_to_days(pr->time.date);
    f->minute = (int64_t)f->day * 1440 + pr->time.seconds / 60;
    f->direction_bit = pr->direction == SARHAD_EXIT ? 2u : 1u;
    f->age = age_on(birth_date_of(pr), pr->time.date);
    f->nationality = nationality_of(pr);
    overstay(f);
}

/* Step 2: a watchlist hit at or above the threshold.  True when referred. */
static bool
watchlist_check(struct sarhad_decision *d)
{
    if (d->hit_count == 0)
        return false;
    d->outcome = SARHAD_REFER;
    sarhad__strlcpy(d->rule, "watchlist", sizeof(d->rule));
    add_reason(d, "watchlist_hit",
               "Possible watchlist match: send the traveller to "
               "secondary inspection.");
    return true;
}

/* The first rule for this crossing and direction that is in scope and
 * fires, or NULL; the near misses before it go to misses. */
static const struct prule *
first_firing_rule(const struct facts *f, int crossing, struct miss *misses,
                  unsigned *miss_count)
{
    const struct sarhad_policy *policy = f->p;
    bool is_exit = f->pr->direction == SARHAD_EXIT;
    const uint16_t *idx = policy->index[crossing][is_exit];
    unsigned n = policy->index_count[crossing][is_exit];

    for (unsigned i = 0; i < n; i++) {
        const struct prule *r = &policy->rules[idx[i]];
        struct miss m;
        bool missed;
        if (!in_scope(r, f))
            continue;
        if (rule_fires(r, f, &m, &missed))
            return r;
        if (missed && *miss_count < MAX_MISSES)
            misses[(*miss_count)++] = m;
    }
    return NULL;
}

/* The fired rule's outcome, zone, reasons and flags. */
static void
apply_rule(struct sarhad_decision *d, const struct prule *fired)
{
    d->outcome = fired->outcome;
    if (fired->zone != NULL)
        sarhad__strlcpy(d->zone, fired->zone, sizeof(d->zone));
    sarhad__strlcpy(d->rule, fired->id, sizeof(d->rule));
    for (unsigned i = 0; i < fired->reason_count; i++)
        add_reason(d, fired->reasons[i].code, fired->reasons[i].text);
    for (unsigned i = 0; i < fired->flag_count; i++)
        add_flag(d, fired->flags[i].code, fired->flags[i].text);
}

/* Step 3: the rules in file order; a refusal says what nearly matched. */
static void
rules_decide(struct sarhad_decision *d, const struct facts *f, int crossing)
{
    struct miss misses[MAX_MISSES];
    unsigned miss_count = 0;
    const struct prule *fired =
        first_firing_rule(f, crossing, misses, &miss_count);

    if (fired != NULL) {
        apply_rule(d, fired);
    } else {
        d->outcome = SARHAD_REFUSE;
        sarhad__strlcpy(d->rule, "no-rule", sizeof(d->rule));
    }
    if (d->outcome != SARHAD_REFUSE)
        return;
    for (unsigned i = 0; i < miss_count; i++)
        miss_reason(d, &misses[i], f);
    if (d->reason_count == 0)
        add_reason(d, "no_rule",
                   "No rule of this policy admits this traveller at this "
                   "crossing on this date.");
}

/* The flags every decision carries, whichever step decided. */
static void
closing_flags(struct sarhad_decision *d, const struct facts *f)
{
    char detail[128];

    if (d->overstay_days > 0) {
        snprintf(detail, sizeof(detail),
                 "Overstayed %d days beyond the %d allowed; fine US$%d.",
                 d->overstay_days, f->allowed_stay, d->fine_usd);
        add_flag(d, "overstay", detail);
        if (f->p->blacklist_after > 0 &&
            d->overstay_days > f->p->blacklist_after)
            add_flag(d, "blacklist_review",
                     "Overstay of more than the blacklist period: the "
                     "traveller may be blacklisted.");
    }
    if (f->pr->direction == SARHAD_EXIT &&
        f->pr->movement.category != SARHAD_MOVE_REGULAR)
        add_flag(d, "movement", sarhad_movement_name(f->pr->movement.category));
}

enum sarhad_status
sarhad_policy_decide(struct sarhad_decision *out,
                     const struct sarhad_policy *policy,
                     const struct sarhad_presentation *presentation,
                     const struct sarhad_history *history,
                     const struct sarhad_screening *screening,
                     struct sarhad_error *err)
{
    struct facts f;
    int crossing;

    if (out == NULL || policy == NULL || presentation == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "", SIZE_MAX,
                            "decide needs a policy and a presentation");
    crossing = sarhad_crossing_index(
        presentation->crossing,
        strnlen(presentation->crossing, sizeof(presentation->crossing)));
    if (crossing < 0 || !presentation_in_range(presentation))
        return sarhad__fail(err, SARHAD_EINVAL, "", SIZE_MAX,
                            "the presentation has no known crossing, date, "
                            "direction, movement or document kind");
    memset(out, 0, sizeof(*out));
    sarhad__strlcpy(out->policy_name, policy->name, sizeof(out->policy_name));
    out->policy_version = policy->version;

    facts_init(&f, policy, presentation, history);
    if (f.overstay_days > 0) {
        out->overstay_days = f.overstay_days;
        out->fine_usd = fine_for(policy, f.overstay_days);
    }
    copy_hits(out, screening, policy->screen_threshold);
    if (!document_check(out, &f) && !watchlist_check(out))
        rules_decide(out, &f, crossing);
    closing_flags(out, &f);
    return SARHAD_OK;
}
