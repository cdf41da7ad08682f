/*
 * eval_screen.c - `make eval`: how well screening finds the people it
 * should and spares the ones it should not, on a labelled set built here.
 *
 * The list is the real UN consolidated list plus synthetic entries of the
 * region (names drawn from this file's own name lists, with birth dates
 * and fathers).  True variants of listed names come from separate families
 * of rules, each written here independently of the matcher's folding
 * tables (the matcher never sees these tables): spelling (whole-word
 * alternatives as people write them, and random letter-level respellings),
 * particles and titles, typos and OCR noise, reordering and dropped names,
 * MRZ form, and Arabic script <-> Latin (against a list holding only the
 * other script).  Hard negatives: the same name with a birth date far from
 * every listed one and another father, relatives (a listed family name with
 * another given name), and "Muhammad Khan" collisions of common elements.
 * Innocent travellers are fresh synthetic names with their own dates.
 *
 * Reported: recall at the alert threshold with and without a birth date,
 * top-5 recall across scripts, alerts per 1,000 innocent travellers with
 * and without a birth date, and precision on hard negatives.
 */
#include "sarhad.h"

#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a)    (sizeof(a) / sizeof((a)[0]))
#define MAX_ENTRIES 40000
#define SYNTH_LIST  5000
#define INNOCENTS   (getenv("EVAL_QUICK") ? 500 : 10000)

/* ---- deterministic randomness ------------------------------------------ */

static uint64_t rng_state = 0x5A4D0C0FFEEull;

static uint32_t
rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return n ? (uint32_t)(rng_state % n) : 0;
}

/* ---- the evaluation's own name data -------------------------------------- */

/* Given names of the region as commonly written in Latin letters. */
static const char *const given[] = {
    "Abdul Basir",    "Abdul Hakim",   "Abdul Wahid",    "Ahmad",
    "Ahmed Shah",     "Ajmal",         "Akbar",          "Akhtar",
    "Amanullah",      "Amin",          "Anwar",          "Arif",
    "Asadullah",      "Ashraf",        "Aziz",           "Baz Mohammad",
    "Bashir",         "Bilal",         "Daud",           "Dost Mohammad",
    "Ehsan",          "Faiz",          "Farid",          "Faridullah",
    "Fazal",          "Fazal Rahim",   "Ghulam Haider",  "Ghulam Rasool",
    "Gul Agha",       "Gul Mohammad",  "Habib",          "Habibullah",
    "Hamid",          "Haroon",        "Hayatullah",     "Hazrat",
    "Ibrahim",        "Idrees",        "Ihsanullah",     "Imran",
    "Inayat",         "Iqbal",         "Ismail",         "Jamil",
    "Javed",          "Kamal",         "Karim",          "Khalid",
    "Khan Mohammad",  "Latif",         "Mahmood",        "Majeed",
    "Mansoor",        "Masood",        "Mir Ahmad",      "Mohammad Akram",
    "Mohammad Hanif", "Mohammad Nabi", "Mohammad Sadiq", "Mohammad Yousaf",
    "Muhammad Ali",   "Muhammad Asif", "Muhammad Ilyas", "Mujeeb",
    "Munir",          "Naeem",         "Najibullah",     "Nasir",
    "Naveed",         "Nazir",         "Niamatullah",    "Noor Ahmad",
    "Noor Mohammad",  "Obaidullah",    "Qadir",          "Qasim",
    "Rafiq",          "Rahim",         "Rahmatullah",    "Rashid",
    "Rauf",           "Rehmat",        "Saeed",          "Saifullah",
    "Salim",          "Sami",          "Samiullah",      "Sardar",
    "Shafiq",         "Shah Mahmood",  "Shahid",         "Sharif",
    "Sher Ali",       "Shoaib",        "Sultan",         "Tahir",
    "Tariq",          "Umar",          "Usman",          "Wahid",
    "Waheed",         "Waliullah",     "Yaqoob",         "Yasin",
    "Younis",         "Zahid",         "Zahir",          "Zakir",
    "Zalmai",         "Zia",           "Ziaullah",
};

/* Family, tribal and clan names. */
static const char *const family[] = {
    "Achakzai", "Afridi",  "Ahmadzai",  "Akhund",    "Alizai",   "Amiri",
    "Atmar",    "Awan",    "Baloch",    "Bangash",   "Barakzai", "Durrani",
    "Ghilzai",  "Hotak",   "Jadoon",    "Kakar",     "Karzai",   "Khan",
    "Khattak",  "Khalil",  "Mangal",    "Mehsud",    "Mohmand",  "Momand",
    "Niazi",    "Noorzai", "Orakzai",   "Popalzai",  "Qureshi",  "Rahimi",
    "Safi",     "Sahak",   "Shinwari",  "Stanikzai", "Sultani",  "Tareen",
    "Wardak",   "Wazir",   "Yousafzai", "Zadran",    "Zazai",    "Khan",
    "Khan",     "Shah",    "Gul",       "Jan",
};

