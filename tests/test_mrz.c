/*
 * test_mrz.c - the MRZ reader's behaviour beyond the known-answer vectors:
 * what is not an MRZ and exactly why (line count, lengths, alphabet, line
 * ends, stray spaces), what readers send that is tolerated, the check digit
 * function, formatting from fields (errors name the field, names truncate
 * by the 9303-3 rule, long TD1 numbers spill), the round trip on generated
 * documents, and that the parser never allocates.
 */
#include "test.h"

static const struct sarhad_date today = {2025, 6, 1};

#define TD3_1 "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
#define TD3_2 "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
#define TD3   TD3_1 "\n" TD3_2

/* Parse text and expect EFORMAT with code at line:col. */
static int
expect_not_mrz(const char *text, size_t len, const char *code, unsigned line,
               unsigned col)
{
    struct sarhad_mrz m;
    struct sarhad_error err;

    sarhad_error_clear(&err);
    if (sarhad_mrz_parse_at(&m, text, len, today, &err) != SARHAD_EFORMAT)
        return 0;
    if (m.format != SARHAD_MRZ_UNKNOWN || m.valid || m.issue_count != 1)
        return 0;
    if (strcmp(m.issues[0].code, code) != 0) {
        fprintf(stderr, "code %s, want %s (%s)\n", m.issues[0].code, code,
                m.issues[0].message);
        return 0;
    }
    if (err.line != line || err.col != col || m.issues[0].line != line ||
        m.issues[0].col != col) {
        fprintf(stderr, "at %u:%u, want %u:%u (%s)\n", err.line, err.col, line,
                col, err.message);
        return 0;
    }
    return err.code == SARHAD_EFORMAT && strcmp(err.field, "mrz") == 0 &&
           err.message[0] != '\0';
}

#define NOT_MRZ(text, code, line, col)                                         \
    ASSERT(expect_not_mrz(text, sizeof(text) - 1, code, line, col))

TEST(mrz_shape_errors)
{
    NOT_MRZ("", "empty", 0, 0);
    NOT_MRZ(TD3_1, "line_count", 1, 0);
    NOT_MRZ(TD3 "\n" TD3_2, "bad_length", 1, 31);
    NOT_MRZ(TD3 "\n" TD3_2 "\n" TD3_2, "line_count", 4, 1);
    NOT_MRZ(TD3_1 "\n" TD3_1 "\n" TD3_1, "bad_length", 1, 31);
    NOT_MRZ(TD3_1 "\nL898902C36UTO7408122F1204159ZE184226B<<<<<1", "bad_length",
            2, 44);
    NOT_MRZ(TD3_1 "\n" TD3_2 "<", "bad_length", 2, 45);
    NOT_MRZ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<\n"
            "L898902C36UTO7408122F1204159ZE18",
            "bad_length", 1, 39);
    NOT_MRZ("I<UTOD231458907<<<<<<<<<<<<<<<\n"
            "7408122F1204159UTO<<<<<<<<<<<6",
            "bad_length", 1, 31);
    NOT_MRZ("p<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" TD3_2, "lowercase",
            1, 1);
    NOT_MRZ(TD3_1 "\nL898902c36UTO7408122F1204159ZE184226B<<<<<10", "lowercase",
            2, 8);
    NOT_MRZ("P<UTOERIKSSON<<ANNA MARIA<<<<<<<<<<<<<<<<<<<\n" TD3_2,
            "stray_space", 1, 20);
    NOT_MRZ(" " TD3, "stray_space", 1, 1);
    NOT_MRZ("P<UTOERIKSSON<<ANNA\tMARIA<<<<<<<<<<<<<<<<<<<\n" TD3_2,
            "stray_space", 1, 20);
    NOT_MRZ("P<UTOERIKSSON<<ANNA-MARIA<<<<<<<<<<<<<<<<<<<\n" TD3_2,
            "bad_character", 1, 20);
    NOT_MRZ("P<UTOERIKSS\xc3\x96N<<ANNA<MARIA<<<<<<<<<<<<<<<<<\n" TD3_2,
            "bad_character", 1, 12);
    NOT_MRZ(TD3_1 "\r" TD3_2, "bad_line_end", 1, 45);
    NOT_MRZ(TD3_1 "\r\r\n" TD3_2, "bad_line_end", 1, 45);
    NOT_MRZ(TD3_1 "\n\n" TD3_2, "blank_line", 2, 1);
    NOT_MRZ(TD3 "\n\n", "blank_line", 3, 1);
    NOT_MRZ("\n" TD3, "blank_line", 1, 1);
    NOT_MRZ(TD3_1 "\n   \n" TD3_2, "blank_line", 2, 1);
}

