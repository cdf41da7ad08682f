/*
 * test_date.c - civil dates: validity, day arithmetic across leap years and
 * the epoch, parsing with precise errors, RFC 3339 times keeping local date.
 */
#include "test.h"

static struct sarhad_date
ymd(int y, int m, int d)
{
    struct sarhad_date out = {(int16_t)y, (uint8_t)m, (uint8_t)d};
    return out;
}

TEST(date_validity)
{
    ASSERT(sarhad_date_is_valid(2024, 2, 29));
    ASSERT(!sarhad_date_is_valid(2023, 2, 29));
    ASSERT(!sarhad_date_is_valid(1900, 2, 29));
    ASSERT(sarhad_date_is_valid(2000, 2, 29));
    ASSERT(!sarhad_date_is_valid(2023, 13, 1));
    ASSERT(!sarhad_date_is_valid(2023, 4, 31));
    ASSERT(!sarhad_date_is_valid(2023, 0, 1));
}

TEST(date_days_round_trip)
{
    ASSERT_EQ_INT(0, sarhad_date_to_days(ymd(1970, 1, 1)));
    ASSERT_EQ_INT(19662, sarhad_date_to_days(ymd(2023, 11, 1)));
    ASSERT_EQ_INT(-1, sarhad_date_to_days(ymd(1969, 12, 31)));
    for (int32_t d = -30000; d < 60000; d += 7) {
        struct sarhad_date x = sarhad_date_from_days(d);
        ASSERT(sarhad_date_is_valid(x.year, x.month, x.day));
        ASSERT_EQ_INT(d, sarhad_date_to_days(x));
    }
    /* The grace period: 2023-11-21 to 2024-03-31 spans the leap day. */
    ASSERT_EQ_INT(131, sarhad_date_diff(ymd(2024, 3, 31), ymd(2023, 11, 21)));
    ASSERT(sarhad_date_cmp(ymd(2024, 1, 1), ymd(2023, 12, 31)) > 0);
}

TEST(date_parse_errors)
{
    struct sarhad_date d;
    struct sarhad_error err;

    ASSERT_OK(sarhad_date_parse(&d, "2024-02-29", 10, NULL));
    ASSERT_EQ_INT(29, d.day);
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_date_parse(&d, "2023-02-29", 10, &err));
    ASSERT_EQ_INT(8, err.offset);
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_date_parse(&d, "2023-13-01", 10, &err));
    ASSERT_EQ_INT(5, err.offset);
    ASSERT_EQ_INT(SARHAD_EFORMAT, sarhad_date_parse(&d, "2023-1-01", 9, &err));
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_date_parse(&d, "20x3-01-01", 10, &err));
}

TEST(date_format)
{
    char buf[11];

    ASSERT_EQ_INT(10, sarhad_date_format(buf, ymd(2023, 11, 1)));
    ASSERT_EQ_STR("2023-11-01", buf);
    ASSERT_EQ_INT(0, sarhad_date_format(buf, ymd(0, 0, 0)));
    ASSERT_EQ_STR("", buf);
}

TEST(time_parse_keeps_local_date)
{
    struct sarhad_time t;
    struct sarhad_error err;
    char buf[26];
    const char *s = "2023-11-01T00:30:00+05:00";

    ASSERT_OK(sarhad_time_parse(&t, s, strlen(s), NULL));
    ASSERT_EQ_INT(1, t.date.day); /* still 1 November locally */
    ASSERT_EQ_INT(300, t.utc_offset_min);
    ASSERT_EQ_INT(1698780600, sarhad_time_to_unix(&t));
    sarhad_time_format(buf, &t);
    ASSERT_EQ_STR(s, buf);
    t = sarhad_time_from_unix(1698780600, 300);
    sarhad_time_format(buf, &t);
    ASSERT_EQ_STR(s, buf);
    ASSERT_OK(sarhad_time_parse(&t, "2023-11-01T09:30Z", 17, NULL));
    ASSERT_EQ_INT(0, t.utc_offset_min);
    ASSERT_OK(sarhad_time_parse(&t, "2023-11-01T09:30:05.123-04:30", 29, NULL));
    ASSERT_EQ_INT(-270, t.utc_offset_min);
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_time_parse(&t, "2023-11-01T09:30:00", 19, &err));
    ASSERT_EQ_STR("time", err.field);
    ASSERT_EQ_INT(19, err.offset);
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_time_parse(&t, "2023-11-01T25:00:00Z", 20, &err));
}
