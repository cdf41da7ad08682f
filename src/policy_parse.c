/*
 * policy_parse.c - reads the text of a policy (docs/POLICY.md) straight
 * into its compiled tables.  One clause per line: the header lines
 * (policy, screen-threshold, default-stay, blacklist-after, number-format,
 * fines ... end), then rules (rule ID "title" ... end).  Every error stops
 * at the first fault with its line and column and says what was expected,
 * because the people who read these messages are drafting law, not code.
 */
#include "policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_LIST    64
#define MAX_TERMS   6
#define MAX_CONDS   8
#define MAX_SETS    8
#define MAX_WINDOWS 16

struct parser {
    struct lexer lx;
    struct token tok; /* current token */
    struct sarhad_policy *p;
    struct sarhad_error *err;
    const char *filename;
    const char *rule_id; /* the rule being read, for err->field */
    enum sarhad_status status;
};

static void
next(struct parser *ps)
{
    ps->tok = sarhad__lex_next(&ps->lx);
}

static bool
is_word(const struct token *t, const char *w)
{
    return t->kind == TOK_WORD && strlen(w) == t->len &&
           memcmp(t->text, w, t->len) == 0;
}

/* Record an error at token t (the first error wins). */
static enum sarhad_status error_at(struct parser *ps, const struct token *t,
                                   enum sarhad_status code, const char *fmt,
                                   ...) SARHAD_PRINTF(4, 5);
static enum sarhad_status
error_at(struct parser *ps, const struct token *t, enum sarhad_status code,
         const char *fmt, ...)
{
    char msg[140];
    const char *fn = ps->filename ? ps->filename : "policy";
    va_list ap;

    if (ps->status != SARHAD_OK)
        return ps->status;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (t->kind == TOK_ERROR && ps->lx.error != NULL)
        snprintf(msg, sizeof(msg), "%s", ps->lx.error);
    ps->status =
        sarhad__fail_at(ps->err, code, ps->rule_id ? ps->rule_id : "", t->line,
                        t->col, "%s:%u:%u: %s", fn, t->line, t->col, msg);
    if (ps->err != NULL)
        ps->err->offset = (size_t)(t->text - ps->lx.src);
    return ps->status;
}

static enum sarhad_status
expect_error(struct parser *ps, const char *what)
{
    char found[48];
    const struct token *t = &ps->tok;
    char msg[140];

    switch (t->kind) {
    case TOK_EOF:
        snprintf(found, sizeof(found), "the end of the file");
        break;
    case TOK_NEWLINE:
        snprintf(found, sizeof(found), "the end of the line");
        break;
    case TOK_ERROR:
        return error_at(ps, t, SARHAD_EFORMAT, "%s", "bad token");
    default:
        snprintf(found, sizeof(found), "'%.*s'",
                 (int)(t->len > 30 ? 30 : t->len), t->text);
    }
    snprintf(msg, sizeof(msg), "expected %s, found %s", what, found);
    return error_at(ps, t, SARHAD_EFORMAT, "%s", msg);
}

static enum sarhad_status
end_of_line(struct parser *ps)
{
    if (ps->tok.kind != TOK_NEWLINE && ps->tok.kind != TOK_EOF)
        return expect_error(ps, "the end of the line");
    if (ps->tok.kind == TOK_NEWLINE)
        next(ps);
    return SARHAD_OK;
}

static enum sarhad_status
nomem(struct parser *ps)
{
    if (ps->status == SARHAD_OK)
        ps->status = sarhad__fail(ps->err, SARHAD_ENOMEM, "", SIZE_MAX,
                                  "out of memory compiling the policy");
    return ps->status;
}

static enum sarhad_status
read_int(struct parser *ps, int *out, int min, int max, const char *what)
{
    long v = 0;

    if (ps->tok.kind != TOK_WORD)
        return expect_error(ps, what);
    for (size_t i = 0; i < ps->tok.len; i++) {
        if (ps->tok.text[i] < '0' || ps->tok.text[i] > '9' || i >= 9)
            return expect_error(ps, what);
        v = v * 10 + (ps->tok.text[i] - '0');
    }
    if (v < min || v > max)
        return error_at(ps, &ps->tok, SARHAD_EFORMAT, "%s is out of range",
                        what);
    *out = (int)v;
    next(ps);
    return SARHAD_OK;
}

/* A local date, or date and time "YYYY-MM-DDTHH:MM", as minutes since
 * 1970.  A bare date means its first minute (from) or its last (until). */
