/*
 * ids.c - national ID numbers: the Pakistani CNIC (13 digits, province and
 * sex digits, DOMAIN.md 2) and configurable layouts for the documents whose
 * number format was not found (tazkira, PoR, ACC, Rahdari), which a policy
 * states as simple patterns.  Nothing here allocates.
 */
#include "internal.h"

#include <string.h>

static const char *const province_names[] = {
#define PROVINCE_NAME(digit, name) name,
    SARHAD_CNIC_PROVINCE_MAP(PROVINCE_NAME)
#undef PROVINCE_NAME
};

const char *
sarhad_cnic_province_name(int province)
{
    if (province < 1 || province > (int)SARHAD_COUNT_OF(province_names))
        return NULL;
    return province_names[province - 1];
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

enum sarhad_status
sarhad_cnic_parse(struct sarhad_cnic *out, const char *text, size_t len,
                  struct sarhad_error *err)
{
    struct sarhad_cnic c;
    size_t n = 0;
    bool dashed = len == 15;

    if (out == NULL || (text == NULL && len > 0))
        return sarhad__fail(err, SARHAD_EINVAL, "", SIZE_MAX, "no CNIC given");
    if (len != 13 && len != 15)
        return sarhad__fail(err, SARHAD_EFORMAT, "number", 0,
                            "expected a CNIC of 13 digits, DDDDD-DDDDDDD-D");
    memset(&c, 0, sizeof(c));
    for (size_t i = 0; i < len; i++) {
        if (dashed && (i == 5 || i == 13)) {
            if (text[i] != '-')
                return sarhad__fail(err, SARHAD_EFORMAT, "number", i,
                                    "expected '-' at position %zu of a "
                                    "CNIC (DDDDD-DDDDDDD-D)",
                                    i + 1);
            continue;
        }
        if (!is_digit(text[i]))
            return sarhad__fail(err, SARHAD_EFORMAT, "number", i,
                                "expected a digit at position %zu of a "
                                "CNIC (DDDDD-DDDDDDD-D)",
                                i + 1);
        c.digits[n++] = text[i];
    }
    memcpy(c.area, c.digits, 5);
    c.province = c.digits[0] - '0';
    c.sex = ((c.digits[12] - '0') % 2 == 1) ? 'M' : 'F';
    if (sarhad_cnic_province_name(c.province) == NULL)
        return sarhad__fail(err, SARHAD_EFORMAT, "province", 0,
                            "the first digit of a CNIC is the province, "
                            "1 to 7");
    *out = c;
    return SARHAD_OK;
}

bool
sarhad_cnic_sex_matches(const struct sarhad_cnic *cnic, char sex)
{
    if (sex != 'M' && sex != 'F')
        return true;
    return cnic->sex == sex;
}

static bool
is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool
is_run_char(char c)
{
    return is_digit(c) || is_alpha(c) || c == '-' || c == '/';
}

/* Whether the text byte t fits the pattern byte p (never '*'). */
static bool
byte_fits(char p, char t)
{
    switch (p) {
    case '9':
        return is_digit(t);
    case 'A':
        return is_alpha(t);
    case '?':
        return is_digit(t) || is_alpha(t);
    default:
        return p == t;
    }
}

#define BIT(i) (UINT64_C(1) << (i))

/* A '*' may match nothing: wherever one is reached, so is the byte after
 * it (in order, so that "**" passes both). */
static uint64_t
past_stars(const char *p, size_t plen, uint64_t set)
{
    for (size_t i = 0; i < plen; i++)
        if (p[i] == '*' && (set & BIT(i)) != 0)
            set |= BIT(i + 1);
    return set;
}

/* The pattern run as an automaton over the text: bit i of the set says the
 * first i pattern bytes match the text read so far.  A '*' keeps its bit
 * over run characters.  One pass, no backtracking and no recursion, so a
 * hostile pattern or number costs at most len * 63 steps. */
static bool
match_at(const char *p, const char *t, size_t len)
{
    size_t plen = strlen(p); /* at most 63: sarhad_id_pattern_is_valid */
    uint64_t set = past_stars(p, plen, BIT(0));

    for (size_t k = 0; k < len && set != 0; k++) {
        uint64_t next = 0;
        for (size_t i = 0; i < plen; i++) {
            if ((set & BIT(i)) == 0)
                continue;
            if (p[i] == '*') {
                if (is_run_char(t[k]))
                    next |= BIT(i);
            } else if (byte_fits(p[i], t[k])) {
                next |= BIT(i + 1);
            }
        }
        set = past_stars(p, plen, next);
    }
    return (set & BIT(plen)) != 0;
}

#undef BIT

bool
sarhad_id_pattern_is_valid(const char *pattern)
{
    size_t n = 0, stars = 0;

    if (pattern == NULL)
        return false;
    for (; pattern[n] != '\0'; n++) {
        if (pattern[n] < ' ' || pattern[n] > '~')
            return false;
        if (pattern[n] == '*' && ++stars > 2)
            return false;
    }
    return n > 0 && n <= 63;
}

bool
sarhad_id_pattern_match(const char *pattern, const char *text, size_t len)
{
    if (!sarhad_id_pattern_is_valid(pattern) || (text == NULL && len > 0))
        return false;
    return match_at(pattern, text, len);
}
