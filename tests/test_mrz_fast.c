/*
 * test_mrz_fast.c - the MRZ reader's fast path (src/mrz_fast.c) gives the
 * very reading of the detailed path: on generated valid documents of every
 * format (names with several parts and single names, empty and full
 * optional data, long TD1 numbers, 29 February, dates on both sides of the
 * century turn, sex X) and on each of them with one character changed, a
 * line end altered or a space added, sarhad_mrz_parse_at and
 * sarhad__mrz_parse_slow agree on the status, every field, every issue, the
 * suggestion and the error.  Also that the fast path does take every valid
 * TD3 and TD1 as the formatter writes it (but a long TD1 number), so that
 * the comparison is not vacuous.
 */
#include "test.h"

#include "../src/mrz.h"

static unsigned long long rng = 0x2545f4914f6cdd1dULL;

static unsigned
rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static void
fill(char *dst, unsigned len, const char *alphabet)
{
    size_t n = strlen(alphabet);

    for (unsigned i = 0; i < len; i++)
        dst[i] = alphabet[rnd((unsigned)n)];
    dst[len] = '\0';
}

/* A name of one to three parts, sometimes (one in eight) empty. */
static void
make_name(char *dst)
{
    unsigned parts = rnd(8) == 0 ? 0 : 1 + rnd(3), at = 0;

    for (unsigned p = 0; p < parts; p++) {
        if (p > 0)
            dst[at++] = ' ';
        fill(dst + at, 1 + rnd(11), "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
        at += (unsigned)strlen(dst + at);
    }
    dst[at] = '\0';
}

static struct sarhad_date
make_date(void)
{
    struct sarhad_date d;

    if (rnd(20) == 0) /* a 29 February, in a leap year or not */
        return (struct sarhad_date){(int16_t)(1900 + rnd(200)), 2, 29};
    d = sarhad_date_add_days((struct sarhad_date){1900, 1, 1},
                             (int32_t)rnd(73000));
    return d;
}

/* A document of format written by sarhad_mrz_format, or "" if refused. */
static void
make(char *out, size_t cap, enum sarhad_mrz_format format)
{
    static const char *const codes[] = {"P",  "PK", "PP", "I",  "ID",
                                        "IR", "A",  "AC", "C<", "V"};
    static const char *const states[] = {"PAK", "AFG", "D", "GBR", "UTO"};
    struct sarhad_mrz f;
    unsigned max_number = format == SARHAD_MRZ_TD1 ? 14 : 9;

    memset(&f, 0, sizeof(f));
    f.format = format;
    snprintf(f.document_code, sizeof(f.document_code), "%s",
             format == SARHAD_MRZ_MRVA || format == SARHAD_MRZ_MRVB
                 ? "V"
                 : codes[rnd(9)]);
    strcpy(f.issuing_state, states[rnd(5)]);
    strcpy(f.nationality, states[rnd(5)]);
    make_name(f.surname);
    make_name(f.given_names);
    fill(f.document_number, 1 + rnd(max_number),
         "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    if (rnd(2))
        fill(f.optional_data, rnd(15), "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    if (rnd(2))
        fill(f.optional_data_2, rnd(12),
             "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    f.birth_date = make_date();
    f.expiry_date = make_date();
    f.sex = "MFX"[rnd(3)];
    if (sarhad_mrz_format(out, cap, &f, NULL) != SARHAD_OK)
        out[0] = '\0';
}

/* The two readings agree on everything the contract exposes. */
static int
same(const struct sarhad_mrz *a, const struct sarhad_mrz *b)
{
    if (a->format != b->format || a->valid != b->valid ||
        strcmp(a->document_code, b->document_code) != 0 ||
        strcmp(a->issuing_state, b->issuing_state) != 0 ||
        strcmp(a->surname, b->surname) != 0 ||
        strcmp(a->given_names, b->given_names) != 0 ||
        strcmp(a->document_number, b->document_number) != 0 ||
        strcmp(a->nationality, b->nationality) != 0 ||
        sarhad_date_cmp(a->birth_date, b->birth_date) != 0 ||
        a->sex != b->sex ||
        sarhad_date_cmp(a->expiry_date, b->expiry_date) != 0 ||
        strcmp(a->optional_data, b->optional_data) != 0 ||
        strcmp(a->optional_data_2, b->optional_data_2) != 0 ||
        a->issue_count != b->issue_count ||
        a->has_suggestion != b->has_suggestion ||
        strcmp(a->suggestion, b->suggestion) != 0)
        return 0;
    for (unsigned i = 0; i < a->issue_count && i < SARHAD_MRZ_MAX_ISSUES; i++)
        if (strcmp(a->issues[i].field, b->issues[i].field) != 0 ||
            strcmp(a->issues[i].code, b->issues[i].code) != 0 ||
            strcmp(a->issues[i].message, b->issues[i].message) != 0 ||
            a->issues[i].line != b->issues[i].line ||
            a->issues[i].col != b->issues[i].col)
            return 0;
    return 1;
}

/* Read text both ways; 1 when they agree. */
static int
agree(const char *text, size_t len, struct sarhad_date day)
{
    struct sarhad_mrz fast, slow;
    struct sarhad_error ef, es;
    enum sarhad_status sf, ss;

    /* Different garbage in both, so that a field left unwritten shows. */
    memset(&fast, 0x55, sizeof(fast));
    memset(&slow, 0xaa, sizeof(slow));
    sarhad_error_clear(&ef);
    sarhad_error_clear(&es);
    sf = sarhad_mrz_parse_at(&fast, text, len, day, &ef);
    ss = sarhad__mrz_parse_slow(&slow, text, len, day, &es);
    if (sf != ss || !same(&fast, &slow) || ef.code != es.code ||
        ef.line != es.line || ef.col != es.col || ef.offset != es.offset ||
        strcmp(ef.message, es.message) != 0) {
        fprintf(stderr, "fast and detailed readings differ on:\n%.*s\n",
                (int)len, text);
        return 0;
    }
    return 1;
}

TEST(mrz_fast_takes_valid_td3_and_td1)
{
    static const char td3[] = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                              "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
    static const char td1[] = "I<UTOD231458907<<<<<<<<<<<<<<<\n"
                              "7408122F1204159UTO<<<<<<<<<<<6\n"
                              "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
    struct sarhad_date day = {2025, 6, 1};
    struct sarhad_mrz m;

    ASSERT(sarhad__mrz_fast(&m, td3, sizeof(td3) - 1, day));
    ASSERT_EQ_STR("ANNA MARIA", m.given_names);
    ASSERT(sarhad__mrz_fast(&m, td1, sizeof(td1) - 1, day));
    ASSERT_EQ_STR("D23145890", m.document_number);
    ASSERT(agree(td3, sizeof(td3) - 1, day));
    ASSERT(agree(td1, sizeof(td1) - 1, day));
}

TEST(mrz_fast_agrees_with_detailed_path)
{
    static const enum sarhad_mrz_format formats[] = {
        SARHAD_MRZ_TD3, SARHAD_MRZ_TD1,  SARHAD_MRZ_TD3, SARHAD_MRZ_TD1,
        SARHAD_MRZ_TD2, SARHAD_MRZ_MRVA, SARHAD_MRZ_MRVB};
    static const char subst[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<<<<<<"
                                "OIBSZGDQMH a\r\n";
    unsigned taken = 0, usual = 0;

    for (unsigned n = 0; n < 6000; n++) {
        char text[128], changed[130];
        struct sarhad_date day = make_date();
        struct sarhad_mrz m;
        size_t len;

        make(text, sizeof(text), formats[n % 7]);
        len = strlen(text);
        if (len == 0)
            continue;
        ASSERT(agree(text, len, day));
        taken += sarhad__mrz_fast(&m, text, len, day);
        /* Every valid TD3 and TD1 as the formatter writes it goes the
         * fast way, but for a long TD1 number (its check digit '<'). */
        ASSERT(sarhad__mrz_parse_slow(&m, text, len, day, NULL) == SARHAD_OK);
        if (m.valid && (m.format == SARHAD_MRZ_TD3 ||
                        (m.format == SARHAD_MRZ_TD1 && text[14] != '<')))
            usual++;
        for (unsigned k = 0; k < 4; k++) {
            memcpy(changed, text, len + 1);
            changed[rnd((unsigned)len)] = subst[rnd(sizeof(subst) - 1)];
            ASSERT(agree(changed, len, day));
        }
        /* Line ends and trailing spaces real readers send. */
        memcpy(changed, text, len);
        memcpy(changed + len, "\n\n", 3);
        ASSERT(agree(changed, len + 1, day));
        ASSERT(agree(changed, len + 2, day));
        memcpy(changed + len, " \r\n", 4);
        ASSERT(agree(changed, len + 3, day));
        ASSERT(agree(changed, len + 1, day));
        ASSERT(agree(changed + 1, len - 1, day));
    }
    ASSERT_EQ_INT(usual, taken);
    ASSERT(taken > 1000);
}
