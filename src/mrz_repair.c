/*
 * mrz_repair.c - OCR repair suggestions.  Readers confuse O/0, I/1, B/8,
 * S/5, Z/2, G/6, D/0, Q/0 and M/H.  When a reading fails its checks, this
 * tries those confusions where they make sense (a letter in a numeric
 * position becomes its digit, a digit in an alphabetic position its letter,
 * both ways in document numbers and optional data) in the fields that
 * failed, first one change at a time, then two.  A reading is suggested
 * only when exactly one candidate of the smallest number of changes passes
 * every check: an ambiguous repair is no repair.  The suggestion is never
 * applied to the fields.  Allocates nothing; works on a copy of the lines.
 */
#include "mrz.h"

#include <string.h>

enum { K_NONE = 0, K_ALPHA, K_NUM, K_ALNUM };

/* At most this many single changes are tried in pairs (bounds the work). */
#define MAX_ALTS      96
#define MAX_PAIR_ALTS 64

struct alt {
    uint8_t line, col;
    char c;
};

struct work {
    char buf[MRZ_MAX_LINES][MRZ_MAX_WIDTH];
    const char *lines[MRZ_MAX_LINES];
    uint8_t kind[MRZ_MAX_LINES][MRZ_MAX_WIDTH];
    bool suspect[MRZ_MAX_LINES][MRZ_MAX_WIDTH];
    struct alt alts[MAX_ALTS];
    unsigned alt_count;
};

static void
set_kind(struct work *w, struct mrz_span s, uint8_t kind)
{
    for (unsigned i = 0; i < s.len; i++)
        w->kind[s.line][s.col + i] = kind;
}

static void
mark(struct work *w, struct mrz_span s)
{
    for (unsigned i = 0; i < s.len; i++)
        w->suspect[s.line][s.col + i] = true;
}

static void
classify(struct work *w, const struct mrz_layout *l)
{
    memset(w->kind, K_NONE, sizeof(w->kind));
    set_kind(w, l->document_code, K_ALPHA);
    set_kind(w, l->issuing_state, K_ALPHA);
    set_kind(w, l->name, K_ALPHA);
    set_kind(w, l->nationality, K_ALPHA);
    set_kind(w, l->sex, K_ALPHA);
    set_kind(w, l->document_number, K_ALNUM);
    set_kind(w, l->optional_data, K_ALNUM);
    set_kind(w, l->optional_data_2, K_ALNUM);
    set_kind(w, l->document_number_check, K_NUM);
    set_kind(w, l->birth_date, K_NUM);
    set_kind(w, l->birth_date_check, K_NUM);
    set_kind(w, l->expiry_date, K_NUM);
    set_kind(w, l->expiry_date_check, K_NUM);
    set_kind(w, l->optional_data_check, K_NUM);
    set_kind(w, l->composite_check, K_NUM);
}

/* The positions that could be behind each issue of the failed reading. */
static void
mark_suspects(struct work *w, const struct mrz_layout *l,
              const struct sarhad_mrz *m)
{
    memset(w->suspect, 0, sizeof(w->suspect));
    for (unsigned i = 0; i < m->issue_count; i++) {
        const char *f = m->issues[i].field;
        if (strncmp(f, "document_number", 15) == 0) {
            mark(w, l->document_number);
            mark(w, l->document_number_check);
            if (l->spill)
                mark(w, l->optional_data);
        } else if (strncmp(f, "birth_date", 10) == 0) {
            mark(w, l->birth_date);
            mark(w, l->birth_date_check);
        } else if (strncmp(f, "expiry_date", 11) == 0) {
            mark(w, l->expiry_date);
            mark(w, l->expiry_date_check);
        } else if (strcmp(f, "optional_data_check") == 0) {
            mark(w, l->optional_data);
            mark(w, l->optional_data_check);
        } else if (strcmp(f, "composite_check") == 0) {
            for (unsigned r = 0; r < 4; r++)
                mark(w, l->composite[r]);
            mark(w, l->composite_check);
        } else if (strcmp(f, "sex") == 0) {
            mark(w, l->sex);
        } else if (strcmp(f, "surname") == 0 || strcmp(f, "given_names") == 0) {
            mark(w, l->name);
        } else if (strcmp(f, "issuing_state") == 0) {
            mark(w, l->issuing_state);
        } else if (strcmp(f, "nationality") == 0) {
            mark(w, l->nationality);
        } else if (strcmp(f, "document_code") == 0) {
            mark(w, l->document_code);
        }
    }
}

/* The digit a letter is mistaken for, or 0. */
static char
as_digit(char c)
{
    switch (c) {
    case 'O':
    case 'D':
    case 'Q':
        return '0';
    case 'I':
        return '1';
    case 'B':
        return '8';
    case 'S':
        return '5';
    case 'Z':
        return '2';
    case 'G':
        return '6';
    default:
        return 0;
    }
}

