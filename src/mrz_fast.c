/*
 * mrz_fast.c - the fast path of the MRZ reader for the two formats read in
 * bulk at a crossing, TD3 (passports) and TD1 (ID cards).  It assumes the
 * document is well formed and valid, reads every field and checks every
 * check digit (composite included) and date in one pass over each line, and
 * gives up as soon as anything is off: then mrz.c runs the detailed path
 * (mrz_decode.c), which rewrites every field and says precisely what is
 * wrong.  So the fast path only ever answers for a valid document, and its
 * answer must be the very one the detailed path would give; anything
 * unusual (a long TD1 document number, fillers at the start of a name, CR
 * LF line ends, trailing spaces, visas, TD2) is left to the detailed path.
 *
 * Why it is fast: one 64-bit key per character (a table lookup) carries
 * both its check-digit value and its class, so adding up the keys of a run
 * gives its 7-3-1 sum and counts its digits and letters at once; there is
 * no formatted text, no library call and no memset on this path.
 */
#include "mrz.h"

#include <limits.h>
#include <string.h>

/*
 * Key of a character: bits 0-15 its check-digit value (9303-3 §4.9), bits
 * 16-31 a count of digits, bits 32-47 a count of letters and fillers.
 * Characters outside the alphabet have key 0, so they count as neither and
 * a run of n characters is in the alphabet exactly when its two counts add
 * up to n.  Sums stay far below the 16-bit fields (44 * 35 * 7 < 65536).
 */
#define K_VALUE 0xffffu
#define K_DIGIT ((uint64_t)1 << 16)
#define K_ALPHA ((uint64_t)1 << 32)

/* Designators, which no parentheses can enclose. */
/* NOLINTNEXTLINE(bugprone-macro-parentheses) */
#define KD(c) [c] = (uint64_t)((c) - '0') | K_DIGIT
/* NOLINTNEXTLINE(bugprone-macro-parentheses) */
#define KL(c) [c] = (uint64_t)((c) - 'A' + 10) | K_ALPHA

static const uint64_t key[256] = {
    KD('0'), KD('1'),         KD('2'), KD('3'), KD('4'), KD('5'), KD('6'),
    KD('7'), KD('8'),         KD('9'), KL('A'), KL('B'), KL('C'), KL('D'),
    KL('E'), KL('F'),         KL('G'), KL('H'), KL('I'), KL('J'), KL('K'),
    KL('L'), KL('M'),         KL('N'), KL('O'), KL('P'), KL('Q'), KL('R'),
    KL('S'), KL('T'),         KL('U'), KL('V'), KL('W'), KL('X'), KL('Y'),
    KL('Z'), ['<'] = K_ALPHA,
};

/*
 * The keys of a run added up by position modulo 3: r[k] holds positions
 * k, k + 3, ...  From the three, the 7-3-1 sum of the run can be had for
 * any starting weight (weigh), which the composite digit needs: its runs
 * start at other points of the 7-3-1 cycle than the fields' own checks.
 */
struct sums {
    uint64_t r[3];
};

static inline struct sums
scan(const unsigned char *p, unsigned n)
{
    struct sums s = {{0, 0, 0}};
    unsigned i = 0;

    for (; i + 3 <= n; i += 3) {
        s.r[0] += key[p[i]];
        s.r[1] += key[p[i + 1]];
        s.r[2] += key[p[i + 2]];
    }
    if (i < n)
        s.r[0] += key[p[i]];
    if (i + 1 < n)
        s.r[1] += key[p[i + 1]];
    return s;
}

/* The 7-3-1 sum of a run whose first character has weight 7, 3 or 1 (phase
 * 0, 1 or 2).  The class counts are weighed too, and masked off. */
static inline unsigned
weigh(struct sums s, unsigned phase)
{
    uint64_t w;

    if (phase == 0)
        w = 7 * s.r[0] + 3 * s.r[1] + s.r[2];
    else if (phase == 1)
        w = 3 * s.r[0] + s.r[1] + 7 * s.r[2];
    else
        w = s.r[0] + 7 * s.r[1] + 3 * s.r[2];
    return (unsigned)(w & K_VALUE);
}

/* The class counts of a run: digits in bits 0-15, letters and fillers
 * above. */
static inline uint64_t
counts(struct sums s)
{
    return (s.r[0] + s.r[1] + s.r[2]) >> 16;
}

/* A run of n holds only digits; only letters and fillers; only the MRZ
 * alphabet. */
static inline bool
all_digits(struct sums s, unsigned n)
{
    return counts(s) == n;
}

