/*
 * screen_score.c - scoring a listed name against a query and saying why.
 * Tokens are aligned greedily, best pair first, in any order (names of the
 * region are written given-name-first, surname-first, or with the father's
 * name in between); a token pair scores by what it shares: the same
 * spelling, the same folded spelling, the same consonants (all a vowel-less
 * Arabic-script name can offer), one edit apart, an abbreviation or an
 * initial.  Tokens left over on both sides are tried joined ("Gul Agha" and
 * "Gulagha").  The name score weighs coverage of the query and of the
 * listed name, common elements (Muhammad, Khan) counting half, and a name
 * matched only on common elements is capped.  Evidence then moves the
 * score: birth dates against every listed date and range, nationality,
 * father's name, sex; with none, the score is lowered.
 */
#include "screen.h"
#include "watchlist.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A name matched only on elements this common cannot alert by itself. */
#define COMMON_ONLY_CAP 60

/* Skeleton keys of the name elements so common they say little. */
static const char *const common_keys[] = {
    "mhmd", "hmd", "l", "Kn", "gl", "jn", "S", "sd", "g", "bb",
};

bool
sarhad__screen_is_common(const char *key, const char *folded)
{
    /* Muhammad and Mahmood share their consonants: only the first is
     * everyone's name. */
    if (strcmp(key, "mhmd") == 0)
        return strncmp(folded, "mu", 2) == 0 || strcmp(folded, "mhmd") == 0;
    for (size_t i = 0; i < SARHAD_COUNT_OF(common_keys); i++)
        if (strcmp(key, common_keys[i]) == 0)
            return true;
    return false;
}

struct tok {
    const char *text;
    const char *folded;
    const char *key;
    bool common;
    uint32_t key_id; /* UINT32_MAX when not in the list */
    uint32_t spell;  /* UINT32_MAX when not in the list */
    /* Known beforehand (0: count them): strlen(folded) and its letters. */
    uint32_t flen;
    uint32_t letters;
};

/* The reasons a token pair gives, by number for the similarity cache. */
static const char *const reasons[] = {
    "",
    "same spelling",
    "spelling variant",
    "same consonants (script)",
    "vowel variant",
    "abbreviation",
    "initial",
    "one consonant differs",
    "one letter differs",
    "similar spelling",
    "written joined",
    "OCR confusion",
    "one letter differs as written",
};

size_t
sarhad__osa_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t d[33][33];

    if (la > 32 || lb > 32)
        return la > lb ? la : lb;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c)
                c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c)
                c = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < c)
                c = d[i - 2][j - 2] + 1;
            d[i][j] = c;
        }
    return d[la][lb];
}

static bool
is_muhammad_abbrev(const struct tok *t)
{
    return strcmp(t->folded, "md") == 0 || strcmp(t->folded, "muhd") == 0 ||
           strcmp(t->folded, "mhd") == 0 || strcmp(t->folded, "mu") == 0;
}

/*
 * Whether two strings may be within k edits: every edit changes at most
 * two of the letters present, so letter sets far apart rule a pair out
 * before the edit distance is counted (most pairs a query meets).
 */
uint32_t
sarhad__screen_letters(const char *a)
{
    uint32_t m = 0;

    for (; *a != '\0'; a++)
        m |= 1u << ((unsigned char)*a & 31);
    return m;
}

static bool
masks_within(uint32_t ma, uint32_t mb, size_t k)
{
    /* The letters in one set and not the other, counted in parallel
     * (a hot path of the bound: no loop, no table). */
    uint32_t x = ma ^ mb;

    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (((x + (x >> 4)) & 0x0F0F0F0Fu) * 0x01010101u) >> 24;
    return x <= 2 * k;
}

/* A letter set without h: two spellings whose coarse forms (see below)
 * meet differ in h at most (K, S and C share bits with k, s and c). */
static uint32_t
no_h(uint32_t letters)
{
    return letters & ~(1u << ('h' & 31));
}

size_t
sarhad__screen_coarse(char *out, size_t cap, const char *key)
{
    size_t n = 0;

    for (; *key != '\0' && n + 1 < cap; key++) {
        char c = *key;
        if (c == 'K' || c == 'S' || c == 'C') /* kh, sh, ch */
            c = (char)(c - 'A' + 'a');
        if (c == 'h' || (n > 0 && out[n - 1] == c))
            continue;
        out[n++] = c;
    }
    out[n] = '\0';
    return n;
}

static bool
may_be_within(const char *a, const char *b, size_t k)
{
    return masks_within(sarhad__screen_letters(a), sarhad__screen_letters(b),
                        k);
}

/*
 * A folded spelling as OCR may have misread printed Latin letters: two
 * narrow glyphs read for one wide one, rn for m, cl (folded kl) for d, li
 * for h.  (vv for w needs nothing: w folds to v, doubled letters once.)
 * One confusion at a time (which: 0-2), each of its places read back;
 * returns whether there was any.
 */
static const char ocr_pairs[3][3] = {"rnm", "kld", "lih"};

static bool
ocr_reading(char *out, size_t cap, const char *folded, unsigned which)
{
    const char *p = ocr_pairs[which];
    size_t n = 0;
    bool changed = false;

    for (; *folded != '\0' && n + 1 < cap; folded++) {
        if (folded[0] == p[0] && folded[1] == p[1]) {
            out[n++] = p[2];
            folded++;
            changed = true;
            continue;
        }
        out[n++] = *folded;
    }
    out[n] = '\0';
    return changed;
}

/* Edits between a and b (letter sets la, lb) when one of them is read
 * back for an OCR confusion, the confusion counting as one edit; SIZE_MAX
 * when neither has one that can come within limit edits. */
static size_t
ocr_distance(const char *a, uint32_t la, const char *b, uint32_t lb,
             size_t limit)
{
    char r[32];
    size_t best = SIZE_MAX;

    for (unsigned w = 0; w < SARHAD_COUNT_OF(ocr_pairs); w++) {
        const char *p = ocr_pairs[w];
        uint32_t pair = (1u << (p[0] & 31)) | (1u << (p[1] & 31));
        for (unsigned side = 0; side < 2; side++) {
            const char *x = side ? b : a, *y = side ? a : b;
            uint32_t lx = side ? lb : la, ly = side ? la : lb;
            size_t d;
            /* The reading needs both letters of the pair; and it can
             * only come within the limit with letter sets that close. */
            if ((lx & pair) != pair || !ocr_reading(r, sizeof(r), x, w) ||
                !masks_within(sarhad__screen_letters(r), ly, limit - 1))
                continue;
            d = sarhad__osa_distance(r, y) + 1;
            if (d < best)
                best = d;
        }
    }
    return best;
}

/* Similarity of two tokens with the same consonant skeleton: how far
 * their vowels move. */
