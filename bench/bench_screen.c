/*
 * bench_screen.c - screening against a list of one million entries,
 * synthetic from name lists of the region (given names, fathers' names
 * and family or tribal names; a third of the entries with an alias): how
 * long the index takes to build, the memory it holds, queries per second
 * on one core, the 50th and 99th percentile latency, and how many of the
 * names a brute-force scan of the whole list scores at or above the
 * threshold the index also hands to the scorer (candidate recall).
 *
 *   build/bench_screen [ENTRIES [QUERIES [BRUTE_QUERIES]]]
 */
#include "../src/screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static const char *const given[] = {
    "Abdul",       "Abdullah",   "Abdul Rahman", "Abdul Karim", "Abdul Ghani",
    "Abdul Qadir", "Abdul Wali", "Adil",         "Afzal",       "Agha",
    "Ahmad",       "Ahmed",      "Ajmal",        "Akbar",       "Akram",
    "Ali",         "Amanullah",  "Amin",         "Aminullah",   "Amir",
    "Anwar",       "Arif",       "Asad",         "Asadullah",   "Ashraf",
    "Asif",        "Atiq",       "Attaullah",    "Aziz",        "Azizullah",
    "Baryalai",    "Basir",      "Bashir",       "Baz",         "Bilal",
    "Daud",        "Dawood",     "Dost",         "Ehsan",       "Ejaz",
    "Fahim",       "Faisal",     "Faiz",         "Faizullah",   "Farhad",
    "Farid",       "Farooq",     "Fawad",        "Fazal",       "Fazlullah",
    "Ghafoor",     "Ghani",      "Ghulam",       "Gul",         "Gulab",
    "Habib",       "Habibullah", "Hafiz",        "Haider",      "Hamid",
    "Hamidullah",  "Hanif",      "Haroon",       "Hasan",       "Hashim",
    "Hayat",       "Hazrat",     "Hikmat",       "Hikmatullah", "Humayun",
    "Hussain",     "Ibrahim",    "Idris",        "Ihsan",       "Ijaz",
    "Ilyas",       "Imran",      "Inam",         "Inayat",      "Iqbal",
    "Irfan",       "Ishaq",      "Ismail",       "Izzat",       "Jabbar",
    "Jalal",       "Jalaluddin", "Jamal",        "Jamil",       "Jan",
    "Javed",       "Kabir",      "Kamal",        "Karim",       "Khalid",
    "Khalil",      "Khan",       "Khushal",      "Latif",       "Liaqat",
    "Mahmood",     "Majeed",     "Malik",        "Mansoor",     "Masood",
    "Matin",       "Mir",        "Mirwais",      "Mohammad",    "Mohammed",
    "Muhammad",    "Mujahid",    "Mujeeb",       "Munir",       "Murad",
    "Musa",        "Mushtaq",    "Mustafa",      "Nabi",        "Nadir",
    "Naeem",       "Najib",      "Najibullah",   "Naqib",       "Nasir",
    "Nasrullah",   "Naveed",     "Nawaz",        "Nazar",       "Nazir",
    "Nematullah",  "Niaz",       "Noor",         "Noorullah",   "Obaid",
    "Obaidullah",  "Omar",       "Osman",        "Qadir",       "Qasim",
    "Qudratullah", "Rafi",       "Rafiq",        "Rahim",       "Rahimullah",
    "Rahmatullah", "Rashid",     "Rauf",         "Razaq",       "Rehman",
    "Saadullah",   "Sabir",      "Sadiq",        "Safiullah",   "Saif",
    "Saifullah",   "Sajid",      "Salahuddin",   "Salim",       "Samiullah",
    "Sanaullah",   "Sardar",     "Sayed",        "Shafiq",      "Shah",
    "Shahid",      "Shakir",     "Sharif",       "Sher",        "Shams",
    "Shoaib",      "Siddiq",     "Sirajuddin",   "Sohail",      "Sultan",
    "Tahir",       "Tajuddin",   "Tariq",        "Taj",         "Ubaidullah",
    "Umar",        "Usman",      "Wahid",        "Wakil",       "Wali",
    "Waliullah",   "Waqar",      "Waris",        "Yahya",       "Yaqub",
    "Yar",         "Yasin",      "Younas",       "Yousaf",      "Zabihullah",
    "Zahid",       "Zahir",      "Zaki",         "Zalmai",      "Zaman",
    "Zarif",       "Zia",        "Ziaullah",     "Zubair",
};