static enum sarhad_status
read_moment(struct parser *ps, int64_t *out, bool is_end)
{
    struct sarhad_date d;
    const char *t = ps->tok.text;
    size_t len = ps->tok.len;
    int64_t minute = is_end ? 1439 : 0;

    if (ps->tok.kind != TOK_WORD || (len != 10 && len != 16) ||
        sarhad_date_parse(&d, t, 10, NULL) != SARHAD_OK)
        return expect_error(ps, "a date YYYY-MM-DD (or YYYY-MM-DDTHH:MM)");
    if (len == 16) {
        int h, m;
        if (t[10] != 'T' || t[13] != ':' || t[11] < '0' || t[11] > '9' ||
            t[12] < '0' || t[12] > '9' || t[14] < '0' || t[14] > '9' ||
            t[15] < '0' || t[15] > '9')
            return expect_error(ps, "a date YYYY-MM-DD (or YYYY-MM-DDTHH:MM)");
        h = (t[11] - '0') * 10 + (t[12] - '0');
        m = (t[14] - '0') * 10 + (t[15] - '0');
        if (h > 23 || m > 59)
            return expect_error(ps, "a time of day from 00:00 to 23:59");
        minute = h * 60 + m;
    }
    *out = (int64_t)sarhad_date_to_days(d) * 1440 + minute;
    next(ps);
    return SARHAD_OK;
}

static enum sarhad_status
keyword(struct parser *ps, const char *w)
{
    char what[48];

    if (!is_word(&ps->tok, w)) {
        snprintf(what, sizeof(what), "'%s'", w);
        return expect_error(ps, what);
    }
    next(ps);
    return SARHAD_OK;
}

/* A word or a quoted string, copied into the arena. */
static const char *
read_value(struct parser *ps, const char *what)
{
    char *s;

    if (ps->tok.kind == TOK_WORD)
        s = sarhad__arena_strndup(&ps->p->arena, ps->tok.text, ps->tok.len);
    else if (ps->tok.kind == TOK_STRING)
        s = sarhad__lex_string(&ps->p->arena, &ps->tok);
    else {
        expect_error(ps, what);
        return NULL;
    }
    if (s == NULL) {
        nomem(ps);
        return NULL;
    }
    next(ps);
    return s;
}

/* value {',' value}, optionally led by 'not' when negatable. */
static enum sarhad_status
read_list(struct parser *ps, struct plist *l, bool negatable, const char *what)
{
    const char *items[MAX_LIST];
    unsigned n = 0;

    if (l->present)
        return error_at(ps, &ps->tok, SARHAD_EFORMAT,
                        "this clause was already given for %s", what);
    if (negatable && is_word(&ps->tok, "not")) {
        l->negate = true;
        next(ps);
    }
    for (;;) {
        if (n == MAX_LIST)
            return error_at(ps, &ps->tok, SARHAD_ETOOBIG,
                            "more than 64 values in a list of %s", what);
        items[n] = read_value(ps, what);
        if (items[n] == NULL)
            return ps->status;
        n++;
        if (ps->tok.kind != TOK_COMMA)
            break;
        next(ps);
    }
    l->items = sarhad__arena_alloc(&ps->p->arena, n * sizeof(*l->items));
    if (l->items == NULL)
        return nomem(ps);
    memcpy(l->items, items, n * sizeof(*items));
    l->count = n;
    l->present = true;
    return SARHAD_OK;
}

static enum sarhad_status
read_crossings(struct parser *ps, struct prule *r)
{
    if (r->crossings != 0)
        return error_at(ps, &ps->tok, SARHAD_EFORMAT, "%s",
                        "'at' was already given for this rule");
    if (is_word(&ps->tok, "all")) {
        r->crossings = POLICY_ALL_CROSSINGS;
        next(ps);
        return SARHAD_OK;
    }
    for (;;) {
        int i;
        if (ps->tok.kind != TOK_WORD)
            return expect_error(ps, "a crossing code such as TORKHAM");
        i = sarhad_crossing_index(ps->tok.text, ps->tok.len);
        if (i < 0) {
            char code[40];
            snprintf(code, sizeof(code), "%.*s",
                     (int)(ps->tok.len > 30 ? 30 : ps->tok.len), ps->tok.text);
            return error_at(ps, &ps->tok, SARHAD_EFORMAT,
                            "unknown crossing code '%s' (expected TORKHAM, "
                            "CHAMAN, GHULAM_KHAN, KHARLACHI, ANGOOR_ADDA, "
                            "BADINI, ARANDU, BIN_SHAHI or BARABCHA)",
                            code);
        }
        r->crossings |= 1u << i;
        next(ps);
        if (ps->tok.kind != TOK_COMMA)
            return SARHAD_OK;
        next(ps);
    }
}

static enum sarhad_status
read_doc_kind(struct parser *ps, enum sarhad_doc_kind *kind)
{
    if (ps->tok.kind != TOK_WORD)
        return expect_error(ps, "a document kind such as passport");
    if (!sarhad_doc_kind_parse(kind, ps->tok.text, ps->tok.len)) {
        char word[40];
        snprintf(word, sizeof(word), "%.*s",
                 (int)(ps->tok.len > 30 ? 30 : ps->tok.len), ps->tok.text);
        return error_at(ps, &ps->tok, SARHAD_EFORMAT,
                        "unknown document kind '%s' (expected passport, "
                        "visa, cnic, tazkira, por, acc, rahdari, "
                        "medical_letter, cancer_card, exit_permit or token)",
                        word);
    }
    next(ps);
    return SARHAD_OK;
}