static int
same_key_sim(const struct tok *a, const struct tok *b, bool vowelless,
             const char **why)
{
    size_t d;

    if (vowelless) {
        /* Arabic script writes a word-initial vowel (alef), so an
         * initial vowel on both sides or neither still tells apart
         * "amr" ~ Omar from "amr" ~ Mir. */
        bool va = strchr("aeiuy", a->folded[0]) != NULL;
        bool vb = strchr("aeiuy", b->folded[0]) != NULL;
        *why = "same consonants (script)";
        return va == vb ? 93 : 84;
    }
    d = sarhad__osa_distance(a->folded, b->folded);
    *why = "vowel variant";
    /* A word-initial vowel is written (alef, ain), so when one side
     * has it and the other not, and more than that one letter moves,
     * the vowels sit elsewhere: another name (Ahmed and Hamid, Ehsan
     * and Hasan, Umar and Mir), as Arabic script tells them apart. */
    if (d >= 2 && (strchr("aeiou", a->folded[0]) != NULL) !=
                      (strchr("aeiou", b->folded[0]) != NULL))
        return 0;
    /* Vowels carry more of a short name (Umar, Amir, Mir): with the
     * first vowel changed too, two of them make another name. */
    if (strlen(a->key) <= 2)
        return d >= 3 || (d == 2 && a->folded[0] != b->folded[0]) ? 0
               : d == 2                                           ? 72
                                                                  : 88;
    return d >= 3 ? 78 : (int)(96 - 6 * d);
}

/* Similarity of two tokens of a name in Arabic script whose skeletons
 * differ: without vowels only the consonants can be compared, one
 * consonant apart in a long skeleton. */
static int
skeleton_sim(const struct tok *a, const struct tok *b, const char **why)
{
    size_t kl =
        strlen(a->key) > strlen(b->key) ? strlen(a->key) : strlen(b->key);

    if (kl < 5 || !may_be_within(a->key, b->key, 1) ||
        sarhad__osa_distance(a->key, b->key) != 1)
        return 0;
    *why = "one consonant differs";
    return 74;
}

/* The edit distance of the folded spellings a and b (letter sets la and
 * lb), or limit + 1 when it is more: a digraph's h moved counts one edit,
 * as does an OCR confusion (*ocr set when that is what brings it
 * closest). */
static size_t
typo_distance(const struct tok *a, uint32_t la, const struct tok *b,
              uint32_t lb, size_t limit, bool *ocr)
{
    size_t fd = masks_within(la, lb, limit)
                    ? sarhad__osa_distance(a->folded, b->folded)
                    : limit + 1;

    *ocr = false;
    /* A typo that moves the h of a digraph ("Ahkund", "Krhairullah")
     * changes two folded letters; their coarse forms, without h and
     * with the digraphs read as their first letter, are one edit
     * apart. */
    if (fd > limit && masks_within(no_h(la), no_h(lb), limit - 1)) {
        char ca[32] = "", cb[32] = "";
        sarhad__screen_coarse(ca, sizeof(ca), a->folded);
        sarhad__screen_coarse(cb, sizeof(cb), b->folded);
        if (sarhad__osa_distance(ca, cb) + 1 < fd)
            fd = sarhad__osa_distance(ca, cb) + 1;
    }
    if (fd > limit) {
        size_t od = ocr_distance(a->folded, la, b->folded, lb, limit);
        if (od < fd) {
            fd = od;
            *ocr = true;
        }
    }
    return fd;
}

/* Similarity of two Latin tokens of fa and fb folded letters whose
 * skeletons differ: a typo or two in a long one. */
static int
typo_sim(const struct tok *a, size_t fa, const struct tok *b, size_t fb,
         const char **why)
{
    size_t fl = fa > fb ? fa : fb;
    size_t fd;
    int sim;
    bool ocr;
    /* Short names differ by a letter and are other names (Turi and
     * Guri); a long one may carry a typo or two. */
    size_t limit = fl <= 4 ? 0u : fl <= 7 ? 1u : 2u;
    uint32_t la, lb;

    /* A length gap alone can rule a pair out before the edit
     * distance is counted. */
    if ((fl - (fa < fb ? fa : fb)) * 100 > fl * 30 || limit == 0)
        return 0;
    la = a->letters ? a->letters : sarhad__screen_letters(a->folded);
    lb = b->letters ? b->letters : sarhad__screen_letters(b->folded);
    fd = typo_distance(a, la, b, lb, limit, &ocr);
    if (fd > limit)
        return 0;
    sim = (int)(100 - (100 * fd) / fl);
    if (sim < 70)
        return 0;
    *why = ocr       ? "OCR confusion"
           : fd == 1 ? "one letter differs"
                     : "similar spelling";
    return sim;
}

/* Similarity 0-100 of two tokens and the reason. */
static int
tok_sim(const struct tok *a, const struct tok *b, bool vowelless,
        const char **why)
{
    size_t fa, fb;

    if ((a->spell != UINT32_MAX && a->spell == b->spell) ||
        (a->spell == UINT32_MAX && strcmp(a->folded, b->folded) == 0)) {
        *why = strcmp(a->text, b->text) == 0 ? "same spelling"
                                             : "spelling variant";
        return 100;
    }
    if (a->key[0] != '\0' &&
        (a->key_id != UINT32_MAX ? a->key_id == b->key_id
                                 : strcmp(a->key, b->key) == 0))
        return same_key_sim(a, b, vowelless, why);
    fa = a->flen ? a->flen : strlen(a->folded);
    fb = b->flen ? b->flen : strlen(b->folded);
    if ((fb <= 4 && strcmp(a->key, "mhmd") == 0 && is_muhammad_abbrev(b)) ||
        (fa <= 4 && strcmp(b->key, "mhmd") == 0 && is_muhammad_abbrev(a))) {
        *why = "abbreviation";
        return 90;
    }
    if (fa == 1 || fb == 1) {
        if (a->folded[0] == b->folded[0]) {
            *why = "initial";
            return 60;
        }
        return 0;
    }
    if (vowelless)
        return skeleton_sim(a, b, why);
    return typo_sim(a, fa, b, fb, why);
}

/*
 * A slip in the writing.  Folding can turn one slipped letter into two or
 * more ("Zair" folds to "zer", three letters from Zakir's "zakir";
 * "Aknund" to two from Akhund's "aKund"; "Qursehi" to "kurseh", two from
 * Qureshi's "kureS"), so the written forms (lowercase, before folding)
 * are compared too: one letter apart (changed, added, dropped, or two
 * neighbours swapped) from WRITTEN_MIN written letters on, never in a
 * shorter name (Turi is not Guri), with the similarity a folded letter
 * gets (100 less its share of the longer form).  Two slips are left to
 * the folded comparison, which allows them in long names.
 */
int
sarhad__screen_written(const char *a, size_t la, uint32_t ma, const char *b,
                       size_t lb, uint32_t mb, const char **why)
{
    size_t fl = la > lb ? la : lb;

    if (fl < WRITTEN_MIN || fl > 31 || la + 1 < lb || lb + 1 < la ||
        !masks_within(ma, mb, 1) || sarhad__osa_distance(a, b) != 1)
        return 0;
    if (why != NULL)
        *why = "one letter differs as written";
    return (int)(100 - 100 / fl);
}

