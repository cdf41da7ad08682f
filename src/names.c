/*
 * names.c - normalising personal names of the region so that the many
 * spellings of one name meet.  A name is read as UTF-8 (Latin, Arabic
 * script or an MRZ field), brought to lowercase ASCII (ICU's Arabic-Latin
 * and Latin-ASCII transliterators, after the Pashto, Dari and Urdu letters
 * are mapped to their Arabic base letters, which ICU's BGN transliterators
 * leave half-done), split into tokens, stripped of titles and connectors,
 * its particles joined ("Abd al-Rahman", "Abdul Rahman" and "Abdurrahman"
 * all become one token "abdrahman"), then each token is folded (spelling
 * variants meet) and reduced to a consonant skeleton (the key that also
 * meets Arabic script, which does not write short vowels).
 */
#include "names.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

/* ---- tables ------------------------------------------------------------ */

/* Honorifics and titles: never part of who someone is. */
static const char *const titles[] = {
    "mullah",    "mulla",  "mollah",  "molla",    "maulana", "mawlana",
    "moulana",   "maulvi", "mawlawi", "moulvi",   "maulavi", "mawlavi",
    "molvi",     "molavi", "mawlvi",  "haji",     "hajji",   "hadji",
    "alhaj",     "alhaji", "hajj",    "sheikh",   "shaikh",  "sheik",
    "shaykh",    "shaik",  "qari",    "hafiz",    "hafez",   "mufti",
    "dr",        "doctor", "eng",     "engineer", "mr",      "mrs",
    "ms",        "sahib",  "saheb",   "sahab",    "janab",   "general",
    "commander", "qazi",
};

/* Connectors between a name and a father's, husband's or ancestor's
 * name.  Standing between two names they are dropped; "bin" and its kin
 * may also open a family name ("Bin Laden") and are kept there, but the
 * written abbreviations ("s/o", "d/o", "w/o") never name anyone and are
 * dropped wherever they stand ("Haji s/o Ghulam Nabi", the title gone). */
static const char *const connectors[] = {
    "bin",  "ibn", "bint", "ben", "walad",  "wuld",
    "ould", "s/o", "d/o",  "w/o", "son of", "daughter of",
};

/* Articles and linking particles written as words of their own. */
static const char *const articles[] = {
    "al", "el",  "ul", "ur", "us", "ud", "un", "ut", "uz", "ush", "ar",
    "as", "ash", "ad", "at", "az", "an", "ed", "ad", "ol", "os",  "od",
};

/*
 * Second elements of compound names: when one follows a name (with or
 * without an article between), the two are one name ("Zia ul Haq").
 */
static const char *const second_elements[] = {
    "allah",  "ullah",   "ulla",     "ollah",   "olla",    "alla",   "ulah",
    "din",    "deen",    "dine",     "uddin",   "udin",    "uddeen", "eddin",
    "eddine", "addin",   "aldin",    "haq",     "haque",   "hak",    "huq",
    "rahman", "rehman",  "rahim",    "rehim",   "raheem",  "mulk",   "nisa",
    "nissa",  "khaliq",  "ghafoor",  "ghafar",  "ghaffar", "razzaq", "razaq",
    "wahab",  "wahhab",  "jabbar",   "sattar",  "qayyum",  "qadir",  "kadir",
    "samad",  "shakoor", "shakur",   "wadood",  "wadud",   "mannan", "baqi",
    "quddus", "qudus",   "muttalib", "mutalib", "nabi",
};

/* Prefixes of "Abd" compounds: abd, abdul, abdel, abdur, ... */
static const char *const abd_forms[] = {
    "abdul", "abdel", "abdal", "abdol", "abdur",  "abdus",
    "abdud", "abdun", "abdut", "abduz", "abdush", "abdar",
    "abdas", "abdad", "abdu",  "abdi",  "abd",
};

/* Article endings stripped from a word glued to a second element. */
static const char *const article_endings[] = {"ul", "ur", "us",  "ud", "un",
                                              "ut", "uz", "ush", "ud"};

/* ---- small string helpers ------------------------------------------- */

static bool
in_list(const char *s, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

static bool
is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static bool
ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);

    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

const char *
sarhad_script_name(enum sarhad_script script)
{
    switch (script) {
    case SARHAD_SCRIPT_LATIN:
        return "latin";
    case SARHAD_SCRIPT_ARABIC:
        return "arabic";
    case SARHAD_SCRIPT_MIXED:
        return "mixed";
    case SARHAD_SCRIPT_OTHER:
        return "other";
    default:
        return "none";
    }
}

/* ---- folding and skeletons ------------------------------------------- */

/*
 * Fold one lowercase ASCII token: digraphs become one letter (kh -> K,
 * sh -> S, ch -> C, gh -> g, ph -> f, th -> s, dh -> z, zh -> z), q and c
 * become k, w becomes v, long-vowel spellings shorten (ee -> i, oo, ou ->
 * u), o becomes u, y between letters becomes i, a final h goes, and
 * doubled letters collapse.  The regional pronunciation decides the
 * choices: th and dh stand for the Arabic letters said s and z.
 */
