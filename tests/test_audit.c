/*
 * test_audit.c - the hash-chained audit log: appends chain, verify accepts
 * an untouched log, and each kind of tampering (edit, delete, insert,
 * reorder) is detected at the right entry; a lookup's entry names who saw
 * whose record and nothing searched for.  Tampering goes around the
 * append-only triggers the way an attacker with the file would.
 */
#include "test.h"

#include "../src/internal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const struct sarhad_actor officer = {"amina", "officer", "TORKHAM",
                                            "127.0.0.1"};

/* A store with n entries appended. */
static struct sarhad_store *
store_with_entries(const char *name, int n)
{
    char path[300];
    struct sarhad_store *store = NULL;
    struct sarhad_store_options create = {true, false, NULL};
    char subject[16];

    snprintf(path, sizeof(path), "%s/%s.db", test_tmpdir(), name);
    if (sarhad_store_open(&store, path, &create, NULL) != SARHAD_OK)
        return NULL;
    for (int i = 1; i <= n; i++) {
        snprintf(subject, sizeof(subject), "attempt-%d", i);
        if (sarhad__store_write_begin(store, NULL) != SARHAD_OK ||
            sarhad__audit_append(store, &officer, 1698800000 + i, "decision",
                                 subject, "{\"decision\":\"admit\"}", NULL,
                                 NULL) != SARHAD_OK ||
            sarhad__store_write_end(store, true, NULL) != SARHAD_OK) {
            sarhad_store_close(store);
            return NULL;
        }
    }
    return store;
}