static const char *const family[] = {
    "Achakzai",    "Afghan",    "Afridi",       "Ahmadzai", "Akhund",
    "Akhundzada",  "Alizai",    "Amarkhel",     "Andar",    "Arghandiwal",
    "Atmar",       "Awan",      "Baloch",       "Bangash",  "Barakzai",
    "Baryalai",    "Bhittani",  "Daudzai",      "Durrani",  "Ghilzai",
    "Ghori",       "Hotak",     "Ishaqzai",     "Jadoon",   "Jaji",
    "Kakar",       "Karzai",    "Khan",         "Kharoti",  "Khattak",
    "Khel",        "Kuchi",     "Logari",       "Ludin",    "Mangal",
    "Marwat",      "Mashwani",  "Mehsud",       "Mohmand",  "Momand",
    "Muhammadzai", "Musazai",   "Naseri",       "Niazi",    "Noorzai",
    "Orakzai",     "Paktiawal", "Panjshiri",    "Popalzai", "Qureshi",
    "Rahimi",      "Rahmani",   "Safi",         "Sahak",    "Sayedkhel",
    "Shinwari",    "Stanikzai", "Sulaimankhel", "Tajik",    "Tanai",
    "Tareen",      "Totakhel",  "Turi",         "Uzbek",    "Wardak",
    "Wazir",       "Yousafzai", "Zadran",       "Zakhel",   "Zazai",
    "Zurmati",
};

#define NG (sizeof(given) / sizeof(given[0]))
#define NF (sizeof(family) / sizeof(family[0]))

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t
rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* Common names are common: with BENCH_SKEW set, the first part of each
 * list is drawn more (a far denser list: every name has ~150 near
 * namesakes in a million). */
static bool skew;

static uint32_t
skewed(uint32_t n)
{
    uint32_t a = rnd(n), b = rnd(n);
    return skew ? (a < b ? a : b) : a;
}

static void
make_name(char *out, size_t cap)
{
    switch (rnd(4)) {
    case 0:
        snprintf(out, cap, "%s %s", given[skewed(NG)], family[skewed(NF)]);
        break;
    case 1:
        snprintf(out, cap, "%s %s %s %s", given[skewed(NG)], given[skewed(NG)],
                 given[skewed(NG)], family[skewed(NF)]);
        break;
    default:
        snprintf(out, cap, "%s %s %s", given[skewed(NG)], given[skewed(NG)],
                 family[skewed(NF)]);
    }
}

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The CPU time of this thread: on a shared machine a query that waits
 * for the core does not count its wait. */
static double
cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static bool
contains(const uint32_t *a, size_t n, uint32_t x)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && a[lo] == x;
}

/* A spelling or typing variant of a listed name, as a traveller's
 * document might give it. */
static void
vary(char *out, size_t cap, const char *name)
{
    size_t len = strlen(name), i;

    snprintf(out, cap, "%s", name);
    if (len < 6)
        return;
    i = 1 + rnd((uint32_t)len - 2);
    if (out[i] == ' ' || out[i + 1] == ' ')
        return;
    switch (rnd(3)) {
    case 0:
        out[i] = (char)('a' + rnd(26));
        break;
    case 1: {
        char c = out[i];
        out[i] = out[i + 1];
        out[i + 1] = c;
        break;
    }
    default:
        memmove(out + i, out + i + 1, len - i);
    }
}