size_t
sarhad__name_fold(char *out, size_t cap, const char *in, size_t len)
{
    size_t n = 0;

    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        char c = in[i], next = '\0', o;

        if (i + 1 < len)
            next = in[i + 1];

        if (c < 'a' || c > 'z')
            continue;
        if (next == 'h' && strchr("kscgptdz", c) != NULL) {
            static const char from[] = "kscgptdz", to[] = "KSCgfszz";
            o = to[strchr(from, c) - from];
            i++;
        } else if (c == 'd' && next == 'j') {
            continue;
        } else if ((c == 'e' && next == 'e') || (c == 'i' && next == 'e')) {
            o = 'i';
            i++;
        } else if ((c == 'o' || c == 'u') && (next == 'o' || next == 'u')) {
            o = 'u';
            i++;
        } else if ((c == 'a' || c == 'e') && (next == 'i' || next == 'y') &&
                   (i + 2 >= len || !is_vowel(in[i + 2]))) {
            o = 'e';
            i++;
        } else {
            switch (c) {
            case 'q':
            case 'c':
                o = 'k';
                break;
            case 'x':
                o = 'K';
                break;
            case 'w':
                o = 'v';
                break;
            case 'o':
                o = 'u';
                break;
            case 'y':
                o = (i == 0 && is_vowel(next)) ? 'y' : 'i';
                break;
            default:
                o = c;
            }
        }
        if (n > 0 && out[n - 1] == o)
            continue;
        out[n++] = o;
    }
    while (n > 1 && out[n - 1] == 'h')
        n--;
    out[n] = '\0';
    return n;
}

/* The consonants of a folded token: vowels, y, v (w) and h-less doubles
 * dropped, so that "Muhammad", "Mohamed" and Arabic-script "mhmd" meet. */
size_t
sarhad__name_skeleton(char *out, size_t cap, const char *folded)
{
    size_t n = 0;

    for (const char *p = folded; *p != '\0' && n + 1 < cap; p++) {
        char c = *p;
        if (is_vowel(c) || c == 'y' || c == 'v')
            continue;
        if (n > 0 && out[n - 1] == c)
            continue;
        out[n++] = c;
    }
    out[n] = '\0';
    return n;
}

/* ---- Arabic script to Latin ------------------------------------------ */

/*
 * Pashto, Dari and Urdu letters mapped to the Arabic letter ICU knows,
 * chosen by how the region says them: ض, ظ, ذ are said z, ث is said s.
 */
static const struct {
    uint32_t from;
    uint32_t to;
} arabic_map[] = {
    {0x067C, 0x062A}, /* ټ -> ت */
    {0x0679, 0x062A}, /* ٹ -> ت */
    {0x0689, 0x062F}, /* ډ -> د */
    {0x0688, 0x062F}, /* ڈ -> د */
    {0x0693, 0x0631}, /* ړ -> ر */
    {0x0691, 0x0631}, /* ڑ -> ر */
    {0x0696, 0x0698}, /* ږ -> ژ */
    {0x069A, 0x0634}, /* ښ -> ش */
    {0x06BC, 0x0646}, /* ڼ -> ن */
    {0x06BA, 0x0646}, /* ں -> ن */
    {0x06AB, 0x06AF}, /* ګ -> گ */
    {0x06A9, 0x0643}, /* ک -> ك */
    {0x06CC, 0x064A}, /* ی -> ي */
    {0x06D0, 0x064A}, /* ې -> ي */
    {0x06CD, 0x064A}, /* ۍ -> ي */
    {0x06D2, 0x064A}, /* ے -> ي */
    {0x0649, 0x064A}, /* ى -> ي */
    {0x0626, 0x064A}, /* ئ -> ي */
    {0x06BE, 0x0647}, /* ھ -> ه */
    {0x06C1, 0x0647}, /* ہ -> ه */
    {0x06C0, 0x0647}, /* ۀ -> ه */
    {0x0629, 0x0647}, /* ة -> ه */
    {0x0623, 0x0627}, /* أ -> ا */
    {0x0625, 0x0627}, /* إ -> ا */
    {0x0622, 0x0627}, /* آ -> ا */
    {0x0671, 0x0627}, /* ٱ -> ا */
    {0x0624, 0x0648}, /* ؤ -> و */
    {0x0636, 0x0632}, /* ض -> ز */
    {0x0638, 0x0632}, /* ظ -> ز */
    {0x0630, 0x0632}, /* ذ -> ز */
    {0x062B, 0x0633}, /* ث -> س */
    {0x0685, 0x0633}, /* څ (ts) -> س */
    {0x0681, 0x0632}, /* ځ (dz) -> ز */
};