static inline bool
all_alpha(struct sums s, unsigned n)
{
    return counts(s) == (uint64_t)n << 16;
}

static inline bool
all_mrz(struct sums s, unsigned n)
{
    uint64_t c = counts(s);

    return (c & 0xffff) + (c >> 16) == n;
}

/* The check digit character c agrees with the 7-3-1 sum of its field. */
static inline bool
check(unsigned char c, unsigned sum)
{
    return (unsigned)(c - '0') == sum % 10;
}

/*
 * Eight characters at a time (SWAR): on a little-endian machine with the
 * GCC builtins, the scans for filler below look at a word of eight
 * characters in a few instructions; elsewhere they go one by one.  The
 * masks have 0x80 in each byte that qualifies, exactly (no borrow from a
 * neighbouring byte), so they can also be shifted and combined.
 */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define MRZ_SWAR 1
#define ONES     0x0101010101010101ULL
#define HIGHS    0x8080808080808080ULL

static inline uint64_t
load8(const unsigned char *p)
{
    uint64_t x;

    memcpy(&x, p, 8);
    return x;
}

/* 0x80 in each byte of x that is '<'. */
static inline uint64_t
filler_bytes(uint64_t x)
{
    uint64_t t = x ^ (ONES * '<'); /* 0 where '<' */

    return ~(((t & ~HIGHS) + ~HIGHS) | t) & HIGHS;
}

/* 0x80 in each byte of x that is A-Z: at least 'A', below 'Z' + 1, and
 * below 0x80 (the subtractions start from the high bit set, so no byte
 * borrows from the next). */
static inline uint64_t
letter_bytes(uint64_t x)
{
    uint64_t ge_a = (x | HIGHS) - ONES * 'A';
    uint64_t ge_z1 = (x | HIGHS) - ONES * ('Z' + 1);

    return ge_a & ~ge_z1 & ~x & HIGHS;
}
#endif

/* How many of the n characters at p are left without trailing filler. */
static inline unsigned
trim_end(const unsigned char *p, unsigned n)
{
#ifdef MRZ_SWAR
    while (n >= 8) {
        uint64_t other = ~filler_bytes(load8(p + n - 8)) & HIGHS;
        if (other != 0) /* the last non-filler is the highest such byte */
            return n - 8 + (unsigned)(63 - __builtin_clzll(other)) / 8 + 1;
        n -= 8;
    }
#endif
    while (n > 0 && p[n - 1] == '<')
        n--;
    return n;
}

/* n characters without trailing filler, as copy_code in mrz_decode.c. */
static inline void
put_code(char *dst, const unsigned char *p, unsigned n)
{
    memcpy(dst, p, n);
    dst[trim_end(p, n)] = '\0';
}

/*
 * The document code (two characters, a letter then a letter or filler) and
 * the issuing state (three letters or fillers) that open every format.
 */
static inline bool
put_code_and_state(struct sarhad_mrz *out, const unsigned char *p)
{
    struct sums s = scan(p, 5);

    put_code(out->document_code, p, 2);
    put_code(out->issuing_state, p + 2, 3);
    return all_alpha(s, 5) && p[0] != '<';
}

static const uint8_t month_days[13] = {0,  31, 29, 31, 30, 31, 30,
                                       31, 31, 30, 31, 30, 31};

/*
 * A YYMMDD date already known to be six digits, its century chosen as
 * read_date in mrz_decode.c does (same comparisons, so the same answer).
 * False when it is not a calendar date.
 */
static inline bool
put_date(struct sarhad_date *d, const unsigned char *p, bool is_birth,
         struct sarhad_date today)
{
    int yy = (p[0] - '0') * 10 + (p[1] - '0');
    int mm = (p[2] - '0') * 10 + (p[3] - '0');
    int dd = (p[4] - '0') * 10 + (p[5] - '0');
    int y = 2000 + yy;

    if (is_birth) {
        if (y * 10000 + mm * 100 + dd >
            today.year * 10000 + today.month * 100 + today.day)
            y -= 100;
    } else if (y > today.year + 50) {
        y -= 100;
    }
    if (mm < 1 || mm > 12 || dd < 1 || dd > month_days[mm])
        return false;
    /* 29 February: y is 1900-2099, where 1900 is the one century year. */
    if (mm == 2 && dd == 29 && ((y & 3) != 0 || y == 1900))
        return false;
    d->year = (int16_t)y;
    d->month = (uint8_t)mm;
    d->day = (uint8_t)dd;
    return true;
}

