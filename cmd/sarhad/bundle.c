/*
 * bundle.c - `sarhad bundle`: the ministry's side of signed bundles (make
 * a key, sign a policy, a watchlist or the next key, show a bundle) and
 * the post's (trust a key, apply, list: bundle_post.c).  What is signed
 * is checked first as a post would check it, so the ministry cannot sign a
 * policy that does not compile or a list that does not parse.
 */
#include "ledger_cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

SARHAD_VERB(bundle, "sign, check and apply ministry bundles (policy, list)")

static void
usage(FILE *out)
{
    fputs(
        "usage: sarhad bundle keygen --out PREFIX\n"
        "       sarhad bundle sign --key SECRET --kind policy|watchlist|key\n"
        "                          --serial N [--format csv|un-xml]\n"
        "                          [--name NAME] --out BUNDLE PAYLOAD\n"
        "       sarhad bundle show [--key PUBLIC] BUNDLE\n"
        "       sarhad bundle trust --db FILE [--as USER] PUBLIC\n"
        "       sarhad bundle apply --db FILE [--as USER] BUNDLE\n"
        "       sarhad bundle list --db FILE [--verify]\n"
        "keygen makes the ministry's key pair: PREFIX.key (secret, 0600) and\n"
        "PREFIX.pub.  sign checks the payload (a policy must compile without\n"
        "lint errors, a list must parse, a key must be a .pub file) and "
        "writes\n"
        "it with a signed header; the serial counts up per kind, and a post\n"
        "never applies a bundle whose serial is not above the last it "
        "applied.\n"
        "show prints a bundle's header and, with --key, checks its signature.\n"
        "trust makes a post take policies and watchlists only as bundles\n"
        "signed by that key; apply checks and applies one; list shows those\n"
        "applied (--verify checks each signature again).\n"
        "Exit 0 on success, 1 when refused or on errors, 2 on usage errors.\n",
        out);
}

static int
keygen(int argc, char **argv)
{
    const char *prefix = NULL;
    char secret[4096], pub[4096], id[SARHAD_BUNDLE_KEY_ID_LEN + 1];
    struct sarhad_error err;
    bool missing = false;

    for (int i = 2; i < argc; i++)
        if (!cli_opt(argc, argv, &i, "--out", &prefix, &missing) || missing)
            return usage_error("bundle", "keygen: unknown argument '%s'",
                               argv[i]);
    if (prefix == NULL)
        return usage_error("bundle", "keygen needs --out PREFIX");
    if (snprintf(secret, sizeof(secret), "%s.key", prefix) >=
            (int)sizeof(secret) ||
        snprintf(pub, sizeof(pub), "%s.pub", prefix) >= (int)sizeof(pub))
        return usage_error("bundle", "keygen: PREFIX is too long");
    if (sarhad_bundle_keygen(secret, pub, id, &err) != SARHAD_OK) {
        cli_fail("bundle", prefix, &err);
        return 1;
    }
    printf("ministry key %s: secret %s (keep it offline), public %s\n", id,
           secret, pub);
    return 0;
}

static int
entry_seen(void *ctx, const struct sarhad_watchlist_entry *entry)
{
    (void)entry;
    ++*(size_t *)ctx;
    return 0;
}

/* The payload checked as a post would check it; false after saying why. */
static bool
payload_sound(const struct sarhad_bundle_info *info, const char *path,
              const char *text, size_t len)
{
    struct sarhad_error err;
    unsigned char pub[32];

    sarhad_error_clear(&err);
    if (info->kind == SARHAD_BUNDLE_KEY) {
        if (sarhad_bundle_public_key_parse(text, len, pub, &err) == SARHAD_OK)
            return true;
    } else if (info->kind == SARHAD_BUNDLE_WATCHLIST) {
        enum sarhad_wl_format f =
            strcmp(info->format, "csv") == 0 ? SARHAD_WL_CSV : SARHAD_WL_UN_XML;

        size_t entries = 0;

        if (sarhad_watchlist_parse(text, len, f, entry_seen, &entries, &err) ==
                SARHAD_OK &&
            entries > 0)
            return true;
        if (err.code == SARHAD_OK) {
            fprintf(stderr, "sarhad bundle: %s: the list holds no entries\n",
                    path);
            return false;
        }
    } else {
        struct sarhad_policy *policy = NULL;
        struct sarhad_lint_issue issues[64];
        unsigned n, errors = 0;

        if (sarhad_policy_compile(&policy, path, text, len, &err) !=
            SARHAD_OK) {
            fprintf(stderr, "sarhad bundle: %s\n", err.message);
            return false;
        }
        n = sarhad_policy_lint(policy, issues, 64);
        for (unsigned i = 0; i < n && i < 64; i++)
            if (issues[i].is_error) {
                errors++;
                fprintf(stderr, "%s:%u:%u: error: %s: %s\n", path,
                        issues[i].line, issues[i].col, issues[i].code,
                        issues[i].message);
            }
        sarhad_policy_free(policy);
        if (errors == 0)
            return true;
        fprintf(stderr, "sarhad bundle: %s has lint errors; not signed\n",
                path);
        return false;
    }
    cli_fail("bundle", path, &err);
    return false;
}