TEST(mrz_shape_nul_byte)
{
    static const char text[] = TD3_1 "\n" TD3_2;
    char buf[sizeof(text)];

    memcpy(buf, text, sizeof(text));
    buf[50] = '\0';
    ASSERT(expect_not_mrz(buf, sizeof(text) - 1, "bad_character", 2, 6));
}

TEST(mrz_tolerated_input)
{
    static const char *const ok[] = {
        TD3,
        TD3 "\n",
        TD3 "\r\n",
        TD3_1 "\r\n" TD3_2 "\r\n",
        TD3_1 "   \n" TD3_2 "  ",
        TD3_1 "  \r\n" TD3_2 " \r\n",
    };

    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        struct sarhad_mrz m;
        ASSERT_OK(sarhad_mrz_parse_at(&m, ok[i], strlen(ok[i]), today, &e_));
        ASSERT(m.valid);
        ASSERT_EQ_STR("L898902C3", m.document_number);
    }
}

TEST(mrz_parse_uses_today)
{
    struct sarhad_mrz m;

    ASSERT_OK(sarhad_mrz_parse(&m, TD3, strlen(TD3), &e_));
    ASSERT(m.valid);
    ASSERT_EQ_INT(1974, m.birth_date.year);
    ASSERT_EQ_INT(SARHAD_EINVAL, sarhad_mrz_parse(NULL, TD3, 3, NULL));
    ASSERT_EQ_INT(SARHAD_EINVAL, sarhad_mrz_parse(&m, NULL, 3, NULL));
}

TEST(mrz_check_digit)
{
    /* 9303-3 §4.9 worked examples. */
    ASSERT_EQ_INT(6, sarhad_mrz_check_digit("L898902C3", 9));
    ASSERT_EQ_INT(2, sarhad_mrz_check_digit("740812", 6));
    ASSERT_EQ_INT(9, sarhad_mrz_check_digit("120415", 6));
    ASSERT_EQ_INT(1, sarhad_mrz_check_digit("ZE184226B<<<<<", 14));
    ASSERT_EQ_INT(0, sarhad_mrz_check_digit("<<<<<<", 6));
    ASSERT_EQ_INT(0, sarhad_mrz_check_digit("", 0));
    ASSERT_EQ_INT(-1, sarhad_mrz_check_digit("abc", 3));
    ASSERT_EQ_INT(-1, sarhad_mrz_check_digit("A B", 3));
}

TEST(mrz_format_names)
{
    ASSERT_EQ_STR("TD1", sarhad_mrz_format_name(SARHAD_MRZ_TD1));
    ASSERT_EQ_STR("TD2", sarhad_mrz_format_name(SARHAD_MRZ_TD2));
    ASSERT_EQ_STR("TD3", sarhad_mrz_format_name(SARHAD_MRZ_TD3));
    ASSERT_EQ_STR("MRVA", sarhad_mrz_format_name(SARHAD_MRZ_MRVA));
    ASSERT_EQ_STR("MRVB", sarhad_mrz_format_name(SARHAD_MRZ_MRVB));
    ASSERT(sarhad_mrz_format_name(SARHAD_MRZ_UNKNOWN) == NULL);
}

