/*
 * test.h - the assertion macros of sarhad's plain-C test runner.  A test is
 *   TEST(mrz_parse_td3) { ASSERT_EQ_INT(2, x); }
 * and is found by the build (tests/run.c's table is generated from the
 * TEST( lines), so adding a test means writing it and nothing else.
 * A failed assertion prints file:line and both values, then ends the test.
 */
#ifndef SARHAD_TEST_H
#define SARHAD_TEST_H

#include <stdio.h>
#include <string.h>

#include "sarhad.h"

#define TEST(name)                                                             \
    void test_##name(void);                                                    \
    void test_##name(void)

void test_failed(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define ASSERT(c)                                                              \
    do {                                                                       \
        if (!(c)) {                                                            \
            test_failed(__FILE__, __LINE__, "%s", #c);                         \
            return;                                                            \
        }                                                                      \
    } while (0)

#define ASSERT_EQ_INT(want, got)                                               \
    do {                                                                       \
        long long w_ = (long long)(want), g_ = (long long)(got);               \
        if (w_ != g_) {                                                        \
            test_failed(__FILE__, __LINE__, "%s: want %lld, got %lld", #got,   \
                        w_, g_);                                               \
            return;                                                            \
        }                                                                      \
    } while (0)

#define ASSERT_EQ_STR(want, got)                                               \
    do {                                                                       \
        const char *w_ = (want), *g_ = (got);                                  \
        if (w_ == NULL || g_ == NULL ? w_ != g_ : strcmp(w_, g_) != 0) {       \
            test_failed(__FILE__, __LINE__, "%s: want \"%s\", got \"%s\"",     \
                        #got, w_ ? w_ : "(null)", g_ ? g_ : "(null)");         \
            return;                                                            \
        }                                                                      \
    } while (0)

#define ASSERT_OK(expr)                                                        \
    do {                                                                       \
        struct sarhad_error e_;                                                \
        enum sarhad_status s_;                                                 \
        sarhad_error_clear(&e_);                                               \
        (void)e_;                                                              \
        s_ = (expr);                                                           \
        if (s_ != SARHAD_OK) {                                                 \
            test_failed(__FILE__, __LINE__, "%s: %s", #expr,                   \
                        sarhad_strerror(s_));                                  \
            return;                                                            \
        }                                                                      \
    } while (0)

/*
 * Allocation-failure sweep support: after test_alloc_fail_at(n) the nth
 * library allocation from now fails (0 turns failure off).
 * test_alloc_live() counts blocks allocated and not yet freed, so a sweep
 * can check that a failed call leaked nothing (counted from the start of
 * the test, so that one failed test's leak does not fail the next).
 */
void test_alloc_fail_at(long n);
long test_alloc_live(void);
int test_alloc_failed(void);

/* A fresh empty directory for this test run (under build/), never NULL. */
const char *test_tmpdir(void);

/* The whole file at path, NUL-terminated (malloc; *len its bytes), or NULL
 * when it cannot be read. */
char *slurp(const char *path, size_t *len);

#endif /* SARHAD_TEST_H */
