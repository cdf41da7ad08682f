/*
 * bench_mrz.c - MRZ parses+validations per CPU-second on one core, for TD3
 * and TD1, over a pool of 1 million distinct documents built with
 * sarhad_mrz_format before the clock starts.  Every parse reads every field
 * and checks every check digit; the count of valid readings is checked so
 * that the work cannot be optimised away.
 *
 *   bench_mrz             run the benchmark
 *   bench_mrz --pool N    the same on a pool of N documents (for callgrind,
 *                         whose instruction counts are load-independent)
 *   bench_mrz --write N   print N TD3 and N TD1 documents of the same kind
 *                         (for the peer benchmark, bench/mrz_peer.sh)
 */
#include "sarhad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define POOL   1000000u
#define STRIDE 96u
#define PASSES 3u

static unsigned pool_size = POOL;

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;

static unsigned
rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static void
fill(char *dst, unsigned len, const char *alphabet)
{
    size_t n = strlen(alphabet);

    for (unsigned i = 0; i < len; i++)
        dst[i] = alphabet[rnd((unsigned)n)];
    dst[len] = '\0';
}

/* Document i of a pool: distinct numbers, random names and dates. */
static void
make(char *out, enum sarhad_mrz_format format, unsigned i)
{
    static const char *const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    struct sarhad_mrz f;
    struct sarhad_error err;

    memset(&f, 0, sizeof(f));
    f.format = format;
    strcpy(f.issuing_state, rnd(2) ? "PAK" : "AFG");
    strcpy(f.nationality, f.issuing_state);
    fill(f.surname, 3 + rnd(10), letters);
    fill(f.given_names, 3 + rnd(12), letters);
    snprintf(f.document_number, sizeof(f.document_number), "%c%c%07u",
             'A' + rnd(26), 'A' + rnd(26), i);
    if (format == SARHAD_MRZ_TD3)
        snprintf(f.optional_data, sizeof(f.optional_data), "%05u%08u",
                 10000 + rnd(70000), rnd(100000000));
    f.birth_date = sarhad_date_add_days((struct sarhad_date){1940, 1, 1},
                                        (int32_t)rnd(30000));
    f.expiry_date = sarhad_date_add_days((struct sarhad_date){2020, 1, 1},
                                         (int32_t)rnd(5000));
    f.sex = "MF"[rnd(2)];
    if (sarhad_mrz_format(out, STRIDE, &f, &err) != SARHAD_OK) {
        fprintf(stderr, "bench_mrz: format: %s %s\n", err.field, err.message);
        exit(1);
    }
}

static double
cpu_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
run(enum sarhad_mrz_format format)
{
    static const struct sarhad_date today = {2025, 6, 1};
    char *pool = malloc((size_t)pool_size * STRIDE);
    size_t *lens = malloc(pool_size * sizeof(size_t));
    unsigned long valid = 0;
    double t0, t1;

    if (pool == NULL || lens == NULL) {
        fputs("bench_mrz: out of memory\n", stderr);
        exit(1);
    }
    for (unsigned i = 0; i < pool_size; i++) {
        make(pool + (size_t)i * STRIDE, format, i);
        lens[i] = strlen(pool + (size_t)i * STRIDE);
    }
    t0 = cpu_seconds();
    for (unsigned p = 0; p < PASSES; p++)
        for (unsigned i = 0; i < pool_size; i++) {
            struct sarhad_mrz m;
            if (sarhad_mrz_parse_at(&m, pool + (size_t)i * STRIDE, lens[i],
                                    today, NULL) == SARHAD_OK &&
                m.valid)
                valid++;
        }
    t1 = cpu_seconds();
    if (valid != (unsigned long)pool_size * PASSES) {
        fprintf(stderr, "bench_mrz: %lu of %u readings valid\n", valid,
                pool_size * PASSES);
        exit(1);
    }
    printf("mrz %s: %.0f parses+validations per CPU-second "
           "(%u distinct documents, %u passes, %.0f ns each)\n",
           sarhad_mrz_format_name(format), pool_size * PASSES / (t1 - t0),
           pool_size, PASSES, (t1 - t0) * 1e9 / (pool_size * PASSES));
    free(pool);
    free(lens);
}

int
main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write") == 0) {
        unsigned n = (unsigned)strtoul(argv[2], NULL, 10);
        char buf[STRIDE];
        for (unsigned i = 0; i < n; i++) {
            make(buf, SARHAD_MRZ_TD3, i);
            printf("%s\n\n", buf);
        }
        for (unsigned i = 0; i < n; i++) {
            make(buf, SARHAD_MRZ_TD1, i);
            printf("%s\n\n", buf);
        }
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--pool") == 0)
        pool_size = (unsigned)strtoul(argv[2], NULL, 10);
    if (pool_size == 0) {
        fputs("bench_mrz: --pool takes a positive count\n", stderr);
        return 2;
    }
    run(SARHAD_MRZ_TD3);
    run(SARHAD_MRZ_TD1);
    return 0;
}
