/*
 * bundle.c - signed bundles: the ministry's policies, watchlists and keys
 * as they travel to the posts.  A bundle is a header of fixed fields in a
 * fixed order, then the payload as given:
 *
 *   sarhad-bundle 1
 *   kind: policy
 *   name: pakistan.policy
 *   format: policy
 *   serial: 7
 *   issued: 2026-12-01T02:30:00Z
 *   issuer: 3f9a0c1d2e4b5a69
 *   length: 12345
 *   sha256: <64 hex digits>
 *   signature: <128 hex digits>
 *   <blank line>
 *   <payload>
 *
 * The ed25519 signature covers the header up to its signature line, which
 * holds the payload's length and SHA-256; the first line names the format,
 * so a signature over anything else cannot pass for one over a bundle.
 * Reading is strict (one way to write each header), so the bytes checked
 * are the bytes signed and an error can name its line and column.
 */
#include "internal.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUNDLE_MAGIC "sarhad-bundle 1"

/* The header's fields in their order. */
enum field {
    F_KIND,
    F_NAME,
    F_FORMAT,
    F_SERIAL,
    F_ISSUED,
    F_ISSUER,
    F_LENGTH,
    F_SHA256,
    F_SIGNATURE,
    F_COUNT
};

static const char *const field_names[F_COUNT] = {
    "kind",   "name",   "format", "serial",   "issued",
    "issuer", "length", "sha256", "signature"};

const char *
sarhad_bundle_kind_name(enum sarhad_bundle_kind kind)
{
    switch (kind) {
    case SARHAD_BUNDLE_POLICY:
        return "policy";
    case SARHAD_BUNDLE_WATCHLIST:
        return "watchlist";
    case SARHAD_BUNDLE_KEY:
        return "key";
    }
    return NULL;
}

static bool
format_fits(enum sarhad_bundle_kind kind, const char *format)
{
    switch (kind) {
    case SARHAD_BUNDLE_POLICY:
        return strcmp(format, "policy") == 0;
    case SARHAD_BUNDLE_WATCHLIST:
        return strcmp(format, "csv") == 0 || strcmp(format, "un-xml") == 0;
    case SARHAD_BUNDLE_KEY:
        return strcmp(format, "ed25519") == 0;
    }
    return false;
}

void
sarhad_bundle_key_id(char out[SARHAD_BUNDLE_KEY_ID_LEN + 1],
                     const unsigned char public_key[32])
{
    unsigned char h[32];

    crypto_generichash(h, sizeof(h), public_key, 32, NULL, 0);
    sodium_bin2hex(out, SARHAD_BUNDLE_KEY_ID_LEN + 1, h,
                   SARHAD_BUNDLE_KEY_ID_LEN / 2);
}

enum sarhad_status
sarhad_bundle_public_key_parse(const char *text, size_t len,
                               unsigned char public_key[32],
                               struct sarhad_error *err)
{
    size_t bin_len = 0;
    const char *end = NULL;

    if (len > 0 && text[len - 1] == '\n')
        len--;
    if (len != 64 ||
        sodium_hex2bin(public_key, 32, text, len, NULL, &bin_len, &end) != 0 ||
        bin_len != 32 || end != text + len)
        return sarhad__fail(err, SARHAD_EFORMAT, "key", SIZE_MAX,
                            "a public key is 64 hex digits");
    return SARHAD_OK;
}

enum sarhad_status
sarhad_bundle_keygen(const char *secret_path, const char *public_path,
                     char id[SARHAD_BUNDLE_KEY_ID_LEN + 1],
                     struct sarhad_error *err)
{
    unsigned char secret[crypto_sign_SECRETKEYBYTES], pub[32];
    char hex[66];
    enum sarhad_status s;
    FILE *f;

    if (sodium_init() < 0)
        return sarhad__fail(err, SARHAD_EINVAL, "key", SIZE_MAX,
                            "libsodium cannot initialise");
    if (secret_path == NULL || public_path == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "key", SIZE_MAX,
                            "both key files must be named");
    f = fopen(public_path, "wx");
    if (f == NULL)
        return sarhad__fail(err, SARHAD_EEXIST, "key", SIZE_MAX,
                            "cannot create the public key file (it may "
                            "exist already)");
    s = sarhad__keyfile_create(secret_path, secret, pub, "ministry key", err);
    sodium_memzero(secret, sizeof(secret));
    if (s == SARHAD_OK) {
        sodium_bin2hex(hex, sizeof(hex), pub, sizeof(pub));
        if (fprintf(f, "%s\n", hex) < 0 || fflush(f) != 0)
            s = sarhad__fail(err, SARHAD_EIO, "key", SIZE_MAX,
                             "cannot write the public key file");
    }
    if (fclose(f) != 0 && s == SARHAD_OK)
        s = sarhad__fail(err, SARHAD_EIO, "key", SIZE_MAX,
                         "cannot write the public key file");
    if (s != SARHAD_OK) {
        remove(public_path);
        return s;
    }
    if (id != NULL)
        sarhad_bundle_key_id(id, pub);
    return SARHAD_OK;
}