static enum sarhad_status
read_cond(struct parser *ps, struct pcond *c)
{
    memset(c, 0, sizeof(*c));
    if (is_word(&ps->tok, "not-expired")) {
        c->kind = PC_NOT_EXPIRED;
        next(ps);
        return SARHAD_OK;
    }
    if (is_word(&ps->tok, "entries-left")) {
        c->kind = PC_ENTRIES_LEFT;
        next(ps);
        return SARHAD_OK;
    }
    if (is_word(&ps->tok, "stay-days")) {
        c->kind = PC_STAY_MAX;
        next(ps);
        if (keyword(ps, "up-to") != SARHAD_OK)
            return ps->status;
        return read_int(ps, &c->number, 1, 3660, "a number of days");
    }
    if (is_word(&ps->tok, "issued-by"))
        c->kind = PC_ISSUED_BY;
    else if (is_word(&ps->tok, "category"))
        c->kind = PC_CATEGORY;
    else if (is_word(&ps->tok, "entries"))
        c->kind = PC_ENTRIES;
    else if (is_word(&ps->tok, "district"))
        c->kind = PC_DISTRICT;
    else if (is_word(&ps->tok, "tribe"))
        c->kind = PC_TRIBE;
    else
        return expect_error(ps, "a document condition (not-expired, "
                                "issued-by, category, entries, "
                                "entries-left, stay-days, district, tribe)");
    next(ps);
    if (read_list(ps, &c->list, true, "condition values") != SARHAD_OK)
        return ps->status;
    if (c->kind == PC_ENTRIES) {
        for (unsigned i = 0; i < c->list.count; i++)
            if (strcmp(c->list.items[i], "single") != 0 &&
                strcmp(c->list.items[i], "double") != 0 &&
                strcmp(c->list.items[i], "multiple") != 0)
                return error_at(ps, &ps->tok, SARHAD_EFORMAT, "%s",
                                "expected single, double or multiple "
                                "after 'entries'");
    }
    return SARHAD_OK;
}

static enum sarhad_status
read_term(struct parser *ps, struct pterm *t)
{
    struct pcond conds[MAX_CONDS];

    if (read_doc_kind(ps, &t->kind) != SARHAD_OK)
        return ps->status;
    if (ps->tok.kind != TOK_LPAREN)
        return SARHAD_OK;
    next(ps);
    for (;;) {
        if (t->cond_count == MAX_CONDS)
            return error_at(ps, &ps->tok, SARHAD_ETOOBIG, "%s",
                            "more than 8 conditions on one document");
        if (read_cond(ps, &conds[t->cond_count]) != SARHAD_OK)
            return ps->status;
        t->cond_count++;
        if (ps->tok.kind == TOK_RPAREN)
            break;
        if (ps->tok.kind != TOK_SEMI)
            return expect_error(ps, "';' between conditions or ')'");
        next(ps);
    }
    next(ps);
    t->conds =
        sarhad__arena_alloc(&ps->p->arena, t->cond_count * sizeof(*t->conds));
    if (t->conds == NULL)
        return nomem(ps);
    memcpy(t->conds, conds, t->cond_count * sizeof(*conds));
    return SARHAD_OK;
}

static enum sarhad_status
read_accept(struct parser *ps, struct pset *sets, unsigned *set_count)
{
    struct pterm terms[MAX_TERMS];
    struct pset *s;

    if (*set_count == MAX_SETS)
        return error_at(ps, &ps->tok, SARHAD_ETOOBIG, "%s",
                        "more than 8 accept lines in one rule");
    s = &sets[*set_count];
    memset(s, 0, sizeof(*s));
    s->line = ps->tok.line;
    s->col = ps->tok.col;
    if (is_word(&ps->tok, "nothing")) {
        next(ps);
        (*set_count)++;
        return SARHAD_OK;
    }
    memset(terms, 0, sizeof(terms));
    for (;;) {
        if (s->term_count == MAX_TERMS)
            return error_at(ps, &ps->tok, SARHAD_ETOOBIG, "%s",
                            "more than 6 documents in one set");
        if (read_term(ps, &terms[s->term_count]) != SARHAD_OK)
            return ps->status;
        s->term_count++;
        if (!is_word(&ps->tok, "and"))
            break;
        next(ps);
    }
    s->terms =
        sarhad__arena_alloc(&ps->p->arena, s->term_count * sizeof(*s->terms));
    if (s->terms == NULL)
        return nomem(ps);
    memcpy(s->terms, terms, s->term_count * sizeof(*terms));
    (*set_count)++;
    return SARHAD_OK;
}

