/*
 * test_bundle.c - signed bundles: the format read back exactly as it was
 * signed, every tampering caught, and a post that trusts a ministry key
 * taking policies and watchlists only from it, never an old bundle again.
 */
#include "ledger_fixture.h"

#include <stdlib.h>
#include <sys/stat.h>

static const struct sarhad_actor admin = {"admin", "admin", "", ""};

static const char policy_v2[] = "policy \"ledger-test\" version 2\n"
                                "rule everyone \"Everyone is refused\"\n"
                                "  refuse\n"
                                "  reason closed \"The crossing is closed.\"\n"
                                "end\n";

static const char list_csv[] =
    "id,name,aliases,birth_date,nationality,father_name\n"
    "B1,Sirajuddin Haqqani,,1973..1980,AFG,Jalaluddin Haqqani\n";

/* A key pair in the test directory under name; its public half in pub. */
static void
keys(const char *name, char secret[512], unsigned char pub[32])
{
    char public_path[512], text[80];
    FILE *f;
    size_t n;

    snprintf(secret, 512, "%s/%s.key", test_tmpdir(), name);
    snprintf(public_path, sizeof(public_path), "%s/%s.pub", test_tmpdir(),
             name);
    remove(secret);
    remove(public_path);
    if (sarhad_bundle_keygen(secret, public_path, NULL, NULL) != SARHAD_OK)
        return;
    f = fopen(public_path, "r");
    n = f != NULL ? fread(text, 1, sizeof(text), f) : 0;
    if (f != NULL)
        fclose(f);
    if (sarhad_bundle_public_key_parse(text, n, pub, NULL) != SARHAD_OK)
        memset(pub, 0, 32);
}

/* A signed bundle in out (malloc'd), its length returned; 0 on failure. */
static size_t
bundle(char **out, const char *secret, enum sarhad_bundle_kind kind,
       const char *format, int64_t serial, const char *payload)
{
    struct sarhad_bundle_info info;
    char header[SARHAD_BUNDLE_HEADER_MAX];
    size_t hlen, plen = strlen(payload);

    memset(&info, 0, sizeof(info));
    info.kind = kind;
    snprintf(info.name, sizeof(info.name), "payload.%s", format);
    snprintf(info.format, sizeof(info.format), "%s", format);
    info.serial = serial;
    snprintf(info.issued, sizeof(info.issued), "2026-12-01T02:30:00Z");
    if (sarhad_bundle_sign(secret, &info, payload, plen, header, &hlen, NULL) !=
        SARHAD_OK)
        return 0;
    *out = malloc(hlen + plen);
    memcpy(*out, header, hlen);
    memcpy(*out + hlen, payload, plen);
    return hlen + plen;
}

static void
pub_hex(char out[65], const unsigned char pub[32])
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", pub[i]);
}

