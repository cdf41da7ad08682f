/*
 * ledger.c - the ledger object and the one path every crossing takes:
 * identity and history from the ledger, screening, the policy's decision,
 * then the attempt, its effects and its audit entry in one transaction
 * (inside a group-commit batch, a crossing that fails for its own reasons
 * fails before writing anything, so one bad item never spoils the others).
 * Policy publication lives here too, since a ledger decides by the
 * publication in force.
 */
#include "ledger.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* ---- policy publication ---- */

static const char sql_policy_current[] =
    "SELECT number, name, version, text FROM policy_version"
    " ORDER BY number DESC LIMIT 1";
static const char sql_policy_put[] =
    "INSERT INTO policy_version(number, name, version, filename, text,"
    " sha256, published_at, published_by, audit_seq)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

/* The current publication's number and declared version (0, 0 when none). */
static enum sarhad_status
policy_head(struct sarhad_store *store, int *number, int *version,
            struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_policy_current, err);
    int rc;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    *number = *version = 0;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *number = sqlite3_column_int(st, 0);
        *version = sqlite3_column_int(st, 2);
        rc = sqlite3_step(st);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "read the policy", err);
    return SARHAD_OK;
}

static void
hex(char *out, const unsigned char *in, size_t len)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * len] = '\0';
}

/* Compile and lint text; on success *out holds the compiled policy. */
static enum sarhad_status
compile_checked(struct sarhad_policy **out, const char *filename,
                const char *text, size_t len, struct sarhad_lint_issue *issues,
                unsigned cap, unsigned *count, struct sarhad_error *err)
{
    struct sarhad_lint_issue local[32];
    struct sarhad_lint_issue *found = issues != NULL ? issues : local;
    unsigned found_cap = issues != NULL ? cap : SARHAD_COUNT_OF(local);
    enum sarhad_status s;
    unsigned n;

    if (count != NULL)
        *count = 0;
    s = sarhad_policy_compile(out, filename, text, len, err);
    if (s != SARHAD_OK)
        return s;
    n = sarhad_policy_lint(*out, found, found_cap);
    if (count != NULL)
        *count = n;
    for (unsigned i = 0; i < n && i < found_cap; i++) {
        if (found[i].is_error) {
            sarhad_policy_free(*out);
            *out = NULL;
            return sarhad__fail_at(
                err, SARHAD_EINVAL, found[i].code, found[i].line, found[i].col,
                "the policy checker refuses it: %s", found[i].message);
        }
    }
    return SARHAD_OK;
}

/*
 * Record a compiled policy as the next publication, inside the caller's
 * write.  Refuses a declared version not above the current one.
 */
static enum sarhad_status
publish(struct sarhad_store *store, const struct sarhad_policy *policy,
        const char *filename, const char *text, size_t len,
        const struct sarhad_actor *who, int64_t now,
        struct sarhad_policy_info *info, struct sarhad_error *err)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    struct sarhad_policy_info pi;
    struct sarhad__buf detail = {0};
    struct sarhad_time t;
    sqlite3_stmt *st;
    enum sarhad_status s;
    int number, current;
    int64_t seq;
    char subject[32];

    s = policy_head(store, &number, &current, err);
    if (s != SARHAD_OK)
        return s;
    if (number > 0 && sarhad_policy_version(policy) <= current)
        return sarhad__fail(err, SARHAD_EEXIST, "version", SIZE_MAX,
                            "policy version %d is not newer than the "
                            "published version %d; a published policy is "
                            "never edited, so raise the version",
                            sarhad_policy_version(policy), current);
    memset(&pi, 0, sizeof(pi));
    pi.number = number + 1;
    sarhad__strlcpy(pi.name, sarhad_policy_name(policy), sizeof(pi.name));
    pi.version = sarhad_policy_version(policy);
    sarhad__strlcpy(pi.filename, filename != NULL ? filename : "",
                    sizeof(pi.filename));
    t = sarhad_time_from_unix(now, 0);
    sarhad_time_format(pi.published_at, &t);
    sarhad__strlcpy(pi.published_by, who->user, sizeof(pi.published_by));
    crypto_hash_sha256(digest, (const unsigned char *)text, len);
    hex(pi.sha256, digest, sizeof(digest));
    pi.is_current = true;

    sarhad__buf_printf(&detail, "{\"number\":%d,\"name\":", pi.number);
    sarhad__buf_json_str(&detail, pi.name);
    sarhad__buf_printf(&detail, ",\"version\":%d,\"filename\":", pi.version);
    sarhad__buf_json_str(&detail, pi.filename);
    sarhad__buf_printf(&detail, ",\"sha256\":\"%s\"}", pi.sha256);
    if (detail.failed) {
        sarhad__buf_free(&detail);
        return sarhad__fail(err, SARHAD_ENOMEM, "policy", SIZE_MAX, NULL);
    }
    snprintf(subject, sizeof(subject), "policy:%d", pi.number);
    s = sarhad__audit_append(store, who, now, "policy_published", subject,
                             detail.data, &seq, err);
    sarhad__buf_free(&detail);
    if (s != SARHAD_OK)
        return s;
    st = sarhad__store_prepare(store, sql_policy_put, err);
    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int(st, 1, pi.number);
    sqlite3_bind_text(st, 2, pi.name, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, pi.version);
    sqlite3_bind_text(st, 4, pi.filename, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, text, (int)len, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, pi.sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, now);
    sqlite3_bind_text(st, 8, pi.published_by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, seq);
    s = sarhad__store_step_done(store, st, "publish the policy", err);
    if (s == SARHAD_OK && info != NULL)
        *info = pi;
    return s;
}