int
main(int argc, char **argv)
{
    size_t entries = argc > 1 ? (size_t)atol(argv[1]) : 1000000;
    size_t queries = argc > 2 ? (size_t)atol(argv[2]) : 20000;
    size_t brute = argc > 3 ? (size_t)atol(argv[3]) : 30;
    static struct sarhad_watchlist_entry e;
    struct sarhad_screener *s;
    struct sarhad_screener_stats st;
    struct rusage ru;
    char(*names)[128];
    double t0, t1, *lat, *cpu;
    size_t found = 0, wanted = 0, hits = 0, scored_total = 0;
    const int threshold = SARHAD_SCREEN_DEFAULT_THRESHOLD;

    skew = getenv("BENCH_SKEW") != NULL;
    names = malloc(entries * sizeof(*names));
    lat = malloc(queries * sizeof(*lat));
    cpu = malloc(queries * sizeof(*cpu));
    if (names == NULL || lat == NULL || cpu == NULL ||
        sarhad_screener_new(&s, "bench", NULL) != SARHAD_OK)
        return 1;
    t0 = now();
    for (size_t i = 0; i < entries; i++) {
        memset(&e, 0, sizeof(e));
        snprintf(e.id, sizeof(e.id), "B%07zu", i);
        make_name(names[i], sizeof(names[i]));
        snprintf(e.names[0], sizeof(e.names[0]), "%s", names[i]);
        e.name_count = 1;
        if (rnd(3) == 0) {
            make_name(e.names[1], sizeof(e.names[1]));
            e.name_count = 2;
        }
        e.births[0].from = (struct sarhad_date){(int16_t)(1950 + rnd(50)),
                                                (uint8_t)(1 + rnd(12)),
                                                (uint8_t)(1 + rnd(28))};
        e.births[0].to = e.births[0].from;
        e.birth_count = 1;
        if (sarhad_screener_add(s, &e, NULL) != SARHAD_OK)
            return 1;
    }
    if (sarhad_screener_finish(s, NULL) != SARHAD_OK)
        return 1;
    t1 = now();
    sarhad_screener_stats(s, &st);
    getrusage(RUSAGE_SELF, &ru);
    printf("list: %zu entries, %zu names, %zu tokens, %zu keys, %zu pair "
           "keys\n",
           st.entries, st.names, st.tokens, st.keys, st.pair_keys);
    printf("index build: %.2f s, %.0f MiB held by the screener, max RSS "
           "%.0f MiB\n",
           t1 - t0, (double)st.bytes / 1048576.0, (double)ru.ru_maxrss / 1024);
    printf(
        "written forms: %zu, %zu deletion-neighbourhood entries (%.0f KiB "
        "with the forms of each spelling)\n",
        s->texts.count, s->text_del_count,
        (double)(s->text_del_count * 8 + s->texts.cap * 28 +
                 s->texts.table_cap * 4 + s->texts.count * 5 +
                 (s->spell_text_start[s->spells.count] + s->spells.count + 2) *
                     4 +
                 (((size_t)1 << s->text_dir_bits) + 1) * 4) /
            1024.0);

    /* Half the queries are variants of listed names, half new names. */
    for (size_t i = 0; i < queries; i++) {
        char q[160];
        struct sarhad_screen_query sq;
        struct sarhad_screening out;
        double a, c;
        if (i % 2 == 0)
            vary(q, sizeof(q), names[rnd((uint32_t)entries)]);
        else
            make_name(q, sizeof(q));
        memset(&sq, 0, sizeof(sq));
        sq.name = q;
        a = now();
        c = cpu_now();
        if (sarhad_screener_query(s, &sq, threshold, &out, NULL) != SARHAD_OK)
            return 1;
        cpu[i] = cpu_now() - c;
        lat[i] = now() - a;
        hits += out.hit_count > 0;
        if (getenv("BENCH_SLOW") != NULL &&
            lat[i] * 1000.0 > atof(getenv("BENCH_SLOW")))
            printf("  slow: %.3f ms %s\n", lat[i] * 1000.0, q);
    }
    {
        double total = 0;
        for (size_t i = 0; i < queries; i++)
            total += lat[i];
        qsort(lat, queries, sizeof(*lat), cmp_double);
        printf("queries: %zu on one core, %.0f queries/s, p50 %.3f ms, p99 "
               "%.3f ms, max %.3f ms (%zu with a hit)\n",
               queries, (double)queries / total, lat[queries / 2] * 1000.0,
               lat[queries * 99 / 100] * 1000.0, lat[queries - 1] * 1000.0,
               hits);
        total = 0;
        for (size_t i = 0; i < queries; i++)
            total += cpu[i];
        qsort(cpu, queries, sizeof(*cpu), cmp_double);
        printf("cpu time: %.0f queries per cpu-second, p50 %.3f ms, p99 "
               "%.3f ms, max %.3f ms\n",
               (double)queries / total, cpu[queries / 2] * 1000.0,
               cpu[queries * 99 / 100] * 1000.0, cpu[queries - 1] * 1000.0);
    }

    /* Candidate recall: every name a full scan scores at or above the
     * threshold should be among those the index hands over. */
    for (size_t i = 0; i < brute; i++) {
        char q[160];
        struct sarhad_screen_query sq;
        struct scr_query *pq = malloc(sizeof(*pq));
        uint32_t *cand = NULL;
        size_t count = 0;
        if (pq == NULL)
            return 1;
        vary(q, sizeof(q), names[rnd((uint32_t)entries)]);
        memset(&sq, 0, sizeof(sq));
        sq.name = q;
        if (sarhad__screen_prepare(s, &sq, threshold, pq, NULL) != SARHAD_OK ||
            !sarhad__screen_candidates(s, &pq->name, &cand, &count))
            return 1;
        scored_total += count;
        for (uint32_t n = 0; n < st.names; n++) {
            if (sarhad__screen_score(s, pq, n, NULL) < threshold)
                continue;
            wanted++;
            if (contains(cand, count, n))
                found++;
            else if (getenv("BENCH_MISSES") != NULL)
                printf("  missed: %s -> %s\n", q,
                       s->strings + s->names[n].text_off);
        }
        sarhad__free(cand);
        free(pq);
    }
    if (brute > 0)
        printf("candidate recall vs brute force: %zu of %zu names at or "
               "above %d (%.4f) over %zu queries; %.0f candidates scored "
               "per query\n",
               found, wanted, threshold,
               wanted ? (double)found / (double)wanted : 1.0, brute,
               (double)scored_total / (double)brute);
    sarhad_screener_close(s);
    free(names);
    free(lat);
    free(cpu);
    return 0;
}