TEST(bundle_reads_back_and_catches_tampering)
{
    char secret[512], other_secret[512], *b = NULL;
    unsigned char pub[32], other[32];
    struct sarhad_bundle_info info;
    struct sarhad_error err;
    struct stat st;
    size_t len;

    keys("ministry", secret, pub);
    keys("other", other_secret, other);
    ASSERT(stat(secret, &st) == 0 && (st.st_mode & 0777) == 0600);
    len = bundle(&b, secret, SARHAD_BUNDLE_POLICY, "policy", 7, policy_v2);
    ASSERT(len > 0);
    ASSERT_OK(sarhad_bundle_open(b, len, pub, &info, &err));
    ASSERT_EQ_INT(SARHAD_BUNDLE_POLICY, info.kind);
    ASSERT_EQ_INT(7, info.serial);
    ASSERT_EQ_STR("payload.policy", info.name);
    ASSERT_EQ_INT(strlen(policy_v2), info.length);
    ASSERT(memcmp(info.payload, policy_v2, info.length) == 0);
    /* Another key: named as another issuer. */
    ASSERT_EQ_INT(SARHAD_ESIGN, sarhad_bundle_open(b, len, other, &info, &err));
    ASSERT_EQ_STR("issuer", err.field);
    /* One byte of the payload changed. */
    b[len - 3] ^= 1;
    ASSERT_EQ_INT(SARHAD_ETAMPER, sarhad_bundle_open(b, len, pub, &info, &err));
    ASSERT_EQ_STR("sha256", err.field);
    b[len - 3] ^= 1;
    /* Cut short. */
    ASSERT_EQ_INT(SARHAD_ETAMPER,
                  sarhad_bundle_open(b, len - 1, pub, &info, &err));
    ASSERT_EQ_STR("length", err.field);
    /* The serial raised by hand: the signature no longer holds. */
    {
        char *serial = strstr(b, "serial: 7");

        ASSERT(serial != NULL);
        serial[8] = '9';
        ASSERT_EQ_INT(SARHAD_ESIGN,
                      sarhad_bundle_open(b, len, pub, &info, &err));
        ASSERT_EQ_STR("signature", err.field);
        /* Without a key only the payload's integrity is checked. */
        ASSERT_OK(sarhad_bundle_open(b, len, NULL, &info, &err));
        serial[8] = '7';
    }
    /* A header field out of place names its line and column. */
    memcpy(strstr(b, "format:"), "formal:", 7);
    ASSERT_EQ_INT(SARHAD_EFORMAT, sarhad_bundle_open(b, len, pub, &info, &err));
    ASSERT_EQ_STR("format", err.field);
    ASSERT_EQ_INT(4, err.line);
    ASSERT_EQ_INT(1, err.col);
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_bundle_open("hello\n", 6, pub, &info, &err));
    ASSERT_EQ_INT(1, err.line);
    free(b);
    /* A kind and a format that do not belong together are not signed. */
    ASSERT_EQ_INT(0, bundle(&b, secret, SARHAD_BUNDLE_POLICY, "csv", 1, "x"));
    ASSERT_EQ_INT(
        0, bundle(&b, secret, SARHAD_BUNDLE_WATCHLIST, "csv", 0, list_csv));
}

