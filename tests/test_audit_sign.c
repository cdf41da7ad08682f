/*
 * test_audit_sign.c - signed checkpoints: a checkpoint signs the head,
 * verify accepts an untouched log, and catches what the chain alone cannot:
 * the last entries deleted, a chain recomputed after an edit, a forged
 * checkpoint, and a different key.  The key file is made 0600.
 */
#include "test.h"

#include "../src/internal.h"

#include <stdio.h>
#include <sys/stat.h>

static const struct sarhad_actor clerk = {"amina", "officer", "TORKHAM", ""};

static struct sarhad_store *
signed_store(const char *name, char path[300], struct sarhad_audit_key **key,
             int n)
{
    struct sarhad_store_options create = {true, false, "OFF"};
    struct sarhad_store *store = NULL;

    snprintf(path, 300, "%s/%s.db", test_tmpdir(), name);
    if (sarhad_store_open(&store, path, &create, NULL) != SARHAD_OK)
        return NULL;
    if (sarhad_audit_key_load(key, path, true, NULL) != SARHAD_OK) {
        sarhad_store_close(store);
        return NULL;
    }
    for (int i = 1; i <= n; i++) {
        if (sarhad__store_write_begin(store, NULL) != SARHAD_OK ||
            sarhad__audit_append(store, &clerk, 1700000000 + i, "decision", "x",
                                 NULL, NULL, NULL) != SARHAD_OK ||
            sarhad__store_write_end(store, true, NULL) != SARHAD_OK ||
            sarhad_audit_checkpoint(store, *key, 1700000000 + i, NULL) !=
                SARHAD_OK) {
            sarhad_store_close(store);
            return NULL;
        }
    }
    return store;
}

static int
raw(struct sarhad_store *store, const char *sql)
{
    return sqlite3_exec(store->db, sql, NULL, NULL, NULL);
}

TEST(audit_sign_checkpoints_verify)
{
    struct sarhad_audit_key *key = NULL, *again = NULL;
    struct sarhad_audit_report r;
    struct stat st;
    char path[300], kp[310];
    int64_t cps = -1;
    struct sarhad_store *store = signed_store("sign_ok", path, &key, 4);

    ASSERT(store != NULL);
    snprintf(kp, sizeof(kp), "%s.key", path);
    ASSERT_EQ_INT(0, stat(kp, &st));
    ASSERT_EQ_INT(0600, st.st_mode & 0777);
    /* Checkpointing an already checkpointed head adds nothing. */
    ASSERT_OK(sarhad_audit_checkpoint(store, key, 1700000100, NULL));
    ASSERT_OK(sarhad_audit_verify_signed(store, &r, &cps, NULL));
    ASSERT(r.ok);
    ASSERT_EQ_INT(4, r.checked);
    ASSERT_EQ_INT(4, cps);
    /* The same key loads back. */
    ASSERT_OK(sarhad_audit_key_load(&again, path, false, NULL));
    ASSERT_OK(sarhad_audit_checkpoint(store, again, 1700000100, NULL));
    sarhad_audit_key_free(again);
    /* Checkpoints are append-only through SQL. */
    ASSERT(raw(store, "DELETE FROM audit_checkpoint") != SQLITE_OK);
    sarhad_audit_key_free(key);
    sarhad_store_close(store);
}

TEST(audit_sign_detects_truncated_tail)
{
    struct sarhad_audit_key *key = NULL;
    struct sarhad_audit_report r;
    char path[300];
    struct sarhad_store *store = signed_store("sign_tail", path, &key, 5);

    ASSERT(store != NULL);
    ASSERT_EQ_INT(SQLITE_OK,
                  raw(store, "DROP TRIGGER audit_log_no_delete;"
                             "DELETE FROM audit_log WHERE seq >= 4"));
    /* The chain alone finds nothing wrong with a shorter log. */
    ASSERT_OK(sarhad_audit_verify(store, &r, NULL));
    ASSERT(r.ok);
    ASSERT_OK(sarhad_audit_verify_signed(store, &r, NULL, NULL));
    ASSERT(!r.ok);
    ASSERT_EQ_INT(4, r.first_bad);
    ASSERT(strstr(r.problem, "missing") != NULL);
    sarhad_audit_key_free(key);
    sarhad_store_close(store);
}

