/*
 * bench_presentation.c - presentation reads per CPU-second on one core, on
 * the presentations the other benchmarks send: the three kinds of line
 * bench/ledger.sh records (returns with a PoR, an ACC or nothing; CNIC
 * entries; passport and visa) and the body bench/http_decide.lua posts
 * (passport and tazkira).  Each is measured through sarhad_presentation_parse
 * (the fast reader, with jansson behind it) and through the jansson reader
 * alone, in the same run, and the ratio printed.  MRZs are made with
 * sarhad_mrz_format before the clock starts; every read must succeed.
 *
 *   bench_presentation             run the benchmark
 *   bench_presentation --pool N [ledger|http]
 *                         read a pool of N of each (or of one kind) once
 *                         per path (for callgrind: count the instructions
 *                         of sarhad_presentation_parse and of
 *                         sarhad__presentation_parse_jansson)
 */
#include "../src/presentation.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define POOL   20000u
#define STRIDE 1024u
#define PASSES 5u

typedef enum sarhad_status (*reader)(struct sarhad_presentation *, const char *,
                                     size_t, struct sarhad_error *);

static unsigned pool_size = POOL;

/* An MRZ of format for document number num as a JSON string body (the
 * line break written as \n). */
static void
mrz_json(char *out, size_t cap, enum sarhad_mrz_format format, unsigned num,
         struct sarhad_date birth)
{
    struct sarhad_mrz f;
    struct sarhad_error err;
    char text[96], *nl;

    memset(&f, 0, sizeof(f));
    f.format = format;
    strcpy(f.issuing_state, format == SARHAD_MRZ_TD3 ? "AFG" : "PAK");
    strcpy(f.nationality, "AFG");
    strcpy(f.surname, "AHMADZAI");
    strcpy(f.given_names, "GUL");
    snprintf(f.document_number, sizeof(f.document_number), "%c%07u",
             format == SARHAD_MRZ_TD3 ? 'P' : 'V', num % 10000000);
    f.birth_date = birth;
    f.expiry_date = (struct sarhad_date){2030, 1, 1};
    f.sex = 'M';
    if (sarhad_mrz_format(text, sizeof(text), &f, &err) != SARHAD_OK) {
        fprintf(stderr, "bench_presentation: mrz: %s %s\n", err.field,
                err.message);
        exit(1);
    }
    nl = strchr(text, '\n');
    if (nl == NULL)
        exit(1);
    *nl = '\0';
    if ((size_t)snprintf(out, cap, "%.48s\\n%.48s", text, nl + 1) >= cap)
        exit(1);
}

/* Line i of bench/ledger.sh's make_lines. */
static void
ledger_line(char *out, unsigned i)
{
    unsigned r = i % 10, p = i / 10 % 500;
    char day[16], pass[128], visa[128];
    struct sarhad_date birth = {(int16_t)(1960 + p % 40), (uint8_t)(1 + p % 12),
                                (uint8_t)(1 + p % 28)};

    snprintf(day, sizeof(day), "2023-11-%02u", 1 + i % 28);
    if (r < 5) {
        char doc[64];
        if (r == 0)
            snprintf(doc, sizeof(doc),
                     "[{\"kind\":\"por\",\"number\":\"POR%u\"}]", i);
        else if (r == 1)
            snprintf(doc, sizeof(doc),
                     "[{\"kind\":\"acc\",\"number\":\"ACC%u\"}]", i);
        else
            snprintf(doc, sizeof(doc), "[]");
        snprintf(out, STRIDE,
                 "{\"crossing\":\"TORKHAM\",\"direction\":\"exit\",\"time\":"
                 "\"%sT10:00:00+05:00\",\"traveller\":{\"nationality\":"
                 "\"AFG\",\"sex\":\"F\",\"birth_date\":\"1985-05-05\"},"
                 "\"movement\":{\"category\":\"spontaneous_return\","
                 "\"household\":\"H%u\",\"household_size\":4},"
                 "\"documents\":%s}",
                 day, i / 4, doc);
    } else if (r < 7) {
        snprintf(out, STRIDE,
                 "{\"crossing\":\"CHAMAN\",\"direction\":\"entry\",\"time\":"
                 "\"%sT08:00:00+05:00\",\"traveller\":{\"nationality\":"
                 "\"PAK\",\"sex\":\"M\",\"birth_date\":\"1980-02-02\"},"
                 "\"documents\":[{\"kind\":\"cnic\",\"number\":"
                 "\"17301-%07u-1\"}]}",
                 day, i % 10000000);
    } else {
        mrz_json(pass, sizeof(pass), SARHAD_MRZ_TD3, p, birth);
        mrz_json(visa, sizeof(visa), SARHAD_MRZ_MRVA, p, birth);
        snprintf(out, STRIDE,
                 "{\"crossing\":\"TORKHAM\",\"direction\":\"%s\",\"time\":"
                 "\"%sT09:30:00+05:00\",\"traveller\":{\"nationality\":"
                 "\"AFG\",\"sex\":\"M\",\"birth_date\":\"%04d-%02d-%02d\"},"
                 "\"documents\":[{\"kind\":\"passport\",\"mrz\":\"%s\"},"
                 "{\"kind\":\"visa\",\"mrz\":\"%s\",\"category\":\"visit\","
                 "\"entries\":\"multiple\",\"stay_days\":60}]}",
                 r == 9 ? "exit" : "entry", day, birth.year, birth.month,
                 birth.day, pass, visa);
    }
}

