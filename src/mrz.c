/*
 * mrz.c - the entry points of the ICAO Doc 9303 MRZ reader: the character
 * tables, the field layout of the five formats (TD1, TD2, TD3, MRV-A,
 * MRV-B), the check digit, and the shape check that decides whether a text
 * is an MRZ at all (line count, line lengths, alphabet, line ends) before
 * mrz_decode.c reads the fields.  Nothing here allocates; the hot path is a
 * table lookup per character.
 */
#include "mrz.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* 9303-3 §4.3: the MRZ alphabet.  Indexed by unsigned char. */
const uint8_t sarhad__mrz_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 4, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* 9303-3 §4.9: 0-9 as themselves, A-Z as 10-35, '<' as 0. */
const uint8_t sarhad__mrz_value[256] = {
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 0,   1,   2,   3,   4,   5,   6,   7,   8,   9,   255, 255,
    0,   255, 255, 255, 255, 10,  11,  12,  13,  14,  15,  16,  17,  18,  19,
    20,  21,  22,  23,  24,  25,  26,  27,  28,  29,  30,  31,  32,  33,  34,
    35,  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255,
};

#define S(l, c, n)                                                             \
    {                                                                          \
        l, c, n                                                                \
    }
#define NONE S(0, 0, 0)

/*
 * 9303-4 (TD3), -5 (TD1), -6 (TD2), -7 (MRV-A, MRV-B): positions of every
 * field, 0-based.  The composite digit covers the listed runs in order.
 */
static const struct mrz_layout layouts[] = {
    [SARHAD_MRZ_TD1] = {3,
                        30,
                        S(0, 0, 2),
                        S(0, 2, 3),
                        S(2, 0, 30),
                        S(0, 5, 9),
                        S(0, 14, 1),
                        S(1, 15, 3),
                        S(1, 0, 6),
                        S(1, 6, 1),
                        S(1, 7, 1),
                        S(1, 8, 6),
                        S(1, 14, 1),
                        S(0, 15, 15),
                        NONE,
                        S(1, 18, 11),
                        S(1, 29, 1),
                        {S(0, 5, 25), S(1, 0, 7), S(1, 8, 7), S(1, 18, 11)},
                        true},
    [SARHAD_MRZ_TD2] = {2,
                        36,
                        S(0, 0, 2),
                        S(0, 2, 3),
                        S(0, 5, 31),
                        S(1, 0, 9),
                        S(1, 9, 1),
                        S(1, 10, 3),
                        S(1, 13, 6),
                        S(1, 19, 1),
                        S(1, 20, 1),
                        S(1, 21, 6),
                        S(1, 27, 1),
                        S(1, 28, 7),
                        NONE,
                        NONE,
                        S(1, 35, 1),
                        {S(1, 0, 10), S(1, 13, 7), S(1, 21, 14), NONE},
                        true},
    [SARHAD_MRZ_TD3] = {2,
                        44,
                        S(0, 0, 2),
                        S(0, 2, 3),
                        S(0, 5, 39),
                        S(1, 0, 9),
                        S(1, 9, 1),
                        S(1, 10, 3),
                        S(1, 13, 6),
                        S(1, 19, 1),
                        S(1, 20, 1),
                        S(1, 21, 6),
                        S(1, 27, 1),
                        S(1, 28, 14),
                        S(1, 42, 1),
                        NONE,
                        S(1, 43, 1),
                        {S(1, 0, 10), S(1, 13, 7), S(1, 21, 22), NONE},
                        false},
    [SARHAD_MRZ_MRVA] = {2,
                         44,
                         S(0, 0, 2),
                         S(0, 2, 3),
                         S(0, 5, 39),
                         S(1, 0, 9),
                         S(1, 9, 1),
                         S(1, 10, 3),
                         S(1, 13, 6),
                         S(1, 19, 1),
                         S(1, 20, 1),
                         S(1, 21, 6),
                         S(1, 27, 1),
                         S(1, 28, 16),
                         NONE,
                         NONE,
                         NONE,
                         {NONE, NONE, NONE, NONE},
                         false},
    [SARHAD_MRZ_MRVB] = {2,
                         36,
                         S(0, 0, 2),
                         S(0, 2, 3),
                         S(0, 5, 31),
                         S(1, 0, 9),
                         S(1, 9, 1),
                         S(1, 10, 3),
                         S(1, 13, 6),
                         S(1, 19, 1),
                         S(1, 20, 1),
                         S(1, 21, 6),
                         S(1, 27, 1),
                         S(1, 28, 8),
                         NONE,
                         NONE,
                         NONE,
                         {NONE, NONE, NONE, NONE},
                         false},
};

const struct mrz_layout *
sarhad__mrz_layout(enum sarhad_mrz_format format)
{
    return &layouts[format];
}

