/*
 * fuzz_bundle.c - reading a signed bundle from any bytes, with and without
 * the key that signed the seeds (fuzz/corpus/bundle, made with `sarhad
 * bundle sign` and this public key).  Invariants: a bundle is accepted or
 * refused with a named field, a header error at a line and column inside
 * the input, never a crash; an accepted bundle's payload is the input's
 * tail, of the header's length; one accepted under the key names it as
 * issuer and is accepted without it too; and no input is accepted under a
 * key whose id it does not carry.
 */
#include "sarhad.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char seed_key[] =
    "07c4882284a1f7655758665766e5c217a924dc4b8a40126bad02c8dafb10762e";

static unsigned
lines_in(const uint8_t *data, size_t size)
{
    unsigned n = 1;

    for (size_t i = 0; i < size; i++)
        n += data[i] == '\n';
    return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct sarhad_bundle_info info, bare;
    char id[SARHAD_BUNDLE_KEY_ID_LEN + 1];
    struct sarhad_error err;
    unsigned char pub[32], other[32];
    enum sarhad_status s;

    if (sarhad_bundle_public_key_parse(seed_key, 64, pub, NULL) != SARHAD_OK)
        abort();
    s = sarhad_bundle_open(text, size, pub, &info, &err);
    if (s != SARHAD_OK) {
        if (err.field[0] == '\0' || err.line > lines_in(data, size) + 1)
            abort();
        return 0;
    }
    sarhad_bundle_key_id(id, pub);
    if (strcmp(id, info.issuer) != 0 || info.payload < text ||
        info.payload + info.length != text + size)
        abort();
    if (sarhad_bundle_open(text, size, NULL, &bare, &err) != SARHAD_OK ||
        bare.serial != info.serial || bare.length != info.length)
        abort();
    memcpy(other, pub, 32);
    other[0] ^= 1;
    if (sarhad_bundle_open(text, size, other, &bare, &err) != SARHAD_ESIGN)
        abort();
    return 0;
}