TEST(audit_sign_detects_rewritten_chain)
{
    struct sarhad_audit_key *key = NULL, *key2 = NULL;
    struct sarhad_audit_report r;
    char path[300], twin_path[300], sql[700];
    struct sarhad_store *store = signed_store("sign_rewrite", path, &key, 3);
    struct sarhad_store *twin = signed_store("sign_twin", twin_path, &key2, 2);

    ASSERT(store != NULL && twin != NULL);
    /* The chain is unkeyed, so anyone can recompute it: the twin holds
     * the same entries 1-2 and a forged, self-consistent entry 3. */
    ASSERT_OK(sarhad__store_write_begin(twin, NULL));
    ASSERT_OK(sarhad__audit_append(twin, &clerk, 1700000003, "decision",
                                   "forged", NULL, NULL, NULL));
    ASSERT_OK(sarhad__store_write_end(twin, true, NULL));
    sarhad_store_close(twin);
    snprintf(sql, sizeof(sql),
             "ATTACH '%s' AS twin;"
             "DROP TRIGGER audit_log_no_delete;"
             "DELETE FROM audit_log WHERE seq = 3;"
             "INSERT INTO audit_log SELECT * FROM twin.audit_log"
             " WHERE seq = 3;",
             twin_path);
    ASSERT_EQ_INT(SQLITE_OK, raw(store, sql));
    ASSERT_OK(sarhad_audit_verify(store, &r, NULL));
    ASSERT(r.ok); /* the chain alone is fooled */
    ASSERT_OK(sarhad_audit_verify_signed(store, &r, NULL, NULL));
    ASSERT(!r.ok);
    ASSERT_EQ_INT(3, r.first_bad);
    ASSERT(strstr(r.problem, "rewritten") != NULL);
    sarhad_audit_key_free(key2);
    sarhad_audit_key_free(key);
    sarhad_store_close(store);
}

TEST(audit_sign_detects_forged_checkpoint_and_other_key)
{
    struct sarhad_audit_key *key = NULL, *other = NULL;
    struct sarhad_audit_report r;
    struct sarhad_error err;
    char path[300], other_path[300];
    struct sarhad_store *store = signed_store("sign_forge", path, &key, 3);

    ASSERT(store != NULL);
    snprintf(other_path, sizeof(other_path), "%s/sign_other.db", test_tmpdir());
    ASSERT_OK(sarhad_audit_key_load(&other, other_path, true, NULL));
    ASSERT_OK(sarhad__store_write_begin(store, NULL));
    ASSERT_OK(sarhad__audit_append(store, &clerk, 1700000050, "decision", "y",
                                   NULL, NULL, NULL));
    ASSERT_OK(sarhad__store_write_end(store, true, NULL));
    ASSERT_EQ_INT(SARHAD_ESIGN,
                  sarhad_audit_checkpoint(store, other, 1700000051, &err));
    ASSERT_EQ_INT(SQLITE_OK,
                  raw(store, "DROP TRIGGER audit_checkpoint_no_update;"
                             "UPDATE audit_checkpoint SET at ="
                             " '2020-01-01T00:00:00+00:00' WHERE seq = 2"));
    ASSERT_OK(sarhad_audit_verify_signed(store, &r, NULL, NULL));
    ASSERT(!r.ok);
    ASSERT_EQ_INT(2, r.first_bad);
    ASSERT(strstr(r.problem, "signature") != NULL);
    sarhad_audit_key_free(other);
    sarhad_audit_key_free(key);
    sarhad_store_close(store);
}