/* ---- signing ---------------------------------------------------------- */

static bool
name_ok(const char *name)
{
    size_t n = strlen(name);

    if (n == 0 || n >= sizeof(((struct sarhad_bundle_info *)0)->name))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] < 0x20 || (unsigned char)name[i] > 0x7e)
            return false;
    return true;
}

/* Digits of a time "YYYY-MM-DDTHH:MM:SSZ" in their places and ranges. */
static bool
issued_ok(const char *t)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    int month, day, hour, minute, second;

    if (strlen(t) != sizeof(shape) - 1)
        return false;
    for (size_t i = 0; shape[i] != '\0'; i++)
        if (shape[i] == 'd' ? (t[i] < '0' || t[i] > '9') : t[i] != shape[i])
            return false;
    month = (t[5] - '0') * 10 + (t[6] - '0');
    day = (t[8] - '0') * 10 + (t[9] - '0');
    hour = (t[11] - '0') * 10 + (t[12] - '0');
    minute = (t[14] - '0') * 10 + (t[15] - '0');
    second = (t[17] - '0') * 10 + (t[18] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 &&
           minute <= 59 && second <= 59;
}

/* The header up to its signature line. */
static int
signed_part(char *out, size_t cap, const struct sarhad_bundle_info *b)
{
    return snprintf(out, cap,
                    BUNDLE_MAGIC "\nkind: %s\nname: %s\nformat: %s\n"
                                 "serial: %" PRId64 "\nissued: %s\n"
                                 "issuer: %s\nlength: %zu\nsha256: %s\n",
                    sarhad_bundle_kind_name(b->kind), b->name, b->format,
                    b->serial, b->issued, b->issuer, b->length, b->sha256);
}

static void
sha256_hex(char out[65], const char *data, size_t len)
{
    unsigned char h[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(h, (const unsigned char *)data, len);
    sodium_bin2hex(out, 65, h, sizeof(h));
}

enum sarhad_status
sarhad_bundle_sign(const char *secret_path, struct sarhad_bundle_info *info,
                   const char *payload, size_t len,
                   char header[SARHAD_BUNDLE_HEADER_MAX], size_t *header_len,
                   struct sarhad_error *err)
{
    unsigned char secret[crypto_sign_SECRETKEYBYTES], pub[32];
    unsigned char sig[crypto_sign_BYTES];
    enum sarhad_status s;
    int n;

    if (sodium_init() < 0)
        return sarhad__fail(err, SARHAD_EINVAL, "key", SIZE_MAX,
                            "libsodium cannot initialise");
    if (info == NULL || payload == NULL || header == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "bundle", SIZE_MAX,
                            "info, payload and header are required");
    if (sarhad_bundle_kind_name(info->kind) == NULL ||
        !format_fits(info->kind, info->format))
        return sarhad__fail(err, SARHAD_EINVAL, "format", SIZE_MAX,
                            "a policy bundle's format is policy, a "
                            "watchlist's csv or un-xml, a key's ed25519");
    if (!name_ok(info->name))
        return sarhad__fail(err, SARHAD_EINVAL, "name", SIZE_MAX,
                            "the name is 1-95 printable ASCII characters");
    if (info->serial < 1)
        return sarhad__fail(err, SARHAD_EINVAL, "serial", SIZE_MAX,
                            "the serial is a number from 1 up");
    if (!issued_ok(info->issued))
        return sarhad__fail(err, SARHAD_EINVAL, "issued", SIZE_MAX,
                            "issued is a UTC time YYYY-MM-DDTHH:MM:SSZ");
    if (len > SARHAD_BUNDLE_PAYLOAD_MAX)
        return sarhad__fail(err, SARHAD_ETOOBIG, "payload", SIZE_MAX,
                            "a bundle's payload is at most %u bytes",
                            (unsigned)SARHAD_BUNDLE_PAYLOAD_MAX);
    s = sarhad__keyfile_read(secret_path, secret, pub, "ministry key", err);
    if (s != SARHAD_OK)
        return s;
    sarhad_bundle_key_id(info->issuer, pub);
    info->length = len;
    sha256_hex(info->sha256, payload, len);
    n = signed_part(header, SARHAD_BUNDLE_HEADER_MAX, info);
    crypto_sign_detached(sig, NULL, (const unsigned char *)header,
                         (unsigned long long)n, secret);
    sodium_memzero(secret, sizeof(secret));
    sodium_bin2hex(info->signature, sizeof(info->signature), sig, sizeof(sig));
    n += snprintf(header + n, SARHAD_BUNDLE_HEADER_MAX - (size_t)n,
                  "signature: %s\n\n", info->signature);
    info->payload = NULL;
    if (header_len != NULL)
        *header_len = (size_t)n;
    return SARHAD_OK;
}

bool
sarhad__bundle_signature_holds(const struct sarhad_bundle_info *b,
                               const unsigned char public_key[32])
{
    char header[SARHAD_BUNDLE_HEADER_MAX];
    unsigned char sig[crypto_sign_BYTES];
    size_t bin_len = 0;
    int n = signed_part(header, sizeof(header), b);

    if (n < 0 || (size_t)n >= sizeof(header) ||
        sodium_hex2bin(sig, sizeof(sig), b->signature, strlen(b->signature),
                       NULL, &bin_len, NULL) != 0 ||
        bin_len != sizeof(sig))
        return false;
    return crypto_sign_verify_detached(sig, (const unsigned char *)header,
                                       (unsigned long long)n, public_key) == 0;
}

/* ---- reading ---------------------------------------------------------- */

struct reader {
    const char *data;
    size_t len;
    size_t pos;
    unsigned line;
};

/* The next line (without its newline) into *start and *n; false at the
 * end of the data or past the header's size. */
static bool
next_line(struct reader *r, const char **start, size_t *n)
{
    const char *nl;
    size_t room = r->len - r->pos;

    if (room > SARHAD_BUNDLE_HEADER_MAX)
        room = SARHAD_BUNDLE_HEADER_MAX;
    nl = memchr(r->data + r->pos, '\n', room);
    if (nl == NULL)
        return false;
    *start = r->data + r->pos;
    *n = (size_t)(nl - *start);
    r->pos += *n + 1;
    r->line++;
    return true;
}

static bool
all_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* A decimal without sign or leading zeros, at most max. */
static bool
decimal(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;

    if (n == 0 || n > 19 || (s[0] == '0' && n > 1))
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > max)
        return false;
    *out = v;
    return true;
}