/* The best written similarity of text (length tl, letters tm) to a
 * written form of spelling sp. */
static int
written_best(const struct sarhad_screener *s, const char *text, size_t tl,
             uint32_t tm, uint32_t sp)
{
    int best = 0;

    for (uint32_t i = s->spell_text_start[sp]; i < s->spell_text_start[sp + 1];
         i++) {
        uint32_t t = s->spell_texts[i];
        int w =
            sarhad__screen_written(text, tl, tm, s->texts.items[t],
                                   s->text_len[t], s->text_letters[t], NULL);
        best = w > best ? w : best;
    }
    return best;
}

int
sarhad__screen_spell_sim(const struct sarhad_screener *s, const char *text,
                         const char *folded, const char *key, uint32_t sp)
{
    uint32_t k = s->spell_key[sp];
    struct tok a = {folded,
                    folded,
                    key,
                    false,
                    UINT32_MAX,
                    UINT32_MAX,
                    (uint32_t)strlen(folded),
                    sarhad__screen_letters(folded)};
    struct tok b = {s->spells.items[sp],
                    s->spells.items[sp],
                    s->keys.items[k],
                    false,
                    k,
                    sp,
                    s->spell_len[sp],
                    s->spell_letters[sp]};
    const char *why;
    int latin = tok_sim(&a, &b, false, &why);
    int script = tok_sim(&a, &b, true, &why);

    if (text != NULL && latin < 100) {
        int w = written_best(s, text, strlen(text),
                             sarhad__screen_letters(text), sp);
        latin = w > latin ? w : latin;
    }
    return latin > script ? latin : script;
}

/* ---- alignment --------------------------------------------------------- */

struct match {
    unsigned qmask;
    unsigned cmask;
    int sim;
    const char *why;
};

struct alignment {
    unsigned count;
    struct match m[SARHAD_NAME_MAX_TOKENS];
    unsigned qused, cused;
    int score; /* the name score 0-100 */
    bool common_only;
};

static void
join_tok(char *folded, char *key, char *text, const struct tok *a,
         const struct tok *b)
{
    size_t fa = strlen(a->folded), fb = strlen(b->folded);
    size_t ta = strlen(a->text), tb = strlen(b->text);

    if (fa + fb > 31)
        fb = 31 - fa;
    memcpy(folded, a->folded, fa);
    memcpy(folded + fa, b->folded, fb);
    folded[fa + fb] = '\0';
    sarhad__name_skeleton(key, 24, folded);
    if (ta + tb > 46)
        tb = 46 - ta;
    memcpy(text, a->text, ta);
    text[ta] = ' ';
    memcpy(text + ta + 1, b->text, tb);
    text[ta + 1 + tb] = '\0';
}

static int
reason_code(const char *why)
{
    for (size_t i = 1; i < SARHAD_COUNT_OF(reasons); i++)
        if (strcmp(reasons[i], why) == 0)
            return (int)i;
    return 0;
}

/* tok_sim through the query's cache: most listed names share spellings. */
static int
cached_sim(struct scr_cache *cache, unsigned i, const struct tok *a,
           const struct tok *b, bool vowelless, const char **why)
{
    uint32_t tag, slot;
    int sim;

    if (cache == NULL || b->spell == UINT32_MAX)
        return tok_sim(a, b, vowelless, why);
    tag = (b->spell * 16 + i) * 2 + vowelless + 1;
    slot = (tag * 2654435761u) >> 18; /* 14 bits: SCR_CACHE slots */
    if (cache->tag[slot] == tag) {
        *why = reasons[cache->why[slot]];
        if (cache->sim[slot] == 100 && a->spell == b->spell)
            *why = strcmp(a->text, b->text) == 0 ? "same spelling"
                                                 : "spelling variant";
        return cache->sim[slot];
    }
    *why = "";
    sim = tok_sim(a, b, vowelless, why);
    cache->tag[slot] = tag;
    cache->sim[slot] = (uint8_t)sim;
    cache->why[slot] = (uint8_t)reason_code(*why);
    return sim;
}

/* The token pairs align may join: neighbours first, then any two of the
 * first eight (on the query side), then the neighbours past them -- at
 * most 32, so that the bound keeps one bit for each. */
static const uint8_t join_pairs[32][2] = {
    {0, 1}, {1, 2},  {2, 3},   {3, 4}, {4, 5}, {5, 6}, {6, 7}, {7, 8},
    {8, 9}, {9, 10}, {10, 11}, {0, 2}, {1, 3}, {2, 4}, {3, 5}, {4, 6},
    {5, 7}, {0, 3},  {1, 4},   {2, 5}, {3, 6}, {4, 7}, {0, 4}, {1, 5},
    {2, 6}, {3, 7},  {0, 5},   {1, 6}, {2, 7}, {0, 6}, {1, 7}, {0, 7},
};

/* The two names align compares: the query's m tokens and the listed
 * name's n. */
struct sides {
    const struct tok *q;
    unsigned m;
    const struct tok *c;
    unsigned n;
    bool vowelless; /* either name is in Arabic script */
};

/* The similarity of every query token to every listed token, and why. */
struct sim_matrix {
    int sim[SARHAD_NAME_MAX_TOKENS][SARHAD_NAME_MAX_TOKENS];
    const char *why[SARHAD_NAME_MAX_TOKENS][SARHAD_NAME_MAX_TOKENS];
};

static void
fill_sims(const struct sides *sd, struct scr_cache *cache,
          struct sim_matrix *mx)
{
    const struct tok *q = sd->q, *c = sd->c;
    size_t tl[SARHAD_NAME_MAX_TOKENS] = {0}, cl; /* written lengths + 1 */

    for (unsigned i = 0; i < sd->m; i++)
        for (unsigned j = 0; j < sd->n; j++) {
            const char *why = "";
            int w;
            mx->sim[i][j] = cached_sim(cache, i, &q[i], &c[j], sd->vowelless,
                                       &mx->why[i][j]);
            /* A slip in the writing (not in Arabic script, which writes
             * no vowels to slip on). */
            if (sd->vowelless || mx->sim[i][j] >= 100)
                continue;
            tl[i] = tl[i] ? tl[i] : strlen(q[i].text) + 1;
            cl = strlen(c[j].text);
            if (cl + 2 < tl[i] || tl[i] > cl + 2 ||
                (cl < WRITTEN_MIN && tl[i] <= WRITTEN_MIN))
                continue;
            w = sarhad__screen_written(
                q[i].text, tl[i] - 1, sarhad__screen_letters(q[i].text),
                c[j].text, cl, sarhad__screen_letters(c[j].text), &why);
            if (w > mx->sim[i][j]) {
                mx->sim[i][j] = w;
                mx->why[i][j] = why;
            }
        }
}

