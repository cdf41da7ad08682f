/*
 * run.c - the test runner.  `run` runs every test; `run PREFIX...` runs the
 * tests whose names start with one of the prefixes.  It prints one line per
 * failure and closes with "N passed, N failed", which CI reads.
 */
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define X(name) TEST(name);
#include "tests.gen.h"
#undef X

static const struct {
    const char *name;
    void (*fn)(void);
} tests[] = {
#define X(name) {#name, test_##name},
#include "tests.gen.h"
#undef X
};

static int current_failed;

void
test_failed(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    current_failed = 1;
}

/* The counting allocator behind test_alloc_fail_at() and test_alloc_live().
 * The live count is atomic: library calls may run on several threads. */
static long alloc_countdown;
static _Atomic long alloc_live;
/* The live count when the current test began: a failed test that leaks
 * (it returned at its first failed assertion) must not fail the next. */
static long alloc_base;
static int alloc_did_fail;

static void *
counting_realloc(void *ctx, void *ptr, size_t size)
{
    void *p;

    (void)ctx;
    if (alloc_countdown > 0 && --alloc_countdown == 0) {
        alloc_did_fail = 1;
        return NULL;
    }
    p = realloc(ptr, size);
    if (p != NULL && ptr == NULL)
        alloc_live++;
    return p;
}

static void
counting_free(void *ctx, void *ptr)
{
    (void)ctx;
    if (ptr != NULL)
        alloc_live--;
    free(ptr);
}

void
test_alloc_fail_at(long n)
{
    alloc_countdown = n;
    alloc_did_fail = 0;
}

long
test_alloc_live(void)
{
    return alloc_live - alloc_base;
}

int
test_alloc_failed(void)
{
    return alloc_did_fail;
}

const char *
test_tmpdir(void)
{
    static char dir[256];

    if (dir[0] == '\0') {
        snprintf(dir, sizeof(dir), "build/tmp/test-%ld", (long)getpid());
        mkdir("build", 0755);
        mkdir("build/tmp", 0755);
        if (mkdir(dir, 0700) != 0) {
            perror(dir);
            exit(2);
        }
    }
    return dir;
}

char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n) {
        buf[n] = '\0';
        *len = (size_t)n;
    } else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static int
selected(const char *name, int argc, char **argv)
{
    if (argc < 2)
        return 1;
    for (int i = 1; i < argc; i++)
        if (strncmp(name, argv[i], strlen(argv[i])) == 0)
            return 1;
    return 0;
}

int
main(int argc, char **argv)
{
    static const struct sarhad_allocator counting = {counting_realloc,
                                                     counting_free, NULL};
    int passed = 0, failed = 0;

    sarhad_set_allocator(&counting);
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        if (!selected(tests[i].name, argc, argv))
            continue;
        current_failed = 0;
        test_alloc_fail_at(0);
        alloc_base = alloc_live;
        tests[i].fn();
        if (current_failed) {
            fprintf(stderr, "FAIL %s\n", tests[i].name);
            failed++;
        } else {
            passed++;
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