static bool
is_arabic_cp(uint32_t cp)
{
    return (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
           (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF);
}

static bool
is_arabic_letter(uint32_t cp)
{
    /* Letters, not the harakat (short-vowel marks), tatweel or digits. */
    return is_arabic_cp(cp) && !(cp >= 0x064B && cp <= 0x065F) &&
           cp != 0x0640 && cp != 0x0670 && !(cp >= 0x0660 && cp <= 0x0669) &&
           !(cp >= 0x06F0 && cp <= 0x06F9) && cp != 0x060C;
}

/* Decode one UTF-8 sequence; returns its length or 0 when invalid. */
static size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF && len >= 2 && (s[1] & 0xC0) == 0x80) {
        *cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
        return 2;
    }
    if (s[0] >= 0xE0 && s[0] <= 0xEF && len >= 3 && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80) {
        *cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 |
              (s[2] & 0x3F);
        if (*cp < 0x800 || (*cp >= 0xD800 && *cp <= 0xDFFF))
            return 0;
        return 3;
    }
    if (s[0] >= 0xF0 && s[0] <= 0xF4 && len >= 4 && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
        *cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
              (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
        if (*cp < 0x10000 || *cp > 0x10FFFF)
            return 0;
        return 4;
    }
    return 0;
}

/*
 * ICU transliterators are not safe to share between threads; one is
 * opened once and used under a lock (a call takes microseconds, and only
 * names with non-ASCII letters take this path).
 */
static pthread_once_t icu_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t icu_lock = PTHREAD_MUTEX_INITIALIZER;
static UTransliterator *icu_trans;

static void
icu_open(void)
{
    UErrorCode e = U_ZERO_ERROR;
    UChar id[64];

    u_uastrcpy(id, "Any-Latin; Latin-ASCII; Lower");
    icu_trans = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
    if (U_FAILURE(e))
        icu_trans = NULL;
}

/*
 * Prepare Arabic-script and accented text for ICU: map regional letters,
 * make the article "ال" a word of its own, say a word-initial ain as
 * alef (it starts "Omar", "Abd") and drop it elsewhere, and drop the
 * short-vowel marks, which names rarely carry consistently.
 */
static size_t
premap(UChar *out, size_t cap, const uint32_t *cps, size_t count)
{
    size_t n = 0;

    for (size_t i = 0; i < count && n + 3 < cap; i++) {
        uint32_t cp = cps[i];
        bool word_start = i == 0 || !is_arabic_letter(cps[i - 1]);

        if (is_arabic_cp(cp) && !is_arabic_letter(cp) && cp != 0x060C)
            continue;
        for (size_t k = 0; k < SARHAD_COUNT_OF(arabic_map); k++)
            if (arabic_map[k].from == cp) {
                cp = arabic_map[k].to;
                break;
            }
        if (cp == 0x0639) { /* ع */
            if (!word_start)
                continue;
            cp = 0x0627;
        }
        if (cp > 0xFFFF)
            continue; /* outside the BMP: never part of a name */
        out[n++] = (UChar)cp;
        /* "ال" opening a word of four or more letters is the article. */
        if (cp == 0x0644 && n >= 2 && out[n - 2] == 0x0627 &&
            (i < 2 || !is_arabic_letter(cps[i - 2])) && i + 2 < count &&
            is_arabic_letter(cps[i + 1]) && is_arabic_letter(cps[i + 2]) &&
            !(cps[i + 1] == 0x0644 &&
              (i + 3 >= count || !is_arabic_letter(cps[i + 3]))))
            out[n++] = ' ';
    }
    return n;
}

/* ---- MRZ ------------------------------------------------------------- */

/* ICAO 9303-3 Arabic X-escapes and what they stand for in plain letters. */
static const struct {
    const char *esc;
    const char *plain;
} mrz_escapes[] = {
    {"XKH", "KH"}, {"XSH", "SH"}, {"XTH", "TH"}, {"XDH", "DH"},
    {"XGH", "GH"}, {"XHH", "H"},  {"XSS", "S"},  {"XDZ", "Z"},
    {"XTT", "T"},  {"XZZ", "Z"},  {"XTA", "A"},  {"XAY", "A"},
    {"XAA", "A"},  {"XCH", "CH"}, {"XZH", "ZH"}, {"XE", ""},
};

/* Check that the len bytes at text are an MRZ name field (A-Z, '<' and
 * spaces); *split gets the offset of the "<<" between surname and given
 * names, or len when there is none. */
static enum sarhad_status
check_mrz_name(size_t *split, const char *text, size_t len,
               struct sarhad_error *err)
{
    *split = len;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (!((c >= 'A' && c <= 'Z') || c == '<' || c == ' '))
            return sarhad__fail(err, SARHAD_EFORMAT, "name", i,
                                "an MRZ name holds only A-Z and '<'");
        if (c == '<' && i + 1 < len && text[i + 1] == '<' && *split == len)
            *split = i;
    }
    return SARHAD_OK;
}

/* Decode the X-escape at text[i], if one starts there, onto dst at *n.
 * Returns the bytes it took, or 0 when there is none. */
