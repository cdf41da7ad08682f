/*
 * mrz_format.c - builds the MRZ of a document from its fields: places each
 * field where its format's layout says, fills with '<', writes every check
 * digit (the composite too) and truncates names by the ICAO 9303-3 rule.
 * It is the inverse of the reader: parsing what it writes gives back the
 * same fields.  Allocates nothing.
 */
#include "mrz.h"

#include <string.h>

struct out_lines {
    char buf[MRZ_MAX_LINES][MRZ_MAX_WIDTH];
    const char *lines[MRZ_MAX_LINES];
};

static enum sarhad_status
bad(struct sarhad_error *err, const char *field, const char *why)
{
    return sarhad__fail(err, SARHAD_EINVAL, field, SIZE_MAX, "%s", why);
}

/* Write src (len chars of the classes in mask) at s; EINVAL when it cannot. */
static enum sarhad_status
put(struct out_lines *o, struct mrz_span s, const char *src, unsigned mask,
    const char *field, const char *why, struct sarhad_error *err)
{
    size_t len = strnlen(src, s.len + 1u);

    if (len > s.len)
        return sarhad__fail(err, SARHAD_EINVAL, field, SIZE_MAX,
                            "longer than the %u characters the format has",
                            s.len);
    for (size_t i = 0; i < len; i++)
        if ((sarhad__mrz_class[(unsigned char)src[i]] & mask) == 0)
            return bad(err, field, why);
    memcpy(o->buf[s.line] + s.col, src, len);
    return SARHAD_OK;
}

static void
put_check(struct out_lines *o, struct mrz_span at, int digit)
{
    o->buf[at.line][at.col] = (char)('0' + digit);
}

/*
 * One name part in MRZ form: spaces and hyphens become '<', apostrophes
 * go (9303-3 §4.6); the result is trimmed of filler.  Returns the length
 * or -1 when a character cannot be written.
 */
static int
name_part(char *dst, size_t cap, const char *src, size_t src_cap)
{
    size_t j = 0;

    for (size_t i = 0; i < src_cap && src[i] != '\0'; i++) {
        char c = src[i];
        if (c == '\'')
            continue;
        if (c == ' ' || c == '-')
            c = '<';
        if ((sarhad__mrz_class[(unsigned char)c] &
             (MRZ_C_LETTER | MRZ_C_FILLER)) == 0)
            return -1;
        if (c == '<' && (j == 0 || dst[j - 1] == '<'))
            continue; /* no leading or doubled filler inside a part */
        if (j + 1 >= cap)
            return -2;
        dst[j++] = c;
    }
    while (j > 0 && dst[j - 1] == '<')
        j--;
    dst[j] = '\0';
    return (int)j;
}

/*
 * 9303-3 §4.6: PRIMARY<<SECONDARY.  When the name is too long the primary
 * identifier is kept whole if it leaves room for the "<<" and at least one
 * character of the secondary identifier, which is then cut at the end of
 * the field; a longer primary identifier is itself cut at the end of the
 * field and the secondary identifier is left out.
 */
static enum sarhad_status
put_name(struct out_lines *o, struct mrz_span s, const struct sarhad_mrz *f,
         struct sarhad_error *err)
{
    char primary[64], secondary[64], *dst = o->buf[s.line] + s.col;
    int pn =
        name_part(primary, sizeof(primary), f->surname, sizeof(f->surname));
    int sn = name_part(secondary, sizeof(secondary), f->given_names,
                       sizeof(f->given_names));
    unsigned n = s.len;

    if (pn == -1)
        return bad(err, "surname", "names hold only A-Z, spaces and hyphens");
    if (sn == -1)
        return bad(err, "given_names",
                   "names hold only A-Z, spaces and hyphens");
    if (pn < 0 || sn < 0)
        return bad(err, pn < 0 ? "surname" : "given_names", "name too long");
    if ((unsigned)pn >= n || sn == 0 || (unsigned)pn + 3 > n) {
        memcpy(dst, primary, (unsigned)pn < n ? (size_t)pn : n);
        return SARHAD_OK;
    }
    memcpy(dst, primary, (size_t)pn);
    dst += pn + 2; /* the "<<" is already filler */
    n -= (unsigned)pn + 2;
    memcpy(dst, secondary, (unsigned)sn < n ? (size_t)sn : n);
    return SARHAD_OK;
}