/* Whole-word spelling alternatives, as they turn up in documents. */
static const char *const spellings[][6] = {
    {"MOHAMMAD", "MUHAMMAD", "MOHAMMED", "MOHAMAD", "MUHAMMED", NULL},
    {"MOHAMMED", "MUHAMMAD", "MOHAMMAD", "MOHAMED", NULL},
    {"MUHAMMAD", "MOHAMMAD", "MOHAMMED", "MUHAMAD", NULL},
    {"AHMAD", "AHMED", "AHAMAD", NULL},
    {"AHMED", "AHMAD", NULL},
    {"OMAR", "UMAR", "OMER", NULL},
    {"UMAR", "OMAR", NULL},
    {"OSMAN", "USMAN", "UTHMAN", NULL},
    {"USMAN", "OSMAN", "UTHMAN", NULL},
    {"YOUSUF", "YUSUF", "YOUSAF", "YOSUF", NULL},
    {"YUSUF", "YOUSUF", "YOUSAF", NULL},
    {"MAHMOOD", "MAHMUD", "MEHMOOD", "MAHMOUD", NULL},
    {"MAHMUD", "MAHMOOD", "MEHMOOD", NULL},
    {"HAQQANI", "HAQANI", "HAKKANI", NULL},
    {"RAHMAN", "REHMAN", "RAHMAAN", NULL},
    {"REHMAN", "RAHMAN", NULL},
    {"HUSSAIN", "HUSAIN", "HOSSAIN", "HUSSEIN", NULL},
    {"HUSSEIN", "HUSSAIN", "HUSAIN", NULL},
    {"HASSAN", "HASAN", NULL},
    {"HASAN", "HASSAN", NULL},
    {"NOOR", "NUR", "NOUR", NULL},
    {"NUR", "NOOR", NULL},
    {"YAQUB", "YAQOOB", "YAKUB", "YAQOUB", NULL},
    {"YAQOOB", "YAQUB", "YAKUB", NULL},
    {"QASIM", "KASIM", "QASEM", NULL},
    {"ABDULLAH", "ABDULLA", "ABDALLAH", NULL},
    {"SAEED", "SAID", "SAYEED", NULL},
    {"SAID", "SAEED", "SAYED", NULL},
    {"KHALID", "KHALED", NULL},
    {"ZAHIR", "ZAHEER", "ZAHER", NULL},
    {"NAJIB", "NAJEEB", NULL},
    {"JALIL", "JALEEL", NULL},
    {"WALI", "VALI", NULL},
    {"DAWOOD", "DAUD", "DAWUD", NULL},
    {"DAUD", "DAWOOD", "DAWUD", NULL},
    {"ISMAIL", "ISMAEEL", "ESMAIL", NULL},
    {"IBRAHIM", "EBRAHIM", "IBRAHEEM", NULL},
    {"ABU", "ABOU", NULL},
    {"MOHAMMADI", "MUHAMMADI", NULL},
    {"SHAH", "SHA", NULL},
    {"AKHUND", "AKHOND", "AKHUN", NULL},
    {"AKHUNDZADA", "AKHUNDZADAH", "AKHONDZADA", NULL},
    {"MANSOUR", "MANSOOR", "MANSUR", NULL},
    {"MANSOOR", "MANSUR", "MANSOUR", NULL},
    {"FAZL", "FAZAL", "FAZUL", NULL},
    {"HAMID", "HAMEED", NULL},
    {"RASHID", "RASHEED", NULL},
    {"SHARIF", "SHAREEF", NULL},
    {"KARIM", "KAREEM", NULL},
    {"AZIZ", "AZEEZ", NULL},
    {"AMIN", "AMEEN", NULL},
    {"TAYYEB", "TAYYAB", "TAYEB", NULL},
};

/* Titles people add or leave out. */
static const char *const add_titles[] = {
    "MULLAH", "MAULVI", "HAJI", "SHEIKH", "QARI", "MAWLAWI", "HAJJI", "MOULVI"};

/* Common elements that collide ("Muhammad Khan"). */
static const char *const common[] = {"Muhammad", "Mohammad", "Ahmad",
                                     "Ali",      "Khan",     "Gul",
                                     "Jan",      "Shah",     "Mir"};