static size_t
decode_mrz_escape(char *dst, size_t *n, const char *text, size_t len, size_t i)
{
    bool token_start = i == 0 || text[i - 1] == '<' || text[i - 1] == ' ';

    if (text[i] != 'X')
        return 0;
    if (token_start) {
        for (size_t k = 0; k < SARHAD_COUNT_OF(mrz_escapes); k++) {
            size_t el = strlen(mrz_escapes[k].esc);
            if (i + el <= len &&
                memcmp(text + i, mrz_escapes[k].esc, el) == 0) {
                for (const char *p = mrz_escapes[k].plain; *p; p++)
                    dst[(*n)++] = *p;
                return el;
            }
        }
        return 0;
    }
    if (i + 2 < len && text[i + 1] != '<') {
        /* Escapes inside a word: XKH in "MXKHTAR" style spellings. */
        for (size_t k = 0; k < 4; k++) {
            if (i + 3 <= len && memcmp(text + i, mrz_escapes[k].esc, 3) == 0) {
                dst[(*n)++] = mrz_escapes[k].plain[0];
                dst[(*n)++] = mrz_escapes[k].plain[1];
                return 3;
            }
        }
    }
    return 0;
}

/* Write "given surname" (or the surname alone) to out; the fillers, now
 * spaces, are trimmed.  Returns what snprintf returned. */
static int
join_mrz_name(char *out, size_t cap, char *given, size_t gn, char *sur,
              size_t sn)
{
    size_t a = 0, b = gn;

    sur[sn] = '\0';
    given[gn] = '\0';
    while (sn > 0 && sur[sn - 1] == ' ')
        sur[--sn] = '\0';
    while (a < b && given[a] == ' ')
        a++;
    while (b > a && given[b - 1] == ' ')
        b--;
    given[b] = '\0';
    return a < b ? snprintf(out, cap, "%s %s", given + a, sur)
                 : snprintf(out, cap, "%s", sur);
}

enum sarhad_status
sarhad_name_from_mrz(char *out, size_t cap, const char *text, size_t len,
                     struct sarhad_error *err)
{
    char given[SARHAD_NAME_MAX_LEN], sur[SARHAD_NAME_MAX_LEN];
    size_t gn = 0, sn = 0, split;
    int written;
    enum sarhad_status s;

    if (out == NULL || text == NULL || cap == 0)
        return sarhad__fail(err, SARHAD_EINVAL, "name", SIZE_MAX,
                            "no name given");
    if (len >= SARHAD_NAME_MAX_LEN)
        return sarhad__fail(err, SARHAD_ETOOBIG, "name", SIZE_MAX,
                            "an MRZ name field is at most %d bytes",
                            SARHAD_NAME_MAX_LEN - 1);
    s = check_mrz_name(&split, text, len, err);
    if (s != SARHAD_OK)
        return s;
    for (size_t i = 0; i < len; i++) {
        char *dst = i < split ? sur : given;
        size_t *n = i < split ? &sn : &gn;
        size_t used = decode_mrz_escape(dst, n, text, len, i);

        if (used > 0)
            i += used - 1;
        else
            dst[(*n)++] = (char)(text[i] == '<' ? ' ' : text[i]);
    }
    written = join_mrz_name(out, cap, given, gn, sur, sn);
    if (written < 0 || (size_t)written >= cap)
        return sarhad__fail(err, SARHAD_ETOOBIG, "name", SIZE_MAX,
                            "the decoded name does not fit");
    return SARHAD_OK;
}

static bool
looks_like_mrz(const char *text, size_t len)
{
    bool filler = false;

    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '<')
            filler = true;
        else if (!((c >= 'A' && c <= 'Z') || c == ' '))
            return false;
    }
    return filler;
}

/* ---- tokens and particles -------------------------------------------- */

struct raw_token {
    char s[32];
    size_t len;
};

struct token_list {
    struct raw_token t[SARHAD_NAME_MAX_TOKENS * 2];
    size_t count;
};

static void
note_removed(struct sarhad_name *out, const char *word)
{
    size_t n = strlen(out->removed), w = strlen(word);

    if (n + w + 2 > sizeof(out->removed))
        return;
    if (n > 0)
        out->removed[n++] = ' ';
    memcpy(out->removed + n, word, w + 1);
}

/* "s/o", "d/o" or "w/o" (son, daughter or wife of) at p, a word of its
 * own. */
static bool
kinship_abbreviation(const char *p)
{
    return (p[0] == 's' || p[0] == 'd' || p[0] == 'w') && p[1] == '/' &&
           p[2] == 'o' && !(p[3] >= 'a' && p[3] <= 'z');
}

/* Split lowercase ASCII into words; '-', '.', ',' and '/' separate,
 * apostrophes (ain, hamza) vanish.  "s/o" is kept as one word. */
static void
split_words(struct token_list *tl, const char *s)
{
    size_t i = 0;

    tl->count = 0;
    while (s[i] != '\0' && tl->count < SARHAD_COUNT_OF(tl->t)) {
        struct raw_token *t = &tl->t[tl->count];
        t->len = 0;
        while (s[i] != '\0' && !(s[i] >= 'a' && s[i] <= 'z'))
            i++;
        if (kinship_abbreviation(s + i)) {
            memcpy(t->s, s + i, 3);
            t->len = 3;
            i += 3;
        } else {
            for (; (s[i] >= 'a' && s[i] <= 'z') || s[i] == '\''; i++)
                if (s[i] != '\'' && t->len + 1 < sizeof(t->s))
                    t->s[t->len++] = s[i];
        }
        t->s[t->len] = '\0';
        if (t->len > 0)
            tl->count++;
    }
}