/* Request i of bench/http_decide.lua. */
static void
http_body(char *out, unsigned i)
{
    char pass[128];
    struct sarhad_date birth = {(int16_t)(1950 + i % 50), (uint8_t)(1 + i % 12),
                                (uint8_t)(1 + i % 28)};

    mrz_json(pass, sizeof(pass), SARHAD_MRZ_TD3, i, birth);
    snprintf(out, STRIDE,
             "{\"crossing\":\"TORKHAM\",\"direction\":\"entry\","
             "\"time\":\"2023-10-15T09:30:00+05:00\",\"traveller\":"
             "{\"nationality\":\"AFG\",\"sex\":\"F\",\"birth_date\":"
             "\"%04d-%02d-%02d\",\"purpose\":\"visit\"},\"documents\":"
             "[{\"kind\":\"passport\",\"mrz\":\"%s\"},{\"kind\":\"tazkira\","
             "\"number\":\"1400-0101-%05u\"}]}",
             birth.year, birth.month, birth.day, pass, i % 100000);
}

static double
cpu_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read every presentation of the pool passes times with read; ns each. */
static double
run(reader read, const char *pool, const size_t *lens, unsigned passes)
{
    static struct sarhad_presentation p;
    struct sarhad_error err;
    unsigned long docs = 0;
    double t0 = cpu_seconds(), t1;

    for (unsigned k = 0; k < passes; k++)
        for (unsigned i = 0; i < pool_size; i++) {
            if (read(&p, pool + (size_t)i * STRIDE, lens[i], &err) !=
                SARHAD_OK) {
                fprintf(stderr, "bench_presentation: %s: %s\n", err.field,
                        err.message);
                exit(1);
            }
            docs += p.document_count;
        }
    t1 = cpu_seconds();
    if (docs == 0)
        exit(1);
    return (t1 - t0) * 1e9 / ((double)pool_size * passes);
}

static void
bench(const char *name, void (*make)(char *, unsigned), unsigned passes)
{
    char *pool = malloc((size_t)pool_size * STRIDE);
    size_t *lens = malloc(pool_size * sizeof(size_t)), bytes = 0;
    double fast, slow;

    if (pool == NULL || lens == NULL) {
        fputs("bench_presentation: out of memory\n", stderr);
        exit(1);
    }
    for (unsigned i = 0; i < pool_size; i++) {
        make(pool + (size_t)i * STRIDE, i);
        lens[i] = strlen(pool + (size_t)i * STRIDE);
        bytes += lens[i];
    }
    fast = run(sarhad_presentation_parse, pool, lens, passes);
    slow = run(sarhad__presentation_parse_jansson, pool, lens, passes);
    printf("presentation %s (%u distinct, %zu bytes average): %.0f ns per "
           "read (%.0f per CPU-second), jansson path %.0f ns: %.2fx\n",
           name, pool_size, bytes / pool_size, fast, 1e9 / fast, slow,
           slow / fast);
    free(pool);
    free(lens);
}

int
main(int argc, char **argv)
{
    unsigned passes = PASSES;
    const char *only = argc == 4 ? argv[3] : "";

    if ((argc == 3 || argc == 4) && strcmp(argv[1], "--pool") == 0) {
        pool_size = (unsigned)strtoul(argv[2], NULL, 10);
        passes = 1;
    }
    if (pool_size == 0) {
        fputs("bench_presentation: --pool takes a positive count\n", stderr);
        return 2;
    }
    if (strcmp(only, "http") != 0)
        bench("ledger.sh lines", ledger_line, passes);
    if (strcmp(only, "ledger") != 0)
        bench("http_decide.lua bodies", http_body, passes);
    return 0;
}
