/*
 * screen_fixture.h - helpers shared by the screening rule tests
 * (test_screen_fixture.c).
 */
#ifndef SARHAD_TEST_SCREEN_FIXTURE_H
#define SARHAD_TEST_SCREEN_FIXTURE_H

#include "test.h"

#include "../src/screen.h"

/* A finished screener of one entry per name, ids PREFIX-1, PREFIX-2, ...;
 * NULL on failure. */
struct sarhad_screener *screen_list(const char *prefix,
                                    const char *const *names, size_t count);

/* The score of entry id for name (no evidence), -1 when not among the
 * hits at threshold 0, -3 when the query fails; why (may be NULL)
 * receives its explanation. */
int screen_score(const struct sarhad_screener *s, const char *name,
                 const char *id, char *why, size_t cap);

#endif /* SARHAD_TEST_SCREEN_FIXTURE_H */