static bool
parse_kind(const char *text, enum sarhad_bundle_kind *kind)
{
    for (int k = SARHAD_BUNDLE_POLICY; k <= SARHAD_BUNDLE_KEY; k++)
        if (strcmp(text, sarhad_bundle_kind_name((enum sarhad_bundle_kind)k)) ==
            0) {
            *kind = (enum sarhad_bundle_kind)k;
            return true;
        }
    return false;
}

/* Write header and payload to path through a temporary file, so a failed
 * write never leaves half a bundle under the name; link() rather than
 * rename() so that a bundle already issued is never replaced. */
static bool
write_bundle(const char *path, const char *header, size_t hlen,
             const char *payload, size_t plen)
{
    char tmp[4096];
    FILE *f;
    bool ok;

    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
        return false;
    f = fopen(tmp, "wx");
    if (f == NULL)
        return false;
    ok = fwrite(header, 1, hlen, f) == hlen &&
         fwrite(payload, 1, plen, f) == plen && fflush(f) == 0;
    ok = fclose(f) == 0 && ok;
    if (ok)
        ok = link(tmp, path) == 0;
    remove(tmp);
    return ok;
}

/* What `bundle sign` was asked for. */
struct sign_options {
    const char *key, *kind, *serial, *format, *name, *out, *path;
};

/* Read sign's options (argv[2] on) into *o; 0, or EXIT_USAGE after saying
 * what is wrong. */
static int
parse_sign_options(struct sign_options *o, int argc, char **argv)
{
    bool missing = false;

    memset(o, 0, sizeof(*o));
    for (int i = 2; i < argc; i++) {
        if (cli_opt(argc, argv, &i, "--key", &o->key, &missing) ||
            cli_opt(argc, argv, &i, "--kind", &o->kind, &missing) ||
            cli_opt(argc, argv, &i, "--serial", &o->serial, &missing) ||
            cli_opt(argc, argv, &i, "--format", &o->format, &missing) ||
            cli_opt(argc, argv, &i, "--name", &o->name, &missing) ||
            cli_opt(argc, argv, &i, "--out", &o->out, &missing)) {
            if (missing)
                return usage_error("bundle", "sign: an option needs a value");
        } else if ((argv[i][0] == '-' && argv[i][1] != '\0') ||
                   o->path != NULL) {
            return usage_error("bundle", "sign: unknown argument '%s'",
                               argv[i]);
        } else {
            o->path = argv[i];
        }
    }
    return 0;
}

/* Check that the options are all there and sound, and make the header's
 * fields of them, issued now; false after saying what is wrong. */