/* Run SQL with the append-only triggers out of the way. */
static int
tamper(struct sarhad_store *store, const char *sql)
{
    int rc = sqlite3_exec(store->db,
                          "DROP TRIGGER audit_log_no_update;"
                          "DROP TRIGGER audit_log_no_delete;",
                          NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(store->db, sql, NULL, NULL, NULL);
    return rc;
}

TEST(audit_chain_verifies)
{
    struct sarhad_store *store = store_with_entries("audit_ok", 5);
    struct sarhad_audit_report r;

    ASSERT(store != NULL);
    ASSERT_OK(sarhad_audit_verify(store, &r, NULL));
    ASSERT(r.ok);
    ASSERT_EQ_INT(5, r.checked);
    ASSERT_EQ_INT(0, r.first_bad);
    /* The triggers refuse edits made through SQLite. */
    ASSERT(sqlite3_exec(store->db, "UPDATE audit_log SET kind='x'", NULL, NULL,
                        NULL) != SQLITE_OK);
    ASSERT(sqlite3_exec(store->db, "DELETE FROM audit_log", NULL, NULL, NULL) !=
           SQLITE_OK);
    sarhad_store_close(store);
}

TEST(audit_detects_edit)
{
    struct sarhad_store *store = store_with_entries("audit_edit", 5);
    struct sarhad_audit_report r;

    ASSERT(store != NULL);
    ASSERT_EQ_INT(SQLITE_OK,
                  tamper(store, "UPDATE audit_log SET detail ="
                                " '{\"decision\":\"refuse\"}' WHERE seq = 3"));
    ASSERT_OK(sarhad_audit_verify(store, &r, NULL));
    ASSERT(!r.ok);
    ASSERT_EQ_INT(3, r.first_bad);
    ASSERT_EQ_INT(2, r.checked);
    ASSERT(strstr(r.problem, "altered") != NULL);
    sarhad_store_close(store);
}

TEST(audit_detects_delete)
{
    struct sarhad_store *store = store_with_entries("audit_delete", 5);
    struct sarhad_audit_report r;

    ASSERT(store != NULL);
    ASSERT_EQ_INT(SQLITE_OK, tamper(store, "DELETE FROM audit_log"
                                           " WHERE seq = 2"));
    ASSERT_OK(sarhad_audit_verify(store, &r, NULL));
    ASSERT(!r.ok);
    ASSERT_EQ_INT(2, r.first_bad);
    ASSERT(strstr(r.problem, "missing") != NULL);
    sarhad_store_close(store);
}

TEST(audit_detects_delete_and_renumber)
{
    struct sarhad_store *store = store_with_entries("audit_renumber", 5);
    struct sarhad_audit_report r;

    ASSERT(store != NULL);
    /* Deleting entry 2 and closing the gap keeps seq contiguous, but entry
     * 3 (now 2) no longer hashes to what it says. */
    ASSERT_EQ_INT(SQLITE_OK,
                  tamper(store, "DELETE FROM audit_log WHERE seq = 2;"
                                "UPDATE audit_log SET seq = seq - 1"
                                " WHERE seq > 2"));
    ASSERT_OK(sarhad_audit_verify(store, &r, NULL));
    ASSERT(!r.ok);
    ASSERT_EQ_INT(2, r.first_bad);
    sarhad_store_close(store);
}

TEST(audit_detects_insert)
{
    struct sarhad_store *store = store_with_entries("audit_insert", 4);
    struct sarhad_audit_report r;

    ASSERT(store != NULL);
    /* Shift entries 3.. up and slip a forged entry 3 in, copying the
     * predecessor link and hash of the real entry 3. */
    ASSERT_EQ_INT(SQLITE_OK,
                  tamper(store, "UPDATE audit_log SET seq = seq + 10"
                                " WHERE seq >= 3;"
                                "UPDATE audit_log SET seq = seq - 9"
                                " WHERE seq >= 13;"
                                "INSERT INTO audit_log SELECT 3, post, at,"
                                " actor_user, actor_role, actor_post,"
                                " actor_address, 'decision', 'forged',"
                                " detail, prev_hash, hash FROM audit_log"
                                " WHERE seq = 4"));
    ASSERT_OK(sarhad_audit_verify(store, &r, NULL));
    ASSERT(!r.ok);
    ASSERT_EQ_INT(3, r.first_bad);
    sarhad_store_close(store);
}

TEST(audit_detects_reorder)
{
    struct sarhad_store *store = store_with_entries("audit_reorder", 5);
    struct sarhad_audit_report r;

    ASSERT(store != NULL);
    ASSERT_EQ_INT(SQLITE_OK,
                  tamper(store, "UPDATE audit_log SET seq = 100 WHERE seq = 2;"
                                "UPDATE audit_log SET seq = 2 WHERE seq = 4;"
                                "UPDATE audit_log SET seq = 4"
                                " WHERE seq = 100"));
    ASSERT_OK(sarhad_audit_verify(store, &r, NULL));
    ASSERT(!r.ok);
    ASSERT_EQ_INT(2, r.first_bad);
    sarhad_store_close(store);
}

static bool
collect(void *ctx, const struct sarhad_audit_entry *e)
{
    int *count = ctx;

    (*count)++;
    return strcmp(e->kind, "decision") == 0 && *count < 3;
}

TEST(audit_read_in_order)
{
    struct sarhad_store *store = store_with_entries("audit_read", 5);
    int count = 0;

    ASSERT(store != NULL);
    ASSERT_OK(sarhad_audit_read(store, 2, 0, collect, &count, NULL));
    ASSERT_EQ_INT(3, count); /* the callback stopped the walk */
    count = 0;
    ASSERT_OK(sarhad_audit_read(store, 1, 2, collect, &count, NULL));
    ASSERT_EQ_INT(2, count); /* the limit stopped it */
    sarhad_store_close(store);
}

/* Append n entries whose subjects start with prefix. */
static bool
append_entries(struct sarhad_store *store, const char *prefix, int n)
{
    char subject[32];

    for (int i = 1; i <= n; i++) {
        snprintf(subject, sizeof(subject), "%s-%d", prefix, i);
        if (sarhad__store_write_begin(store, NULL) != SARHAD_OK ||
            sarhad__audit_append(store, &officer, 1698900000 + i, "decision",
                                 subject, "{\"decision\":\"refuse\"}", NULL,
                                 NULL) != SARHAD_OK ||
            sarhad__store_write_end(store, true, NULL) != SARHAD_OK)
            return false;
    }
    return true;
}

TEST(audit_anchor_holds_while_the_log_grows)
{
    struct sarhad_store *store = store_with_entries("anchor_grow", 4);
    struct sarhad_audit_report r;
    char anchor[SARHAD_AUDIT_ANCHOR_MAX];
    unsigned char hash[32];
    int64_t seq;

    ASSERT(store != NULL);
    ASSERT_OK(sarhad_audit_verify(store, &r, NULL));
    ASSERT(r.ok);
    sarhad_audit_anchor_format(anchor, r.checked, r.head_hash);
    ASSERT(strncmp(anchor, "4:", 2) == 0 && strlen(anchor) == 2 + 64);
    ASSERT(append_entries(store, "later", 3));
    ASSERT_OK(sarhad_audit_anchor_parse(anchor, &seq, hash, NULL));
    ASSERT_EQ_INT(4, (int)seq);
    ASSERT_OK(sarhad_audit_verify(store, &r, NULL));
    ASSERT_OK(sarhad_audit_check_anchor(store, seq, hash, &r, NULL));
    ASSERT(r.ok);
    ASSERT_EQ_INT(7, (int)r.checked);
    /* The head moved on; the old anchor is still entry 4's hash. */
    ASSERT(sodium_memcmp(r.head_hash, hash, 32) != 0);
    sarhad_store_close(store);
}

TEST(audit_anchor_catches_a_log_rebuilt_sound)
{
    /* The same first two entries, then a different history: the rebuilt
     * log is a sound chain in itself, and only the anchor knows. */
    struct sarhad_store *kept = store_with_entries("anchor_kept", 2);
    struct sarhad_store *rebuilt = store_with_entries("anchor_rebuilt", 2);
    struct sarhad_audit_report r;
    unsigned char head[32], early[32];

    ASSERT(kept != NULL && rebuilt != NULL);
    ASSERT_OK(sarhad_audit_verify(kept, &r, NULL));
    memcpy(early, r.head_hash, 32);
    ASSERT(append_entries(kept, "true", 3));
    ASSERT(append_entries(rebuilt, "forged", 3));
    ASSERT_OK(sarhad_audit_verify(kept, &r, NULL));
    memcpy(head, r.head_hash, 32);
    ASSERT_OK(sarhad_audit_verify(rebuilt, &r, NULL));
    ASSERT(r.ok);
    /* Entries before the change still match: the same content gives the
     * same hashes. */
    ASSERT_OK(sarhad_audit_check_anchor(rebuilt, 2, early, &r, NULL));
    ASSERT(r.ok);
    ASSERT_OK(sarhad_audit_check_anchor(rebuilt, 5, head, &r, NULL));
    ASSERT(!r.ok);
    ASSERT_EQ_INT(5, (int)r.first_bad);
    ASSERT(strstr(r.problem, "rewritten") != NULL);
    /* A log cut before the anchor. */
    ASSERT_OK(sarhad_audit_verify(rebuilt, &r, NULL));
    ASSERT_OK(sarhad_audit_check_anchor(rebuilt, 9, head, &r, NULL));
    ASSERT(!r.ok);
    ASSERT_EQ_INT(9, (int)r.first_bad);
    ASSERT(strstr(r.problem, "missing") != NULL);
    sarhad_store_close(kept);
    sarhad_store_close(rebuilt);
}

TEST(audit_anchor_parse_errors)
{
    struct sarhad_error err;
    unsigned char hash[32];
    char text[100];
    int64_t seq;

    memset(text, 'a', sizeof(text));
    memcpy(text, "12:", 3);
    text[3 + 64] = '\0';
    ASSERT_OK(sarhad_audit_anchor_parse(text, &seq, hash, &err));
    ASSERT_EQ_INT(12, (int)seq);
    ASSERT_EQ_INT(0xaa, hash[31]);
    text[3 + 63] = 'g';
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_audit_anchor_parse(text, &seq, hash, &err));
    ASSERT_EQ_INT(3, (int)err.offset);
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_audit_anchor_parse("0:aa", &seq, hash, &err));
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_audit_anchor_parse("12;aa", &seq, hash, &err));
    ASSERT_EQ_INT(2, (int)err.offset);
    ASSERT_EQ_INT(
        SARHAD_EFORMAT,
        sarhad_audit_anchor_parse("1234567890123456789:aa", &seq, hash, &err));
    ASSERT_EQ_INT(SARHAD_EFORMAT,
                  sarhad_audit_anchor_parse("12:aaaa", &seq, hash, &err));
}