static const char *
abd_rest(const struct raw_token *t)
{
    if (t->len < 3 || memcmp(t->s, "abd", 3) != 0)
        return NULL;
    for (size_t i = 0; i < SARHAD_COUNT_OF(abd_forms); i++) {
        size_t n = strlen(abd_forms[i]);
        if (n <= t->len && memcmp(t->s, abd_forms[i], n) == 0)
            return t->s + n;
    }
    return NULL;
}

/*
 * A one-letter slip in the Abd particle before another word ("Abdlu
 * Jalil", "Abmdul Wahed", "Adbul Wahid", "Agdul Basir", "Abdl Wahid",
 * "Akbdul Hakim", OCR's "Abclul"), on the folded word: five letters one
 * substitution or one swap of neighbours from abdul, abdur, abdel or
 * abdal; six letters one insertion inside them, the ending kept (so
 * Abdulla, Abdali are not it); four letters with the b or the vowel
 * dropped (adul, abdl), but not Adel, a name of its own, and not with the
 * d or the last letter dropped (Abul, Abel, Abdu are names); or cl (folded
 * kl) read by OCR for the d.
 */
static bool
slipped_abd(const char *f)
{
    static const char *const forms[] = {"abdul", "abdur", "abdel", "abdal"};
    size_t len = strlen(f);
    const char *kl = strstr(f, "kl");

    if (len < 4 || len > 6 || strcmp(f, "adel") == 0)
        return false;
    for (size_t k = 0; k < SARHAD_COUNT_OF(forms); k++) {
        const char *g = forms[k];
        char buf[8];
        if (len == 5) {
            size_t diff = 0, first = 5;
            for (size_t i = 0; i < 5; i++)
                if (f[i] != g[i]) {
                    diff++;
                    first = first < i ? first : i;
                }
            if (diff == 1 ||
                (diff == 2 && first + 1 < 5 && f[first] == g[first + 1] &&
                 f[first + 1] == g[first]))
                return true;
        } else if (len == 6) {
            /* f without one of its inner letters is g; the ending is
             * kept. */
            if (kl != NULL && kl > f && kl[2] != '\0') {
                memcpy(buf, f, (size_t)(kl - f));
                buf[kl - f] = 'd';
                memcpy(buf + (kl - f) + 1, kl + 2, strlen(kl + 2) + 1);
                if (strcmp(buf, g) == 0)
                    return true;
            }
            if (strcmp(f + 4, g + 3) != 0)
                continue;
            for (size_t d = 1; d < 4; d++) {
                memcpy(buf, f, d);
                memcpy(buf + d, f + d + 1, 6 - d);
                if (strcmp(buf, g) == 0)
                    return true;
            }
        } else {
            /* g without its b (1) or its vowel (3) is f. */
            for (size_t d = 1; d < 4; d += 2) {
                memcpy(buf, g, d);
                memcpy(buf + d, g + d + 1, 5 - d);
                if (strcmp(buf, f) == 0)
                    return true;
            }
        }
    }
    return false;
}