/*
 * The letters a digit is mistaken for, and M/H for each other ("" when
 * none).
 */
static const char *
as_letters(char c)
{
    switch (c) {
    case '0':
        return "O"; /* D and Q are read as 0, but 0 is read back as O */
    case '1':
        return "I";
    case '8':
        return "B";
    case '5':
        return "S";
    case '2':
        return "Z";
    case '6':
        return "G";
    case 'M':
        return "H";
    case 'H':
        return "M";
    default:
        return "";
    }
}

static void
add_alt(struct work *w, unsigned line, unsigned col, char c)
{
    if (w->alt_count < MAX_ALTS)
        w->alts[w->alt_count++] = (struct alt){(uint8_t)line, (uint8_t)col, c};
}

static void
collect(struct work *w, const struct mrz_layout *l)
{
    w->alt_count = 0;
    for (unsigned ln = 0; ln < l->lines; ln++)
        for (unsigned col = 0; col < l->width; col++) {
            char c = w->buf[ln][col];
            uint8_t k = w->kind[ln][col];
            if (!w->suspect[ln][col] || k == K_NONE)
                continue;
            if ((k == K_NUM || k == K_ALNUM) && as_digit(c) != 0)
                add_alt(w, ln, col, as_digit(c));
            /* A letter in a letter field is only suspect where it is not
             * allowed: in the sex field (H for M). */
            if (k == K_ALNUM || (k == K_ALPHA && (c < 'A' || c > 'Z')) ||
                (ln == l->sex.line && col == l->sex.col))
                for (const char *p = as_letters(c); *p != '\0'; p++)
                    add_alt(w, ln, col, *p);
        }
}

static bool
passes(struct work *w, enum sarhad_mrz_format format, struct sarhad_date today)
{
    struct sarhad_mrz m;

    sarhad__mrz_decode(&m, w->lines, format, today, true);
    return m.valid;
}

static void
apply(struct work *w, const struct alt *a, char *saved)
{
    *saved = w->buf[a->line][a->col];
    w->buf[a->line][a->col] = a->c;
}

static void
undo(struct work *w, const struct alt *a, char saved)
{
    w->buf[a->line][a->col] = saved;
}

/* Count passing candidates (stops at 2); the first is left in *found. */
static unsigned
try_singles(struct work *w, enum sarhad_mrz_format format,
            struct sarhad_date today, unsigned found[2])
{
    unsigned hits = 0;

    for (unsigned i = 0; i < w->alt_count && hits < 2; i++) {
        char s;
        apply(w, &w->alts[i], &s);
        if (passes(w, format, today)) {
            found[0] = i;
            hits++;
        }
        undo(w, &w->alts[i], s);
    }
    return hits;
}

static unsigned
try_pairs(struct work *w, enum sarhad_mrz_format format,
          struct sarhad_date today, unsigned found[2])
{
    unsigned hits = 0;

    if (w->alt_count > MAX_PAIR_ALTS)
        return 0;
    for (unsigned i = 0; i < w->alt_count && hits < 2; i++) {
        const struct alt *a = &w->alts[i];
        char sa;
        apply(w, a, &sa);
        for (unsigned j = i + 1; j < w->alt_count && hits < 2; j++) {
            const struct alt *b = &w->alts[j];
            char sb;
            if (b->line == a->line && b->col == a->col)
                continue;
            apply(w, b, &sb);
            if (passes(w, format, today)) {
                found[0] = i;
                found[1] = j;
                hits++;
            }
            undo(w, b, sb);
        }
        undo(w, a, sa);
    }
    return hits;
}

void
sarhad__mrz_repair(struct sarhad_mrz *out, const char *const *lines,
                   enum sarhad_mrz_format format, struct sarhad_date today)
{
    const struct mrz_layout *l = sarhad__mrz_layout(format);
    struct work w;
    unsigned found[2] = {0, 0}, hits, changes = 1;
    char *p = out->suggestion;
    char dummy;

    for (unsigned i = 0; i < l->lines; i++) {
        memcpy(w.buf[i], lines[i], l->width);
        w.lines[i] = w.buf[i];
    }
    classify(&w, l);
    mark_suspects(&w, l, out);
    collect(&w, l);
    hits = try_singles(&w, format, today, found);
    if (hits == 0) {
        hits = try_pairs(&w, format, today, found);
        changes = 2;
    }
    if (hits != 1)
        return;
    for (unsigned i = 0; i < changes; i++)
        apply(&w, &w.alts[found[i]], &dummy);
    for (unsigned i = 0; i < l->lines; i++) {
        if (i > 0)
            *p++ = '\n';
        memcpy(p, w.buf[i], l->width);
        p += l->width;
    }
    *p = '\0';
    out->has_suggestion = true;
}
