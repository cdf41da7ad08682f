/*
 * mrz_decode.c - reads the fields out of an MRZ whose shape mrz.c has
 * already accepted (right line count and length, only A-Z 0-9 '<') and
 * checks them: every check digit (9303-3 §4.9), the composite digit of TD1,
 * TD2 and TD3, the '<' check digit of an empty TD3 personal number, the TD1
 * and TD2 long document number spilled into the optional data (9303-5
 * §4.2.4), calendar dates with two-digit years resolved against a given
 * day, and the alphabet of each field.  Every fault becomes an issue and
 * the reading goes on, so one bad date does not hide the rest.  Nothing
 * here allocates, and the path of a valid MRZ formats no text.
 */
#include "mrz.h"

#include <stdio.h>
#include <string.h>

/* Record a problem at span at; the message gets the place appended. */
static void issue(struct sarhad_mrz *out, const char *field, const char *code,
                  struct mrz_span at, const char *fmt, ...) SARHAD_PRINTF(5, 6);

static void
issue(struct sarhad_mrz *out, const char *field, const char *code,
      struct mrz_span at, const char *fmt, ...)
{
    struct sarhad_mrz_issue *is;
    va_list ap;
    int n;

    out->valid = false;
    if (out->issue_count >= SARHAD_MRZ_MAX_ISSUES)
        return;
    is = &out->issues[out->issue_count++];
    sarhad__strlcpy(is->field, field, sizeof(is->field));
    sarhad__strlcpy(is->code, code, sizeof(is->code));
    is->line = (uint8_t)(at.line + 1);
    is->col = (uint8_t)(at.col + 1);
    va_start(ap, fmt);
    n = vsnprintf(is->message, sizeof(is->message), fmt, ap);
    va_end(ap);
    if (n > 0 && (size_t)n < sizeof(is->message))
        snprintf(is->message + n, sizeof(is->message) - (size_t)n,
                 " (line %u, column %u)", is->line, is->col);
}