static enum sarhad_status
read_text(struct parser *ps, struct ptext *t, const char *what, size_t cap)
{
    t->code = read_value(ps, what);
    if (t->code == NULL)
        return ps->status;
    if (strlen(t->code) >= sizeof(((struct sarhad_reason *)0)->code))
        return error_at(ps, &ps->tok, SARHAD_ETOOBIG, "%s",
                        "a code is at most 31 characters");
    if (ps->tok.kind != TOK_STRING)
        return expect_error(ps, "a message in double quotes");
    t->text = sarhad__lex_string(&ps->p->arena, &ps->tok);
    if (t->text == NULL)
        return nomem(ps);
    if (strlen(t->text) >= cap)
        return error_at(ps, &ps->tok, SARHAD_ETOOBIG, "%s",
                        cap > 130 ? "a reason message is at most 159 bytes"
                                  : "a flag detail is at most 127 bytes");
    next(ps);
    return SARHAD_OK;
}

static enum sarhad_status
read_windows(struct parser *ps, struct prule *r)
{
    struct pwindow w[MAX_WINDOWS];
    unsigned n = 0;

    if (r->window_count > 0)
        return error_at(ps, &ps->tok, SARHAD_EFORMAT, "%s",
                        "'during' was already given for this rule");
    for (;;) {
        if (n == MAX_WINDOWS)
            return error_at(ps, &ps->tok, SARHAD_ETOOBIG, "%s",
                            "more than 16 windows in one rule");
        if (read_moment(ps, &w[n].from, false) != SARHAD_OK)
            return ps->status;
        if (ps->tok.kind != TOK_DOTDOT)
            return expect_error(ps, "'..' between the first and last day");
        next(ps);
        if (read_moment(ps, &w[n].until, true) != SARHAD_OK)
            return ps->status;
        n++;
        if (ps->tok.kind != TOK_COMMA)
            break;
        next(ps);
    }
    r->windows = sarhad__arena_alloc(&ps->p->arena, n * sizeof(*w));
    if (r->windows == NULL)
        return nomem(ps);
    memcpy(r->windows, w, n * sizeof(*w));
    r->window_count = n;
    return SARHAD_OK;
}

static enum sarhad_status
read_age(struct parser *ps, struct prule *r)
{
    int a;

    if (r->age_min >= 0 || r->age_max >= 0)
        return error_at(ps, &ps->tok, SARHAD_EFORMAT, "%s",
                        "'age' was already given for this rule");
    if (is_word(&ps->tok, "under")) {
        next(ps);
        if (read_int(ps, &a, 1, 150, "an age in years") != SARHAD_OK)
            return ps->status;
        r->age_max = a - 1;
        return SARHAD_OK;
    }
    if (read_int(ps, &a, 0, 150, "'under' or an age in years") != SARHAD_OK)
        return ps->status;
    r->age_min = a;
    if (is_word(&ps->tok, "or-over")) {
        next(ps);
        return SARHAD_OK;
    }
    if (ps->tok.kind != TOK_DOTDOT)
        return expect_error(ps, "'or-over' or '..' and the highest age");
    next(ps);
    if (read_int(ps, &a, r->age_min, 150, "the highest age") != SARHAD_OK)
        return ps->status;
    r->age_max = a;
    return SARHAD_OK;
}

static enum sarhad_status
read_outcome(struct parser *ps, struct prule *r, const struct token *kw)
{
    const struct token at = *kw;

    if (r->has_outcome)
        return error_at(ps, &at, SARHAD_EFORMAT, "%s",
                        "a rule has one outcome (admit, refuse or refer)");
    r->has_outcome = true;
    if (is_word(kw, "admit")) {
        r->outcome = SARHAD_ADMIT;
        if (is_word(&ps->tok, "zone")) {
            next(ps);
            r->zone = read_value(ps, "the name of a zone");
            if (r->zone == NULL)
                return ps->status;
            if (strlen(r->zone) >= sizeof(((struct sarhad_decision *)0)->zone))
                return error_at(ps, &at, SARHAD_ETOOBIG, "%s",
                                "a zone name is at most 23 characters");
        }
        return SARHAD_OK;
    }
    r->outcome = is_word(kw, "refuse") ? SARHAD_REFUSE : SARHAD_REFER;
    return SARHAD_OK;
}

static bool
movement_bit(const char *w, size_t len, unsigned *bit)
{
    for (int k = SARHAD_MOVE_REGULAR; k <= SARHAD_MOVE_DEPORTATION; k++) {
        const char *n = sarhad_movement_name((enum sarhad_movement)k);
        if (strlen(n) == len && memcmp(n, w, len) == 0) {
            *bit = 1u << k;
            return true;
        }
    }
    return false;
}

/* A rule clause after its keyword kw: the tokens up to the end of the line.
 * Every reader takes the same arguments so that clauses can be a table. */
typedef enum sarhad_status (*clause_reader)(struct parser *ps, struct prule *r,
                                            const struct token *kw);

/* from DATE, until DATE. */
static enum sarhad_status
read_from_until(struct parser *ps, struct prule *r, const struct token *kw)
{
    bool from = is_word(kw, "from");
    unsigned *line = from ? &r->from_line : &r->until_line;

    if (*line != 0)
        return error_at(ps, kw, SARHAD_EFORMAT,
                        "'%s' was already given for this rule",
                        from ? "from" : "until");
    *line = kw->line;
    return read_moment(ps, from ? &r->from : &r->until, !from);
}