/* Match tokens one to one, the most similar free pair first. */
static void
match_greedily(const struct sim_matrix *mx, unsigned m, unsigned n,
               struct alignment *al)
{
    for (;;) {
        int best = 0;
        unsigned bi = 0, bj = 0;
        for (unsigned i = 0; i < m; i++) {
            if (al->qused & (1u << i))
                continue;
            for (unsigned j = 0; j < n; j++)
                if (!(al->cused & (1u << j)) && mx->sim[i][j] > best) {
                    best = mx->sim[i][j];
                    bi = i;
                    bj = j;
                }
        }
        if (best == 0)
            break;
        al->qused |= 1u << bi;
        al->cused |= 1u << bj;
        al->m[al->count++] =
            (struct match){1u << bi, 1u << bj, best, mx->why[bi][bj]};
    }
}

/* One side's leftover tokens (x) tried joined against the other side's
 * (y); side 0 joins query tokens, side 1 listed ones. */
struct join_side {
    const struct tok *x, *y;
    unsigned xn, yn;
    unsigned *xu, *yu; /* the tokens used on each side */
    int side;
    bool vowelless;
};

/* Whether a free token of y is about as long as two tokens of x joined
 * (jl folded letters, or for two query words tj written letters). */
static bool
join_fits(const struct join_side *js, size_t jl, size_t tj)
{
    for (unsigned j = 0; j < js->yn; j++) {
        size_t yl = strlen(js->y[j].folded), yt = strlen(js->y[j].text);
        if (!(*js->yu & (1u << j)) &&
            ((yl + 2 >= jl && yl <= jl + 2) ||
             (js->side == 0 && !js->vowelless && yt + 1 >= tj && yt <= tj + 1)))
            return true;
    }
    return false;
}

/* The similarity of joined (written wt, tj letters) to token yj, with
 * *why set when it is a match. */
static int
joined_sim(const struct join_side *js, const struct tok *joined, const char *wt,
           size_t tj, const struct tok *yj, const char **why)
{
    int sim;

    *why = "written joined";
    sim = tok_sim(joined, yj, js->vowelless, why);
    *why = "written joined";
    /* Two query words the list writes as one, with a slip in the writing
     * ("Adul Wahid" for Abdulwahid, "Fazal Rhaim" for Fazalrahim). */
    if (sim < 90 && js->side == 0 && !js->vowelless) {
        int w = sarhad__screen_written(wt, tj, sarhad__screen_letters(wt),
                                       yj->text, strlen(yj->text),
                                       sarhad__screen_letters(yj->text), NULL);
        if (w >= 90) {
            sim = w;
            *why = "joined, a letter differs as written";
        }
    }
    return sim;
}

/* Tokens first and second of x joined, in that order, matched to the
 * first free token of y they meet at 90 or more.  Returns whether they
 * did. */
static bool
join_match(const struct join_side *js, unsigned first, unsigned second,
           size_t tj, struct alignment *al)
{
    char f[32], k[24], t[48], wt[64];
    struct tok joined = {t, f, k, false, UINT32_MAX, UINT32_MAX, 0, 0};
    unsigned both = (1u << first) | (1u << second);

    join_tok(f, k, t, &js->x[first], &js->x[second]);
    snprintf(wt, sizeof(wt), "%s%s", js->x[first].text, js->x[second].text);
    for (unsigned j = 0; j < js->yn; j++) {
        const char *why;
        int sim;
        if (*js->yu & (1u << j))
            continue;
        sim = joined_sim(js, &joined, wt, tj, &js->y[j], &why);
        if (sim >= 90) {
            *js->xu |= both;
            *js->yu |= 1u << j;
            al->m[al->count++] =
                (struct match){js->side == 0 ? both : 1u << j,
                               js->side == 0 ? 1u << j : both, sim, why};
            return true;
        }
    }
    return false;
}

/*
 * Any two tokens, in either order, on both sides: a name written in
 * another order may have split a compound ("Rahman ... Abdur" for Abdur
 * Rahman), and the normaliser joins a second element with the word now
 * before it ("Tareen Qadir" read as one compound for Qadir Tareen, "Hanif
 * Din Mohammad" for Din Mohammad Hanif), which only the listed tokens
 * taken in the other order can meet.
 */
static void
join_leftovers(const struct join_side *js, struct alignment *al)
{
    const struct tok *x = js->x;

    for (unsigned p = 0; p < SARHAD_COUNT_OF(join_pairs); p++) {
        unsigned i = join_pairs[p][0], i2 = join_pairs[p][1];
        size_t jl, tj;
        if (i2 >= js->xn)
            continue;
        if (*js->xu & ((1u << i) | (1u << i2)))
            continue;
        /* Only a token about as long as the two could be them (as
         * folded, or for two query words as written). */
        jl = strlen(x[i].folded) + strlen(x[i2].folded);
        tj = strlen(x[i].text) + strlen(x[i2].text);
        if (!join_fits(js, jl, tj))
            continue;
        if (!join_match(js, i, i2, tj, al))
            join_match(js, i2, i, tj, al);
    }
}

/* The weights of both names and of what matched: common elements count
 * half, a match its similarity's share. */
struct align_weights {
    double wq, wc, mq, mc;
    unsigned matched;
    bool any_rare; /* a token matched that is not a common element */
};

static void
weigh(const struct sides *sd, const struct alignment *al,
      struct align_weights *w)
{
    const struct tok *q = sd->q, *c = sd->c;

    for (unsigned i = 0; i < sd->m; i++)
        w->wq += q[i].common ? 0.5 : 1.0;
    for (unsigned j = 0; j < sd->n; j++)
        w->wc += c[j].common ? 0.5 : 1.0;
    for (unsigned k = 0; k < al->count; k++) {
        const struct match *mt = &al->m[k];
        for (unsigned i = 0; i < sd->m; i++)
            if (mt->qmask & (1u << i)) {
                w->mq += (q[i].common ? 0.5 : 1.0) * mt->sim / 100.0;
                w->any_rare = w->any_rare || !q[i].common;
            }
        for (unsigned j = 0; j < sd->n; j++)
            if (mt->cmask & (1u << j)) {
                w->mc += (c[j].common ? 0.5 : 1.0) * mt->sim / 100.0;
                w->any_rare = w->any_rare || !c[j].common;
            }
        w->matched++;
    }
}

/* The name score from the weights; q_joined when the query was written
 * in more words than it has tokens. */
static void
score_alignment(const struct sides *sd, const struct align_weights *w,
                bool q_joined, struct alignment *al)
{
    unsigned m = sd->m, n = sd->n;
    double base;

    if (w->wq <= 0 || w->wc <= 0 || w->matched == 0) {
        al->score = 0;
        return;
    }
    base = 100.0 * (0.55 * w->mq / w->wq + 0.45 * w->mc / w->wc);
    /* One of several words matched is a weak match; but a query written
     * as two words or more that the normaliser joined into one compound
     * ("Abdul Rauf"), matched whole, is a listed name with a name dropped
     * (Abdul Rauf Zakir), not one word of it. */
    if (w->matched == 1 && (m > 1 || n > 1) &&
        !(q_joined && m == 1 && al->qused == 1u))
        base *= 0.85;
    /* Common elements matched while others are left over ("Muhammad Khan"
     * against "Muhammad Yusuf Khan") say little; the whole of a name made
     * of common elements is still that name. */
    al->common_only = !w->any_rare && (al->qused != (1u << m) - 1 ||
                                       al->cused != (1u << n) - 1);
    if (al->common_only && base > COMMON_ONLY_CAP)
        base = COMMON_ONLY_CAP;
    al->score = (int)(base + 0.5);
}