/*
 * Copy a name part from p[i] to d until the "<<" that ends it or end, a
 * filler as a space.  Returns where it stopped, or UINT_MAX at a character
 * other than a letter or filler.  p[end - 1] must be a letter, so that a
 * filler before end has a successor to look at.
 */
static inline unsigned
copy_part(char *d, const unsigned char *p, unsigned i, unsigned end)
{
#ifdef MRZ_SWAR
    /*
     * Eight at a time while they are letters and single fillers (not the
     * last with p[i + 8] either, which is before end); the one-by-one loop
     * takes the rest, the "<<" and the faults.  A filler becomes a space:
     * 0x3c - 0x1c = 0x20.
     */
    while (i + 8 < end) {
        uint64_t x = load8(p + i), f = filler_bytes(x);
        uint64_t next = (uint64_t)(p[i + 8] == '<') << 63;
        if ((letter_bytes(x) | f) != HIGHS || (f & ((f >> 8) | next)) != 0)
            break;
        x -= (f >> 7) * 0x1c;
        memcpy(d, &x, 8);
        d += 8;
        i += 8;
    }
#endif
    for (; i < end; i++) {
        unsigned char c = p[i];
        if (c == '<') {
            if (p[i + 1] == '<')
                break;
            c = ' ';
        } else if ((unsigned)(c - 'A') > 25) {
            return UINT_MAX;
        }
        *d++ = (char)c;
    }
    *d = '\0';
    return i;
}

/*
 * The name field (9303-3 §4.6): PRIMARY<<SECONDARY<NAMES, filler to the
 * end; the primary identifier may be empty (a name that is all given
 * names).  Each part is copied with its single fillers turned into spaces.
 * The detailed path also trims fillers at the start of a part and folds
 * runs of them into one space; those cases are rare, so here they hand the
 * document over to it, and so do characters other than letters.
 */
static bool
put_name(struct sarhad_mrz *out, const unsigned char *p, unsigned n)
{
    unsigned end = trim_end(p, n), i;

    out->surname[0] = '\0';
    out->given_names[0] = '\0';
    if (end == 0)
        return true;
    if (p[0] == '<' && p[1] != '<')
        return false;
    i = copy_part(out->surname, p, 0, end);
    if (i == UINT_MAX || i == end)
        return i == end;
    /* Stopped at "<<", which is before the letter at end - 1. */
    i += 2;
    return p[i] != '<' && copy_part(out->given_names, p, i, end) == end;
}

/* M, F and X as themselves, '<' as X (9303-3 §4.2.2.1). */
static inline bool
put_sex(struct sarhad_mrz *out, unsigned char c)
{
    out->sex = (char)c;
    if (c == '<')
        out->sex = 'X';
    return c == 'M' || c == 'F' || c == 'X' || c == '<';
}

/* What every valid reading has besides its fields. */
static inline void
put_valid(struct sarhad_mrz *out, enum sarhad_mrz_format format)
{
    out->format = format;
    out->valid = true;
    out->issue_count = 0;
    out->has_suggestion = false;
    out->suggestion[0] = '\0';
}

/*
 * TD3 (9303-4 §4.2.2): line a is code, state and name; line b is document
 * number 0-8 and check 9, nationality 10-12, birth date 13-18 and check 19,
 * sex 20, expiry date 21-26 and check 27, personal number 28-41 and check
 * 42, composite 43 over 0-9, 13-19 and 21-42.
 */
static bool
read_td3(struct sarhad_mrz *out, const unsigned char *a, const unsigned char *b,
         struct sarhad_date today)
{
    struct sums num = scan(b, 9), nat = scan(b + 10, 3);
    struct sums birth = scan(b + 13, 6), expiry = scan(b + 21, 6);
    struct sums opt = scan(b + 28, 14);
    unsigned cn = weigh(num, 0), cb = weigh(birth, 0), ce = weigh(expiry, 0);
    unsigned co = weigh(opt, 0), composite;
    bool ok;

