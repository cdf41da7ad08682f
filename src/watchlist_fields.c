/*
 * watchlist_fields.c - the small fields of a watchlist entry as lists and
 * queries write them: birth dates (an exact day, a year, a range of years,
 * "circa" ones) and nationalities (ICAO codes, or the country names the UN
 * list uses).
 */
#include "watchlist.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool
digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int
year_of(const char *s)
{
    return (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
           (s[3] - '0');
}

/* A year a person alive can be born in. */
static bool
plausible_year(int y)
{
    return y >= 1850 && y <= 2200;
}

enum sarhad_status
sarhad_birth_parse(struct sarhad_birth *out, const char *text, size_t len,
                   struct sarhad_error *err)
{
    struct sarhad_birth b;
    size_t i = 0;

    if (out == NULL || text == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "birth_date", SIZE_MAX,
                            "no birth date given");
    memset(&b, 0, sizeof(b));
    while (i < len && text[i] == ' ')
        i++;
    while (len > i && text[len - 1] == ' ')
        len--;
    if (i < len && text[i] == '~') {
        b.approximate = true;
        i++;
    } else if (len - i > 6 && strncasecmp(text + i, "circa ", 6) == 0) {
        b.approximate = true;
        i += 6;
    }
    if (len - i == 10 && text[i + 4] == '-') {
        enum sarhad_status s = sarhad_date_parse(&b.from, text + i, 10, err);
        if (s != SARHAD_OK) {
            if (err != NULL) {
                if (err->offset != SIZE_MAX)
                    err->offset += i;
                sarhad__strlcpy(err->field, "birth_date", sizeof(err->field));
            }
            return s;
        }
        b.to = b.from;
    } else if (len - i == 4 && digits(text + i, 4) &&
               plausible_year(year_of(text + i))) {
        int y = year_of(text + i);
        b.from = (struct sarhad_date){(int16_t)y, 1, 1};
        b.to = (struct sarhad_date){(int16_t)y, 12, 31};
    } else if (len - i == 10 && digits(text + i, 4) && text[i + 4] == '.' &&
               text[i + 5] == '.' && digits(text + i + 6, 4)) {
        int y1 = year_of(text + i), y2 = year_of(text + i + 6);
        if (!plausible_year(y1) || !plausible_year(y2) || y2 < y1)
            return sarhad__fail(err, SARHAD_EFORMAT, "birth_date", i,
                                "a range of years must run forwards "
                                "between 1850 and 2200");
        b.from = (struct sarhad_date){(int16_t)y1, 1, 1};
        b.to = (struct sarhad_date){(int16_t)y2, 12, 31};
    } else {
        return sarhad__fail(err, SARHAD_EFORMAT, "birth_date", i,
                            "expected YYYY-MM-DD, YYYY or YYYY..YYYY "
                            "(a year from 1850)");
    }
    *out = b;
    return SARHAD_OK;
}

size_t
sarhad_birth_format(char *out, size_t cap, const struct sarhad_birth *b)
{
    char from[11], to[11];
    int n;

    sarhad_date_format(from, b->from);
    sarhad_date_format(to, b->to);
    if (sarhad_date_cmp(b->from, b->to) == 0)
        n = snprintf(out, cap, "%s%s", b->approximate ? "~" : "", from);
    else if (b->from.month == 1 && b->from.day == 1 && b->to.month == 12 &&
             b->to.day == 31 && b->from.year == b->to.year)
        n = snprintf(out, cap, "%s%04d", b->approximate ? "~" : "",
                     b->from.year);
    else if (b->from.month == 1 && b->from.day == 1 && b->to.month == 12 &&
             b->to.day == 31)
        n = snprintf(out, cap, "%s%04d..%04d", b->approximate ? "~" : "",
                     b->from.year, b->to.year);
    else
        n = snprintf(out, cap, "%s%s..%s", b->approximate ? "~" : "", from, to);
    return n < 0 ? 0 : (size_t)n;
}

/* Country names as the UN list writes them, and common short forms. */
static const struct {
    const char *name;
    const char *code;
} countries[] = {
    {"afghanistan", "AFG"},
    {"pakistan", "PAK"},
    {"iran", "IRN"},
    {"iran (islamic republic of)", "IRN"},
    {"india", "IND"},
    {"tajikistan", "TJK"},
    {"uzbekistan", "UZB"},
    {"turkmenistan", "TKM"},
    {"china", "CHN"},
    {"iraq", "IRQ"},
    {"syria", "SYR"},
    {"syrian arab republic", "SYR"},
    {"saudi arabia", "SAU"},
    {"yemen", "YEM"},
    {"kuwait", "KWT"},
    {"qatar", "QAT"},
    {"jordan", "JOR"},
    {"egypt", "EGY"},
    {"libya", "LBY"},
    {"tunisia", "TUN"},
    {"algeria", "DZA"},
    {"morocco", "MAR"},
    {"mauritania", "MRT"},
    {"mali", "MLI"},
    {"chad", "TCD"},
    {"niger", "NER"},
    {"nigeria", "NGA"},
    {"senegal", "SEN"},
    {"sudan", "SDN"},
    {"south sudan", "SSD"},
    {"somalia", "SOM"},
    {"eritrea", "ERI"},
    {"ethiopia", "ETH"},
    {"kenya", "KEN"},
    {"uganda", "UGA"},
    {"rwanda", "RWA"},
    {"united republic of tanzania", "TZA"},
    {"democratic republic of the congo", "COD"},
    {"congo", "COG"},
    {"central african republic", "CAF"},
    {"guinea-bissau", "GNB"},
    {"haiti", "HTI"},
    {"indonesia", "IDN"},
    {"malaysia", "MYS"},
    {"philippines", "PHL"},
    {"democratic people's republic of korea", "PRK"},
    {"russian federation", "RUS"},
    {"russia", "RUS"},
    {"georgia", "GEO"},
    {"turkiye", "TUR"},
    {"t\xc3\xbcrkiye", "TUR"},
    {"turkey", "TUR"},
    {"state of palestine", "PSE"},
    {"palestine", "PSE"},
    {"bosnia and herzegovina", "BIH"},
    {"united kingdom of great britain and northern ireland", "GBR"},
    {"united kingdom", "GBR"},
    {"united states of america", "USA"},
    {"united states", "USA"},
    {"france", "FRA"},
    {"germany", "D"},
    {"norway", "NOR"},
    {"sweden", "SWE"},
    {"trinidad and tobago", "TTO"},
    {"bangladesh", "BGD"},
    {"united arab emirates", "ARE"},
    {"bahrain", "BHR"},
    {"oman", "OMN"},
    {"lebanon", "LBN"},
    {"kazakhstan", "KAZ"},
    {"kyrgyzstan", "KGZ"},
};

bool
sarhad_nationality_code(char code[4], const char *text, size_t len)
{
    if (text == NULL)
        return false;
    while (len > 0 && text[0] == ' ') {
        text++;
        len--;
    }
    while (len > 0 && text[len - 1] == ' ')
        len--;
    if (len == 3 || (len == 1 && text[0] == 'D')) {
        bool letters = true;
        for (size_t i = 0; i < len; i++) {
            char c = text[i];
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 'a' + 'A');
            if (c < 'A' || c > 'Z')
                letters = false;
            code[i] = c;
        }
        code[len] = '\0';
        if (letters)
            return true;
    }
    for (size_t i = 0; i < SARHAD_COUNT_OF(countries); i++)
        if (strlen(countries[i].name) == len &&
            strncasecmp(countries[i].name, text, len) == 0) {
            sarhad__strlcpy(code, countries[i].code, 4);
            return true;
        }
    code[0] = '\0';
    return false;
}