static void
align(const struct tok *q, unsigned m, const struct tok *c, unsigned n,
      bool vowelless, bool q_joined, struct scr_cache *cache,
      struct alignment *al)
{
    const struct sides sd = {q, m, c, n, vowelless};
    struct sim_matrix mx;
    struct align_weights w = {0, 0, 0, 0, 0, false};

    memset(al, 0, sizeof(*al));
    fill_sims(&sd, cache, &mx);
    match_greedily(&mx, m, n, al);
    /* Leftovers on both sides: try two adjacent tokens as one. */
    for (int side = 0; side < 2 && al->count < SARHAD_NAME_MAX_TOKENS; side++) {
        const struct join_side js = {side == 0 ? q : c,
                                     side == 0 ? c : q,
                                     side == 0 ? m : n,
                                     side == 0 ? n : m,
                                     side == 0 ? &al->qused : &al->cused,
                                     side == 0 ? &al->cused : &al->qused,
                                     side,
                                     vowelless};
        join_leftovers(&js, al);
    }
    weigh(&sd, al, &w);
    score_alignment(&sd, &w, q_joined, al);
}

/* Words the name was written in, the titles and connectors left out not
 * counted: more than its tokens when the normaliser joined a compound. */
unsigned
sarhad__screen_written_words(const struct sarhad_name *n)
{
    unsigned words = 0, removed = 0;
    bool in = false;

    for (const char *p = n->latin; *p != '\0'; p++) {
        words += !in && *p != ' ';
        in = *p != ' ';
    }
    in = false;
    for (const char *p = n->removed; *p != '\0'; p++) {
        removed += !in && *p != ' ';
        in = *p != ' ';
    }
    return words > removed ? words - removed : 0;
}

static unsigned
toks_of_name(struct tok *out, const struct sarhad_name *n)
{
    for (unsigned i = 0; i < n->token_count; i++)
        out[i] = (struct tok){
            n->tokens[i].text,
            n->tokens[i].folded,
            n->tokens[i].key,
            sarhad__screen_is_common(n->tokens[i].key, n->tokens[i].folded),
            UINT32_MAX,
            UINT32_MAX,
            0,
            0};
    return n->token_count;
}

/* Query token i as the token scorer takes it. */
static struct tok
query_tok(const struct scr_query *q, unsigned i)
{
    return (struct tok){q->name.tokens[i].text,
                        q->name.tokens[i].folded,
                        q->name.tokens[i].key,
                        q->common[i],
                        q->keys[i],
                        q->spells[i],
                        q->qlen[i],
                        q->letters[i]};
}

static unsigned
toks_of_query(struct tok *out, const struct scr_query *q)
{
    for (unsigned i = 0; i < q->name.token_count; i++)
        out[i] = query_tok(q, i);
    return q->name.token_count;
}

static unsigned
toks_of_listed(struct tok *out, const struct sarhad_screener *s,
               const struct scr_name *nm)
{
    for (unsigned i = 0; i < nm->tok_count; i++) {
        const struct scr_token *t = &s->tokens[nm->tok_start + i];
        out[i] = (struct tok){t->text,
                              t->folded,
                              s->keys.items[t->key],
                              t->common != 0,
                              t->key,
                              t->spell,
                              t->flen,
                              s->spell_letters[t->spell]};
    }
    return nm->tok_count;
}

int
sarhad__screen_name_score(const struct sarhad_name *a,
                          const struct sarhad_name *b)
{
    struct tok ta[SARHAD_NAME_MAX_TOKENS], tb[SARHAD_NAME_MAX_TOKENS];
    struct alignment al;
    unsigned m = toks_of_name(ta, a), n = toks_of_name(tb, b);

    align(ta, m, tb, n, a->vowelless || b->vowelless,
          sarhad__screen_written_words(a) > m, NULL, &al);
    return al.score;
}

/* ---- evidence ---------------------------------------------------------- */

static int add_evidence(struct sarhad_candidate *c, const char *what,
                        int points, const char *fmt, ...) SARHAD_PRINTF(4, 5);

static int
add_evidence(struct sarhad_candidate *c, const char *what, int points,
             const char *fmt, ...)
{
    if (c != NULL && c->evidence_count < SARHAD_COUNT_OF(c->evidence)) {
        struct sarhad_evidence *e = &c->evidence[c->evidence_count++];
        va_list ap;
        sarhad__strlcpy(e->what, what, sizeof(e->what));
        e->points = points;
        va_start(ap, fmt);
        vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
        va_end(ap);
    }
    return points;
}

/* The points the query's date of birth earns against listed date or
 * range b: *d gets how many years apart they are (0 inside the range),
 * *swapped whether the day and the month are swapped. */
static int
birth_match_points(const struct scr_query *q, const struct sarhad_birth *b,
                   int *d, bool *swapped)
{
    struct sarhad_date lo = q->dob, hi = q->dob;
    bool both_exact;
    int pts;

    *swapped = false;
    *d = 0;
    if (q->dob.year == 0) {
        lo = (struct sarhad_date){(int16_t)q->birth_year, 1, 1};
        hi = (struct sarhad_date){(int16_t)q->birth_year, 12, 31};
    }
    if (q->dob.year != 0 && sarhad_date_cmp(b->from, b->to) == 0 &&
        sarhad_date_cmp(b->from, q->dob) == 0)
        return 12;
    if (sarhad_date_cmp(hi, b->from) >= 0 && sarhad_date_cmp(lo, b->to) <= 0)
        /* Inside the listed year or range; a wide range says less, and
         * so does a circa year, which is as true two years off. */
        return b->approximate ? 4 : b->to.year - b->from.year > 3 ? 5 : 8;
    both_exact = q->dob.year != 0 && sarhad_date_cmp(b->from, b->to) == 0;
    *d = q->birth_year < b->from.year ? b->from.year - q->birth_year
                                      : q->birth_year - b->to.year;
    if (both_exact && q->dob.year == b->from.year &&
        q->dob.month == b->from.day && q->dob.day == b->from.month) {
        *swapped = true;
        *d = 0;
        return 4; /* day and month swapped: a clerk's slip */
    }
    if (both_exact) {
        /* Two exact dates that differ are evidence against. */
        pts = *d == 0 ? -30 : *d == 1 ? -30 : *d < 5 ? -35 : -40;
        *d = *d == 0 ? 1 : *d;
        return pts;
    }
    if (b->approximate)
        *d -= 2;
    return *d <= 0 ? 4 : *d == 1 ? -5 : *d < 5 ? -25 : -40;
}

/* The sentence for the best points a date earned against listed (best_d
 * years apart). */