static bool
bundle_header(struct sarhad_bundle_info *info, const struct sign_options *o)
{
    const char *format = o->format, *name = o->name, *why = NULL;
    time_t now = time(NULL);
    struct tm tm;
    char *end;

    memset(info, 0, sizeof(*info));
    if (o->key == NULL || o->kind == NULL || o->serial == NULL ||
        o->out == NULL || o->path == NULL) {
        why = "sign needs --key, --kind, --serial, --out and a PAYLOAD";
    } else if (!parse_kind(o->kind, &info->kind)) {
        why = "--kind is policy, watchlist or key";
    } else {
        info->serial = strtoll(o->serial, &end, 10);
        if (*end != '\0' || info->serial < 1)
            why = "--serial is a number from 1 up";
    }
    if (why != NULL) {
        usage_error("bundle", "%s", why);
        return false;
    }
    if (format == NULL)
        format = info->kind == SARHAD_BUNDLE_POLICY      ? "policy"
                 : info->kind == SARHAD_BUNDLE_WATCHLIST ? "csv"
                                                         : "ed25519";
    snprintf(info->format, sizeof(info->format), "%s", format);
    if (name == NULL) {
        name = strrchr(o->path, '/');
        name = name != NULL ? name + 1 : o->path;
    }
    snprintf(info->name, sizeof(info->name), "%s", name);
    gmtime_r(&now, &tm);
    strftime(info->issued, sizeof(info->issued), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return true;
}

/* Sign the payload of len bytes and write the bundle; the exit status. */
static int
sign_and_write(const struct sign_options *o, struct sarhad_bundle_info *info,
               const char *text, size_t len)
{
    char header[SARHAD_BUNDLE_HEADER_MAX];
    struct sarhad_error err;
    size_t hlen;

    sarhad_error_clear(&err);
    if (sarhad_bundle_sign(o->key, info, text, len, header, &hlen, &err) !=
        SARHAD_OK) {
        cli_fail("bundle", err.field[0] == 'k' ? o->key : NULL, &err);
        return 1;
    }
    if (!write_bundle(o->out, header, hlen, text, len)) {
        fprintf(stderr,
                "sarhad bundle: %s: cannot write the bundle (it, or %s.tmp, "
                "may exist already)\n",
                o->out, o->out);
        return 1;
    }
    printf("signed %s bundle %" PRId64 " (%s, %zu bytes) by key %s: %s\n",
           o->kind, info->serial, info->name, len, info->issuer, o->out);
    return 0;
}

static int
sign(int argc, char **argv)
{
    struct sign_options o;
    struct sarhad_bundle_info info;
    size_t len;
    char *text;
    int rc;

    if (parse_sign_options(&o, argc, argv) != 0 || !bundle_header(&info, &o))
        return EXIT_USAGE;
    text = read_input(o.path, SARHAD_BUNDLE_PAYLOAD_MAX, &len);
    if (text == NULL)
        return 1;
    rc = payload_sound(&info, o.path, text, len)
             ? sign_and_write(&o, &info, text, len)
             : 1;
    free(text);
    return rc;
}

/* Read a public key file into pub; false after saying why. */
bool
cli_public_key(const char *path, unsigned char pub[32], char hex[65])
{
    struct sarhad_error err;
    size_t len;
    char *text = read_input(path, 4096, &len);
    bool ok;

    if (text == NULL)
        return false;
    ok = sarhad_bundle_public_key_parse(text, len, pub, &err) == SARHAD_OK;
    if (!ok)
        cli_fail("bundle", path, &err);
    else if (hex != NULL)
        snprintf(hex, 65, "%.64s", text);
    free(text);
    return ok;
}

static int
show(int argc, char **argv)
{
    const char *key = NULL, *path = NULL;
    struct sarhad_bundle_info info;
    struct sarhad_error err;
    unsigned char pub[32];
    bool missing = false;
    size_t len;
    char *data;
    int rc;

    for (int i = 2; i < argc; i++) {
        if (cli_opt(argc, argv, &i, "--key", &key, &missing)) {
            if (missing)
                return usage_error("bundle", "show: --key needs a value");
        } else if ((argv[i][0] == '-' && argv[i][1] != '\0') || path != NULL) {
            return usage_error("bundle", "show: unknown argument '%s'",
                               argv[i]);
        } else {
            path = argv[i];
        }
    }
    if (path == NULL)
        return usage_error("bundle", "show needs a BUNDLE");
    if (key != NULL && !cli_public_key(key, pub, NULL))
        return 1;
    data = read_input(
        path, SARHAD_BUNDLE_PAYLOAD_MAX + SARHAD_BUNDLE_HEADER_MAX, &len);
    if (data == NULL)
        return 1;
    rc = sarhad_bundle_open(data, len, key != NULL ? pub : NULL, &info, &err);
    if (rc != SARHAD_OK) {
        cli_fail("bundle", path, &err);
    } else {
        printf("kind:      %s\nname:      %s\nformat:    %s\nserial:    "
               "%" PRId64 "\nissued:    %s\nissuer:    %s\nlength:    "
               "%zu\nsha256:    %s\nsignature: %s\n",
               sarhad_bundle_kind_name(info.kind), info.name, info.format,
               info.serial, info.issued, info.issuer, info.length, info.sha256,
               key != NULL ? "holds under the given key"
                           : "not checked (give --key PUBLIC)");
    }
    free(data);
    return rc == SARHAD_OK ? 0 : 1;
}

int
cmd_bundle(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int argc, char **argv);
    } subs[] = {
        {"keygen", keygen},      {"sign", sign},          {"show", show},
        {"trust", bundle_trust}, {"apply", bundle_apply}, {"list", bundle_list},
    };

    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; argc > 1 && i < sizeof(subs) / sizeof(subs[0]); i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].fn(argc, argv);
    return usage_error("bundle",
                       "expected keygen, sign, show, trust, apply or list");
}
