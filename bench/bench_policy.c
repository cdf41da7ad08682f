/*
 * bench_policy.c - decisions per second per core with the shipped policy
 * (policies/pakistan.policy, compiled once).  A stream of 1,000,000
 * presentations is decided, drawn in a fixed pseudo-random order from a
 * pool of 4,096 generated ones (a presentation struct is 18 KB, so a
 * million distinct ones would not fit in the cache or be realistic
 * anyway); the pool mixes crossings, dates from 2015 to 2025, directions,
 * nationalities and document sets, with real MRZs.  Two figures, each the
 * median of 5 runs on one thread, per CPU-second of the process (so
 * that other work on the machine does not count against it):
 *   decide       presentation structs already read
 *   parse+decide the presentation JSON read by sarhad_presentation_parse
 *                (jansson) and then decided
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sarhad.h"

#define POOL   4096
#define STREAM 1000000
#define RUNS   5

static const char *const crossings[] = {"TORKHAM", "CHAMAN", "GHULAM_KHAN",
                                        "BARABCHA", "KHARLACHI"};
static const char *const passport_mrz =
    "P<AFGKHAN<<AHMAD<<<<<<<<<<<<<<<<<<<<<<<<<<<<\\n"
    "P012345673AFG9001011M3001019<<<<<<<<<<<<<<<0";
static const char *const visa_mrz =
    "V<PAKKHAN<<AHMAD<<<<<<<<<<<<<<<<<<<<<<<<<<<<\\n"
    "V1234567<3AFG9001011M2612317<<<<<<<<<<<<<<<<";

static unsigned long long rng = 88172645463325252ull;

static unsigned
next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 11);
}

/* One generated presentation as JSON. */
static int
generate(char *out, size_t cap)
{
    unsigned r = next_rand();
    int year = 2015 + (int)(r % 11);
    int month = 1 + (int)((r >> 4) % 12), day = 1 + (int)((r >> 8) % 28);
    const char *crossing = crossings[(r >> 12) % 5];
    const char *dir = (r >> 15) % 3 == 0 ? "exit" : "entry";
    const char *nat = (r >> 17) % 4 == 0 ? "PAK" : "AFG";
    char docs[1024];

    switch ((r >> 19) % 5) {
    case 0:
        snprintf(docs, sizeof(docs),
                 "{\"kind\":\"passport\",\"mrz\":\"%s\"},{\"kind\":\"visa\","
                 "\"mrz\":\"%s\",\"category\":\"visit\",\"entries\":"
                 "\"multiple\",\"stay_days\":60}",
                 passport_mrz, visa_mrz);
        break;
    case 1:
        snprintf(docs, sizeof(docs),
                 "{\"kind\":\"tazkira\",\"number\":\"1400-0101-1\","
                 "\"district\":\"Kandahar\"}");
        break;
    case 2:
        snprintf(docs, sizeof(docs),
                 "{\"kind\":\"cnic\",\"number\":\"54201-1234567-3\","
                 "\"district\":\"Chaman\"}");
        break;
    case 3:
        snprintf(docs, sizeof(docs),
                 "{\"kind\":\"passport\",\"mrz\":\"%s\"},{\"kind\":\"por\","
                 "\"number\":\"P1\",\"expiry\":\"2025-06-30\"}",
                 passport_mrz);
        break;
    default:
        docs[0] = '\0';
    }
    return snprintf(out, cap,
                    "{\"crossing\":\"%s\",\"direction\":\"%s\",\"time\":"
                    "\"%04d-%02d-%02dT09:30:00+05:00\",\"traveller\":{"
                    "\"nationality\":\"%s\",\"sex\":\"M\",\"birth_date\":"
                    "\"1990-01-01\",\"occupation\":\"%s\"},\"documents\":[%s]}",
                    crossing, dir, year, month, day, nat,
                    (r >> 22) % 6 == 0 ? "driver" : "trader", docs);
}

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* per CPU-second */
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static char *
read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = malloc(1 << 20);

    if (f == NULL || buf == NULL) {
        fprintf(stderr, "bench_policy: cannot read %s\n", path);
        exit(1);
    }
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

int
main(void)
{
    static char json[POOL][1024];
    static size_t json_len[POOL];
    static struct sarhad_presentation pool[POOL];
    static unsigned order[STREAM];
    struct sarhad_policy *policy = NULL;
    struct sarhad_decision d;
    struct sarhad_error err;
    double rates[2][RUNS];
    unsigned long outcomes[3] = {0, 0, 0};
    size_t len;
    char *text = read_file("policies/pakistan.policy", &len);

    if (sarhad_policy_compile(&policy, "pakistan.policy", text, len, &err) !=
        SARHAD_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    for (unsigned i = 0; i < POOL; i++) {
        json_len[i] = (size_t)generate(json[i], sizeof(json[i]));
        if (sarhad_presentation_parse(&pool[i], json[i], json_len[i], &err) !=
            SARHAD_OK) {
            fprintf(stderr, "generated input %u: %s\n", i, err.message);
            return 1;
        }
    }
    for (unsigned i = 0; i < STREAM; i++)
        order[i] = next_rand() % POOL;
    for (int run = 0; run < RUNS; run++) {
        double t0 = now(), t1;
        for (unsigned i = 0; i < STREAM; i++) {
            if (sarhad_policy_decide(&d, policy, &pool[order[i]], NULL, NULL,
                                     &err) != SARHAD_OK)
                return 1;
            if (run == 0)
                outcomes[d.outcome]++;
        }
        t1 = now();
        rates[0][run] = STREAM / (t1 - t0);
        t0 = now();
        for (unsigned i = 0; i < STREAM; i++) {
            struct sarhad_presentation pr;
            unsigned k = order[i];
            if (sarhad_presentation_parse(&pr, json[k], json_len[k], &err) !=
                    SARHAD_OK ||
                sarhad_policy_decide(&d, policy, &pr, NULL, NULL, &err) !=
                    SARHAD_OK)
                return 1;
        }
        t1 = now();
        rates[1][run] = STREAM / (t1 - t0);
    }
    qsort(rates[0], RUNS, sizeof(double), cmp_double);
    qsort(rates[1], RUNS, sizeof(double), cmp_double);
    printf("policy: %s v%d, %u rules; stream %d (pool %d): %lu admit, "
           "%lu refuse, %lu refer\n",
           sarhad_policy_name(policy), sarhad_policy_version(policy),
           sarhad_policy_rule_count(policy), STREAM, POOL, outcomes[0],
           outcomes[1], outcomes[2]);
    printf("decide:        %.0f decisions/s per core (median of %d; "
           "min %.0f, max %.0f)\n",
           rates[0][RUNS / 2], RUNS, rates[0][0], rates[0][RUNS - 1]);
    printf("parse+decide:  %.0f decisions/s per core (median of %d; "
           "min %.0f, max %.0f)\n",
           rates[1][RUNS / 2], RUNS, rates[1][0], rates[1][RUNS - 1]);
    sarhad_policy_free(policy);
    free(text);
    return 0;
}