static void
birth_sentence(char *buf, size_t cap, int best, int best_d, const char *listed)
{
    if (best == 12)
        snprintf(buf, cap, "born %s as listed (+12)", listed);
    else if (best == 8 || best == 5)
        snprintf(buf, cap, "born within listed %s (+%d)", listed, best);
    else if (best == 4)
        snprintf(buf, cap, "born near listed %s (+4)", listed);
    else if (best == -30 && best_d == 1)
        snprintf(buf, cap, "born another day than listed %s (-30)", listed);
    else if (best == -5)
        snprintf(buf, cap, "born a year from listed %s (%d)", listed, best);
    else
        snprintf(buf, cap,
                 "born %d years from every listed date, nearest %s (%d)",
                 best_d, listed, best);
}

static int
birth_points(const struct sarhad_screener *s, const struct scr_query *q,
             const struct scr_entry *e, struct sarhad_candidate *c,
             bool *strong)
{
    int best = -1000, best_d = 0;
    bool best_strong = false;
    char listed[40] = "", buf[160]; /* room for the longest sentence */

    *strong = false;
    if (q->birth_year == 0)
        return 0;
    if (e->birth_count == 0)
        return add_evidence(c, "birth_date", 0, "%sno birth date listed", "");
    for (unsigned i = 0; i < e->birth_count; i++) {
        const struct sarhad_birth *b = &s->births[e->birth_start + i];
        int d;
        bool swapped;
        int pts = birth_match_points(q, b, &d, &swapped);
        if (pts > best) {
            best = pts;
            best_d = d;
            /* A year inside a wide range or near a circa date is true of
             * one traveller in ten; a listed year, a narrow range, the
             * day itself or the day with its month swapped are not. */
            best_strong = pts >= 8 || swapped;
            sarhad_birth_format(listed, sizeof(listed), b);
        }
    }
    *strong = best_strong;
    birth_sentence(buf, sizeof(buf), best, best_d, listed);
    return add_evidence(c, "birth_date", best, "%s", buf);
}

static int
evidence(const struct sarhad_screener *s, const struct scr_query *q,
         const struct scr_entry *e, struct sarhad_candidate *c)
{
    int total = 0;
    bool support = false;

    /* Weak date evidence adds its points but is not the support that
     * spares a name-only match its mark-down. */
    total += birth_points(s, q, e, c, &support);
    if (q->nat[0] != '\0' && e->nat_count > 0) {
        bool same = false;
        for (unsigned i = 0; i < e->nat_count; i++)
            same = same || strcmp(e->nats[i], q->nat) == 0;
        if (same) {
            total += add_evidence(c, "nationality", 4,
                                  "nationality %s is listed (+4)", q->nat);
            support = true;
        } else {
            total += add_evidence(c, "nationality", -12,
                                  "nationality %s is not listed (-12)", q->nat);
        }
    }
    if (q->has_father && e->father != UINT32_MAX) {
        struct tok tq[SARHAD_NAME_MAX_TOKENS], tl[SARHAD_NAME_MAX_TOKENS];
        struct alignment al;
        const struct scr_name *fn = &s->names[e->father];
        unsigned m = toks_of_name(tq, &q->father);
        unsigned n = toks_of_listed(tl, s, fn);
        char detail[64];
        align(tq, m, tl, n, q->father.vowelless || fn->vowelless,
              sarhad__screen_written_words(&q->father) > m, NULL, &al);
        if (al.score >= 80) {
            snprintf(detail, sizeof(detail), "%d", al.score);
            total += add_evidence(c, "father_name", 10,
                                  "father's name matches (%s) (+10)", detail);
            support = true;
        } else if (al.score <= 45) {
            snprintf(detail, sizeof(detail), "%d", al.score);
            total += add_evidence(c, "father_name", -20,
                                  "father's name differs (%s) (-20)", detail);
        } else {
            snprintf(detail, sizeof(detail), "%d", al.score);
            add_evidence(c, "father_name", 0,
                         "father's name is unsure (%s) (0)", detail);
        }
    }
    if (q->sex != 0 && e->sex != 0 && q->sex != e->sex)
        total += add_evidence(c, "sex", -25, "%slisted sex differs (-25)", "");
    if (!support)
        total += add_evidence(c, "none", -5,
                              "%sno supporting evidence: name only (-5)", "");
    return total;
}

/* ---- the candidate --------------------------------------------------- */

static void
describe(struct sarhad_candidate *c, const struct tok *q, unsigned m,
         const struct tok *l, unsigned n, const struct alignment *al)
{
    size_t un = 0;

    c->match_count = 0;
    for (unsigned k = 0; k < al->count && k < SARHAD_NAME_MAX_TOKENS; k++) {
        struct sarhad_token_match *tm = &c->matches[c->match_count++];
        size_t a = 0, b = 0;
        tm->query[0] = tm->listed[0] = '\0';
        for (unsigned i = 0; i < m; i++)
            if (al->m[k].qmask & (1u << i))
                a += (size_t)snprintf(tm->query + a, sizeof(tm->query) - a,
                                      "%s%s", a ? " " : "", q[i].text);
        for (unsigned j = 0; j < n; j++)
            if (al->m[k].cmask & (1u << j))
                b += (size_t)snprintf(tm->listed + b, sizeof(tm->listed) - b,
                                      "%s%s", b ? " " : "", l[j].text);
        tm->similarity = al->m[k].sim;
        sarhad__strlcpy(tm->why, al->m[k].why, sizeof(tm->why));
    }
    c->unmatched[0] = '\0';
    for (unsigned i = 0; i < m; i++)
        if (!(al->qused & (1u << i)) &&
            un + strlen(q[i].text) + 10 < sizeof(c->unmatched))
            un += (size_t)snprintf(c->unmatched + un, sizeof(c->unmatched) - un,
                                   "%s%s", un ? " " : "", q[i].text);
    for (unsigned j = 0; j < n; j++)
        if (!(al->cused & (1u << j)) &&
            un + strlen(l[j].text) + 10 < sizeof(c->unmatched))
            un += (size_t)snprintf(c->unmatched + un, sizeof(c->unmatched) - un,
                                   "%slisted:%s", un ? " " : "", l[j].text);
}

static void
write_why(struct sarhad_candidate *c)
{
    char *w = c->hit.why;
    size_t cap = sizeof(c->hit.why), n = 0;

    n += (size_t)snprintf(w, cap, "name %d:", c->name_score);
    for (unsigned k = 0; k < c->match_count && n < cap; k++)
        n += (size_t)snprintf(w + n, cap - n, "%s %s%s%s (%s)", k ? "," : "",
                              c->matches[k].query,
                              c->matches[k].similarity == 100 ? "=" : "~",
                              c->matches[k].listed, c->matches[k].why);
    if (c->unmatched[0] != '\0' && n < cap)
        n += (size_t)snprintf(w + n, cap - n, "; unmatched %s", c->unmatched);
    for (unsigned k = 0; k < c->evidence_count && n < cap; k++)
        n += (size_t)snprintf(w + n, cap - n, "; %s", c->evidence[k].detail);
}