static enum sarhad_status
read_during(struct parser *ps, struct prule *r, const struct token *kw)
{
    (void)kw;
    return read_windows(ps, r);
}

static enum sarhad_status
read_at(struct parser *ps, struct prule *r, const struct token *kw)
{
    (void)kw;
    return read_crossings(ps, r);
}

/* direction entry|exit {, entry|exit}. */
static enum sarhad_status
read_directions(struct parser *ps, struct prule *r, const struct token *kw)
{
    if (r->directions != 0)
        return error_at(ps, kw, SARHAD_EFORMAT, "%s",
                        "'direction' was already given for this rule");
    for (;;) {
        if (is_word(&ps->tok, "entry"))
            r->directions |= 1u;
        else if (is_word(&ps->tok, "exit"))
            r->directions |= 2u;
        else
            return expect_error(ps, "entry or exit");
        next(ps);
        if (ps->tok.kind != TOK_COMMA)
            return SARHAD_OK;
        next(ps);
    }
}

/* movement CATEGORY {, CATEGORY}. */
static enum sarhad_status
read_movements(struct parser *ps, struct prule *r, const struct token *kw)
{
    if (r->movements != 0)
        return error_at(ps, kw, SARHAD_EFORMAT, "%s",
                        "'movement' was already given for this rule");
    for (;;) {
        unsigned bit;
        if (ps->tok.kind != TOK_WORD ||
            !movement_bit(ps->tok.text, ps->tok.len, &bit))
            return expect_error(ps, "regular, spontaneous_return, "
                                    "assisted_return or deportation");
        r->movements |= bit;
        next(ps);
        if (ps->tok.kind != TOK_COMMA)
            return SARHAD_OK;
        next(ps);
    }
}

/* nationality, residence, tribe, occupation or purpose: whom the rule is
 * for, as a list of words that may be negated. */
static enum sarhad_status
read_scope_list(struct parser *ps, struct prule *r, const struct token *kw)
{
    if (is_word(kw, "nationality"))
        return read_list(ps, &r->nationality, true, "nationalities");
    if (is_word(kw, "residence"))
        return read_list(ps, &r->residence, true, "districts");
    if (is_word(kw, "tribe"))
        return read_list(ps, &r->tribe, true, "tribes");
    if (is_word(kw, "occupation"))
        return read_list(ps, &r->occupation, true, "occupations");
    return read_list(ps, &r->purpose, true, "purposes");
}

static enum sarhad_status
read_age_clause(struct parser *ps, struct prule *r, const struct token *kw)
{
    (void)kw;
    return read_age(ps, r);
}

/* overstayed, or not overstayed. */
static enum sarhad_status
read_overstayed(struct parser *ps, struct prule *r, const struct token *kw)
{
    if (is_word(kw, "not") && keyword(ps, "overstayed") != SARHAD_OK)
        return ps->status;
    if (r->overstayed >= 0)
        return error_at(ps, kw, SARHAD_EFORMAT, "%s",
                        "'overstayed' was already given for this rule");
    r->overstayed = is_word(kw, "not") ? 0 : 1;
    return SARHAD_OK;
}

/* limit N days in any M days. */
static enum sarhad_status
read_limit(struct parser *ps, struct prule *r, const struct token *kw)
{
    if (r->limit_days != 0)
        return error_at(ps, kw, SARHAD_EFORMAT, "%s",
                        "'limit' was already given for this rule");
    if (read_int(ps, &r->limit_days, 1, 3660, "a number of days") ||
        keyword(ps, "days") || keyword(ps, "in") || keyword(ps, "any") ||
        read_int(ps, &r->limit_window, r->limit_days, 3660,
                 "the length of the period in days") ||
        keyword(ps, "days"))
        return ps->status;
    return SARHAD_OK;
}

/* reason CODE "message", flag CODE "detail". */
static enum sarhad_status
read_reason_or_flag(struct parser *ps, struct prule *r, const struct token *kw)
{
    bool reason = is_word(kw, "reason");
    unsigned *n = reason ? &r->reason_count : &r->flag_count;
    size_t cap =
        reason ? SARHAD_COUNT_OF(r->reasons) : SARHAD_COUNT_OF(r->flags);

    if (*n == cap)
        return error_at(ps, kw, SARHAD_ETOOBIG, "%s",
                        "too many reason or flag lines in one rule");
    if (read_text(ps, reason ? &r->reasons[*n] : &r->flags[*n],
                  "a code such as visa_expired",
                  reason
                      ? sizeof(((struct sarhad_reason *)0)->message)
                      : sizeof(((struct sarhad_flag *)0)->detail)) != SARHAD_OK)
        return ps->status;
    (*n)++;
    return SARHAD_OK;
}

static enum sarhad_status
read_exception(struct parser *ps, struct prule *r, const struct token *kw)
{
    (void)ps;
    (void)kw;
    r->exception = true;
    return SARHAD_OK;
}