static enum sarhad_status
put_date(struct out_lines *o, struct mrz_span s, struct mrz_span chk,
         struct sarhad_date d, const char *field, struct sarhad_error *err)
{
    char *p = o->buf[s.line] + s.col;
    int yy;

    if (d.year == 0 || !sarhad_date_is_valid(d.year, d.month, d.day))
        return bad(err, field, "needs a calendar date");
    yy = ((d.year % 100) + 100) % 100;
    p[0] = (char)('0' + yy / 10);
    p[1] = (char)('0' + yy % 10);
    p[2] = (char)('0' + d.month / 10);
    p[3] = (char)('0' + d.month % 10);
    p[4] = (char)('0' + d.day / 10);
    p[5] = (char)('0' + d.day % 10);
    put_check(o, chk, sarhad_mrz_check_digit(p, 6));
    return SARHAD_OK;
}

/*
 * The document number, its check digit and the optional data.  A TD1 or
 * TD2 number longer than 9 puts its first 9 characters in the number field,
 * '<' in the check digit, then the rest, the check digit and one filler at
 * the start of the optional data (9303-5 §4.2.4).
 */
static enum sarhad_status
put_number(struct out_lines *o, const struct mrz_layout *l,
           const struct sarhad_mrz *f, struct sarhad_error *err)
{
    static const char *const why = "holds only A-Z, 0-9 and '<'";
    const unsigned any = MRZ_C_LETTER | MRZ_C_DIGIT | MRZ_C_FILLER;
    struct mrz_span s = l->document_number, ov = l->optional_data;
    size_t len = strnlen(f->document_number, sizeof(f->document_number));
    size_t opt_len = strnlen(f->optional_data, sizeof(f->optional_data));
    enum sarhad_status st;
    char *p;

    if (len == sizeof(f->document_number) ||
        opt_len == sizeof(f->optional_data))
        return bad(err,
                   len == sizeof(f->document_number) ? "document_number"
                                                     : "optional_data",
                   "is not terminated");
    if (len <= s.len) {
        st = put(o, s, f->document_number, any, "document_number", why, err);
        if (st != SARHAD_OK)
            return st;
        put_check(o, l->document_number_check,
                  sarhad_mrz_check_digit(f->document_number, len));
        return put(o, ov, f->optional_data, any, "optional_data", why, err);
    }
    if (!l->spill)
        return bad(err, "document_number",
                   "longer than the 9 characters the format has");
    if (len - s.len + 1 + (opt_len > 0 ? 1 + opt_len : 0) > ov.len)
        return bad(
            err, len - s.len + 1 > ov.len ? "document_number" : "optional_data",
            "a long document number and the optional data do not "
            "fit together");
    for (size_t i = 0; i < len; i++)
        if ((sarhad__mrz_class[(unsigned char)f->document_number[i]] &
             (i < s.len ? any : MRZ_C_LETTER | MRZ_C_DIGIT)) == 0)
            return bad(err, "document_number",
                       "holds only A-Z and 0-9 (and '<' in its first 9)");
    for (size_t i = 0; i < opt_len; i++)
        if ((sarhad__mrz_class[(unsigned char)f->optional_data[i]] & any) == 0)
            return bad(err, "optional_data", why);
    memcpy(o->buf[s.line] + s.col, f->document_number, s.len);
    p = o->buf[ov.line] + ov.col;
    memcpy(p, f->document_number + s.len, len - s.len);
    p += len - s.len;
    *p++ = (char)('0' + sarhad_mrz_check_digit(f->document_number, len));
    if (opt_len > 0)
        memcpy(p + 1, f->optional_data, opt_len);
    return SARHAD_OK;
}

static enum sarhad_status
put_code(struct out_lines *o, const struct mrz_layout *l,
         const struct sarhad_mrz *f, struct sarhad_error *err)
{
    const char *code = f->document_code;
    bool is_visa = f->format == SARHAD_MRZ_MRVA || f->format == SARHAD_MRZ_MRVB;

    if (code[0] == '\0')
        code = is_visa ? "V" : f->format == SARHAD_MRZ_TD3 ? "P" : "I";
    if (code[0] == '<' || (code[0] == 'V') != is_visa)
        return bad(err, "document_code",
                   is_visa ? "a visa's document code starts with V"
                           : "starts with a letter other than V (V is a visa)");
    return put(o, l->document_code, code, MRZ_C_LETTER | MRZ_C_FILLER,
               "document_code", "holds only A-Z and '<'", err);
}