int
sarhad__screen_score(const struct sarhad_screener *s, const struct scr_query *q,
                     uint32_t name_index, struct sarhad_candidate *c)
{
    const struct scr_name *nm = &s->names[name_index];
    const struct scr_entry *e = &s->entries[nm->entry];
    struct tok tq[SARHAD_NAME_MAX_TOKENS], tl[SARHAD_NAME_MAX_TOKENS];
    struct alignment al;
    unsigned m = toks_of_query(tq, q), n = toks_of_listed(tl, s, nm);
    int score;

    align(tq, m, tl, n, q->name.vowelless || nm->vowelless,
          sarhad__screen_written_words(&q->name) > m, q->cache, &al);
    if (c != NULL) {
        memset(c, 0, sizeof(*c));
        c->name_score = al.score;
    }
    score = al.score + evidence(s, q, e, c);
    score = score < 0 ? 0 : score > 100 ? 100 : score;
    if (c == NULL)
        return score;
    c->hit.score = score;
    sarhad__strlcpy(c->hit.entry_id, s->strings + e->id_off,
                    sizeof(c->hit.entry_id));
    sarhad__strlcpy(c->hit.name, s->strings + s->names[e->name_start].text_off,
                    sizeof(c->hit.name));
    sarhad__strlcpy(c->matched_name, s->strings + nm->text_off,
                    sizeof(c->matched_name));
    describe(c, tq, m, tl, n, &al);
    write_why(c);
    return score;
}

/* ---- the upper bound ------------------------------------------------- */

/*
 * A ceiling on what sarhad__screen_score can return for a listed name,
 * cheap enough to compute for every candidate the index gathers, so only
 * those that can reach the bar are aligned and explained.  Each token's
 * share of the name score is bounded by its best similarity to any token
 * on the other side (q->bound caches them by listed spelling), or by 100
 * when its length lets it take part in a joined pair; the evidence by
 * the most each piece could add for this entry.
 */
static int
clip(int v)
{
    return v < 0 ? 0 : v > 100 ? 100 : v;
}

bool
sarhad__screen_bound_init(const struct sarhad_screener *s, struct scr_query *q)
{
    q->bound = sarhad__calloc(2 * s->spells.count + 1, sizeof(*q->bound));
    if (q->bound == NULL)
        return false;
    q->qlen_min = USHRT_MAX;
    q->qlen_max = 0;
    q->weight = 0;
    for (unsigned i = 0; i < q->name.token_count; i++) {
        q->letters[i] = sarhad__screen_letters(q->name.tokens[i].folded);
        q->qlen[i] = (unsigned short)strlen(q->name.tokens[i].folded);
        q->tletters[i] = sarhad__screen_letters(q->name.tokens[i].text);
        q->tlen[i] = (unsigned short)strlen(q->name.tokens[i].text);
        q->weight += q->common[i] ? 1u : 2u;
        if (q->qlen[i] < q->qlen_min)
            q->qlen_min = q->qlen[i];
        if (q->qlen[i] > q->qlen_max)
            q->qlen_max = q->qlen[i];
    }
    return true;
}

/* Whether query tokens i and i2 joined as written may be a slip from a
 * written form of spelling sp at 90 or more (align's "joined, a letter
 * differs as written"): one letter apart in length and letters, ten
 * letters or more. */
static bool
joined_written_may(const struct sarhad_screener *s, const struct scr_query *q,
                   unsigned i, unsigned i2, uint32_t sp)
{
    size_t tj = (size_t)q->tlen[i] + q->tlen[i2];
    uint32_t tm = q->tletters[i] | q->tletters[i2];

    if (tj + 1 < 10)
        return false;
    for (uint32_t k = s->spell_text_start[sp]; k < s->spell_text_start[sp + 1];
         k++) {
        uint32_t t = s->spell_texts[k];
        size_t fl = s->text_len[t];
        if (fl + 1 >= tj && fl <= tj + 1 && (fl >= 10 || tj >= 10) &&
            masks_within(tm, s->text_letters[t], 1))
            return true;
    }
    return false;
}

/* What the bound needs of listed spelling sp against the query, computed
 * the first time the query meets it. */
static const struct scr_bound_entry *
bound_entry(const struct sarhad_screener *s, const struct scr_query *q,
            uint32_t sp, bool vl)
{
    struct scr_bound_entry *e = &q->bound[(vl ? s->spells.count : 0) + sp];
    unsigned m = q->name.token_count;
    size_t cl = s->spell_len[sp];
    uint32_t k = s->spell_key[sp];
    struct tok b;

    if (e->done)
        return e;
    /* A token's similarity depends on its spelling alone (the text only
     * changes the reason given). */
    b = (struct tok){s->spells.items[sp],
                     s->spells.items[sp],
                     s->keys.items[k],
                     s->spell_common[sp] != 0,
                     k,
                     sp,
                     s->spell_len[sp],
                     s->spell_letters[sp]};
    for (unsigned i = 0; i < m; i++) {
        struct tok a = query_tok(q, i);
        const char *why;
        e->sim[i] = (uint8_t)tok_sim(&a, &b, vl, &why);
        /* A slip in the writing, against the spelling's written forms
         * (when it can give more: at most 100 less a share of one letter
         * more than the word has). */
        if (!vl && e->sim[i] < 100 - 100 / (q->tlen[i] + 1)) {
            int w = written_best(s, q->name.tokens[i].text, q->tlen[i],
                                 q->tletters[i], sp);
            if (w > e->sim[i])
                e->sim[i] = (uint8_t)w;
        }
        if (e->sim[i] > e->best)
            e->best = e->sim[i];
    }
    /* Joined pairs (as align tries them): two query tokens about as long
     * as this one may all score 100.  align takes a joined pair at 90 or
     * more, which outside Arabic script means the same folded letters
     * give or take one edit (two from 20 letters on), an h or a digraph
     * aside, or an abbreviation of Muhammad (4 letters at most). */
    for (unsigned p = 0; p < SARHAD_COUNT_OF(join_pairs); p++) {
        unsigned i = join_pairs[p][0], i2 = join_pairs[p][1];
        size_t jl;
        if (i2 >= m)
            continue;
        if (!vl && joined_written_may(s, q, i, i2, sp)) {
            e->joined |= 1u << p;
            continue;
        }
        jl = (size_t)q->qlen[i] + q->qlen[i2];
        if (cl + 2 < jl || cl > jl + 2)
            continue;
        if (!vl && jl > 4 && cl > 4 &&
            !masks_within(no_h(q->letters[i] | q->letters[i2]),
                          no_h(s->spell_letters[sp]),
                          jl >= 20 || cl >= 20 ? 2 : 1))
            continue;
        e->joined |= 1u << p;
    }
    e->len = (uint8_t)(cl > 255 ? 255 : cl);
    e->letters_noh = no_h(s->spell_letters[sp]);
    e->weight = s->spell_common[sp] ? 1 : 2;
    e->done = 1;
    return e;
}