struct last_entry {
    char kind[24], subject[64], detail[256];
    int64_t seq;
};

static bool
keep_last(void *ctx, const struct sarhad_audit_entry *e)
{
    struct last_entry *l = ctx;

    sarhad__strlcpy(l->kind, e->kind, sizeof(l->kind));
    sarhad__strlcpy(l->subject, e->subject, sizeof(l->subject));
    sarhad__strlcpy(l->detail, e->detail, sizeof(l->detail));
    l->seq = e->seq;
    return true;
}

TEST(audit_lookup_names_who_saw_whom)
{
    struct sarhad_store *store = store_with_entries("audit_lookup", 1);
    struct sarhad_audit_report r;
    struct last_entry l;
    struct sarhad_error err;
    int64_t ids[SARHAD_FIND_MAX + 1] = {12, 40}, seq = 0;

    ASSERT(store != NULL);
    ASSERT_OK(sarhad_audit_lookup(store, &officer, 1698900000,
                                  SARHAD_LOOKUP_TRAVELLER, ids, 1, NULL, &seq,
                                  NULL));
    ASSERT_EQ_INT(2, (int)seq);
    ASSERT_OK(sarhad_audit_lookup(store, &officer, 1698900001,
                                  SARHAD_LOOKUP_ATTEMPT, &ids[1], 1, NULL, NULL,
                                  NULL));
    ASSERT_OK(sarhad_audit_read(store, 3, 1, keep_last, &l, NULL));
    ASSERT_EQ_STR("lookup", l.kind);
    ASSERT_EQ_STR("attempt:40", l.subject);
    ASSERT_EQ_STR("{}", l.detail);
    ASSERT_OK(sarhad_audit_lookup(store, &officer, 1698900002,
                                  SARHAD_LOOKUP_SEARCH, ids, 2, "document",
                                  NULL, NULL));
    ASSERT_OK(sarhad_audit_read(store, 4, 1, keep_last, &l, NULL));
    ASSERT_EQ_STR("search", l.subject);
    ASSERT_EQ_STR("{\"by\":\"document\",\"travellers\":[12,40]}", l.detail);
    /* A search that found nobody is still a lookup. */
    ASSERT_OK(sarhad_audit_lookup(store, &officer, 1698900003,
                                  SARHAD_LOOKUP_SEARCH, NULL, 0, "name", NULL,
                                  NULL));
    ASSERT_OK(sarhad_audit_read(store, 5, 1, keep_last, &l, NULL));
    ASSERT_EQ_STR("{\"by\":\"name\",\"travellers\":[]}", l.detail);

    /* Malformed lookups write nothing. */
    ASSERT_EQ_INT(SARHAD_EINVAL,
                  sarhad_audit_lookup(store, &officer, 1698900004,
                                      SARHAD_LOOKUP_TRAVELLER, ids, 2, NULL,
                                      NULL, &err));
    ASSERT_EQ_STR("ids", err.field);
    ASSERT_EQ_INT(SARHAD_EINVAL,
                  sarhad_audit_lookup(store, &officer, 1698900004,
                                      SARHAD_LOOKUP_SEARCH, ids,
                                      SARHAD_FIND_MAX + 1, "name", NULL, &err));
    ASSERT_EQ_INT(SARHAD_EINVAL,
                  sarhad_audit_lookup(store, &officer, 1698900004,
                                      SARHAD_LOOKUP_SEARCH, ids, 1, "number",
                                      NULL, &err));
    ASSERT_EQ_STR("by", err.field);
    l.seq = 0;
    ASSERT_OK(sarhad_audit_read(store, 6, 0, keep_last, &l, NULL));
    ASSERT_EQ_INT(0, (int)l.seq);
    ASSERT_OK(sarhad_audit_verify(store, &r, NULL));
    ASSERT(r.ok);
    ASSERT_EQ_INT(5, (int)r.checked);
    sarhad_store_close(store);
}