static void
append(struct raw_token *t, const char *s)
{
    size_t n = strlen(s);

    if (t->len + n + 1 > sizeof(t->s))
        n = sizeof(t->s) - 1 - t->len;
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

/* Strip an article ending ("ziaul" before "haq") from a word. */
static void
strip_article_ending(struct raw_token *t)
{
    for (size_t i = 0; i < SARHAD_COUNT_OF(article_endings); i++) {
        size_t n = strlen(article_endings[i]);
        if (t->len > n + 2 && ends_with(t->s, t->len, article_endings[i])) {
            t->len -= n;
            t->s[t->len] = '\0';
            return;
        }
    }
}

/*
 * A second element glued into a word ("hikmatullah", "ziaulhaq",
 * "nizamuddin"): bring it to the same spelling as the joined form of the
 * separate words.  Returns the stem length when the word ends with one.
 */
static void
canon_glued(struct raw_token *t)
{
    static const struct {
        const char *end;
        const char *canon;
    } glued[] = {
        {"uddin", "din"},       {"uddeen", "din"},      {"udeen", "din"},
        {"eddine", "din"},      {"eddin", "din"},       {"addin", "din"},
        {"aldin", "din"},       {"udin", "din"},        {"deen", "din"},
        {"ullah", "ulah"},      {"ulla", "ulah"},       {"allah", "ulah"},
        {"ollah", "ulah"},      {"olla", "ulah"},       {"alla", "ulah"},
        {"ulhaq", "haq"},       {"ulhaque", "haq"},     {"ulhuq", "haq"},
        {"urrahman", "rahman"}, {"urrehman", "rahman"}, {"urahman", "rahman"},
        {"urehman", "rahman"},  {"urrahim", "rahim"},   {"urraheem", "rahim"},
    };

    for (size_t i = 0; i < SARHAD_COUNT_OF(glued); i++) {
        size_t n = strlen(glued[i].end);
        if (t->len > n + 1 && ends_with(t->s, t->len, glued[i].end)) {
            t->len -= n;
            t->s[t->len] = '\0';
            append(t, glued[i].canon);
            return;
        }
    }
}

static const char *second_canon(const char *s);

/*
 * Is s a second element?  Latin spellings must be in the table; a word
 * transliterated from Arabic script has no short vowels, so there its
 * skeleton is compared ("rhmn" is rahman, "allh" is allah).  *canon gets
 * the spelling to join with.
 */
static bool
is_second(const char *s, bool vowelless, const char **canon)
{
    char f[32], k[24], f2[32], k2[24];

    if (in_list(s, second_elements, SARHAD_COUNT_OF(second_elements))) {
        *canon = second_canon(s);
        return true;
    }
    if (!vowelless)
        return false;
    sarhad__name_fold(f, sizeof(f), s, strlen(s));
    sarhad__name_skeleton(k, sizeof(k), f);
    if (k[0] == '\0')
        return false;
    for (size_t i = 0; i < SARHAD_COUNT_OF(second_elements); i++) {
        sarhad__name_fold(f2, sizeof(f2), second_elements[i],
                          strlen(second_elements[i]));
        sarhad__name_skeleton(k2, sizeof(k2), f2);
        if (strcmp(k, k2) == 0) {
            *canon = second_canon(second_elements[i]);
            return true;
        }
    }
    return false;
}

/* Is s a title?  For a word from Arabic script, by its skeleton ("mla"
 * is Mulla, "hajy" Haji). */
static bool
is_title(const char *s, bool vowelless)
{
    char f[32], k[24], f2[32], k2[24];

    if (in_list(s, titles, SARHAD_COUNT_OF(titles)))
        return true;
    if (!vowelless)
        return false;
    sarhad__name_fold(f, sizeof(f), s, strlen(s));
    sarhad__name_skeleton(k, sizeof(k), f);
    if (strlen(k) < 2)
        return false;
    for (size_t i = 0; i < SARHAD_COUNT_OF(titles); i++) {
        if (strlen(titles[i]) <= 3)
            continue; /* "Mr", "Dr": abbreviations, never in Arabic */
        sarhad__name_fold(f2, sizeof(f2), titles[i], strlen(titles[i]));
        sarhad__name_skeleton(k2, sizeof(k2), f2);
        if (strcmp(k, k2) == 0)
            return true;
    }
    return false;
}

/* The spelling a second element takes once joined. */
static const char *
second_canon(const char *s)
{
    static const struct {
        const char *from;
        const char *to;
    } m[] = {{"allah", "ulah"},    {"ullah", "ulah"},  {"ulla", "ulah"},
             {"ollah", "ulah"},    {"olla", "ulah"},   {"alla", "ulah"},
             {"deen", "din"},      {"dine", "din"},    {"uddin", "din"},
             {"udin", "din"},      {"uddeen", "din"},  {"eddin", "din"},
             {"eddine", "din"},    {"addin", "din"},   {"aldin", "din"},
             {"haque", "haq"},     {"huq", "haq"},     {"hak", "haq"},
             {"rehman", "rahman"}, {"rehim", "rahim"}, {"raheem", "rahim"}};

    for (size_t i = 0; i < SARHAD_COUNT_OF(m); i++)
        if (strcmp(s, m[i].from) == 0)
            return m[i].to;
    return s;
}

/* How many words, from tl->t[i], a dropped title, connector or article
 * takes (titles and connectors are noted in out->removed); 0 when the
 * word stays.  kept is how many words are kept so far, others how many
 * words are not titles. */
static size_t
dropped_words(struct sarhad_name *out, const struct token_list *tl, size_t i,
              size_t kept, size_t others)
{
    const struct raw_token *t = &tl->t[i];
    bool vl = out->vowelless;

    /* Two-word titles and connectors. */
    if (i + 1 < tl->count) {
        char two[64];
        snprintf(two, sizeof(two), "%s %s", t->s, tl->t[i + 1].s);
        if (in_list(two, connectors, SARHAD_COUNT_OF(connectors))) {
            note_removed(out, two);
            return 2;
        }
    }
    if (others > 0 && is_title(t->s, vl)) {
        note_removed(out, t->s);
        return 1;
    }
    if (in_list(t->s, connectors, SARHAD_COUNT_OF(connectors)) &&
        ((kept > 0 && i + 1 < tl->count) || kinship_abbreviation(t->s))) {
        note_removed(out, t->s);
        return 1;
    }
    if (in_list(t->s, articles, SARHAD_COUNT_OF(articles)) &&
        i + 1 < tl->count && kept > 0)
        return 1;
    return 0;
}

/* Join t onto the last kept word when it completes a lone "abd" or is a
 * second element.  Returns whether it did. */
static bool
joined_to_previous(struct token_list *r, const struct raw_token *t, bool vl,
                   bool *pending_abd)
{
    const char *canon;

    if (r->count == 0)
        return false;
    if (*pending_abd) {
        const char *rest = abd_rest(t);
        if (rest == NULL || *rest == '\0')
            rest = t->s;
        append(&r->t[r->count - 1], is_second(rest, vl, &canon) ? canon : rest);
        *pending_abd = false;
        return true;
    }
    if (strcmp(r->t[r->count - 1].s, "abd") != 0 &&
        is_second(t->s, vl, &canon)) {
        struct raw_token *prev = &r->t[r->count - 1];
        strip_article_ending(prev);
        append(prev, canon);
        return true;
    }
    return false;
}

/* Copy t to dst in its joined spelling: an Abd particle becomes "abd"
 * (*pending_abd set when a next word, has_next, will complete it) or
 * "abd" and the rest; a glued second element takes its canonical
 * spelling. */
static void
keep_word(struct raw_token *dst, const struct raw_token *t, bool has_next,
          bool vl, bool *pending_abd)
{
    const char *canon;
    const char *rest = abd_rest(t);

    *dst = *t;
    if (rest == NULL || *rest != '\0') {
        /* "Abdool", "Abbdul": folded, they are "abdul" too. */
        char f[32];
        sarhad__name_fold(f, sizeof(f), t->s, t->len);
        if (strcmp(f, "abdul") == 0 || strcmp(f, "abdal") == 0 ||
            strcmp(f, "abdel") == 0 || strcmp(f, "abdur") == 0 ||
            (has_next && !vl && slipped_abd(f)))
            rest = "";
    }
    if (rest != NULL && *rest == '\0') {
        /* "abdul" alone: the next word completes it. */
        strcpy(dst->s, "abd");
        dst->len = 3;
        *pending_abd = has_next;
    } else if (rest != NULL && strlen(rest) >= 3) {
        /* "abdurrahman": drop the article the prefix carried, and a
         * doubled sun letter ("abdurrahman" -> abd + rahman). */
        char buf[32];
        if (rest[0] == rest[1] && !is_vowel(rest[0]))
            rest++;
        snprintf(buf, sizeof(buf), "abd%s",
                 is_second(rest, vl, &canon) ? canon : rest);
        sarhad__strlcpy(dst->s, buf, sizeof(dst->s));
        dst->len = strlen(dst->s);
    }
    canon_glued(dst);
}

/*
 * Titles, connectors and particles.  Titles and connectors are dropped
 * (and noted); "abd" forms join the word after them; a second element
 * joins the word before it, with any article between or at its end
 * dropped.  So "Abd al-Rahman", "Abdul Rahman", "Abdurrahman" give
 * "abdrahman" and "Zia-ul-Haq", "Ziaul Haq" give "ziahaq".
 */
static void
join_particles(struct token_list *tl, struct sarhad_name *out)
{
    bool vl = out->vowelless;
    struct token_list r;
    bool pending_abd = false;
    size_t others = 0;

    r.count = 0;
    for (size_t i = 0; i < tl->count; i++)
        if (!is_title(tl->t[i].s, vl))
            others++;
    for (size_t i = 0; i < tl->count; i++) {
        size_t dropped = dropped_words(out, tl, i, r.count, others);

        if (dropped > 0) {
            i += dropped - 1;
            continue;
        }
        if (joined_to_previous(&r, &tl->t[i], vl, &pending_abd))
            continue;
        if (r.count == SARHAD_COUNT_OF(r.t))
            break;
        keep_word(&r.t[r.count], &tl->t[i], i + 1 < tl->count, vl,
                  &pending_abd);
        r.count++;
    }
    *tl = r;
}

/* ---- the whole name -------------------------------------------------- */

/* How many letters of each script a name holds. */
struct script_tally {
    size_t latin, arabic, other;
    bool ascii;
};

static void
tally_script(struct script_tally *tally, uint32_t cp)
{
    if (cp >= 0x80)
        tally->ascii = false;
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
        (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
        (cp >= 0x1E00 && cp <= 0x1EFF))
        tally->latin++;
    else if (is_arabic_letter(cp))
        tally->arabic++;
    else if (cp >= 0x80 && cp != 0x2019 && cp != 0x2018 && cp != 0x02BF &&
             cp != 0x02BE && cp != 0x02BB && cp != 0xA0 && !is_arabic_cp(cp))
        tally->other++;
}

/* Decode the UTF-8 text into cps (*count code points), tallying the
 * scripts.  Returns SARHAD_EFORMAT on bad UTF-8 or a control character. */
static enum sarhad_status
decode_name(uint32_t *cps, size_t *count, struct script_tally *tally,
            const char *text, size_t len, struct sarhad_error *err)
{
    *count = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode((const unsigned char *)text + i, len - i, &cp);
        if (n == 0)
            return sarhad__fail(err, SARHAD_EFORMAT, "name", i,
                                "the name is not valid UTF-8");
        if (cp < 0x20 || cp == 0x7F)
            return sarhad__fail(err, SARHAD_EFORMAT, "name", i,
                                "control character in a name");
        tally_script(tally, cp);
        cps[(*count)++] = cp;
        i += n;
    }
    return SARHAD_OK;
}