static struct sarhad_mrz
pak_fields(void)
{
    struct sarhad_mrz f;

    memset(&f, 0, sizeof(f));
    f.format = SARHAD_MRZ_TD3;
    strcpy(f.document_code, "P");
    strcpy(f.issuing_state, "PAK");
    strcpy(f.surname, "KHAN");
    strcpy(f.given_names, "MUHAMMAD ALI");
    strcpy(f.document_number, "AB1234567");
    strcpy(f.nationality, "PAK");
    f.birth_date = (struct sarhad_date){1985, 12, 31};
    f.sex = 'M';
    f.expiry_date = (struct sarhad_date){2029, 6, 30};
    strcpy(f.optional_data, "3520212345671");
    return f;
}

TEST(mrz_format_pak_passport)
{
    struct sarhad_mrz f = pak_fields(), m;
    char out[100];

    ASSERT_OK(sarhad_mrz_format(out, sizeof(out), &f, &e_));
    ASSERT_EQ_STR("P<PAKKHAN<<MUHAMMAD<ALI<<<<<<<<<<<<<<<<<<<<<\n"
                  "AB12345671PAK8512316M29063023520212345671<90",
                  out);
    ASSERT_OK(sarhad_mrz_parse_at(&m, out, strlen(out), today, &e_));
    ASSERT(m.valid);
    ASSERT_EQ_STR("3520212345671", m.optional_data);
}

/* Format f and expect EINVAL naming field. */
static int
format_fails(const struct sarhad_mrz *f, const char *field)
{
    struct sarhad_error err;
    char out[100];

    sarhad_error_clear(&err);
    if (sarhad_mrz_format(out, sizeof(out), f, &err) != SARHAD_EINVAL)
        return 0;
    if (strcmp(err.field, field) != 0) {
        fprintf(stderr, "field %s, want %s\n", err.field, field);
        return 0;
    }
    return err.message[0] != '\0';
}

TEST(mrz_format_errors)
{
    struct sarhad_mrz f;
    char small[10];

    f = pak_fields();
    f.format = SARHAD_MRZ_UNKNOWN;
    ASSERT(format_fails(&f, "format"));
    f = pak_fields();
    strcpy(f.surname, "Khan");
    ASSERT(format_fails(&f, "surname"));
    f = pak_fields();
    strcpy(f.given_names, "ALI2");
    ASSERT(format_fails(&f, "given_names"));
    f = pak_fields();
    strcpy(f.document_number, "AB12345678");
    ASSERT(format_fails(&f, "document_number"));
    f = pak_fields();
    strcpy(f.document_number, "AB-12");
    ASSERT(format_fails(&f, "document_number"));
    f = pak_fields();
    strcpy(f.nationality, "P4K");
    ASSERT(format_fails(&f, "nationality"));
    f = pak_fields();
    strcpy(f.issuing_state, "pak");
    ASSERT(format_fails(&f, "issuing_state"));
    f = pak_fields();
    f.birth_date.year = 0;
    ASSERT(format_fails(&f, "birth_date"));
    f = pak_fields();
    f.expiry_date = (struct sarhad_date){2025, 2, 31};
    ASSERT(format_fails(&f, "expiry_date"));
    f = pak_fields();
    f.sex = 'Q';
    ASSERT(format_fails(&f, "sex"));
    f = pak_fields();
    strcpy(f.optional_data, "352021234567123");
    ASSERT(format_fails(&f, "optional_data"));
    f = pak_fields();
    strcpy(f.optional_data_2, "X");
    ASSERT(format_fails(&f, "optional_data_2"));
    f = pak_fields();
    strcpy(f.document_code, "V");
    ASSERT(format_fails(&f, "document_code"));
    f = pak_fields();
    f.format = SARHAD_MRZ_MRVA;
    ASSERT(format_fails(&f, "document_code"));
    f = pak_fields();
    ASSERT_EQ_INT(SARHAD_EINVAL,
                  sarhad_mrz_format(small, sizeof(small), &f, NULL));
}

