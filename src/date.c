/*
 * date.c - civil dates and times.  The law at a crossing applies by the
 * post's local calendar day, so a presentation's time keeps its local date
 * and offset; day arithmetic uses a days-since-epoch count (H. Hinnant's
 * civil-from-days algorithm, valid for the whole proleptic Gregorian range
 * that int16_t years cover).
 */
#include "internal.h"

#include <string.h>

static bool
is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool
sarhad_date_is_valid(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= days_in_month(year, month);
}

int32_t
sarhad_date_to_days(struct sarhad_date d)
{
    int y = d.year - (d.month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int mp = (d.month + 9) % 12;
    int doy = (153 * mp + 2) / 5 + d.day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

struct sarhad_date
sarhad_date_from_days(int32_t days)
{
    int32_t z = days + 719468;
    int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    int32_t doe = z - era * 146097;
    int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int32_t mp = (5 * doy + 2) / 153;
    int32_t d = doy - (153 * mp + 2) / 5 + 1;
    int32_t m = mp < 10 ? mp + 3 : mp - 9;
    struct sarhad_date out;

    out.year = (int16_t)(yoe + era * 400 + (m <= 2));
    out.month = (uint8_t)m;
    out.day = (uint8_t)d;
    return out;
}

int32_t
sarhad_date_diff(struct sarhad_date a, struct sarhad_date b)
{
    return sarhad_date_to_days(a) - sarhad_date_to_days(b);
}

int
sarhad_date_cmp(struct sarhad_date a, struct sarhad_date b)
{
    long ka = a.year * 10000L + a.month * 100L + a.day;
    long kb = b.year * 10000L + b.month * 100L + b.day;

    return (ka > kb) - (ka < kb);
}

struct sarhad_date
sarhad_date_add_days(struct sarhad_date d, int32_t n)
{
    return sarhad_date_from_days(sarhad_date_to_days(d) + n);
}

/* Read n decimal digits at s into *out; false if any is not a digit. */
static bool
digits(const char *s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static enum sarhad_status
parse_ymd(struct sarhad_date *out, const char *t, size_t len,
          struct sarhad_error *err)
{
    int y, m, d;

    if (len < 10 || t[4] != '-' || t[7] != '-')
        return sarhad__fail(err, SARHAD_EFORMAT, "date", 0,
                            "expected a date as YYYY-MM-DD");
    if (!digits(t, 4, &y))
        return sarhad__fail(err, SARHAD_EFORMAT, "date", 0,
                            "year must be four digits");
    if (!digits(t + 5, 2, &m) || m < 1 || m > 12)
        return sarhad__fail(err, SARHAD_EFORMAT, "date", 5,
                            "month must be 01-12");
    if (!digits(t + 8, 2, &d) || !sarhad_date_is_valid(y, m, d))
        return sarhad__fail(err, SARHAD_EFORMAT, "date", 8,
                            "day does not exist in that month");
    out->year = (int16_t)y;
    out->month = (uint8_t)m;
    out->day = (uint8_t)d;
    return SARHAD_OK;
}

enum sarhad_status
sarhad_date_parse(struct sarhad_date *out, const char *text, size_t len,
                  struct sarhad_error *err)
{
    struct sarhad_date d;
    enum sarhad_status s;

    if (len != 10)
        return sarhad__fail(err, SARHAD_EFORMAT, "date", 0,
                            "expected a date as YYYY-MM-DD");
    s = parse_ymd(&d, text, len, err);
    if (s == SARHAD_OK)
        *out = d;
    return s;
}

/* Write v as exactly n decimal digits at out (v is in range by contract). */
static void
put_digits(char *out, int v, int n)
{
    while (n-- > 0) {
        out[n] = (char)('0' + v % 10);
        v /= 10;
    }
}

size_t
sarhad_date_format(char out[11], struct sarhad_date d)
{
    if (d.year == 0) {
        out[0] = '\0';
        return 0;
    }
    put_digits(out, d.year, 4);
    out[4] = '-';
    put_digits(out + 5, d.month, 2);
    out[7] = '-';
    put_digits(out + 8, d.day, 2);
    out[10] = '\0';
    return 10;
}

static enum sarhad_status
parse_offset(const char *t, size_t len, size_t i, int *offset_min,
             struct sarhad_error *err)
{
    int hh, mm, sign;

    if (i + 1 == len && (t[i] == 'Z' || t[i] == 'z')) {
        *offset_min = 0;
        return SARHAD_OK;
    }
    if (i + 6 != len || (t[i] != '+' && t[i] != '-') || t[i + 3] != ':' ||
        !digits(t + i + 1, 2, &hh) || !digits(t + i + 4, 2, &mm) || hh > 14 ||
        mm > 59)
        return sarhad__fail(err, SARHAD_EFORMAT, "time", i,
                            "expected a UTC offset: Z or +HH:MM");
    sign = t[i] == '-' ? -1 : 1;
    *offset_min = sign * (hh * 60 + mm);
    return SARHAD_OK;
}

enum sarhad_status
sarhad_time_parse(struct sarhad_time *out, const char *text, size_t len,
                  struct sarhad_error *err)
{
    struct sarhad_time t;
    int hh, mi, ss = 0, off = 0;
    size_t i = 16;
    enum sarhad_status s;

    memset(&t, 0, sizeof(t));
    if (len < 17)
        return sarhad__fail(err, SARHAD_EFORMAT, "time", 0,
                            "expected a time as YYYY-MM-DDTHH:MM:SS+HH:MM");
    s = parse_ymd(&t.date, text, len, err);
    if (s != SARHAD_OK)
        return s;
    if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
        !digits(text + 11, 2, &hh) || text[13] != ':' ||
        !digits(text + 14, 2, &mi) || hh > 23 || mi > 59)
        return sarhad__fail(err, SARHAD_EFORMAT, "time", 11,
                            "expected the time of day as THH:MM:SS");
    if (i < len && text[i] == ':') {
        if (i + 3 > len || !digits(text + i + 1, 2, &ss) || ss > 60)
            return sarhad__fail(err, SARHAD_EFORMAT, "time", i + 1,
                                "seconds must be 00-59");
        i += 3;
        if (ss == 60) /* a leap second is read as the last second */
            ss = 59;
        if (i < len && text[i] == '.') {
            i++;
            while (i < len && text[i] >= '0' && text[i] <= '9')
                i++;
        }
    }
    s = parse_offset(text, len, i, &off, err);
    if (s != SARHAD_OK)
        return s;
    t.seconds = hh * 3600 + mi * 60 + ss;
    t.utc_offset_min = (int16_t)off;
    *out = t;
    return SARHAD_OK;
}

int64_t
sarhad_time_to_unix(const struct sarhad_time *t)
{
    return (int64_t)sarhad_date_to_days(t->date) * 86400 + t->seconds -
           (int64_t)t->utc_offset_min * 60;
}

size_t
sarhad_time_format(char out[26], const struct sarhad_time *t)
{
    int off = t->utc_offset_min < 0 ? -t->utc_offset_min : t->utc_offset_min;

    sarhad_date_format(out, t->date);
    out[10] = 'T';
    put_digits(out + 11, (int)(t->seconds / 3600), 2);
    out[13] = ':';
    put_digits(out + 14, (int)(t->seconds / 60 % 60), 2);
    out[16] = ':';
    put_digits(out + 17, (int)(t->seconds % 60), 2);
    out[19] = t->utc_offset_min < 0 ? '-' : '+';
    put_digits(out + 20, off / 60, 2);
    out[22] = ':';
    put_digits(out + 23, off % 60, 2);
    out[25] = '\0';
    return 25;
}

struct sarhad_time
sarhad_time_from_unix(int64_t unix_seconds, int utc_offset_min)
{
    int64_t local = unix_seconds + (int64_t)utc_offset_min * 60;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    struct sarhad_time t;

    t.date = sarhad_date_from_days((int32_t)days);
    t.seconds = (int32_t)(local - days * 86400);
    t.utc_offset_min = (int16_t)utc_offset_min;
    return t;
}