const char *
sarhad_mrz_format_name(enum sarhad_mrz_format format)
{
    switch (format) {
    case SARHAD_MRZ_TD1:
        return "TD1";
    case SARHAD_MRZ_TD2:
        return "TD2";
    case SARHAD_MRZ_TD3:
        return "TD3";
    case SARHAD_MRZ_MRVA:
        return "MRVA";
    case SARHAD_MRZ_MRVB:
        return "MRVB";
    case SARHAD_MRZ_UNKNOWN:
        break;
    }
    return NULL;
}

/* 9303-3 §4.9: weights 7, 3, 1 repeating, sum modulo 10. */
int
sarhad_mrz_check_digit(const char *s, size_t len)
{
    static const uint8_t weight[3] = {7, 3, 1};
    unsigned sum = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (sarhad__mrz_class[c] == 0)
            return -1;
        sum += (unsigned)sarhad__mrz_value[c] * weight[i % 3];
    }
    return (int)(sum % 10);
}

/* ---- shape: is this an MRZ at all? ------------------------------------ */

struct shape {
    const char *lines[MRZ_MAX_LINES];
    unsigned width[MRZ_MAX_LINES];
    unsigned count;
};

/* Record why text is not an MRZ, in *out (as its one issue) and in *err. */
static enum sarhad_status not_mrz(struct sarhad_mrz *out,
                                  struct sarhad_error *err, size_t offset,
                                  unsigned line, unsigned col, const char *code,
                                  const char *fmt, ...) SARHAD_PRINTF(7, 8);

static enum sarhad_status
not_mrz(struct sarhad_mrz *out, struct sarhad_error *err, size_t offset,
        unsigned line, unsigned col, const char *code, const char *fmt, ...)
{
    struct sarhad_mrz_issue *is = &out->issues[0];
    va_list ap;

    memset(out, 0, sizeof(*out));
    out->issue_count = 1;
    sarhad__strlcpy(is->field, "mrz", sizeof(is->field));
    sarhad__strlcpy(is->code, code, sizeof(is->code));
    va_start(ap, fmt);
    vsnprintf(is->message, sizeof(is->message), fmt, ap);
    va_end(ap);
    is->line = (uint8_t)line;
    is->col = (uint8_t)(col > 255 ? 255 : col);
    if (err != NULL) {
        sarhad__fail_at(err, SARHAD_EFORMAT, "mrz", line, col, "%s",
                        is->message);
        err->offset = offset;
    }
    return SARHAD_EFORMAT;
}

/* Why the byte at text[i] (not in the MRZ alphabet) stops the reading. */
static enum sarhad_status
bad_byte(struct sarhad_mrz *out, struct sarhad_error *err, const char *text,
         size_t len, size_t i, size_t body_end, unsigned line, size_t start)
{
    unsigned char c = (unsigned char)text[i];
    unsigned col = (unsigned)(i - start) + 1;

    if (i > body_end) /* spaces, then more text on the same line */
        return not_mrz(out, err, body_end, line,
                       (unsigned)(body_end - start) + 1, "stray_space",
                       "space inside line %u at column %u; MRZ lines hold "
                       "only A-Z 0-9 '<'",
                       line, (unsigned)(body_end - start) + 1);
    if (c == '\r' && (i + 1 >= len || text[i + 1] != '\n'))
        return not_mrz(out, err, i, line, col, "bad_line_end",
                       "carriage return without line feed after line %u; "
                       "lines end in LF or CR LF",
                       line);
    if (c >= 'a' && c <= 'z')
        return not_mrz(out, err, i, line, col, "lowercase",
                       "lowercase letter at line %u, column %u; MRZ "
                       "letters are upper case",
                       line, col);
    if (c == ' ' || c == '\t')
        return not_mrz(out, err, i, line, col, "stray_space",
                       "whitespace at line %u, column %u; MRZ lines hold "
                       "only A-Z 0-9 '<'",
                       line, col);
    return not_mrz(out, err, i, line, col, "bad_character",
                   "byte 0x%02x at line %u, column %u is outside A-Z 0-9 "
                   "'<'",
                   c, line, col);
}

/*
 * Split text into lines of MRZ characters.  A line may end in trailing
 * spaces and LF or CR LF; the text may end in one line end.  Stops at the
 * first fault, so a long or hostile input costs no more than its first
 * 3 * 44 characters and its trailing spaces.
 */
static enum sarhad_status
split(struct shape *sh, struct sarhad_mrz *out, const char *text, size_t len,
      struct sarhad_error *err)
{
    size_t i = 0;