TEST(mrz_format_truncates_names)
{
    struct sarhad_mrz f = pak_fields(), m;
    char out[100];

    /* Secondary identifier cut at the end of the field. */
    strcpy(f.surname, "KHAN");
    strcpy(f.given_names, "MUHAMMAD ABDUL RAHMAN SAEED ULLAH JAN");
    ASSERT_OK(sarhad_mrz_format(out, sizeof(out), &f, &e_));
    ASSERT_EQ_STR("P<PAKKHAN<<MUHAMMAD<ABDUL<RAHMAN<SAEED<ULLAH",
                  (out[44] = '\0', out));
    /* A primary identifier too long for the field is itself cut. */
    f = pak_fields();
    strcpy(f.surname, "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNO");
    f.surname[39] = '\0';
    strcpy(f.surname + 37, "XY");
    ASSERT_OK(sarhad_mrz_format(out, sizeof(out), &f, &e_));
    out[44] = '\0';
    ASSERT_EQ_STR("P<PAKABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKXY", out);
    out[44] = '\n';
    ASSERT_OK(sarhad_mrz_parse_at(&m, out, strlen(out), today, &e_));
    ASSERT(m.valid);
    ASSERT_EQ_STR("", m.given_names);
    /* Hyphens become filler, apostrophes go (9303-3 §4.6). */
    f = pak_fields();
    strcpy(f.surname, "O'NEIL-SMITH");
    ASSERT_OK(sarhad_mrz_format(out, sizeof(out), &f, &e_));
    ASSERT(strncmp(out, "P<PAKONEIL<SMITH<<MUHAMMAD<ALI<", 31) == 0);
    /* TD2 has 31 characters of name. */
    f = pak_fields();
    f.format = SARHAD_MRZ_TD2;
    f.document_code[0] = 'I';
    strcpy(f.optional_data, "");
    strcpy(f.given_names, "MUHAMMAD ALI ABDULLAH KHAN");
    ASSERT_OK(sarhad_mrz_format(out, sizeof(out), &f, &e_));
    out[36] = '\0';
    ASSERT_EQ_STR("I<PAKKHAN<<MUHAMMAD<ALI<ABDULLAH<KHA", out);
}

TEST(mrz_format_td1_spill)
{
    struct sarhad_mrz f = pak_fields(), m;
    char out[100];

    f.format = SARHAD_MRZ_TD1;
    strcpy(f.document_code, "ID");
    strcpy(f.document_number, "D23145890734");
    strcpy(f.optional_data, "ABC");
    strcpy(f.optional_data_2, "XYZ");
    ASSERT_OK(sarhad_mrz_format(out, sizeof(out), &f, &e_));
    ASSERT(strncmp(out, "IDPAKD23145890<7349<ABC<<<<<<<\n", 31) == 0);
    ASSERT_OK(sarhad_mrz_parse_at(&m, out, strlen(out), today, &e_));
    ASSERT(m.valid);
    ASSERT_EQ_STR("D23145890734", m.document_number);
    ASSERT_EQ_STR("ABC", m.optional_data);
    ASSERT_EQ_STR("XYZ", m.optional_data_2);
    /* Too long to fit with the optional data. */
    strcpy(f.optional_data, "ABCDEFGHIJK");
    ASSERT(format_fails(&f, "optional_data"));
    strcpy(f.optional_data, "");
    strcpy(f.document_number, "D23145890734123456789012345");
    ASSERT(format_fails(&f, "document_number"));
}

/* A deterministic generator of documents for the round trip. */
static unsigned long rng_state = 12345;
static unsigned
rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)((rng_state >> 33) % n);
}

static void
random_text(char *dst, unsigned len, const char *alphabet)
{
    size_t n = strlen(alphabet);
    for (unsigned i = 0; i < len; i++)
        dst[i] = alphabet[rnd((unsigned)n)];
    dst[len] = '\0';
}