static enum sarhad_status
put_fields(struct out_lines *o, const struct mrz_layout *l,
           const struct sarhad_mrz *f, struct sarhad_error *err)
{
    const unsigned alpha = MRZ_C_LETTER | MRZ_C_FILLER;
    const unsigned any = alpha | MRZ_C_DIGIT;
    enum sarhad_status st;
    char sex[2] = {f->sex, '\0'};

    if ((st = put_code(o, l, f, err)) != SARHAD_OK ||
        (st = put(o, l->issuing_state, f->issuing_state, alpha, "issuing_state",
                  "holds only A-Z and '<'", err)) != SARHAD_OK ||
        (st = put_name(o, l->name, f, err)) != SARHAD_OK ||
        (st = put_number(o, l, f, err)) != SARHAD_OK ||
        (st = put(o, l->nationality, f->nationality, alpha, "nationality",
                  "holds only A-Z and '<'", err)) != SARHAD_OK ||
        (st = put_date(o, l->birth_date, l->birth_date_check, f->birth_date,
                       "birth_date", err)) != SARHAD_OK ||
        (st = put_date(o, l->expiry_date, l->expiry_date_check, f->expiry_date,
                       "expiry_date", err)) != SARHAD_OK)
        return st;
    if (sex[0] == 'X' || sex[0] == '\0')
        sex[0] = '<';
    if (sex[0] != 'M' && sex[0] != 'F' && sex[0] != '<')
        return bad(err, "sex", "is M, F, X or empty");
    o->buf[l->sex.line][l->sex.col] = sex[0];
    if (l->optional_data_2.len > 0) {
        st = put(o, l->optional_data_2, f->optional_data_2, any,
                 "optional_data_2", "holds only A-Z, 0-9 and '<'", err);
        if (st != SARHAD_OK)
            return st;
    } else if (f->optional_data_2[0] != '\0') {
        return bad(err, "optional_data_2",
                   "only TD1 has a second optional "
                   "data field");
    }
    return SARHAD_OK;
}

/* 9303-4 §4.2.2: an empty personal number may have '<' as check digit. */
static void
put_checks(struct out_lines *o, const struct mrz_layout *l,
           const struct sarhad_mrz *f)
{
    if (l->optional_data_check.len > 0 && f->optional_data[0] != '\0')
        put_check(o, l->optional_data_check,
                  sarhad__mrz_span_check(o->lines, l->optional_data));
    if (l->composite_check.len > 0) {
        char all[MRZ_MAX_LINES * MRZ_MAX_WIDTH];
        size_t n = 0;
        for (unsigned r = 0; r < 4 && l->composite[r].len > 0; r++) {
            struct mrz_span s = l->composite[r];
            memcpy(all + n, o->buf[s.line] + s.col, s.len);
            n += s.len;
        }
        put_check(o, l->composite_check, sarhad_mrz_check_digit(all, n));
    }
}

enum sarhad_status
sarhad_mrz_format(char *out, size_t cap, const struct sarhad_mrz *fields,
                  struct sarhad_error *err)
{
    const struct mrz_layout *l;
    struct out_lines o;
    enum sarhad_status st;
    size_t need;

    if (out == NULL || fields == NULL)
        return bad(err, "", "out and fields must not be NULL");
    if (fields->format < SARHAD_MRZ_TD1 || fields->format > SARHAD_MRZ_MRVB)
        return bad(err, "format", "is TD1, TD2, TD3, MRVA or MRVB");
    l = sarhad__mrz_layout(fields->format);
    need = (size_t)l->lines * (l->width + 1u);
    if (cap < need)
        return sarhad__fail(err, SARHAD_EINVAL, "", SIZE_MAX,
                            "output buffer of %zu bytes; %s needs %zu", cap,
                            sarhad_mrz_format_name(fields->format), need);
    memset(o.buf, '<', sizeof(o.buf));
    for (unsigned i = 0; i < MRZ_MAX_LINES; i++)
        o.lines[i] = o.buf[i];
    st = put_fields(&o, l, fields, err);
    if (st != SARHAD_OK)
        return st;
    put_checks(&o, l, fields);
    for (unsigned i = 0; i < l->lines; i++) {
        char *line = out + (size_t)i * (l->width + 1u);
        memcpy(line, o.buf[i], l->width);
        line[l->width] = i + 1u < l->lines ? '\n' : '\0';
    }
    return SARHAD_OK;
}