/* ---- the list ------------------------------------------------------------ */

struct listed {
    char id[32];
    char latin[SARHAD_WL_NAME_LEN];
    char arabic[SARHAD_WL_NAME_LEN];
    char father[SARHAD_WL_NAME_LEN];
    int year; /* a listed birth year, 0 none */
    bool regional;
};

static struct sarhad_watchlist_entry *entries;
static struct listed *listed;
static size_t entry_count;

static bool
is_arabic(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0xd8 && (unsigned char)*s <= 0xdb)
            return true;
    return false;
}

static int
take_entry(void *ctx, const struct sarhad_watchlist_entry *e)
{
    struct listed *l;

    (void)ctx;
    if (entry_count == MAX_ENTRIES)
        return 1;
    entries[entry_count] = *e;
    l = &listed[entry_count++];
    memset(l, 0, sizeof(*l));
    snprintf(l->id, sizeof(l->id), "%s", e->id);
    snprintf(l->latin, sizeof(l->latin), "%s", e->names[0]);
    for (unsigned i = 1; i < e->name_count; i++)
        if (is_arabic(e->names[i]) && l->arabic[0] == '\0')
            snprintf(l->arabic, sizeof(l->arabic), "%s", e->names[i]);
    snprintf(l->father, sizeof(l->father), "%s", e->father_name);
    l->year = e->birth_count > 0 ? e->births[0].from.year : 0;
    /* Taliban (TAi) and Al-Qaida (QDi) entries carry the names the
     * variant rules are about. */
    l->regional =
        strncmp(e->id, "TAi.", 4) == 0 || strncmp(e->id, "QDi.", 4) == 0;
    return 0;
}

static void
synth_name(char *out, size_t cap)
{
    if (rnd(4) != 0)
        snprintf(out, cap, "%s %s %s", given[rnd(COUNT(given))],
                 given[rnd(COUNT(given))], family[rnd(COUNT(family))]);
    else
        snprintf(out, cap, "%s %s", given[rnd(COUNT(given))],
                 family[rnd(COUNT(family))]);
}

static void
add_synthetic(void)
{
    static struct sarhad_watchlist_entry e;

    for (int i = 0; i < SYNTH_LIST && entry_count < MAX_ENTRIES; i++) {
        int y = 1950 + (int)rnd(50);
        memset(&e, 0, sizeof(e));
        snprintf(e.id, sizeof(e.id), "S-%05d", i);
        synth_name(e.names[0], sizeof(e.names[0]));
        e.name_count = 1;
        e.births[0].from = (struct sarhad_date){
            (int16_t)y, (uint8_t)(1 + rnd(12)), (uint8_t)(1 + rnd(28))};
        e.births[0].to = e.births[0].from;
        e.birth_count = 1;
        snprintf(e.nationalities[0], 4, "%s", rnd(2) ? "AFG" : "PAK");
        e.nationality_count = 1;
        snprintf(e.father_name, sizeof(e.father_name), "%s",
                 given[rnd(COUNT(given))]);
        take_entry(NULL, &e);
        listed[entry_count - 1].regional = true;
    }
}

/* ---- token helpers --------------------------------------------------------
 */

struct toks {
    char t[12][64];
    int n;
};

static void
split(struct toks *k, const char *name)
{
    char buf[SARHAD_WL_NAME_LEN];
    char *save = NULL;

    snprintf(buf, sizeof(buf), "%s", name);
    k->n = 0;
    for (char *p = strtok_r(buf, " ", &save); p && k->n < 12;
         p = strtok_r(NULL, " ", &save)) {
        snprintf(k->t[k->n], 64, "%s", p);
        for (char *q = k->t[k->n]; *q; q++)
            if (*q >= 'a' && *q <= 'z')
                *q = (char)(*q - 'a' + 'A');
        k->n++;
    }
}

static void
join(char *out, size_t cap, const struct toks *k)
{
    size_t n = 0;

    out[0] = '\0';
    for (int i = 0; i < k->n && n < cap; i++)
        if (k->t[i][0] != '\0')
            n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? " " : "",
                                  k->t[i]);
}

static bool
ends(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);

    return a > b && strcmp(s + a - b, suf) == 0;
}