TEST(mrz_round_trip_generated)
{
    static const char *const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static const char *const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static const unsigned optional_len[] = {0, 15, 7, 14, 16, 8};

    for (int i = 0; i < 5000; i++) {
        struct sarhad_mrz f, m, again;
        char out[100], out2[100];
        memset(&f, 0, sizeof(f));
        f.format = (enum sarhad_mrz_format)(1 + rnd(5));
        random_text(f.issuing_state, 3, letters);
        random_text(f.nationality, 3, letters);
        random_text(f.surname, 1 + rnd(12), letters);
        if (rnd(4) != 0)
            random_text(f.given_names, 1 + rnd(12), letters);
        random_text(f.document_number, 1 + rnd(9), alnum);
        random_text(f.optional_data, rnd(optional_len[f.format] + 1), alnum);
        if (f.format == SARHAD_MRZ_TD1)
            random_text(f.optional_data_2, rnd(12), alnum);
        f.birth_date = sarhad_date_add_days((struct sarhad_date){1926, 6, 2},
                                            (int32_t)rnd(36000));
        /* Expiry dates up to 50 years after today read back as such. */
        f.expiry_date = sarhad_date_add_days((struct sarhad_date){2000, 1, 1},
                                             (int32_t)rnd(27000));
        f.sex = "MFX"[rnd(3)];
        ASSERT_OK(sarhad_mrz_format(out, sizeof(out), &f, &e_));
        ASSERT_OK(sarhad_mrz_parse_at(&m, out, strlen(out), today, &e_));
        if (!m.valid)
            fprintf(stderr, "%s\n%s\n", out, m.issues[0].message);
        ASSERT(m.valid);
        ASSERT_EQ_INT(f.format, m.format);
        ASSERT_EQ_STR(f.surname, m.surname);
        ASSERT_EQ_STR(f.given_names, m.given_names);
        ASSERT_EQ_STR(f.document_number, m.document_number);
        ASSERT_EQ_STR(f.optional_data, m.optional_data);
        ASSERT_EQ_INT(0, sarhad_date_cmp(f.birth_date, m.birth_date));
        ASSERT_EQ_INT(0, sarhad_date_cmp(f.expiry_date, m.expiry_date));
        ASSERT_EQ_INT(f.sex, m.sex);
        ASSERT_OK(sarhad_mrz_format(out2, sizeof(out2), &m, &e_));
        ASSERT_EQ_STR(out, out2);
        ASSERT_OK(sarhad_mrz_parse_at(&again, out2, strlen(out2), today, &e_));
        ASSERT(again.valid);
    }
}

TEST(mrz_parse_never_allocates)
{
    static const char bad[] =
        TD3_1 "\nL898902C36UTO74O8122F1204159ZE184226B<<<<<10";
    struct sarhad_mrz m;
    long live = test_alloc_live();

    test_alloc_fail_at(1);
    ASSERT_OK(sarhad_mrz_parse_at(&m, TD3, strlen(TD3), today, &e_));
    ASSERT_OK(sarhad_mrz_parse_at(&m, bad, strlen(bad), today, &e_));
    ASSERT(m.has_suggestion);
    ASSERT_EQ_INT(SARHAD_EFORMAT, sarhad_mrz_parse_at(&m, "x", 1, today, NULL));
    ASSERT(!test_alloc_failed());
    ASSERT_EQ_INT(live, test_alloc_live());
    test_alloc_fail_at(0);
}

TEST(mrz_issue_cap_and_many_faults)
{
    /* Every check and field wrong at once: issues stop at the cap, the
     * reading still completes. */
    static const char text[] = "<1UT0ERIKSS0N<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<\n"
                               "L898902C3AUT07413322Q1302309ZE184226B<<<<<AA";
    struct sarhad_mrz m;

    ASSERT_OK(sarhad_mrz_parse_at(&m, text, strlen(text), today, &e_));
    ASSERT(!m.valid);
    ASSERT(m.issue_count >= 8 && m.issue_count <= SARHAD_MRZ_MAX_ISSUES);
    ASSERT_EQ_STR("L898902C3", m.document_number);
    ASSERT_EQ_INT(0, m.birth_date.year);
    ASSERT_EQ_INT(0, m.expiry_date.year);
}