static bool
post_code_ok(const char *post)
{
    size_t n = post != NULL ? strlen(post) : 0;

    if (n == 0 || n > 15)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = post[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-'))
            return false;
    }
    return true;
}

enum sarhad_status
sarhad_ledger_init(struct sarhad_store *store, const char *post,
                   const char *policy_filename, const char *policy_text,
                   size_t len, const struct sarhad_actor *who, int64_t now,
                   struct sarhad_error *err)
{
    struct sarhad_policy *policy = NULL;
    enum sarhad_status s;
    int number, version;
    char detail[64];

    if (store == NULL || policy_text == NULL || who == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "ledger", SIZE_MAX,
                            "store, policy and actor are required");
    if (!post_code_ok(post))
        return sarhad__fail(err, SARHAD_EINVAL, "post", SIZE_MAX,
                            "a post code is 1-15 characters of A-Z 0-9 _ -");
    if (store->post[0] != '\0')
        return sarhad__fail(err, SARHAD_EEXIST, "post", SIZE_MAX,
                            "the store already belongs to a post");
    s = policy_head(store, &number, &version, err);
    if (s == SARHAD_OK && number != 0)
        s = sarhad__fail(err, SARHAD_EEXIST, "policy", SIZE_MAX,
                         "the store already has a published policy");
    if (s == SARHAD_OK)
        s = compile_checked(&policy, policy_filename, policy_text, len, NULL, 0,
                            NULL, err);
    if (s != SARHAD_OK)
        return s;
    s = sarhad__store_write_begin(store, err);
    if (s == SARHAD_OK) {
        s = sarhad__store_meta_set(store, "post", post, err);
        if (s == SARHAD_OK)
            s = sarhad__store_meta_set(store, "citizens", "PAK", err);
        snprintf(detail, sizeof(detail), "{\"post\":\"%s\"}", post);
        if (s == SARHAD_OK)
            s = sarhad__audit_append(store, who, now, "post_initialised", post,
                                     detail, NULL, err);
        if (s == SARHAD_OK)
            s = publish(store, policy, policy_filename, policy_text, len, who,
                        now, NULL, err);
        if (s == SARHAD_OK)
            s = sarhad__store_write_end(store, true, err);
        else
            sarhad__store_write_end(store, false, NULL);
        if (s != SARHAD_OK)
            store->post[0] = '\0';
    }
    sarhad_policy_free(policy);
    return s;
}

/* Compile the current publication into *policy and *number. */
static enum sarhad_status
load_current(struct sarhad_store *store, struct sarhad_policy **policy,
             int *number, struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_policy_current, err);
    enum sarhad_status s;
    int rc;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return sarhad__store_fail(store->db, rc, "read the policy", err);
        return sarhad__fail(err, SARHAD_ENOTFOUND, "policy", SIZE_MAX,
                            "the store has no published policy; run sarhad "
                            "init first");
    }
    *number = sqlite3_column_int(st, 0);
    s = sarhad_policy_compile(policy, "published policy",
                              (const char *)sqlite3_column_text(st, 3),
                              (size_t)sqlite3_column_bytes(st, 3), err);
    sqlite3_reset(st);
    return s;
}

enum sarhad_status
sarhad_ledger_open(struct sarhad_ledger **out, struct sarhad_store *store,
                   struct sarhad_error *err)
{
    struct sarhad_ledger *l;
    enum sarhad_status s;