/* The n bytes at v as a string in out (cap bytes); false when too long. */
static bool
copy_text(char *out, size_t cap, const char *v, size_t n)
{
    if (n >= cap)
        return false;
    memcpy(out, v, n);
    out[n] = '\0';
    return true;
}

/* Exactly digits lowercase hex digits at v, copied as a string to out
 * (which has room for them and the NUL). */
static bool
copy_hex(char *out, size_t digits, const char *v, size_t n)
{
    if (n != digits || !all_hex(v, n))
        return false;
    memcpy(out, v, n);
    out[n] = '\0';
    return true;
}

static enum sarhad_bundle_kind
kind_parse(const char *v, size_t n)
{
    return n == 6 && memcmp(v, "policy", 6) == 0      ? SARHAD_BUNDLE_POLICY
           : n == 9 && memcmp(v, "watchlist", 9) == 0 ? SARHAD_BUNDLE_WATCHLIST
           : n == 3 && memcmp(v, "key", 3) == 0       ? SARHAD_BUNDLE_KEY
                                                      : 0;
}

/* Check one field's value and store it in *b; false with *why set. */
static bool
take_field(struct sarhad_bundle_info *b, enum field f, const char *v, size_t n,
           const char **why)
{
    uint64_t u;

    switch (f) {
    case F_KIND:
        b->kind = kind_parse(v, n);
        *why = "the kind is policy, watchlist or key";
        return b->kind != 0;
    case F_NAME:
        *why = "the name is 1-95 printable ASCII characters";
        return n != 0 && copy_text(b->name, sizeof(b->name), v, n) &&
               name_ok(b->name);
    case F_FORMAT:
        *why = "the format does not fit the kind (policy: policy; watchlist: "
               "csv or un-xml; key: ed25519)";
        return copy_text(b->format, sizeof(b->format), v, n) &&
               format_fits(b->kind, b->format);
    case F_SERIAL:
        *why = "the serial is a number from 1 up, without leading zeros";
        if (!decimal(v, n, (uint64_t)1 << 53, &u) || u == 0)
            return false;
        b->serial = (int64_t)u;
        return true;
    case F_ISSUED:
        *why = "issued is a UTC time YYYY-MM-DDTHH:MM:SSZ";
        return copy_text(b->issued, sizeof(b->issued), v, n) &&
               issued_ok(b->issued);
    case F_ISSUER:
        *why = "the issuer is a key id of 16 lowercase hex digits";
        return copy_hex(b->issuer, SARHAD_BUNDLE_KEY_ID_LEN, v, n);
    case F_LENGTH:
        *why = "the length is the payload's size in bytes, at most 64 MiB";
        if (!decimal(v, n, SARHAD_BUNDLE_PAYLOAD_MAX, &u))
            return false;
        b->length = (size_t)u;
        return true;
    case F_SHA256:
        *why = "sha256 is 64 lowercase hex digits";
        return copy_hex(b->sha256, 64, v, n);
    case F_SIGNATURE:
        *why = "the signature is 128 lowercase hex digits";
        return copy_hex(b->signature, 128, v, n);
    case F_COUNT:
        break;
    }
    return false;
}