/* source "where the rule comes from". */
static enum sarhad_status
read_source(struct parser *ps, struct prule *r, const struct token *kw)
{
    (void)kw;
    if (ps->tok.kind != TOK_STRING)
        return expect_error(ps, "the source in double quotes");
    r->source = sarhad__lex_string(&ps->p->arena, &ps->tok);
    if (r->source == NULL)
        return nomem(ps);
    next(ps);
    return SARHAD_OK;
}

static const struct {
    const char *word;
    clause_reader read;
} clauses[] = {
    {"from", read_from_until},
    {"until", read_from_until},
    {"during", read_during},
    {"at", read_at},
    {"direction", read_directions},
    {"movement", read_movements},
    {"nationality", read_scope_list},
    {"residence", read_scope_list},
    {"tribe", read_scope_list},
    {"occupation", read_scope_list},
    {"purpose", read_scope_list},
    {"age", read_age_clause},
    {"overstayed", read_overstayed},
    {"not", read_overstayed},
    {"limit", read_limit},
    {"admit", read_outcome},
    {"refuse", read_outcome},
    {"refer", read_outcome},
    {"reason", read_reason_or_flag},
    {"flag", read_reason_or_flag},
    {"exception", read_exception},
    {"source", read_source},
};

/* One clause line inside a rule; sets collects its accept lines. */
static enum sarhad_status
read_clause(struct parser *ps, struct prule *r, struct pset *sets)
{
    struct token kw = ps->tok;

    if (kw.kind != TOK_WORD)
        return expect_error(ps, "a rule clause or 'end'");
    next(ps);
    if (is_word(&kw, "accept"))
        return read_accept(ps, sets, &r->set_count);
    for (size_t i = 0; i < sizeof(clauses) / sizeof(clauses[0]); i++)
        if (is_word(&kw, clauses[i].word))
            return clauses[i].read(ps, r, &kw);
    ps->tok = kw;
    return expect_error(ps, "a rule clause (from, until, during, at, "
                            "direction, nationality, residence, tribe, "
                            "occupation, purpose, movement, age, "
                            "overstayed, accept, limit, admit, refuse, "
                            "refer, reason, flag, source, exception) or "
                            "'end'");
}

/* What a rule is before its clauses: in force always, for everyone. */
static void
rule_init(struct prule *r, const struct token *start)
{
    memset(r, 0, sizeof(*r));
    r->from = POLICY_TIME_MIN;
    r->until = POLICY_TIME_MAX;
    r->age_min = r->age_max = -1;
    r->overstayed = -1;
    r->line = start->line;
    r->col = start->col;
}

/* The rest of the line 'rule ID "title"': an id not used before, and a
 * title that may be left out. */
static enum sarhad_status
read_rule_head(struct parser *ps, struct prule *r)
{
    if (ps->tok.kind != TOK_WORD)
        return expect_error(ps, "a rule id such as one-document");
    r->id = sarhad__arena_strndup(&ps->p->arena, ps->tok.text, ps->tok.len);
    if (r->id == NULL)
        return nomem(ps);
    if (ps->tok.len >= sizeof(((struct sarhad_decision *)0)->rule))
        return error_at(ps, &ps->tok, SARHAD_ETOOBIG, "%s",
                        "a rule id is at most 47 characters");
    for (unsigned i = 0; i < ps->p->rule_count; i++)
        if (strcmp(ps->p->rules[i].id, r->id) == 0)
            return error_at(ps, &ps->tok, SARHAD_EFORMAT,
                            "rule id '%s' is already used", r->id);
    ps->rule_id = r->id;
    next(ps);
    if (ps->tok.kind == TOK_STRING) {
        r->title = sarhad__lex_string(&ps->p->arena, &ps->tok);
        if (r->title == NULL)
            return nomem(ps);
        next(ps);
    }
    return end_of_line(ps);
}

/* Clause lines up to 'end' (not taken); start is the rule's keyword. */
static enum sarhad_status
read_rule_body(struct parser *ps, struct prule *r, struct pset *sets,
               const struct token *start)
{
    while (!is_word(&ps->tok, "end")) {
        if (ps->tok.kind == TOK_NEWLINE) {
            next(ps);
            continue;
        }
        if (ps->tok.kind == TOK_EOF)
            return error_at(ps, start, SARHAD_EFORMAT, "%s",
                            "this rule has no 'end'");
        if (read_clause(ps, r, sets) != SARHAD_OK ||
            end_of_line(ps) != SARHAD_OK)
            return ps->status;
    }
    return SARHAD_OK;
}

/* A rule must decide something, and a refusal or referral must say why;
 * the error points at 'end'. */
