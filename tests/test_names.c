/*
 * test_names.c - name normalisation: the known-answer vectors in
 * tests/vectors/names/ (tokens and keys of names; pairs of spellings that
 * must meet), MRZ decoding, script detection and the limits.
 */
#include "test.h"

#include <stdlib.h>

static int
read_vectors(const char *path, char (*a)[256], char (*b)[512], int cap)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    int n = 0;

    if (f == NULL)
        return -1;
    while (n < cap && fgets(line, sizeof(line), f) != NULL) {
        char *tab = strchr(line, '\t');
        size_t len = strlen(line);
        if (line[0] == '#' || tab == NULL)
            continue;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        *tab = '\0';
        /* Over-long vector lines are cut; the comparison then fails. */
        if (snprintf(a[n], 256, "%s", line) < 0 ||
            snprintf(b[n], 512, "%s", tab + 1) < 0)
            break;
        n++;
    }
    fclose(f);
    return n;
}

static void
describe(char *out, size_t cap, const struct sarhad_name *n)
{
    size_t len = 0;

    out[0] = '\0';
    for (unsigned i = 0; i < n->token_count; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s:%s", i ? " " : "",
                                n->tokens[i].text, n->tokens[i].key);
}

TEST(names_token_vectors)
{
    static char names[64][256], want[64][512];
    int n = read_vectors("tests/vectors/names/tokens.txt", names, want, 64);

    ASSERT(n >= 30);
    for (int i = 0; i < n; i++) {
        struct sarhad_name nm;
        char got[512];
        ASSERT_OK(sarhad_name_normalize(&nm, names[i], strlen(names[i]), NULL));
        describe(got, sizeof(got), &nm);
        ASSERT_EQ_STR(want[i], got);
    }
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void
sorted_keys(char *out, size_t cap, const struct sarhad_name *n)
{
    char keys[SARHAD_NAME_MAX_TOKENS][24];
    size_t len = 0;

    for (unsigned i = 0; i < n->token_count; i++)
        memcpy(keys[i], n->tokens[i].key, 24);
    qsort(keys, n->token_count, 24, cmp_str);
    out[0] = '\0';
    for (unsigned i = 0; i < n->token_count; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s ", keys[i]);
}

TEST(names_pair_vectors)
{
    static char a[64][256], b[64][512];
    int n = read_vectors("tests/vectors/names/pairs.txt", a, b, 64);

    ASSERT(n >= 15);
    for (int i = 0; i < n; i++) {
        struct sarhad_name x, y;
        char kx[256], ky[256];
        ASSERT_OK(sarhad_name_normalize(&x, a[i], strlen(a[i]), NULL));
        ASSERT_OK(sarhad_name_normalize(&y, b[i], strlen(b[i]), NULL));
        sorted_keys(kx, sizeof(kx), &x);
        sorted_keys(ky, sizeof(ky), &y);
        ASSERT_EQ_STR(kx, ky);
    }
}

TEST(names_scripts_and_titles)
{
    struct sarhad_name n;

    ASSERT_OK(sarhad_name_normalize(&n, "Haji Gul", 8, NULL));
    ASSERT_EQ_INT(SARHAD_SCRIPT_LATIN, n.script);
    ASSERT_EQ_INT(1, n.token_count);
    ASSERT_EQ_STR("haji", n.removed);
    /* A title alone is the name. */
    ASSERT_OK(sarhad_name_normalize(&n, "Haji", 4, NULL));
    ASSERT_EQ_INT(1, n.token_count);
    ASSERT_OK(sarhad_name_normalize(&n, "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf", 8,
                                    NULL)); /* محمد */
    ASSERT_EQ_INT(SARHAD_SCRIPT_ARABIC, n.script);
    ASSERT(n.vowelless);
    ASSERT_EQ_STR("mhmd", n.tokens[0].key);
    ASSERT_OK(sarhad_name_normalize(&n, "Ali \xd8\xae\xd8\xa7\xd9\x86", 10,
                                    NULL)); /* Ali خان */
    ASSERT_EQ_INT(SARHAD_SCRIPT_MIXED, n.script);
    ASSERT_EQ_STR("Kn", n.tokens[1].key);
    /* Accents fold away; Cyrillic is transliterated. */
    ASSERT_OK(sarhad_name_normalize(&n,
                                    "Mu\xe1\xb8\xa5"
                                    "ammad",
                                    10, NULL));
    ASSERT_EQ_STR("mhmd", n.tokens[0].key);
    ASSERT_OK(
        sarhad_name_normalize(&n, "\xd0\xa3\xd0\xbc\xd0\xb0\xd1\x80", 8, NULL));
    ASSERT_EQ_STR("umar", n.tokens[0].text);
    ASSERT_OK(sarhad_name_normalize(&n, " - . ", 5, NULL));
    ASSERT_EQ_INT(0, n.token_count);
    ASSERT_EQ_INT(SARHAD_SCRIPT_NONE, n.script);
}

TEST(names_mrz)
{
    char out[64];
    struct sarhad_name n;
    struct sarhad_error err;

    ASSERT_OK(sarhad_name_from_mrz(out, sizeof(out),
                                   "XKHAN<<MOHAMMAD<XSHARIF<<<<", 27, NULL));
    ASSERT_EQ_STR("MOHAMMAD SHARIF KHAN", out);
    ASSERT_OK(sarhad_name_from_mrz(out, sizeof(out), "HAQQANI", 7, NULL));
    ASSERT_EQ_STR("HAQQANI", out);
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_name_from_mrz(out, sizeof(out), "AB1<<C", 6, &err));
    ASSERT_EQ_INT(2, (int)err.offset);
    ASSERT_EQ_INT(SARHAD_ETOOBIG,
                  sarhad_name_from_mrz(out, 8, "KHAN<<MOHAMMAD", 14, &err));
    ASSERT_OK(sarhad_name_normalize(&n, "XKHAN<<MOHAMMAD", 15, NULL));
    ASSERT(n.from_mrz);
    ASSERT_EQ_STR("mohammad khan", n.latin);
}

TEST(names_errors)
{
    struct sarhad_name n;
    struct sarhad_error err;
    char big[SARHAD_NAME_MAX_LEN + 2];

    ASSERT_EQ_INT(SARHAD_EFORMAT, sarhad_name_normalize(&n,
                                                        "Ab\xff"
                                                        "c",
                                                        4, &err));
    ASSERT_EQ_INT(2, (int)err.offset);
    ASSERT_EQ_INT(SARHAD_EFORMAT, sarhad_name_normalize(&n, "Ab\x01", 3, &err));
    ASSERT_EQ_INT(SARHAD_EFORMAT, sarhad_name_normalize(&n, "\xc3", 1, &err));
    memset(big, 'a', sizeof(big));
    ASSERT_EQ_INT(SARHAD_ETOOBIG,
                  sarhad_name_normalize(&n, big, sizeof(big), &err));
    ASSERT_EQ_INT(SARHAD_EINVAL, sarhad_name_normalize(&n, NULL, 0, &err));
    /* Many tokens: the first SARHAD_NAME_MAX_TOKENS are kept. */
    ASSERT_OK(sarhad_name_normalize(
        &n, "a b c d e f g h i j k l m n o p q r s t", 39, NULL));
    ASSERT_EQ_INT(SARHAD_NAME_MAX_TOKENS, n.token_count);
}

TEST(names_birth_and_nationality)
{
    struct sarhad_birth b;
    struct sarhad_error err;
    char code[4];

    ASSERT_OK(sarhad_birth_parse(&b, "1966", 4, NULL));
    ASSERT_EQ_INT(1966, b.from.year);
    ASSERT_EQ_INT(12, b.to.month);
    ASSERT(!b.approximate);
    ASSERT_OK(sarhad_birth_parse(&b, "~1970", 5, NULL));
    ASSERT(b.approximate);
    ASSERT_OK(sarhad_birth_parse(&b, "circa 1970", 10, NULL));
    ASSERT(b.approximate);
    ASSERT_OK(sarhad_birth_parse(&b, "1965..1968", 10, NULL));
    ASSERT_EQ_INT(1965, b.from.year);
    ASSERT_EQ_INT(1968, b.to.year);
    ASSERT_OK(sarhad_birth_parse(&b, "1960-02-29", 10, NULL));
    ASSERT_EQ_INT(29, b.to.day);
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_birth_parse(&b, "1961-02-29", 10, &err));
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_birth_parse(&b, "1968..1965", 10, &err));
    ASSERT_EQ_INT(SARHAD_EFORMAT, sarhad_birth_parse(&b, "66", 2, &err));
    ASSERT(sarhad_nationality_code(code, "Afghanistan", 11));
    ASSERT_EQ_STR("AFG", code);
    ASSERT(sarhad_nationality_code(code, "pak", 3));
    ASSERT_EQ_STR("PAK", code);
    ASSERT(!sarhad_nationality_code(code, "Atlantis", 8));
}
