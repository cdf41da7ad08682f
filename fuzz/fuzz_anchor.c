/*
 * fuzz_anchor.c - reading an audit anchor ("SEQ:HASH") from any bytes.
 * Invariants: it is accepted or refused with an error at an offset inside
 * the text, never crashes; an accepted anchor has a positive entry number,
 * and writing it out and reading that back gives the same anchor.
 */
#include "sarhad.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[256], again[SARHAD_AUDIT_ANCHOR_MAX];
    unsigned char hash[32], hash2[32];
    struct sarhad_error err;
    int64_t seq, seq2;

    if (size >= sizeof(text))
        return 0;
    memcpy(text, data, size);
    text[size] = '\0'; /* the API reads a C string, as the CLI and URL give */
    if (sarhad_audit_anchor_parse(text, &seq, hash, &err) != SARHAD_OK) {
        if (err.offset > strlen(text))
            abort();
        return 0;
    }
    if (seq < 1)
        abort();
    sarhad_audit_anchor_format(again, seq, hash);
    if (sarhad_audit_anchor_parse(again, &seq2, hash2, &err) != SARHAD_OK ||
        seq2 != seq || memcmp(hash, hash2, 32) != 0)
        abort();
    return 0;
}