static enum sarhad_status
check_rule_outcome(struct parser *ps, const struct prule *r)
{
    if (!r->has_outcome)
        return error_at(ps, &ps->tok, SARHAD_EFORMAT, "%s",
                        "expected an outcome (admit, refuse or refer) "
                        "before 'end'");
    if (r->outcome != SARHAD_ADMIT && r->reason_count == 0)
        return error_at(ps, &ps->tok, SARHAD_EFORMAT, "%s",
                        "a refuse or refer rule needs a reason line "
                        "the officer can read out");
    return SARHAD_OK;
}

/* Clauses not given mean every crossing, direction and movement; the
 * accept lines move from the stack into the arena. */
static enum sarhad_status
rule_finish(struct parser *ps, struct prule *r, const struct pset *sets)
{
    if (r->crossings == 0)
        r->crossings = POLICY_ALL_CROSSINGS;
    if (r->directions == 0)
        r->directions = 3u;
    if (r->movements == 0)
        r->movements = 0xFu;
    if (r->set_count > 0) {
        r->sets =
            sarhad__arena_alloc(&ps->p->arena, r->set_count * sizeof(*r->sets));
        if (r->sets == NULL)
            return nomem(ps);
        memcpy(r->sets, sets, r->set_count * sizeof(*sets));
    }
    return SARHAD_OK;
}

static enum sarhad_status
read_rule(struct parser *ps, struct prule *r)
{
    struct pset sets[MAX_SETS];
    struct token start = ps->tok;

    rule_init(r, &start);
    next(ps);
    if (read_rule_head(ps, r) != SARHAD_OK ||
        read_rule_body(ps, r, sets, &start) != SARHAD_OK ||
        check_rule_outcome(ps, r) != SARHAD_OK)
        return ps->status;
    next(ps);
    if (rule_finish(ps, r, sets) != SARHAD_OK)
        return ps->status;
    ps->rule_id = NULL;
    return end_of_line(ps);
}

static enum sarhad_status
read_fines(struct parser *ps)
{
    struct sarhad_policy *p = ps->p;

    if (p->fine_count > 0)
        return error_at(ps, &ps->tok, SARHAD_EFORMAT, "%s",
                        "the fine table was already given");
    next(ps);
    if (end_of_line(ps) != SARHAD_OK)
        return ps->status;
    for (;;) {
        struct pfine *f;
        if (ps->tok.kind == TOK_NEWLINE) {
            next(ps);
            continue;
        }
        if (is_word(&ps->tok, "end"))
            break;
        if (p->fine_count == POLICY_MAX_FINES)
            return error_at(ps, &ps->tok, SARHAD_ETOOBIG, "%s",
                            "more than 8 rows in the fine table");
        if (p->fine_count > 0 && p->fines[p->fine_count - 1].up_to_days < 0)
            return expect_error(ps, "'end' after the 'beyond' row");
        f = &p->fines[p->fine_count];
        if (is_word(&ps->tok, "up-to")) {
            struct token days;
            next(ps);
            days = ps->tok;
            if (read_int(ps, &f->up_to_days, 0, 100000, "a number of days") ||
                keyword(ps, "days") || keyword(ps, "usd") ||
                read_int(ps, &f->usd, 0, 1000000, "an amount in US dollars"))
                return ps->status;
            if (p->fine_count > 0 &&
                f->up_to_days <= p->fines[p->fine_count - 1].up_to_days)
                return error_at(ps, &days, SARHAD_EFORMAT, "%s",
                                "fine rows must go up in days");
        } else if (is_word(&ps->tok, "beyond")) {
            next(ps);
            f->up_to_days = -1;
            if (keyword(ps, "usd") ||
                read_int(ps, &f->usd, 0, 1000000, "an amount in US dollars"))
                return ps->status;
            if (is_word(&ps->tok, "per")) {
                next(ps);
                if (read_int(ps, &f->per_days, 1, 100000, "a number of days") ||
                    keyword(ps, "days"))
                    return ps->status;
            }
        } else {
            return expect_error(ps, "'up-to', 'beyond' or 'end'");
        }
        p->fine_count++;
        if (end_of_line(ps) != SARHAD_OK)
            return ps->status;
    }
    next(ps);
    return end_of_line(ps);
}

/* policy "NAME" version N, from after 'policy'; once, and first. */
static enum sarhad_status
read_policy_line(struct parser *ps, const struct token *kw, bool *have_policy)
{
    struct sarhad_policy *p = ps->p;
    const char *name;

    if (*have_policy)
        return error_at(ps, kw, SARHAD_EFORMAT, "%s",
                        "'policy' is given once, at the top");
    next(ps);
    if (ps->tok.kind != TOK_STRING)
        return expect_error(ps, "the policy's name in double quotes");
    name = sarhad__lex_string(&p->arena, &ps->tok);
    if (name == NULL)
        return nomem(ps);
    if (strlen(name) == 0 || strlen(name) >= sizeof(p->name))
        return error_at(ps, &ps->tok, SARHAD_EFORMAT, "%s",
                        "a policy name is 1 to 47 bytes");
    sarhad__strlcpy(p->name, name, sizeof(p->name));
    next(ps);
    if (keyword(ps, "version") ||
        read_int(ps, &p->version, 0, 1000000000, "a version number"))
        return ps->status;
    *have_policy = true;
    return end_of_line(ps);
}