    sh->count = 0;
    if (len == 0)
        return not_mrz(out, err, 0, 0, 0, "empty", "no text to read");
    while (i < len) {
        size_t start = i, body_end, limit;
        unsigned line = sh->count + 1;

        if (sh->count == MRZ_MAX_LINES)
            return not_mrz(out, err, i, line, 1, "line_count",
                           "more than 3 lines; an MRZ has 2 or 3 lines");
        limit = len - i < MRZ_MAX_WIDTH + 1 ? len : i + MRZ_MAX_WIDTH + 1;
        while (i < limit && sarhad__mrz_class[(unsigned char)text[i]] != 0)
            i++;
        body_end = i;
        if (body_end - start > MRZ_MAX_WIDTH)
            return not_mrz(out, err, i - 1, line, MRZ_MAX_WIDTH + 1,
                           "bad_length", "line %u is longer than 44 characters",
                           line);
        while (i < len && text[i] == ' ')
            i++;
        if (i < len && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
            i++;
        if (i < len && text[i] != '\n')
            return bad_byte(out, err, text, len, i, body_end, line, start);
        if (body_end == start)
            return not_mrz(out, err, start, line, 1, "blank_line",
                           "line %u is blank; one MRZ is read at a time", line);
        sh->lines[sh->count] = text + start;
        sh->width[sh->count] = (unsigned)(body_end - start);
        sh->count++;
        i++; /* past the '\n' (or the end) */
    }
    return SARHAD_OK;
}

/* Which format a well-split text is, or EFORMAT with the reason. */
static enum sarhad_status
classify(enum sarhad_mrz_format *format, const struct shape *sh,
         struct sarhad_mrz *out, const char *text, struct sarhad_error *err)
{
    unsigned w = sh->width[0];

    if (sh->count == 1)
        return not_mrz(out, err, 0, 1, 0, "line_count",
                       "1 line; an MRZ has 2 lines (TD2, TD3, visas) or 3 "
                       "(TD1)");
    if (sh->count == 3) {
        for (unsigned l = 0; l < 3; l++)
            if (sh->width[l] != 30)
                return not_mrz(
                    out, err, (size_t)(sh->lines[l] - text), l + 1,
                    (sh->width[l] < 30 ? sh->width[l] : 30) + 1, "bad_length",
                    "line %u has %u characters; a 3-line MRZ (TD1) has 30",
                    l + 1, sh->width[l]);
        *format = SARHAD_MRZ_TD1;
        return SARHAD_OK;
    }
    if (w != 36 && w != 44)
        return not_mrz(out, err, 0, 1, (w < 44 ? w : 44) + 1, "bad_length",
                       "line 1 has %u characters; a 2-line MRZ has 36 (TD2, "
                       "MRV-B) or 44 (TD3, MRV-A)%s",
                       w, w == 30 ? "; TD1 has 3 lines" : "");
    if (sh->width[1] != w)
        return not_mrz(out, err, (size_t)(sh->lines[1] - text), 2,
                       (sh->width[1] < w ? sh->width[1] : w) + 1, "bad_length",
                       "line 2 has %u characters; line 1 has %u and both "
                       "lines have the same length",
                       sh->width[1], w);
    /* 9303-7 §2: visas are told apart by their document code 'V'. */
    if (sh->lines[0][0] == 'V')
        *format = w == 44 ? SARHAD_MRZ_MRVA : SARHAD_MRZ_MRVB;
    else
        *format = w == 44 ? SARHAD_MRZ_TD3 : SARHAD_MRZ_TD2;
    return SARHAD_OK;
}

enum sarhad_status
sarhad__mrz_parse_slow(struct sarhad_mrz *out, const char *text, size_t len,
                       struct sarhad_date today, struct sarhad_error *err)
{
    struct shape sh = {0};
    enum sarhad_mrz_format format = SARHAD_MRZ_UNKNOWN;
    enum sarhad_status s;

    if (out == NULL || (text == NULL && len > 0))
        return sarhad__fail(err, SARHAD_EINVAL, "", SIZE_MAX,
                            "out and text must not be NULL");
    s = split(&sh, out, text, len, err);
    if (s == SARHAD_OK)
        s = classify(&format, &sh, out, text, err);
    if (s != SARHAD_OK)
        return s;
    sarhad__mrz_decode(out, sh.lines, format, today, false);
    out->has_suggestion = false;
    out->suggestion[0] = '\0';
    if (!out->valid)
        sarhad__mrz_repair(out, sh.lines, format, today);
    return SARHAD_OK;
}

/*
 * Most readings at a post are valid passports and ID cards: the fast path
 * reads those in one pass, and everything else (and anything the fast path
 * is unsure of) goes the detailed way, so errors are reported as before.
 */
enum sarhad_status
sarhad_mrz_parse_at(struct sarhad_mrz *out, const char *text, size_t len,
                    struct sarhad_date today, struct sarhad_error *err)
{
    if (out != NULL && text != NULL && sarhad__mrz_fast(out, text, len, today))
        return SARHAD_OK;
    return sarhad__mrz_parse_slow(out, text, len, today, err);
}

enum sarhad_status
sarhad_mrz_parse(struct sarhad_mrz *out, const char *text, size_t len,
                 struct sarhad_error *err)
{
    time_t now = time(NULL);
    struct sarhad_date today = sarhad_date_from_days((int32_t)(now / 86400));

    return sarhad_mrz_parse_at(out, text, len, today, err);
}
