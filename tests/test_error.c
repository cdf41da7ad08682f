/*
 * test_error.c - the error convention: status texts come from one map, and
 * filling an error records field, location and message without allocating.
 */
#include "test.h"

#include "../src/internal.h"

#include <stdint.h>
#include <string.h>

TEST(error_strerror)
{
    ASSERT_EQ_STR("success", sarhad_strerror(SARHAD_OK));
    ASSERT_EQ_STR("check digit mismatch", sarhad_strerror(SARHAD_ECHECK));
    ASSERT_EQ_STR("unknown status", sarhad_strerror(SARHAD_STATUS_COUNT));
    ASSERT_EQ_STR("unknown status", sarhad_strerror((enum sarhad_status) - 1));
}

TEST(error_fail_fills_location)
{
    struct sarhad_error err;

    sarhad_error_clear(&err);
    ASSERT_EQ_INT(SIZE_MAX, err.offset);
    ASSERT_EQ_INT(SARHAD_EFORMAT, sarhad__fail(&err, SARHAD_EFORMAT, "surname",
                                               7, "expected %s", "A-Z"));
    ASSERT_EQ_STR("surname", err.field);
    ASSERT_EQ_STR("expected A-Z", err.message);
    ASSERT_EQ_INT(7, err.offset);
    ASSERT_EQ_INT(SARHAD_EFORMAT, sarhad__fail_at(&err, SARHAD_EFORMAT, "rule",
                                                  3, 14, "expected 'from'"));
    ASSERT_EQ_INT(3, err.line);
    ASSERT_EQ_INT(14, err.col);
    /* A NULL error is allowed and the status still comes back. */
    ASSERT_EQ_INT(SARHAD_EIO, sarhad__fail(NULL, SARHAD_EIO, "", 0, "x"));
}

TEST(error_message_truncates)
{
    struct sarhad_error err;
    char big[400];

    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    sarhad__fail(&err, SARHAD_EINVAL, big, 0, "%s", big);
    ASSERT_EQ_INT(sizeof(err.field) - 1, strlen(err.field));
    ASSERT_EQ_INT(sizeof(err.message) - 1, strlen(err.message));
}

TEST(error_strlcat_appends_within_the_buffer)
{
    char buf[8] = "ab";
    char full[4] = {'x', 'y', 'z', 'w'}; /* no terminator: left alone */

    ASSERT_EQ_INT(3, (long long)sarhad__strlcat(buf, ":", sizeof(buf)));
    ASSERT_EQ_STR("ab:", buf);
    ASSERT_EQ_INT(7, (long long)sarhad__strlcat(buf, "cdefgh", sizeof(buf)));
    ASSERT_EQ_STR("ab:cdef", buf);
    ASSERT_EQ_INT(7, (long long)sarhad__strlcat(buf, "z", sizeof(buf)));
    ASSERT_EQ_STR("ab:cdef", buf);
    ASSERT_EQ_INT(4, (long long)sarhad__strlcat(full, "q", sizeof(full)));
    ASSERT(memcmp(full, "xyzw", 4) == 0);
}