TEST(bundle_a_trusting_post_takes_only_signed_newer_bundles)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("bundles.db", &ledger);
    struct sarhad_bundle_applied applied;
    struct sarhad_error err;
    char secret[512], other_secret[512], hex[65], key_file[66], *b = NULL;
    unsigned char pub[32], other[32];
    int64_t bad;
    char problem[160];
    size_t len;

    ASSERT(store != NULL);
    keys("ministry2", secret, pub);
    keys("other2", other_secret, other);
    len = bundle(&b, secret, SARHAD_BUNDLE_POLICY, "policy", 1, policy_v2);
    /* No key trusted yet: a bundle cannot be applied, a local publication
     * can. */
    ASSERT_EQ_INT(SARHAD_ENOTFOUND,
                  sarhad_bundle_apply(ledger, b, len, &admin, 1700000100, NULL,
                                      NULL, 0, NULL, &err));
    pub_hex(hex, pub);
    ASSERT_OK(sarhad_store_trust_key(store, hex, &admin, 1700000050, &err));
    ASSERT_EQ_INT(SARHAD_EEXIST,
                  sarhad_store_trust_key(store, hex, &admin, 1700000050, &err));
    /* Now local publication and import are refused. */
    ASSERT_EQ_INT(SARHAD_EPERM,
                  sarhad_ledger_policy_publish(
                      ledger, "v2", policy_v2, sizeof(policy_v2) - 1, &admin,
                      1700000060, NULL, NULL, 0, NULL, &err));
    ASSERT_EQ_INT(SARHAD_EPERM,
                  sarhad_watchlist_import(store, list_csv, strlen(list_csv),
                                          SARHAD_WL_CSV, "l.csv", &admin,
                                          1700000060, NULL, &err));
    ASSERT_EQ_INT(1, scalar(store, "SELECT count(*) FROM policy_version"));
    /* The signed policy is published and recorded with its bundle. */
    ASSERT_OK(sarhad_bundle_apply(ledger, b, len, &admin, 1700000100, &applied,
                                  NULL, 0, NULL, &err));
    ASSERT_EQ_STR("policy:2", applied.result);
    ASSERT_EQ_INT(1, applied.info.serial);
    ASSERT_EQ_INT(2, sarhad_policy_version(sarhad_ledger_policy(ledger)));
    /* The same bundle again, or an older one: refused, nothing changes. */
    ASSERT_EQ_INT(SARHAD_EEXIST,
                  sarhad_bundle_apply(ledger, b, len, &admin, 1700000200, NULL,
                                      NULL, 0, NULL, &err));
    ASSERT_EQ_STR("serial", err.field);
    free(b);
    /* Signed by another key: refused. */
    len = bundle(&b, other_secret, SARHAD_BUNDLE_WATCHLIST, "csv", 1, list_csv);
    ASSERT_EQ_INT(SARHAD_ESIGN,
                  sarhad_bundle_apply(ledger, b, len, &admin, 1700000200, NULL,
                                      NULL, 0, NULL, &err));
    free(b);
    /* The watchlist signed by the ministry: imported. */
    len = bundle(&b, secret, SARHAD_BUNDLE_WATCHLIST, "csv", 1, list_csv);
    ASSERT_OK(sarhad_bundle_apply(ledger, b, len, &admin, 1700000300, &applied,
                                  NULL, 0, NULL, &err));
    ASSERT_EQ_STR("watchlist:v1", applied.result);
    free(b);
    /* The key rotates by a bundle signed with the key in force; then the
     * old key's bundles are refused and the new key's taken. */
    pub_hex(hex, other);
    snprintf(key_file, sizeof(key_file), "%s\n", hex); /* as a .pub holds it */
    len = bundle(&b, secret, SARHAD_BUNDLE_KEY, "ed25519", 1, key_file);
    ASSERT_OK(sarhad_bundle_apply(ledger, b, len, &admin, 1700000400, &applied,
                                  NULL, 0, NULL, &err));
    free(b);
    len = bundle(&b, secret, SARHAD_BUNDLE_WATCHLIST, "csv", 2, list_csv);
    ASSERT_EQ_INT(SARHAD_ESIGN,
                  sarhad_bundle_apply(ledger, b, len, &admin, 1700000500, NULL,
                                      NULL, 0, NULL, &err));
    free(b);
    len = bundle(&b, other_secret, SARHAD_BUNDLE_WATCHLIST, "csv", 2, list_csv);
    ASSERT_OK(sarhad_bundle_apply(ledger, b, len, &admin, 1700000500, &applied,
                                  NULL, 0, NULL, &err));
    ASSERT_EQ_STR("watchlist:v2", applied.result);
    free(b);
    ASSERT_EQ_INT(4, scalar(store, "SELECT count(*) FROM bundle_applied"));
    ASSERT_EQ_INT(4, scalar(store, "SELECT count(*) FROM audit_log"
                                   " WHERE kind = 'bundle_applied'"));
    /* Every applied bundle still verifies, and the chain holds. */
    ASSERT_OK(sarhad_bundle_verify_applied(store, &bad, problem, &err));
    ASSERT_EQ_INT(0, bad);
    ASSERT_EQ_INT(0, problems(store));
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}

TEST(bundle_verify_finds_an_edited_record)
{
    struct sarhad_ledger *ledger;
    struct sarhad_store *store = fresh("bundle-edit.db", &ledger);
    struct sarhad_error err;
    char secret[512], hex[65], problem[160], *b = NULL;
    unsigned char pub[32];
    int64_t bad;
    size_t len;

    ASSERT(store != NULL);
    keys("ministry3", secret, pub);
    pub_hex(hex, pub);
    ASSERT_OK(sarhad_store_trust_key(store, hex, &admin, 1700000050, &err));
    len = bundle(&b, secret, SARHAD_BUNDLE_POLICY, "policy", 3, policy_v2);
    ASSERT_OK(sarhad_bundle_apply(ledger, b, len, &admin, 1700000100, NULL,
                                  NULL, 0, NULL, &err));
    free(b);
    /* Someone edits the record of the bundle around the triggers. */
    ASSERT_EQ_INT(-1, scalar(store, "DROP TRIGGER bundle_applied_no_update"));
    ASSERT_EQ_INT(-1, scalar(store, "UPDATE bundle_applied SET serial = 30"));
    ASSERT_OK(sarhad_bundle_verify_applied(store, &bad, problem, &err));
    ASSERT_EQ_INT(1, bad);
    ASSERT(strstr(problem, "signature") != NULL);
    sarhad_ledger_close(ledger);
    sarhad_store_close(store);
}