/* Copy n characters of src without trailing filler into dst. */
static void
copy_code(char *dst, const char *src, unsigned n)
{
    while (n > 0 && src[n - 1] == '<')
        n--;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The first position in span s of lines whose class is not in mask. */
static int
first_not(const char *const *lines, struct mrz_span s, unsigned mask)
{
    const char *p = lines[s.line] + s.col;

    for (unsigned i = 0; i < s.len; i++)
        if ((sarhad__mrz_class[(unsigned char)p[i]] & mask) == 0)
            return (int)i;
    return -1;
}

/*
 * A name part: '<' becomes a space (a run of them one space), leading and
 * trailing filler go.
 */
static void
copy_name(char *dst, const char *src, unsigned n)
{
    unsigned i = 0, j = 0;

    while (i < n && src[i] == '<')
        i++;
    while (n > i && src[n - 1] == '<')
        n--;
    for (; i < n; i++) {
        if (src[i] != '<')
            dst[j++] = src[i];
        else if (dst[j - 1] != ' ') /* a run of filler is one space */
            dst[j++] = ' ';
    }
    dst[j] = '\0';
}

/* 9303-3 §4.6: PRIMARY<<SECONDARY<NAMES; a single name has no "<<". */
static void
read_name(struct sarhad_mrz *out, const char *const *lines, struct mrz_span s)
{
    const char *f = lines[s.line] + s.col;
    unsigned sep = s.len;
    int bad;

    for (unsigned i = 0; i + 1 < s.len; i++)
        if (f[i] == '<' && f[i + 1] == '<') {
            sep = i;
            break;
        }
    copy_name(out->surname, f, sep);
    if (sep + 2 <= s.len)
        copy_name(out->given_names, f + sep + 2, s.len - sep - 2);
    else
        out->given_names[0] = '\0';
    bad = first_not(lines, s, MRZ_C_LETTER | MRZ_C_FILLER);
    if (bad >= 0) {
        struct mrz_span at = {s.line, (uint8_t)(s.col + bad), 1};
        issue(out, (unsigned)bad < sep ? "surname" : "given_names",
              "bad_character", at, "a name holds only letters, not a digit");
    }
}

static void
read_code(struct sarhad_mrz *out, char *dst, const char *const *lines,
          struct mrz_span s, const char *field, const char *label)
{
    int bad;

    copy_code(dst, lines[s.line] + s.col, s.len);
    bad = first_not(lines, s, MRZ_C_LETTER | MRZ_C_FILLER);
    if (bad >= 0) {
        struct mrz_span at = {s.line, (uint8_t)(s.col + bad), 1};
        issue(out, field, "bad_code", at, "%s holds only letters", label);
    }
}

/* Compare the digit at chk with the computed check digit want. */
static void
verify(struct sarhad_mrz *out, const char *const *lines, struct mrz_span chk,
       int want, const char *field, const char *label)
{
    char c = lines[chk.line][chk.col];

    if (c >= '0' && c <= '9') {
        if (c - '0' != want)
            issue(out, field, "check_digit", chk,
                  "%s check digit is %c but the %s gives %d", label, c, label,
                  want);
    } else {
        issue(out, field, "check_digit", chk,
              "%s check digit must be a digit, not '%c'", label, c);
    }
}

/*
 * A YYMMDD date.  Birth dates take the latest century that does not put
 * them after today; expiry dates are in 2000-2099 unless that is more than
 * 50 years after today.
 */
static struct sarhad_date
read_date(struct sarhad_mrz *out, const char *const *lines, struct mrz_span s,
          bool is_birth, struct sarhad_date today, const char *field,
          const char *label)
{
    const char *p = lines[s.line] + s.col;
    struct sarhad_date d = {0, 0, 0};
    int bad = first_not(lines, s, MRZ_C_DIGIT);
    int yy, mm, dd, y;

    if (bad >= 0) {
        struct mrz_span at = {s.line, (uint8_t)(s.col + bad), 1};
        issue(out, field, "not_a_date", at, "%s must be six digits YYMMDD",
              label);
        return d;
    }
    yy = (p[0] - '0') * 10 + (p[1] - '0');
    mm = (p[2] - '0') * 10 + (p[3] - '0');
    dd = (p[4] - '0') * 10 + (p[5] - '0');
    y = 2000 + yy;
    if (is_birth) {
        if (y * 10000 + mm * 100 + dd >
            today.year * 10000 + today.month * 100 + today.day)
            y -= 100;
    } else if (y > today.year + 50) {
        y -= 100;
    }
    if (!sarhad_date_is_valid(y, mm, dd)) {
        issue(out, field, "impossible_date", s,
              mm < 1 || mm > 12 ? "%s is not a calendar date (month %02d)"
                                : "%s is not a calendar date (day %02d)",
              label, mm < 1 || mm > 12 ? mm : dd);
        return d;
    }
    d.year = (int16_t)y;
    d.month = (uint8_t)mm;
    d.day = (uint8_t)dd;
    return d;
}

/*
 * The document number and its check digit.  In TD1 and TD2 a '<' check
 * digit means the number is longer than 9: the rest of it and its check
 * digit open the optional data, which resumes after one filler.
 */
static void
read_document_number(struct sarhad_mrz *out, const struct mrz_layout *l,
                     const char *const *lines)
{
    struct mrz_span s = l->document_number, c = l->document_number_check;
    struct mrz_span o = l->optional_data;
    const char *opt = lines[o.line] + o.col;
    unsigned k = 0;

    if (!l->spill || lines[c.line][c.col] != '<') {
        copy_code(out->document_number, lines[s.line] + s.col, s.len);
        verify(out, lines, c, sarhad__mrz_span_check(lines, s),
               "document_number_check", "document number");
        copy_code(out->optional_data, opt, o.len);
        return;
    }
    while (k < o.len && opt[k] != '<')
        k++;
    memcpy(out->document_number, lines[s.line] + s.col, s.len);
    if (k == 0) {
        copy_code(out->document_number, lines[s.line] + s.col, s.len);
        issue(out, "document_number_check", "check_digit", c,
              "document number check digit is '<' but no rest of a long "
              "number follows in the optional data");
        copy_code(out->optional_data, opt, o.len);
        return;
    }
    memcpy(out->document_number + s.len, opt, k - 1);
    out->document_number[s.len + k - 1] = '\0';
    {
        struct mrz_span at = {o.line, (uint8_t)(o.col + k - 1), 1};
        verify(out, lines, at,
               sarhad_mrz_check_digit(out->document_number, s.len + k - 1),
               "document_number_check", "document number");
    }
    if (k + 1 < o.len)
        copy_code(out->optional_data, opt + k + 1, o.len - k - 1);
    else
        out->optional_data[0] = '\0';
}

/* 9303-4 §4.2.2: the personal number's check digit may be '<' if empty. */
static void
read_personal_number_check(struct sarhad_mrz *out, const struct mrz_layout *l,
                           const char *const *lines)
{
    struct mrz_span c = l->optional_data_check;

    if (lines[c.line][c.col] == '<') {
        if (out->optional_data[0] != '\0')
            issue(out, "optional_data_check", "check_digit", c,
                  "personal number check digit is '<' but the personal "
                  "number is not empty");
        return;
    }
    verify(out, lines, c, sarhad__mrz_span_check(lines, l->optional_data),
           "optional_data_check", "personal number");
}

static void
read_composite(struct sarhad_mrz *out, const struct mrz_layout *l,
               const char *const *lines)
{
    unsigned sum = 0, at = 0;

    for (unsigned r = 0; r < 4 && l->composite[r].len > 0; r++) {
        struct mrz_span s = l->composite[r];
        sum += sarhad__mrz_sum(lines[s.line] + s.col, s.len, at % 3);
        at += s.len;
    }
    verify(out, lines, l->composite_check, (int)(sum % 10), "composite_check",
           "composite");
}

static void
read_sex(struct sarhad_mrz *out, const char *const *lines, struct mrz_span s)
{
    char c = lines[s.line][s.col];

    if (c == 'M' || c == 'F' || c == 'X') {
        out->sex = c;
    } else if (c == '<') {
        out->sex = 'X';
    } else {
        out->sex = 0;
        issue(out, "sex", "bad_value", s, "sex must be M, F, X or '<'");
    }
}

void
sarhad__mrz_decode(struct sarhad_mrz *out, const char *const *lines,
                   enum sarhad_mrz_format format, struct sarhad_date today,
                   bool quiet)
{
    const struct mrz_layout *l = sarhad__mrz_layout(format);
    struct mrz_span dc = l->document_code;

    out->format = format;
    out->valid = true;
    /* Quiet: issue() finds the list full and only clears valid. */
    out->issue_count = quiet ? SARHAD_MRZ_MAX_ISSUES : 0;
    copy_code(out->document_code, lines[dc.line] + dc.col, dc.len);
    if (first_not(lines, dc, MRZ_C_LETTER | MRZ_C_FILLER) >= 0 ||
        lines[0][0] == '<')
        issue(out, "document_code", "bad_code", dc,
              "document code starts with a letter");
    /* 9303-7: 'V' marks a visa, and visas have two lines (MRV-A, MRV-B);
     * three lines of 30 starting with V are no document. */
    else if (format == SARHAD_MRZ_TD1 && lines[0][0] == 'V')
        issue(out, "document_code", "bad_code", dc,
              "document code V marks a visa, which has no 3-line (TD1) form");
    read_code(out, out->issuing_state, lines, l->issuing_state, "issuing_state",
              "issuing state");
    read_document_number(out, l, lines);
    out->birth_date = read_date(out, lines, l->birth_date, true, today,
                                "birth_date", "birth date");
    verify(out, lines, l->birth_date_check,
           sarhad__mrz_span_check(lines, l->birth_date), "birth_date_check",
           "birth date");
    read_sex(out, lines, l->sex);
    out->expiry_date = read_date(out, lines, l->expiry_date, false, today,
                                 "expiry_date", "expiry date");
    verify(out, lines, l->expiry_date_check,
           sarhad__mrz_span_check(lines, l->expiry_date), "expiry_date_check",
           "expiry date");
    read_code(out, out->nationality, lines, l->nationality, "nationality",
              "nationality");
    if (l->optional_data_check.len > 0)
        read_personal_number_check(out, l, lines);
    if (l->optional_data_2.len > 0)
        copy_code(out->optional_data_2,
                  lines[l->optional_data_2.line] + l->optional_data_2.col,
                  l->optional_data_2.len);
    else
        out->optional_data_2[0] = '\0';
    if (l->composite_check.len > 0)
        read_composite(out, l, lines);
    read_name(out, lines, l->name);
    if (quiet)
        out->issue_count = 0;
}