    /* A 'V' here makes it a visa (MRV-A), read by the detailed path. */
    ok = a[0] != 'V' && put_code_and_state(out, a);
    ok &= all_mrz(num, 9) && check(b[9], cn);
    ok &= all_alpha(nat, 3);
    ok &= all_digits(birth, 6) && check(b[19], cb);
    ok &= all_digits(expiry, 6) && check(b[27], ce);
    ok &= all_mrz(opt, 14) && put_sex(out, b[20]);
    if (!ok)
        return false;
    put_code(out->document_number, b, 9);
    put_code(out->nationality, b + 10, 3);
    put_code(out->optional_data, b + 28, 14);
    out->optional_data_2[0] = '\0';
    /* An empty personal number may have '<' for its check digit. */
    if (b[42] == '<') {
        if (out->optional_data[0] != '\0')
            return false;
    } else if (!check(b[42], co)) {
        return false;
    }
    /*
     * The composite runs over 0-9, 13-19, 21-42 as one string: the birth
     * date starts at its 11th character (weight 3, phase 1), the expiry
     * date at its 18th (phase 2), the personal number at its 25th (phase
     * 0).  A check digit equals its field's sum modulo 10, and '<' (0) only
     * stands for an empty field whose sum is 0, so the field sums stand in
     * for the check characters.
     */
    composite = weigh(num, 0) + 7 * (cn % 10) + weigh(birth, 1) +
                3 * (cb % 10) + weigh(expiry, 2) + 1 * (ce % 10) +
                weigh(opt, 0) + 1 * (co % 10);
    if (!check(b[43], composite))
        return false;
    if (!put_date(&out->birth_date, b + 13, true, today) ||
        !put_date(&out->expiry_date, b + 21, false, today) ||
        !put_name(out, a + 5, 39))
        return false;
    put_valid(out, SARHAD_MRZ_TD3);
    return true;
}

/*
 * TD1 (9303-5 §4.2.2): line a is code, state, document number 5-13 and
 * check 14, optional data 15-29; line b is birth date 0-5 and check 6, sex
 * 7, expiry date 8-13 and check 14, nationality 15-17, optional data 18-28,
 * composite 29 over a 5-29, b 0-6, 8-14 and 18-28; line c is the name.
 */
static bool
read_td1(struct sarhad_mrz *out, const unsigned char *a, const unsigned char *b,
         const unsigned char *c, struct sarhad_date today)
{
    struct sums num = scan(a + 5, 9), opt = scan(a + 15, 15);
    struct sums birth = scan(b, 6), expiry = scan(b + 8, 6);
    struct sums nat = scan(b + 15, 3), opt2 = scan(b + 18, 11);
    unsigned cn = weigh(num, 0), cb = weigh(birth, 0), ce = weigh(expiry, 0);
    unsigned composite;
    bool ok;

    /* A '<' check digit means a long number spilled into the optional
     * data (9303-5 §4.2.4), and a 'V' (a visa's code, never a TD1's):
     * left to the detailed path. */
    ok = a[0] != 'V' && put_code_and_state(out, a);
    ok &= all_mrz(num, 9) && check(a[14], cn);
    ok &= all_mrz(opt, 15) && all_mrz(opt2, 11);
    ok &= all_digits(birth, 6) && check(b[6], cb);
    ok &= all_digits(expiry, 6) && check(b[14], ce);
    ok &= all_alpha(nat, 3) && put_sex(out, b[7]);
    /*
     * The composite string is a 5-29 (25), b 0-6 (7), b 8-14 (7), b 18-28
     * (11): the optional data starts at its 11th character (phase 1), the
     * birth date at its 26th (phase 1), the expiry date at its 33rd (phase
     * 2), the second optional data at its 40th (phase 0).
     */
    composite = weigh(num, 0) + 7 * (cn % 10) + weigh(opt, 1) +
                weigh(birth, 1) + 3 * (cb % 10) + weigh(expiry, 2) +
                1 * (ce % 10) + weigh(opt2, 0);
    if (!ok || !check(b[29], composite))
        return false;
    put_code(out->document_number, a + 5, 9);
    put_code(out->optional_data, a + 15, 15);
    put_code(out->nationality, b + 15, 3);
    put_code(out->optional_data_2, b + 18, 11);
    if (!put_date(&out->birth_date, b, true, today) ||
        !put_date(&out->expiry_date, b + 8, false, today) ||
        !put_name(out, c, 30))
        return false;
    put_valid(out, SARHAD_MRZ_TD1);
    return true;
}

bool
sarhad__mrz_fast(struct sarhad_mrz *out, const char *text, size_t len,
                 struct sarhad_date today)
{
    const unsigned char *t = (const unsigned char *)text;

    /* Two lines of 44 or three of 30, LF between, one LF at most after. */
    if ((len == 89 || (len == 90 && t[89] == '\n')) && t[44] == '\n')
        return read_td3(out, t, t + 45, today);
    if ((len == 92 || (len == 93 && t[92] == '\n')) && t[30] == '\n' &&
        t[61] == '\n')
        return read_td1(out, t, t + 31, t + 62, today);
    return false;
}