/* number-format KIND "PATTERN", after the keyword. */
static enum sarhad_status
read_number_format(struct parser *ps)
{
    struct sarhad_policy *p = ps->p;
    enum sarhad_doc_kind kind = SARHAD_DOC_PASSPORT; /* read_doc_kind sets it */
    const char *pattern;
    struct token at;

    if (read_doc_kind(ps, &kind) != SARHAD_OK)
        return ps->status;
    at = ps->tok;
    if (ps->tok.kind != TOK_STRING)
        return expect_error(ps, "a number pattern in double quotes");
    pattern = sarhad__lex_string(&p->arena, &ps->tok);
    if (pattern == NULL)
        return nomem(ps);
    if (!sarhad_id_pattern_is_valid(pattern))
        return error_at(ps, &at, SARHAD_EFORMAT, "%s",
                        "a number pattern is 1-63 printable characters "
                        "with at most two '*'");
    if (p->format_count[kind] == POLICY_MAX_FORMATS)
        return error_at(ps, &at, SARHAD_ETOOBIG, "%s",
                        "more than 4 number formats for one document");
    p->formats[kind][p->format_count[kind]++] = pattern;
    next(ps);
    return SARHAD_OK;
}

static enum sarhad_status
read_header_line(struct parser *ps, bool *have_policy)
{
    struct sarhad_policy *p = ps->p;
    struct token kw = ps->tok;

    if (is_word(&kw, "policy"))
        return read_policy_line(ps, &kw, have_policy);
    if (!*have_policy)
        return error_at(ps, &kw, SARHAD_EFORMAT, "%s",
                        "expected 'policy \"NAME\" version N' first");
    next(ps);
    if (is_word(&kw, "screen-threshold")) {
        if (read_int(ps, &p->screen_threshold, 0, 100, "a score from 0 to 100"))
            return ps->status;
    } else if (is_word(&kw, "default-stay") ||
               is_word(&kw, "blacklist-after")) {
        int *v = is_word(&kw, "default-stay") ? &p->default_stay
                                              : &p->blacklist_after;
        if (read_int(ps, v, 1, 100000, "a number of days") ||
            keyword(ps, "days"))
            return ps->status;
    } else if (is_word(&kw, "number-format")) {
        if (read_number_format(ps) != SARHAD_OK)
            return ps->status;
    } else {
        ps->tok = kw;
        return expect_error(ps, "'rule', 'fines', 'screen-threshold', "
                                "'default-stay', 'blacklist-after' or "
                                "'number-format'");
    }
    return end_of_line(ps);
}

enum sarhad_status
sarhad__policy_parse(struct sarhad_policy *p, const char *filename,
                     const char *text, size_t len, struct sarhad_error *err)
{
    struct parser ps;
    bool have_policy = false;
    unsigned rule_cap = 0;

    memset(&ps, 0, sizeof(ps));
    ps.p = p;
    ps.err = err;
    ps.filename = filename;
    sarhad__lex_init(&ps.lx, text, len);
    next(&ps);
    while (ps.tok.kind != TOK_EOF && ps.status == SARHAD_OK) {
        if (ps.tok.kind == TOK_NEWLINE) {
            next(&ps);
        } else if (is_word(&ps.tok, "rule")) {
            if (!have_policy)
                return error_at(&ps, &ps.tok, SARHAD_EFORMAT, "%s",
                                "expected 'policy \"NAME\" version N' "
                                "first");
            if (p->rule_count == POLICY_MAX_RULES)
                return error_at(&ps, &ps.tok, SARHAD_ETOOBIG, "%s",
                                "more than 4000 rules");
            if (p->rule_count == rule_cap) {
                unsigned cap = rule_cap ? rule_cap * 2 : 32;
                struct prule *rules =
                    sarhad__arena_alloc(&p->arena, cap * sizeof(*rules));
                if (rules == NULL)
                    return nomem(&ps);
                if (p->rule_count > 0)
                    memcpy(rules, p->rules, p->rule_count * sizeof(*rules));
                p->rules = rules;
                rule_cap = cap;
            }
            if (read_rule(&ps, &p->rules[p->rule_count]) != SARHAD_OK)
                return ps.status;
            p->rule_count++;
        } else if (is_word(&ps.tok, "fines")) {
            if (!have_policy)
                return error_at(&ps, &ps.tok, SARHAD_EFORMAT, "%s",
                                "expected 'policy \"NAME\" version N' "
                                "first");
            read_fines(&ps);
        } else if (ps.tok.kind == TOK_WORD) {
            read_header_line(&ps, &have_policy);
        } else {
            expect_error(&ps, "'policy', 'rule' or another top-level line");
        }
    }
    if (ps.status == SARHAD_OK && !have_policy)
        return error_at(&ps, &ps.tok, SARHAD_EFORMAT, "%s",
                        "expected 'policy \"NAME\" version N'");
    return ps.status;
}