    if (out == NULL || store == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "ledger", SIZE_MAX,
                            "no store given");
    *out = NULL;
    if (store->post[0] == '\0')
        return sarhad__fail(err, SARHAD_ENOTFOUND, "post", SIZE_MAX,
                            "the store belongs to no post; run sarhad init "
                            "first");
    l = sarhad__calloc(1, sizeof(*l));
    if (l == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "ledger", SIZE_MAX, NULL);
    l->store = store;
    l->memo = sarhad__memo_new(); /* without one, every read goes to SQLite */
    /* Statement journals (a statement that may fail part-way) stay in
     * memory rather than in temporary files. */
    s = sarhad__store_exec(store->db, "PRAGMA temp_store=MEMORY", err);
    /* Identity keys arrive in random order: a larger page cache keeps
     * their index in memory as the ledger grows (64 MiB). */
    if (s == SARHAD_OK)
        s = sarhad__store_exec(store->db, "PRAGMA cache_size=-65536", err);
    if (s == SARHAD_OK)
        s = sarhad__store_meta_get(store, "citizens", l->citizen,
                                   sizeof(l->citizen), err);
    if (s == SARHAD_ENOTFOUND) {
        sarhad__strlcpy(l->citizen, "PAK", sizeof(l->citizen));
        s = SARHAD_OK;
    }
    if (s == SARHAD_OK)
        s = load_current(store, &l->policy, &l->policy_number, err);
    if (s != SARHAD_OK) {
        sarhad__memo_free(l->memo);
        sarhad__free(l);
        return s;
    }
    sarhad__ledger_screen_floor(l);
    *out = l;
    return SARHAD_OK;
}

void
sarhad_ledger_close(struct sarhad_ledger *ledger)
{
    if (ledger == NULL)
        return;
    sarhad_policy_free(ledger->policy);
    sarhad__memo_free(ledger->memo);
    sarhad__buf_free(&ledger->pres);
    sarhad__buf_free(&ledger->dec);
    sarhad__buf_free(&ledger->detail);
    sarhad__free(ledger);
}

struct sarhad_store *
sarhad_ledger_store(struct sarhad_ledger *ledger)
{
    return ledger->store;
}

const struct sarhad_policy *
sarhad_ledger_policy(const struct sarhad_ledger *ledger)
{
    return ledger->policy;
}

void
sarhad_ledger_set_screen(struct sarhad_ledger *ledger, sarhad_screen_fn fn,
                         void *ctx)
{
    ledger->screen = fn;
    ledger->screen_ctx = ctx;
}

enum sarhad_status
sarhad_ledger_policy_publish(struct sarhad_ledger *ledger, const char *filename,
                             const char *text, size_t len,
                             const struct sarhad_actor *who, int64_t now,
                             struct sarhad_policy_info *info,
                             struct sarhad_lint_issue *issues,
                             unsigned issue_cap, unsigned *issue_count,
                             struct sarhad_error *err)
{
    return sarhad__ledger_policy_publish(ledger, filename, text, len, who, now,
                                         NULL, info, issues, issue_cap,
                                         issue_count, err);
}

enum sarhad_status
sarhad__ledger_policy_publish(
    struct sarhad_ledger *ledger, const char *filename, const char *text,
    size_t len, const struct sarhad_actor *who, int64_t now,
    const struct sarhad_bundle_info *origin, struct sarhad_policy_info *info,
    struct sarhad_lint_issue *issues, unsigned issue_cap, unsigned *issue_count,
    struct sarhad_error *err)
{
    char result[24];

    struct sarhad_policy *policy = NULL;
    struct sarhad_policy_info pi;
    enum sarhad_status s;

    if (ledger == NULL || text == NULL || who == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "policy", SIZE_MAX,
                            "ledger, text and actor are required");
    /* The ledger switches policy when the publication commits, which a
     * batch would postpone past this call. */
    if (ledger->store->in_batch)
        return sarhad__fail(err, SARHAD_EINVAL, "policy", SIZE_MAX,
                            "publish a policy outside a batch");
    s = compile_checked(&policy, filename, text, len, issues, issue_cap,
                        issue_count, err);
    if (s != SARHAD_OK)
        return s;
    s = sarhad__store_write_begin(ledger->store, err);
    if (s == SARHAD_OK) {
        s = publish(ledger->store, policy, filename, text, len, who, now, &pi,
                    err);
        /* pi is filled only by a publication that went through. */
        if (s == SARHAD_OK) {
            snprintf(result, sizeof(result), "policy:%d", pi.number);
            s = sarhad__bundle_gate(ledger->store, origin, "policies", result,
                                    who, now, err);
        }
        if (s == SARHAD_OK)
            s = sarhad__store_write_end(ledger->store, true, err);
        else
            sarhad__store_write_end(ledger->store, false, NULL);
    }
    if (s != SARHAD_OK) {
        sarhad_policy_free(policy);
        return s;
    }
    sarhad_policy_free(ledger->policy);
    ledger->policy = policy;
    ledger->policy_number = pi.number;
    sarhad__ledger_screen_floor(ledger);
    if (info != NULL)
        *info = pi;
    return SARHAD_OK;
}