static enum sarhad_script
script_of(const struct script_tally *t)
{
    return t->latin + t->arabic + t->other == 0 ? SARHAD_SCRIPT_NONE
           : t->arabic > 0 && t->latin > 0      ? SARHAD_SCRIPT_MIXED
           : t->arabic > 0                      ? SARHAD_SCRIPT_ARABIC
           : t->latin > 0 && t->other == 0      ? SARHAD_SCRIPT_LATIN
           : t->latin > 0                       ? SARHAD_SCRIPT_MIXED
                                                : SARHAD_SCRIPT_OTHER;
}

/* ASCII text, lowercased, to out (cap bytes). */
static void
lower_ascii(char *out, size_t cap, const char *text, size_t len)
{
    size_t n = 0;

    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        char c = text[i];
        out[n++] = (char)((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
    }
    out[n] = '\0';
}

/* Transliterate count code points to lowercase ASCII in out (cap bytes)
 * through ICU.  Returns SARHAD_EIO without the transliterators,
 * SARHAD_ETOOBIG when the result outgrows the buffer. */
static enum sarhad_status
transliterate(char *out, size_t cap, const uint32_t *cps, size_t count,
              struct sarhad_error *err)
{
    UChar buf[SARHAD_NAME_MAX_LEN * 4];
    int32_t ulen, limit;
    UErrorCode e = U_ZERO_ERROR;
    size_t n = 0;

    ulen = (int32_t)premap(buf, SARHAD_COUNT_OF(buf), cps, count);
    pthread_once(&icu_once, icu_open);
    if (icu_trans == NULL)
        return sarhad__fail(err, SARHAD_EIO, "name", SIZE_MAX,
                            "the ICU transliterators are not installed");
    limit = ulen;
    pthread_mutex_lock(&icu_lock);
    utrans_transUChars(icu_trans, buf, &ulen, (int32_t)SARHAD_COUNT_OF(buf), 0,
                       &limit, &e);
    pthread_mutex_unlock(&icu_lock);
    if (U_FAILURE(e))
        return sarhad__fail(err, SARHAD_ETOOBIG, "name", SIZE_MAX,
                            "the transliterated name is too long");
    for (int32_t i = 0; i < ulen && n + 1 < cap; i++) {
        UChar c = buf[i];
        if (c < 0x80)
            out[n++] = (char)((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
        else
            out[n++] = '\''; /* ain, hamza, leftovers: dropped */
    }
    out[n] = '\0';
    return SARHAD_OK;
}

/* Bring text to lowercase ASCII in out (cap bytes); script detection on
 * the way.  Returns the status. */
static enum sarhad_status
to_ascii(struct sarhad_name *name, char *out, size_t cap, const char *text,
         size_t len, struct sarhad_error *err)
{
    uint32_t cps[SARHAD_NAME_MAX_LEN];
    size_t count;
    struct script_tally tally = {0, 0, 0, true};
    enum sarhad_status s;

    s = decode_name(cps, &count, &tally, text, len, err);
    if (s != SARHAD_OK)
        return s;
    name->script = script_of(&tally);
    name->vowelless = tally.arabic > tally.latin;
    if (tally.ascii) {
        lower_ascii(out, cap, text, len);
        return SARHAD_OK;
    }
    return transliterate(out, cap, cps, count, err);
}

enum sarhad_status
sarhad_name_normalize(struct sarhad_name *out, const char *text, size_t len,
                      struct sarhad_error *err)
{
    struct token_list tl;
    char mrz[SARHAD_NAME_MAX_LEN];
    enum sarhad_status s;

    if (out == NULL || text == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "name", SIZE_MAX,
                            "no name given");
    if (len > SARHAD_NAME_MAX_LEN)
        return sarhad__fail(err, SARHAD_ETOOBIG, "name", SIZE_MAX,
                            "a name is at most %d bytes", SARHAD_NAME_MAX_LEN);
    memset(out, 0, sizeof(*out));
    if (looks_like_mrz(text, len)) {
        s = sarhad_name_from_mrz(mrz, sizeof(mrz), text, len, err);
        if (s != SARHAD_OK)
            return s;
        text = mrz;
        len = strlen(mrz);
        out->from_mrz = true;
    }
    s = to_ascii(out, out->latin, sizeof(out->latin), text, len, err);
    if (s != SARHAD_OK) {
        memset(out, 0, sizeof(*out));
        return s;
    }
    split_words(&tl, out->latin);
    join_particles(&tl, out);
    for (size_t i = 0;
         i < tl.count && out->token_count < SARHAD_NAME_MAX_TOKENS; i++) {
        struct sarhad_name_token *t = &out->tokens[out->token_count];
        sarhad__strlcpy(t->text, tl.t[i].s, sizeof(t->text));
        sarhad__name_fold(t->folded, sizeof(t->folded), t->text,
                          strlen(t->text));
        sarhad__name_skeleton(t->key, sizeof(t->key), t->folded);
        if (t->folded[0] != '\0')
            out->token_count++;
    }
    return SARHAD_OK;
}