/* The query tokens (a bit each) that two listed tokens joined (jl
 * letters, letters_noh their letters without h) may meet: about as long
 * and close enough in letters for align to join them to it. */
static unsigned
joined_listed_meets(const struct scr_query *q, size_t jl, uint32_t letters_noh,
                    bool vl)
{
    unsigned tokens = 0;

    if (jl + 2 < q->qlen_min || jl > (size_t)q->qlen_max + 2)
        return 0;
    for (unsigned i = 0; i < q->name.token_count; i++) {
        size_t ql = q->qlen[i];
        if (ql + 2 < jl || ql > jl + 2)
            continue;
        if (!vl && jl > 4 && ql > 4 &&
            !masks_within(letters_noh, no_h(q->letters[i]),
                          jl >= 20 || ql >= 20 ? 2 : 1))
            continue;
        tokens |= 1u << i;
    }
    return tokens;
}

/* The query tokens (a bit each) of the join pairs set in joined. */
static unsigned
joined_query_tokens(uint32_t joined)
{
    unsigned tokens = 0;

    for (unsigned p = 0; p < SARHAD_COUNT_OF(join_pairs); p++)
        if (joined & (1u << p))
            tokens |= (1u << join_pairs[p][0]) | (1u << join_pairs[p][1]);
    return tokens;
}

/* One over the name score align rounds, from the weights of the query
 * (wq) and the listed name (wc) and what may match of each (mq, mc):
 * floor(0.55 mq / wq + 0.45 mc / wc) + 1, in integers (mq <= 2,400,
 * wc <= 24); -1000 when either side weighs nothing. */
static int
ceiling_of(unsigned wq, unsigned wc, unsigned mq, unsigned mc)
{
    if (wq == 0 || wc == 0)
        return -1000;
    return (int)((55u * mq * wc + 45u * mc * wq) / (100u * wq * wc)) + 1;
}

/* The name's share of the ceiling: ls holds the spelling ids of its n
 * tokens, vl whether either side is Arabic script.  Each token's share
 * of the name score is bounded by its best similarity to any token on
 * the other side, or by 100 when it may be half of a joined pair. */
static int
name_bound(const struct sarhad_screener *s, const struct scr_query *q,
           const uint32_t *ls, unsigned n, bool vl)
{
    unsigned m = q->name.token_count;
    unsigned qmax[SARHAD_NAME_MAX_TOKENS] = {0};
    unsigned cmax[SARHAD_NAME_MAX_TOKENS];
    const struct scr_bound_entry *es[SARHAD_NAME_MAX_TOKENS];
    unsigned wq = q->weight, wc = 0, mq = 0, mc = 0; /* halves, percents */
    unsigned joined = 0; /* query tokens that may be half of a joined pair */

    for (unsigned j = 0; j < n; j++) {
        const struct scr_bound_entry *e =
            &q->bound[(vl ? s->spells.count : 0) + ls[j]];
        if (!e->done)
            e = bound_entry(s, q, ls[j], vl);
        es[j] = e;
        for (unsigned i = 0; i < m; i++)
            if (e->sim[i] > qmax[i])
                qmax[i] = e->sim[i];
        /* A listed token two query tokens joined may meet. */
        cmax[j] = e->joined != 0 ? 100 : e->best;
        if (e->joined != 0)
            joined |= joined_query_tokens(e->joined);
    }
    /* Two listed tokens (any two, in either order, as align joins
     * them) about as long as one query token. */
    for (unsigned j = 0; j + 1 < n; j++)
        for (unsigned j2 = j + 1; j2 < n; j2++) {
            unsigned meets = joined_listed_meets(
                q, (size_t)es[j]->len + es[j2]->len,
                es[j]->letters_noh | es[j2]->letters_noh, vl);
            if (meets != 0)
                cmax[j] = cmax[j2] = 100;
            joined |= meets;
        }
    for (unsigned i = 0; i < m; i++)
        mq += (q->common[i] ? 1u : 2u) * (joined & (1u << i) ? 100u : qmax[i]);
    for (unsigned j = 0; j < n; j++) {
        wc += es[j]->weight;
        mc += es[j]->weight * cmax[j];
    }
    return ceiling_of(wq, wc, mq, mc);
}

static bool
query_has_evidence(const struct scr_query *q)
{
    return q->birth_year != 0 || q->nat[0] != '\0' || q->has_father ||
           q->sex != 0;
}

int
sarhad__screen_bound(const struct sarhad_screener *s, const struct scr_query *q,
                     uint32_t name_index)
{
    const struct scr_name *nm = &s->names[name_index];
    const struct scr_entry *e;
    int ev = 0, name;
    bool support = false;

    name = name_bound(s, q, &s->tok_spell[nm->tok_start], nm->tok_count,
                      q->name.vowelless || nm->vowelless);
    if (name < 0)
        return 0;
    /* (The score is clipped to 0-100: so is the bound.)  The evidence at
     * its most favourable for this query, then for this entry (which
     * costs a visit to it). */
    if (!query_has_evidence(q))
        return clip(name - 5);
    e = &s->entries[nm->entry];
    if (q->birth_year != 0 && e->birth_count > 0) {
        ev += 12;
        support = true;
    }
    if (q->nat[0] != '\0' && e->nat_count > 0) {
        bool same = false;
        for (unsigned i = 0; i < e->nat_count; i++)
            same = same || strcmp(e->nats[i], q->nat) == 0;
        ev += same ? 4 : -12;
        support = support || same;
    }
    if (q->has_father && e->father != UINT32_MAX) {
        ev += 10;
        support = true;
    }
    if (q->sex != 0 && e->sex != 0 && q->sex != e->sex)
        ev -= 25;
    if (!support)
        ev -= 5;
    return clip(name + ev);
}

int
sarhad__screen_bound_sig(const struct sarhad_screener *s,
                         const struct scr_query *q, const struct scr_sig *g)
{
    uint32_t ls[SCR_SIG_SPELLS];
    int ev = 0, name;
    bool support = false;

    if (g->tok_count == 0)
        return sarhad__screen_bound(s, q, g->name);
    for (unsigned j = 0; j < g->tok_count; j++)
        ls[j] = g->spell[j];
    name = name_bound(s, q, ls, g->tok_count,
                      q->name.vowelless || (g->flags & SCR_SIG_VOWELLESS));
    if (name < 0)
        return 0;
    if (!query_has_evidence(q))
        return clip(name - 5);
    if (q->birth_year != 0 && (g->flags & SCR_SIG_BIRTH)) {
        ev += 12;
        support = true;
    }
    if (q->nat[0] != '\0' && (g->flags & SCR_SIG_NAT)) {
        ev += 4; /* at best the query's is among those listed */
        support = true;
    }
    if (q->has_father && (g->flags & SCR_SIG_FATHER)) {
        ev += 10;
        support = true;
    }
    if ((q->sex == 'M' && (g->flags & SCR_SIG_FEMALE)) ||
        (q->sex == 'F' && (g->flags & SCR_SIG_MALE)))
        ev -= 25;
    if (!support)
        ev -= 5;
    return clip(name + ev);
}