static bool
is_vowel(char c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

/* ---- the families of variants ------------------------------------------- */

/* Letter-level respelling of one word, as a clerk might hear it. */
static bool
respell(char *w)
{
    size_t len = strlen(w);
    char buf[64];

    for (int tries = 0; tries < 20; tries++) {
        size_t i = rnd((uint32_t)len);
        snprintf(buf, sizeof(buf), "%s", w);
        switch (rnd(6)) {
        case 0: /* another vowel */
            if (!is_vowel(buf[i]) || i == 0)
                continue;
            buf[i] = "AEIOU"[rnd(5)];
            break;
        case 1: /* double a consonant */
            if (is_vowel(buf[i]) || i == 0 || len + 2 > sizeof(buf))
                continue;
            memmove(buf + i + 1, buf + i, len - i + 1);
            break;
        case 2: /* undouble */
            if (i + 1 >= len || buf[i] != buf[i + 1])
                continue;
            memmove(buf + i, buf + i + 1, len - i);
            break;
        case 3: /* a long vowel written long */
            if (len + 2 > sizeof(buf) || i == 0 ||
                (buf[i] != 'I' && buf[i] != 'U'))
                continue;
            memmove(buf + i + 1, buf + i, len - i + 1);
            buf[i] = buf[i + 1] = buf[i] == 'I' ? 'E' : 'O';
            break;
        case 4: /* q/k, w/v */
            if (buf[i] == 'Q')
                buf[i] = 'K';
            else if (buf[i] == 'K' && (i + 1 >= len || buf[i + 1] != 'H'))
                buf[i] = 'Q';
            else if (buf[i] == 'W')
                buf[i] = 'V';
            else if (buf[i] == 'V')
                buf[i] = 'W';
            else
                continue;
            break;
        default: /* y for i between letters */
            if (buf[i] != 'I' || i == 0 || i + 1 >= len)
                continue;
            buf[i] = 'Y';
        }
        if (strcmp(buf, w) != 0) {
            snprintf(w, 64, "%s", buf);
            return true;
        }
    }
    return false;
}

static bool
v_spelling(char *out, size_t cap, const struct listed *l)
{
    struct toks k;
    bool changed = false;

    split(&k, l->latin);
    for (int i = 0; i < k.n; i++)
        for (size_t s = 0; s < COUNT(spellings); s++)
            if (strcmp(k.t[i], spellings[s][0]) == 0) {
                int alts = 0;
                while (alts < 5 && spellings[s][alts + 1] != NULL)
                    alts++;
                snprintf(k.t[i], 64, "%s",
                         spellings[s][1 + rnd((uint32_t)alts)]);
                changed = true;
                break;
            }
    if (!changed || rnd(2)) {
        int i = (int)rnd((uint32_t)k.n);
        if (strlen(k.t[i]) >= 4)
            changed = respell(k.t[i]) || changed;
    }
    join(out, cap, &k);
    return changed;
}

static bool
v_particles(char *out, size_t cap, const struct listed *l)
{
    struct toks k;
    char buf[128];

    split(&k, l->latin);
    for (int i = 0; i < k.n; i++) {
        char *w = k.t[i];
        if (strncmp(w, "ABDUL", 5) == 0 && strlen(w) > 7) {
            static const char *const forms[] = {"ABD AL-%s", "ABDUL %s",
                                                "ABD-UL-%s", "ABDEL %s"};
            snprintf(buf, sizeof(buf), forms[rnd(4)], w + 5);
            snprintf(w, 64, "%s", buf);
            join(out, cap, &k);
            return true;
        }
        if (strcmp(w, "ABDUL") == 0 && i + 1 < k.n) {
            static const char *const forms[] = {"ABD AL-%s", "ABDUL%s",
                                                "ABD-UL-%s", "ABDUR %s"};
            snprintf(buf, sizeof(buf), forms[rnd(4)], k.t[i + 1]);
            snprintf(w, 64, "%s", buf);
            k.t[i + 1][0] = '\0';
            join(out, cap, &k);
            return true;
        }
        if ((ends(w, "ULLAH") || ends(w, "ALLAH")) && strlen(w) > 7) {
            static const char *const forms[] = {"%s ULLAH", "%s-ULLAH",
                                                "%s ALLAH", "%sULLA"};
            w[strlen(w) - 5] = '\0';
            snprintf(buf, sizeof(buf), forms[rnd(4)], w);
            snprintf(w, 64, "%s", buf);
            join(out, cap, &k);
            return true;
        }
        if ((ends(w, "UDDIN") || ends(w, "UDIN")) && strlen(w) > 7) {
            static const char *const forms[] = {"%s-UD-DIN", "%s AL-DIN",
                                                "%s UD DIN", "%sEDDINE"};
            w[strlen(w) - (ends(w, "UDDIN") ? 5 : 4)] = '\0';
            snprintf(buf, sizeof(buf), forms[rnd(4)], w);
            snprintf(w, 64, "%s", buf);
            join(out, cap, &k);
            return true;
        }
    }
    /* No particle to move: a title, or "bin" before the last name. */
    join(buf, sizeof(buf), &k);
    if (k.n >= 3 && rnd(3) == 0) {
        char last[64];
        snprintf(last, sizeof(last), "%s", k.t[k.n - 1]);
        snprintf(k.t[k.n - 1], 64, "BIN %.58s", last);
        join(out, cap, &k);
    } else {
        snprintf(out, cap, "%s %s", add_titles[rnd(COUNT(add_titles))], buf);
    }
    return true;
}

static bool
v_typo(char *out, size_t cap, const struct listed *l)
{
    static const char *const ocr[][2] = {{"M", "RN"}, {"D", "CL"}, {"I", "L"},
                                         {"O", "Q"},  {"E", "F"},  {"H", "N"},
                                         {"U", "V"},  {"B", "8"}};
    struct toks k;
    int best = -1;
    char *w, buf[64];
    size_t len, i;

    split(&k, l->latin);
    for (int t = 0; t < k.n; t++)
        if (strlen(k.t[t]) >= 5 && (best < 0 || rnd(2)))
            best = t;
    if (best < 0)
        return false;
    w = k.t[best];
    len = strlen(w);
    i = 1 + rnd((uint32_t)(len - 2));
    snprintf(buf, sizeof(buf), "%s", w);
    switch (rnd(5)) {
    case 0:
        buf[i] = (char)('A' + rnd(26));
        break;
    case 1:
        memmove(buf + i, buf + i + 1, len - i);
        break;
    case 2:
        memmove(buf + i + 1, buf + i, len - i + 1);
        buf[i] = (char)('A' + rnd(26));
        break;
    case 3: {
        char c = buf[i];
        buf[i] = buf[i + 1];
        buf[i + 1] = c;
        break;
    }
    default: {
        size_t o = rnd(7); /* letters only: digits split a name */
        char *p = strstr(buf + 1, ocr[o][0]);
        if (p != NULL && strlen(buf) + 2 < sizeof(buf)) {
            size_t from = strlen(ocr[o][0]), to = strlen(ocr[o][1]);
            memmove(p + to, p + from, strlen(p + from) + 1);
            memcpy(p, ocr[o][1], to);
        } else {
            buf[i] = (char)('A' + rnd(26));
        }
    }
    }
    snprintf(w, 64, "%s", buf);
    join(out, cap, &k);
    return true;
}

static bool
v_reorder(char *out, size_t cap, const struct listed *l)
{
    struct toks k, r;

    split(&k, l->latin);
    if (k.n < 2)
        return false;
    if (k.n >= 3 && rnd(2)) {
        /* Drop one name (never the first two of a two-part given name). */
        int d = 1 + (int)rnd((uint32_t)k.n - 1);
        k.t[d][0] = '\0';
        join(out, cap, &k);
        return true;
    }
    r.n = k.n;
    for (int i = 0; i < k.n; i++)
        snprintf(r.t[i], 64, "%s", k.t[(i + k.n - 1) % k.n]);
    join(out, cap, &r);
    return true;
}

static bool
v_mrz(char *out, size_t cap, const struct listed *l)
{
    struct toks k;
    size_t n = 0;

    split(&k, l->latin);
    if (k.n < 2)
        return false;
    /* ICAO 9303: the surname (here the last word), "<<", then the given
     * names in their own order (an earlier version wrote them reversed,
     * which is a reordering, not an MRZ form). */
    for (int o = 0; o < k.n; o++) {
        int i = o == 0 ? k.n - 1 : o - 1;
        const char *w = k.t[i];
        if (rnd(2) && (strncmp(w, "KH", 2) == 0 || strncmp(w, "SH", 2) == 0))
            out[n++] = 'X'; /* ICAO 9303-3 escape of kh, sh */
        for (; *w && n + 3 < cap; w++)
            out[n++] = (*w >= 'A' && *w <= 'Z') ? *w : '<';
        if (o == 0) {
            out[n++] = '<';
            out[n++] = '<';
        } else if (o < k.n - 1) {
            out[n++] = '<';
        }
    }
    out[n] = '\0';
    return true;
}

/* ---- running queries -------------------------------------------------------
 */

static int threshold = SARHAD_SCREEN_DEFAULT_THRESHOLD;

/* Rank of id among the hits at threshold t (1-based), 0 when absent;
 * *alerts counts the hits. */
static int
rank_of(const struct sarhad_screener *s, const char *name, int year,
        const char *father, const char *id, int t, unsigned *alerts)
{
    struct sarhad_screen_query q;
    struct sarhad_screening out;

    memset(&q, 0, sizeof(q));
    q.name = name;
    q.birth_year = year;
    q.father_name = father;
    if (sarhad_screener_query(s, &q, t, &out, NULL) != SARHAD_OK)
        return 0;
    if (alerts != NULL)
        *alerts = out.hit_count;
    for (unsigned i = 0; i < out.hit_count; i++)
        if (id != NULL && strcmp(out.hits[i].entry_id, id) == 0)
            return (int)i + 1;
    return 0;
}

/* An innocent traveller's passport gives a whole birth date. */
static void
rank_dob(const struct sarhad_screener *s, const char *name, int year,
         unsigned *alerts)
{
    struct sarhad_screen_query q;
    struct sarhad_screening out;

    memset(&q, 0, sizeof(q));
    q.name = name;
    q.birth_date = (struct sarhad_date){(int16_t)year, (uint8_t)(1 + rnd(12)),
                                        (uint8_t)(1 + rnd(28))};
    *alerts = 0;
    if (sarhad_screener_query(s, &q, threshold, &out, NULL) == SARHAD_OK)
        *alerts = out.hit_count;
    if (*alerts > 0 && getenv("EVAL_ALERTS") != NULL)
        printf("  alert %s %04d -> %s %s: %s\n", name, year,
               out.hits[0].entry_id, out.hits[0].name, out.hits[0].why);
}

struct tally {
    const char *family;
    unsigned n, hit_nodob, n_dob, hit_dob, top5;
};

static void
report(const struct tally *t)
{
    printf("%-22s %6u   %6.3f   %6u   %6.3f   %6.3f\n", t->family, t->n,
           t->n ? (double)t->hit_nodob / t->n : 0.0, t->n_dob,
           t->n_dob ? (double)t->hit_dob / t->n_dob : 0.0,
           t->n ? (double)t->top5 / t->n : 0.0);
}

/* EVAL_MISSES: a variant the screening missed, with what the listed
 * entry scored and why when the index handed it to the scorer (else
 * "not gathered": it was not among the candidates). */
static void
print_miss(const struct sarhad_screener *s, const char *fam,
           const struct listed *l, const char *v)
{
    static struct sarhad_explanation ex;
    struct sarhad_screen_query q;

    printf("  miss %-18s %s -> %s", fam, l->latin, v);
    memset(&q, 0, sizeof(q));
    q.name = v;
    if (sarhad_screener_explain(s, &q, 0, &ex, NULL) == SARHAD_OK) {
        unsigned i = 0;
        while (i < ex.candidate_count &&
               strcmp(ex.candidates[i].hit.entry_id, l->id) != 0)
            i++;
        if (i < ex.candidate_count)
            printf(" | %d: %s", ex.candidates[i].hit.score,
                   ex.candidates[i].hit.why);
        else
            printf(" | not among the best %u of %zu gathered",
                   ex.candidate_count, ex.scored);
    }
    printf("\n");
}

typedef bool (*variant_fn)(char *, size_t, const struct listed *);

static void
run_family(const struct sarhad_screener *s, const char *name, variant_fn fn,
           struct tally *all, unsigned *tp_dob)
{
    struct tally t = {name, 0, 0, 0, 0, 0};
    char v[512];

    for (size_t i = 0; i < entry_count; i++) {
        const struct listed *l = &listed[i];
        if (!l->regional || is_arabic(l->latin))
            continue;
        if (!fn(v, sizeof(v), l))
            continue;
        t.n++;
        if (rank_of(s, v, 0, NULL, l->id, threshold, NULL) > 0)
            t.hit_nodob++;
        else if (getenv("EVAL_MISSES") != NULL)
            print_miss(s, name, l, v);
        t.top5 += rank_of(s, v, 0, NULL, l->id, 0, NULL) > 0;
        if (l->year != 0) {
            t.n_dob++;
            t.hit_dob +=
                rank_of(s, v, l->year, NULL, l->id, threshold, NULL) > 0;
        }
    }
    report(&t);
    all->n += t.n;
    all->hit_nodob += t.hit_nodob;
    all->n_dob += t.n_dob;
    all->hit_dob += t.hit_dob;
    all->top5 += t.top5;
    *tp_dob += t.hit_dob;
}

static struct sarhad_screener *
build(int mode)
{
    /* mode 0: every name; 1: Latin names only; 2: Arabic-script names
     * only where an entry has one. */
    static struct sarhad_watchlist_entry e;
    struct sarhad_screener *s = NULL;

    if (sarhad_screener_new(&s, "eval", NULL) != SARHAD_OK)
        exit(1);
    for (size_t i = 0; i < entry_count; i++) {
        e = entries[i];
        if (mode != 0) {
            unsigned n = 0;
            bool has_arabic = listed[i].arabic[0] != '\0';
            for (unsigned k = 0; k < e.name_count; k++) {
                bool ar = is_arabic(e.names[k]);
                if ((mode == 1 && !ar) || (mode == 2 && (ar || !has_arabic)))
                    memmove(e.names[n++], e.names[k], SARHAD_WL_NAME_LEN);
            }
            e.name_count = n;
            if (n == 0)
                continue;
        }
        if (sarhad_screener_add(s, &e, NULL) != SARHAD_OK)
            exit(1);
    }
    if (sarhad_screener_finish(s, NULL) != SARHAD_OK)
        exit(1);
    return s;
}

static void
cross_script(void)
{
    struct sarhad_screener *lat = build(1), *ara = build(2);
    struct tally a2l = {"arabic -> latin", 0, 0, 0, 0, 0};
    struct tally l2a = {"latin -> arabic", 0, 0, 0, 0, 0};

    for (size_t i = 0; i < entry_count; i++) {
        const struct listed *l = &listed[i];
        if (l->arabic[0] == '\0' || is_arabic(l->latin))
            continue;
        a2l.n++;
        l2a.n++;
        a2l.hit_nodob +=
            rank_of(lat, l->arabic, 0, NULL, l->id, threshold, NULL) > 0;
        a2l.top5 += rank_of(lat, l->arabic, 0, NULL, l->id, 0, NULL) > 0;
        l2a.hit_nodob +=
            rank_of(ara, l->latin, 0, NULL, l->id, threshold, NULL) > 0;
        l2a.top5 += rank_of(ara, l->latin, 0, NULL, l->id, 0, NULL) > 0;
        if (l->year != 0) {
            a2l.n_dob++;
            l2a.n_dob++;
            a2l.hit_dob += rank_of(lat, l->arabic, l->year, NULL, l->id,
                                   threshold, NULL) > 0;
            l2a.hit_dob += rank_of(ara, l->latin, l->year, NULL, l->id,
                                   threshold, NULL) > 0;
        }
    }
    report(&a2l);
    report(&l2a);
    printf("%-22s %6u                               %6.3f\n", "across scripts",
           a2l.n + l2a.n, (double)(a2l.top5 + l2a.top5) / (a2l.n + l2a.n));
    sarhad_screener_close(lat);
    sarhad_screener_close(ara);
}

static void
innocents(const struct sarhad_screener *s)
{
    unsigned with = 0, without = 0, a;
    char name[256];

    for (int i = 0; i < INNOCENTS; i++) {
        synth_name(name, sizeof(name));
        a = 0;
        rank_of(s, name, 0, NULL, NULL, threshold, &a);
        without += a > 0;
        a = 0;
        rank_dob(s, name, 1950 + (int)rnd(56), &a);
        with += a > 0;
    }
    printf("\ninnocent travellers (%d synthetic names of the region):\n"
           "  alerts per 1,000 with a birth date:    %6.2f\n"
           "  alerts per 1,000 without a birth date: %6.2f\n",
           INNOCENTS, 1000.0 * with / INNOCENTS, 1000.0 * without / INNOCENTS);
}

static void
hard_negatives(const struct sarhad_screener *s, unsigned tp_dob, unsigned n_dob)
{
    unsigned n[3] = {0, 0, 0}, fp_dob[3] = {0, 0, 0}, fp_nodob[3] = {0, 0, 0};
    unsigned a;
    char name[512];

    for (size_t i = 0; i < entry_count; i++) {
        const struct listed *l = &listed[i];
        struct toks k;
        if (!l->regional || l->year == 0 || is_arabic(l->latin))
            continue;
        /* Same name, born 15-25 years apart, another father. */
        n[0]++;
        a = 0;
        rank_of(s, l->latin, l->year + 15 + (int)rnd(11),
                given[rnd(COUNT(given))], l->id, threshold, &a);
        fp_dob[0] += a > 0 && rank_of(s, l->latin, l->year + 20, NULL, l->id,
                                      threshold, NULL) > 0;
        fp_nodob[0] += 1; /* without a date or father it IS the name */
        /* A relative: another given name, the family kept, a generation
         * apart. */
        split(&k, l->latin);
        if (k.n >= 2) {
            n[1]++;
            snprintf(k.t[0], 64, "%s", given[rnd(COUNT(given))]);
            for (char *p = k.t[0]; *p; p++)
                if (*p == ' ')
                    *p = '_';
            join(name, sizeof(name), &k);
            for (char *p = name; *p; p++)
                if (*p == '_')
                    *p = ' ';
            fp_dob[1] += rank_of(s, name, l->year + 25, NULL, l->id, threshold,
                                 NULL) > 0;
            fp_nodob[1] +=
                rank_of(s, name, 0, NULL, l->id, threshold, NULL) > 0;
        }
    }
    for (int i = 0; i < 2000; i++) {
        int parts = 2 + (int)rnd(2);
        size_t len = 0;
        name[0] = '\0';
        for (int p = 0; p < parts; p++)
            len += (size_t)snprintf(name + len, sizeof(name) - len, "%s%s",
                                    p ? " " : "", common[rnd(COUNT(common))]);
        n[2]++;
        a = 0;
        rank_dob(s, name, 1950 + (int)rnd(56), &a);
        fp_dob[2] += a > 0;
        a = 0;
        rank_of(s, name, 0, NULL, NULL, threshold, &a);
        fp_nodob[2] += a > 0;
    }
    printf("\nhard negatives (alert rate; lower is better):\n"
           "%-34s %6s %12s %14s\n",
           "kind", "n", "with dob", "without dob");
    printf("%-34s %6u %12.3f %14s\n", "same name, other birth date+father",
           n[0], (double)fp_dob[0] / n[0], "(is a hit)");
    printf("%-34s %6u %12.3f %14.3f\n", "relative (other given name)", n[1],
           (double)fp_dob[1] / n[1], (double)fp_nodob[1] / n[1]);
    printf("%-34s %6u %12.3f %14.3f\n", "\"Muhammad Khan\" collisions", n[2],
           (double)fp_dob[2] / n[2], (double)fp_nodob[2] / n[2]);
    {
        unsigned fp = fp_dob[0] + fp_dob[1] + fp_dob[2];
        /* Balanced: as many variant queries as hard negatives. */
        double tp_rate = n_dob ? (double)tp_dob / n_dob : 0.0;
        unsigned negs = n[0] + n[1] + n[2];
        double tp = tp_rate * negs;
        printf("precision on hard negatives with a birth date (as many "
               "true variants as\nhard negatives): %.3f\n",
               tp + fp > 0 ? tp / (tp + fp) : 0.0);
    }
}

int
main(int argc, char **argv)
{
    const char *path =
        argc > 1 ? argv[1] : "/work/shared/data/un-consolidated-list.xml";
    struct sarhad_screener *s;
    struct tally all = {"all variant families", 0, 0, 0, 0, 0};
    unsigned tp_dob = 0;
    FILE *f;
    char *xml;
    long size;

    if (argc > 2)
        threshold = atoi(argv[2]);
    entries = calloc(MAX_ENTRIES, sizeof(*entries));
    listed = calloc(MAX_ENTRIES, sizeof(*listed));
    f = fopen(path, "rb");
    if (entries == NULL || listed == NULL || f == NULL) {
        fprintf(stderr, "eval_screen: cannot read %s\n", path);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    xml = malloc((size_t)size);
    if (xml == NULL || fread(xml, 1, (size_t)size, f) != (size_t)size ||
        sarhad_watchlist_parse(xml, (size_t)size, SARHAD_WL_AUTO, take_entry,
                               NULL, NULL) != SARHAD_OK) {
        fprintf(stderr, "eval_screen: %s is not a list\n", path);
        return 1;
    }
    fclose(f);
    free(xml);
    add_synthetic();
    s = build(0);
    printf("# screening evaluation: %zu listed (UN list + %d synthetic), "
           "threshold %d\n\n",
           entry_count, SYNTH_LIST, threshold);
    printf("%-22s %6s   %6s   %6s   %6s   %6s\n", "family", "n", "recall",
           "n(dob)", "r(dob)", "top-5");
    if (getenv("EVAL_NEG_ONLY") != NULL) {
        innocents(s);
        hard_negatives(s, 1, 1);
        return 0;
    }
    run_family(s, "spelling", v_spelling, &all, &tp_dob);
    run_family(s, "particles, titles", v_particles, &all, &tp_dob);
    run_family(s, "typos, OCR noise", v_typo, &all, &tp_dob);
    run_family(s, "reorder, dropped", v_reorder, &all, &tp_dob);
    run_family(s, "MRZ form", v_mrz, &all, &tp_dob);
    report(&all);
    cross_script();
    innocents(s);
    hard_negatives(s, tp_dob, all.n_dob);
    sarhad_screener_close(s);
    free(entries);
    free(listed);
    return 0;
}