/* Read the header into *b; *signed_len gets the signed part's length. */
static enum sarhad_status
read_header(struct reader *r, struct sarhad_bundle_info *b, size_t *signed_len,
            struct sarhad_error *err)
{
    const char *line, *why = "the field is malformed";
    size_t n;

    if (!next_line(r, &line, &n) || n != sizeof(BUNDLE_MAGIC) - 1 ||
        memcmp(line, BUNDLE_MAGIC, n) != 0)
        return sarhad__fail_at(err, SARHAD_EFORMAT, "bundle", 1, 1,
                               "not a sarhad bundle: the first line must be "
                               "\"" BUNDLE_MAGIC "\"");
    for (int f = 0; f < F_COUNT; f++) {
        const char *name = field_names[f];
        size_t name_len = strlen(name);
        size_t line_start = r->pos;

        if (!next_line(r, &line, &n))
            return sarhad__fail_at(err, SARHAD_EFORMAT, name, r->line + 1, 1,
                                   "the header ends before its %s line", name);
        if (n < name_len + 2 || memcmp(line, name, name_len) != 0 ||
            line[name_len] != ':' || line[name_len + 1] != ' ')
            return sarhad__fail_at(err, SARHAD_EFORMAT, name, r->line, 1,
                                   "expected \"%s: \" here", name);
        if (f == F_SIGNATURE)
            *signed_len = line_start;
        if (!take_field(b, (enum field)f, line + name_len + 2, n - name_len - 2,
                        &why))
            return sarhad__fail_at(err, SARHAD_EFORMAT, name, r->line,
                                   (unsigned)name_len + 3, "%s", why);
    }
    if (!next_line(r, &line, &n) || n != 0)
        return sarhad__fail_at(err, SARHAD_EFORMAT, "bundle", r->line + 1, 1,
                               "a blank line must end the header");
    return SARHAD_OK;
}

enum sarhad_status
sarhad_bundle_open(const char *data, size_t len,
                   const unsigned char *public_key,
                   struct sarhad_bundle_info *info, struct sarhad_error *err)
{
    struct sarhad_bundle_info b;
    struct reader r = {data, len, 0, 0};
    unsigned char sig[crypto_sign_BYTES];
    char digest[65], id[SARHAD_BUNDLE_KEY_ID_LEN + 1];
    size_t signed_len = 0;
    enum sarhad_status s;

    if (sodium_init() < 0)
        return sarhad__fail(err, SARHAD_EINVAL, "key", SIZE_MAX,
                            "libsodium cannot initialise");
    if (data == NULL || info == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "bundle", SIZE_MAX,
                            "no bundle given");
    memset(&b, 0, sizeof(b));
    s = read_header(&r, &b, &signed_len, err);
    if (s != SARHAD_OK)
        return s;
    if (len - r.pos != b.length)
        return sarhad__fail(err, SARHAD_ETAMPER, "length", SIZE_MAX,
                            "the payload is %zu bytes but the header says "
                            "%zu: the bundle was cut or added to",
                            len - r.pos, b.length);
    b.payload = data + r.pos;
    sha256_hex(digest, b.payload, b.length);
    if (strcmp(digest, b.sha256) != 0)
        return sarhad__fail(err, SARHAD_ETAMPER, "sha256", SIZE_MAX,
                            "the payload's SHA-256 is not the header's: the "
                            "payload was altered");
    if (public_key != NULL) {
        sarhad_bundle_key_id(id, public_key);
        if (strcmp(id, b.issuer) != 0)
            return sarhad__fail(err, SARHAD_ESIGN, "issuer", SIZE_MAX,
                                "the bundle was issued by key %s, not by the "
                                "trusted key %s",
                                b.issuer, id);
        sodium_hex2bin(sig, sizeof(sig), b.signature, 128, NULL, NULL, NULL);
        if (crypto_sign_verify_detached(sig, (const unsigned char *)data,
                                        (unsigned long long)signed_len,
                                        public_key) != 0)
            return sarhad__fail(err, SARHAD_ESIGN, "signature", SIZE_MAX,
                                "the signature does not hold under the "
                                "trusted key: the header was altered or "
                                "signed by another key");
    }
    *info = b;
    return SARHAD_OK;
}
