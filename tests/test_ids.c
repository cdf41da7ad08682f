/*
 * test_ids.c - CNIC numbers (DOMAIN.md 2: 13 digits DDDDD-DDDDDDD-D, first
 * digit the province 1-7, last digit odd male / even female) and the
 * configurable number patterns for documents whose layout is unknown.
 */
#include "test.h"

TEST(ids_cnic_reads_province_area_and_sex)
{
    struct sarhad_cnic c;

    ASSERT_OK(sarhad_cnic_parse(&c, "54201-1234567-3", 15, NULL));
    ASSERT_EQ_STR("5420112345673", c.digits);
    ASSERT_EQ_STR("54201", c.area);
    ASSERT_EQ_INT(5, c.province);
    ASSERT_EQ_STR("Balochistan", sarhad_cnic_province_name(c.province));
    ASSERT_EQ_INT('M', c.sex);
    ASSERT(sarhad_cnic_sex_matches(&c, 'M'));
    ASSERT(!sarhad_cnic_sex_matches(&c, 'F'));
    ASSERT(sarhad_cnic_sex_matches(&c, 'X'));
    ASSERT(sarhad_cnic_sex_matches(&c, 0));
    ASSERT_OK(sarhad_cnic_parse(&c, "1730112345678", 13, NULL));
    ASSERT_EQ_INT('F', c.sex);
    ASSERT_EQ_INT(1, c.province);
}

TEST(ids_cnic_errors_say_where)
{
    struct sarhad_cnic c;
    struct sarhad_error err;

    ASSERT_EQ_INT(SARHAD_EFORMAT, sarhad_cnic_parse(&c, "54201", 5, &err));
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_cnic_parse(&c, "54201_1234567-3", 15, &err));
    ASSERT_EQ_INT(5, err.offset);
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_cnic_parse(&c, "54201-12345A7-3", 15, &err));
    ASSERT_EQ_INT(11, err.offset);
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_cnic_parse(&c, "84201-1234567-3", 15, &err));
    ASSERT_EQ_STR("province", err.field);
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_cnic_parse(&c, "04201-1234567-3", 15, &err));
    ASSERT(sarhad_cnic_province_name(0) == NULL);
    ASSERT(sarhad_cnic_province_name(8) == NULL);
}

TEST(ids_patterns_match_configured_layouts)
{
    ASSERT(sarhad_id_pattern_match("AAA9999999", "POR1234567", 10));
    ASSERT(sarhad_id_pattern_match("AAA9999999", "por1234567", 10));
    ASSERT(!sarhad_id_pattern_match("AAA9999999", "POR123456", 9));
    ASSERT(!sarhad_id_pattern_match("AAA9999999", "PO01234567", 10));
    ASSERT(sarhad_id_pattern_match("9999-9999-99999", "1400-0101-12345", 15));
    ASSERT(sarhad_id_pattern_match("T-*", "T-12/ab-3", 9));
    ASSERT(sarhad_id_pattern_match("T-*", "T-", 2));
    ASSERT(!sarhad_id_pattern_match("T-*", "T-1 2", 5));
    ASSERT(sarhad_id_pattern_match("*9", "AB-9", 4));
    ASSERT(sarhad_id_pattern_match("??", "a1", 2));
    ASSERT(!sarhad_id_pattern_match("??", "a-", 2));
    ASSERT(!sarhad_id_pattern_is_valid(""));
    ASSERT(!sarhad_id_pattern_is_valid("***"));
    ASSERT(!sarhad_id_pattern_is_valid("a\tb"));
    ASSERT(!sarhad_id_pattern_match("***", "abc", 3));
    /* Two stars, each over run characters only. */
    ASSERT(sarhad_id_pattern_match("**", "", 0));
    ASSERT(sarhad_id_pattern_match("*-*", "AB-CD", 5));
    ASSERT(sarhad_id_pattern_match("*-*", "A-B-C", 5));
    ASSERT(sarhad_id_pattern_match("A*9*", "K12/x", 5));
    ASSERT(!sarhad_id_pattern_match("A*9*", "K12 x", 5));
    ASSERT(sarhad_id_pattern_match("* 9*", "AB 12", 5));
    ASSERT(!sarhad_id_pattern_match("* 9*", "A B 12", 6));
    ASSERT(!sarhad_id_pattern_match("*-9", "AB-C", 4));
    ASSERT(sarhad_id_pattern_match("*9*9", "1-2-3", 5));
}

/* The patterns' definition, as plainly as it can be said: backtracking at
 * each '*', which matches a run of letters, digits, '-' and '/'.  The
 * library runs an automaton instead; the two must agree everywhere. */
static bool
ref_fits(char p, char t)
{
    bool digit = t >= '0' && t <= '9';
    bool alpha = (t >= 'A' && t <= 'Z') || (t >= 'a' && t <= 'z');

    if (p == '9')
        return digit;
    if (p == 'A')
        return alpha;
    if (p == '?')
        return digit || alpha;
    return p == t;
}

static bool
ref_match(const char *p, const char *t, size_t len)
{
    if (*p == '\0')
        return len == 0;
    if (*p == '*') {
        for (size_t k = 0;; k++) {
            if (ref_match(p + 1, t + k, len - k))
                return true;
            if (k == len ||
                !(ref_fits('?', t[k]) || t[k] == '-' || t[k] == '/'))
                return false;
        }
    }
    return len > 0 && ref_fits(*p, *t) && ref_match(p + 1, t + 1, len - 1);
}

TEST(ids_patterns_agree_with_their_definition)
{
    static const char pat_alphabet[] = "9A?*-/ x";
    static const char text_alphabet[] = "07Kx-/ ?*";
    uint32_t seed = 12345;
    unsigned compared = 0, matched = 0;

    for (int round = 0; round < 200000; round++) {
        char pattern[8], text[9];
        size_t plen, tlen;

        seed = seed * 1103515245u + 12345u;
        plen = 1 + (seed >> 16) % 7;
        for (size_t i = 0; i < plen; i++) {
            seed = seed * 1103515245u + 12345u;
            pattern[i] =
                pat_alphabet[(seed >> 16) % (sizeof(pat_alphabet) - 1)];
        }
        pattern[plen] = '\0';
        seed = seed * 1103515245u + 12345u;
        tlen = (seed >> 16) % 9;
        for (size_t i = 0; i < tlen; i++) {
            seed = seed * 1103515245u + 12345u;
            text[i] = text_alphabet[(seed >> 16) % (sizeof(text_alphabet) - 1)];
        }
        text[tlen] = '\0';
        if (!sarhad_id_pattern_is_valid(pattern))
            continue;
        compared++;
        if (sarhad_id_pattern_match(pattern, text, tlen) !=
            ref_match(pattern, text, tlen)) {
            test_failed(__FILE__, __LINE__, "pattern \"%s\", text \"%s\"",
                        pattern, text);
            return;
        }
        matched += ref_match(pattern, text, tlen);
    }
    /* Enough of both answers to mean something. */
    ASSERT(compared > 100000);
    ASSERT(matched > 1000);
}
