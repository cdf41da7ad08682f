/*
 * test_auth.c - accounts, password hashing, logins, throttling and
 * sessions: a good login opens a session whose token is stored only as a
 * hash, wrong passwords fail and are counted until the account (or the
 * address) is locked out, sessions expire and end at logout, disabling an
 * account or changing its password ends its sessions, and every change
 * leaves an audit entry.
 */
#include "test.h"

#include "../src/internal.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct sarhad_actor admin = {"root", "admin", "", ""};
static const char password[] = "correct horse battery";
static char pwhash[SARHAD_PWHASH_LEN];

/* A store with one officer "amina" at TORKHAM (password above). */
static struct sarhad_store *
auth_store(const char *name)
{
    struct sarhad_store_options create = {true, false, "OFF"};
    struct sarhad_user u = {"amina", "officer", "TORKHAM", false, ""};
    struct sarhad_store *store = NULL;
    char path[300];

    snprintf(path, sizeof(path), "%s/%s.db", test_tmpdir(), name);
    if (sarhad_store_open(&store, path, &create, NULL) != SARHAD_OK)
        return NULL;
    if (pwhash[0] == '\0' &&
        sarhad_password_hash(pwhash, password, sizeof(password) - 1, NULL) !=
            SARHAD_OK)
        return NULL;
    if (sarhad_user_add(store, &admin, &u, pwhash, 1700000000, NULL) !=
        SARHAD_OK) {
        sarhad_store_close(store);
        return NULL;
    }
    return store;
}

struct kind_count {
    const char *kind;
    long n;
};

static bool
count_kind(void *ctx, const struct sarhad_audit_entry *e)
{
    struct kind_count *c = ctx;

    if (strcmp(e->kind, c->kind) == 0)
        c->n++;
    return true;
}

/* How many audit entries of kind the store holds. */
static long
audit_count(struct sarhad_store *store, const char *kind)
{
    struct kind_count c = {kind, 0};

    if (sarhad_audit_read(store, 1, 0, count_kind, &c, NULL) != SARHAD_OK)
        return -1;
    return c.n;
}

TEST(auth_roles_and_user_rules)
{
    struct sarhad_store *store = auth_store("auth_roles");
    struct sarhad_user u = {"bilal", "officer", "", false, ""};
    struct sarhad_user got;
    struct sarhad_error err;

    ASSERT(store != NULL);
    ASSERT(sarhad_role_is_valid("auditor"));
    ASSERT(!sarhad_role_is_valid("root"));
    ASSERT(sarhad_role_needs_post("supervisor"));
    ASSERT(!sarhad_role_needs_post("analyst"));
    /* An officer needs a post. */
    ASSERT_EQ_INT(SARHAD_EINVAL,
                  sarhad_user_add(store, &admin, &u, pwhash, 1, &err));
    ASSERT_EQ_STR("post", err.field);
    strcpy(u.role, "superuser");
    ASSERT_EQ_INT(SARHAD_EINVAL,
                  sarhad_user_add(store, &admin, &u, pwhash, 1, &err));
    ASSERT_EQ_STR("role", err.field);
    strcpy(u.role, "analyst");
    strcpy(u.name, "Bad Name");
    ASSERT_EQ_INT(SARHAD_EINVAL,
                  sarhad_user_add(store, &admin, &u, pwhash, 1, &err));
    ASSERT_EQ_STR("username", err.field);
    strcpy(u.name, "amina");
    ASSERT_EQ_INT(SARHAD_EEXIST,
                  sarhad_user_add(store, &admin, &u, pwhash, 1, &err));
    ASSERT_EQ_INT(SARHAD_EINVAL,
                  sarhad_user_add(store, &admin, &u, "plain", 1, &err));
    ASSERT_OK(sarhad_user_get(store, "amina", &got, NULL));
    ASSERT_EQ_STR("officer", got.role);
    ASSERT_EQ_STR("TORKHAM", got.post);
    ASSERT(!got.is_disabled);
    ASSERT_EQ_INT(SARHAD_ENOTFOUND,
                  sarhad_user_get(store, "nobody", &got, NULL));
    ASSERT_EQ_INT(1, audit_count(store, "user_added"));
    /* Accounts are never deleted, not even through SQL. */
    ASSERT(sqlite3_exec(store->db, "DELETE FROM users", NULL, NULL, NULL) !=
           SQLITE_OK);
    sarhad_store_close(store);
}

TEST(auth_password_hash_rules)
{
    char h[SARHAD_PWHASH_LEN];
    struct sarhad_error err;

    ASSERT_EQ_INT(SARHAD_EINVAL, sarhad_password_hash(h, "short", 5, &err));
    ASSERT_EQ_STR("password", err.field);
    ASSERT_EQ_INT(SARHAD_EINVAL,
                  sarhad_password_hash(h, "with\0nul-inside", 15, &err));
    ASSERT(pwhash[0] != '\0' || auth_store("auth_hash_init") != NULL);
    ASSERT(strncmp(pwhash, "$argon2id$", 10) == 0);
    ASSERT(strstr(pwhash, password) == NULL);
}

TEST(auth_login_session_logout)
{
    struct sarhad_store *store = auth_store("auth_login");
    struct sarhad_login_limits lim;
    struct sarhad_session s, found;
    struct sarhad_error err;
    char csrf[SARHAD_TOKEN_LEN + 1];
    unsigned char hash[32];
    sqlite3_stmt *st;
    int rows = 0;

    ASSERT(store != NULL);
    sarhad_login_limits_default(&lim);
    ASSERT_OK(sarhad_login(store, "amina", password, sizeof(password) - 1,
                           "10.0.0.5", 1700000100, &lim, &s, NULL));
    ASSERT_EQ_INT(SARHAD_TOKEN_LEN, strlen(s.token));
    ASSERT_EQ_INT(1700000100 + lim.session_lifetime, s.expires);
    ASSERT_EQ_STR("officer", s.actor.role);
    ASSERT_EQ_STR("TORKHAM", s.actor.post);
    sarhad_session_csrf(csrf, s.token, SARHAD_TOKEN_LEN);
    ASSERT_EQ_STR(csrf, s.csrf);
    ASSERT(strcmp(s.csrf, s.token) != 0);
    /* The store holds the token's hash, never the token. */
    sarhad_token_hash(hash, s.token, SARHAD_TOKEN_LEN);
    ASSERT_EQ_INT(SQLITE_OK,
                  sqlite3_prepare_v2(store->db,
                                     "SELECT count(*) FROM sessions WHERE"
                                     " token_hash = ?1",
                                     -1, &st, NULL));
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        rows = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    ASSERT_EQ_INT(1, rows);

    ASSERT_OK(sarhad_session_lookup(store, s.token, SARHAD_TOKEN_LEN,
                                    1700000200, &found, NULL));
    ASSERT_EQ_STR("amina", found.actor.user);
    /* Expired a second after its lifetime. */
    ASSERT_EQ_INT(SARHAD_EAUTH,
                  sarhad_session_lookup(store, s.token, SARHAD_TOKEN_LEN,
                                        s.expires, &found, &err));
    ASSERT_EQ_INT(SARHAD_EAUTH, sarhad_session_lookup(
                                    store, "abc", 3, 1700000200, &found, NULL));
    /* Logout ends it, once. */
    ASSERT_OK(sarhad_session_end(store, &s.actor, s.token, SARHAD_TOKEN_LEN,
                                 1700000300, NULL));
    ASSERT_EQ_INT(SARHAD_EAUTH,
                  sarhad_session_lookup(store, s.token, SARHAD_TOKEN_LEN,
                                        1700000301, &found, NULL));
    ASSERT_EQ_INT(SARHAD_EAUTH,
                  sarhad_session_end(store, &s.actor, s.token, SARHAD_TOKEN_LEN,
                                     1700000302, NULL));
    ASSERT_EQ_INT(1, audit_count(store, "login"));
    ASSERT_EQ_INT(1, audit_count(store, "logout"));
    sarhad_store_close(store);
}

TEST(auth_wrong_password_and_throttle)
{
    struct sarhad_store *store = auth_store("auth_throttle");
    struct sarhad_login_limits lim;
    struct sarhad_session s;
    struct sarhad_error err;
    int64_t t = 1700001000;

    ASSERT(store != NULL);
    sarhad_login_limits_default(&lim);
    lim.account_failures = 3;
    for (int i = 0; i < 3; i++) {
        ASSERT_EQ_INT(SARHAD_EAUTH,
                      sarhad_login(store, "amina", "wrong password!", 15,
                                   "10.0.0.9", t + i, &lim, &s, &err));
        ASSERT_EQ_STR("password", err.field);
    }
    /* Locked: even the right password is refused, unchecked. */
    ASSERT_EQ_INT(SARHAD_EAUTH,
                  sarhad_login(store, "amina", password, sizeof(password) - 1,
                               "10.0.0.10", t + 10, &lim, &s, &err));
    ASSERT_EQ_STR("throttled", err.field);
    ASSERT(strstr(err.message, "try again") != NULL);
    /* An unknown account fails the same way as a wrong password. */
    ASSERT_EQ_INT(SARHAD_EAUTH,
                  sarhad_login(store, "nobody", password, sizeof(password) - 1,
                               "10.0.0.11", t + 11, &lim, &s, &err));
    ASSERT_EQ_STR("password", err.field);
    /* After the lockout it works again, and success clears the count. */
    ASSERT_OK(sarhad_login(store, "amina", password, sizeof(password) - 1,
                           "10.0.0.10", t + 2 + lim.lockout, &lim, &s, NULL));
    ASSERT_EQ_INT(5, audit_count(store, "login_failed"));
    ASSERT_EQ_INT(1, audit_count(store, "login"));
    sarhad_store_close(store);
}

TEST(auth_address_throttle)
{
    struct sarhad_store *store = auth_store("auth_addr");
    struct sarhad_login_limits lim;
    struct sarhad_session s;
    struct sarhad_error err;
    char name[32];

    ASSERT(store != NULL);
    sarhad_login_limits_default(&lim);
    lim.address_failures = 4;
    for (int i = 0; i < 4; i++) {
        snprintf(name, sizeof(name), "guess%d", i);
        ASSERT_EQ_INT(SARHAD_EAUTH,
                      sarhad_login(store, name, "x", 1, "192.0.2.7",
                                   1700002000 + i, &lim, &s, NULL));
    }
    ASSERT_EQ_INT(SARHAD_EAUTH,
                  sarhad_login(store, "amina", password, sizeof(password) - 1,
                               "192.0.2.7", 1700002010, &lim, &s, &err));
    ASSERT_EQ_STR("throttled", err.field);
    /* Another address is not affected. */
    ASSERT_OK(sarhad_login(store, "amina", password, sizeof(password) - 1,
                           "192.0.2.8", 1700002011, &lim, &s, NULL));
    sarhad_store_close(store);
}

TEST(auth_disable_enable_and_passwd_end_sessions)
{
    struct sarhad_store *store = auth_store("auth_disable");
    struct sarhad_login_limits lim;
    struct sarhad_session s, found;
    struct sarhad_user got;
    char other[SARHAD_PWHASH_LEN];
    int64_t t = 1700003000;

    ASSERT(store != NULL);
    sarhad_login_limits_default(&lim);
    ASSERT_OK(sarhad_login(store, "amina", password, sizeof(password) - 1,
                           "10.0.0.1", t, &lim, &s, NULL));
    ASSERT_OK(sarhad_password_hash(other, "another long secret", 19, NULL));
    ASSERT_OK(
        sarhad_user_set_password(store, &admin, "amina", other, t + 1, NULL));
    ASSERT_EQ_INT(SARHAD_EAUTH,
                  sarhad_session_lookup(store, s.token, SARHAD_TOKEN_LEN, t + 2,
                                        &found, NULL));
    ASSERT_EQ_INT(SARHAD_EAUTH,
                  sarhad_login(store, "amina", password, sizeof(password) - 1,
                               "10.0.0.1", t + 3, &lim, &s, NULL));
    ASSERT_OK(sarhad_login(store, "amina", "another long secret", 19,
                           "10.0.0.1", t + 4, &lim, &s, NULL));
    ASSERT_OK(sarhad_user_disable(store, &admin, "amina", t + 5, NULL));
    ASSERT_OK(sarhad_user_get(store, "amina", &got, NULL));
    ASSERT(got.is_disabled);
    ASSERT_EQ_INT(SARHAD_EAUTH,
                  sarhad_session_lookup(store, s.token, SARHAD_TOKEN_LEN, t + 6,
                                        &found, NULL));
    ASSERT_EQ_INT(SARHAD_EAUTH,
                  sarhad_login(store, "amina", "another long secret", 19,
                               "10.0.0.1", t + 7, &lim, &s, NULL));
    ASSERT_EQ_INT(SARHAD_ENOTFOUND,
                  sarhad_user_disable(store, &admin, "ghost", t, NULL));
    /* Enabled again: the password it had works, its old session stays
     * ended. */
    ASSERT_OK(sarhad_user_enable(store, &admin, "amina", t + 8, NULL));
    ASSERT_OK(sarhad_user_get(store, "amina", &got, NULL));
    ASSERT(!got.is_disabled);
    ASSERT_EQ_INT(SARHAD_EAUTH,
                  sarhad_session_lookup(store, s.token, SARHAD_TOKEN_LEN, t + 9,
                                        &found, NULL));
    ASSERT_OK(sarhad_login(store, "amina", "another long secret", 19,
                           "10.0.0.1", t + 10, &lim, &s, NULL));
    ASSERT_EQ_INT(SARHAD_ENOTFOUND,
                  sarhad_user_enable(store, &admin, "ghost", t, NULL));
    ASSERT_EQ_INT(1, audit_count(store, "user_disabled"));
    ASSERT_EQ_INT(1, audit_count(store, "user_enabled"));
    ASSERT_EQ_INT(1, audit_count(store, "password_changed"));
    sarhad_store_close(store);
}

/* A second, read-only handle on a test store (as a server thread has). */
static struct sarhad_store *
open_named(const char *name, bool read_only)
{
    struct sarhad_store_options opts = {false, read_only, NULL};
    struct sarhad_store *store = NULL;
    char path[300];

    snprintf(path, sizeof(path), "%s/%s.db", test_tmpdir(), name);
    if (sarhad_store_open(&store, path, &opts, NULL) != SARHAD_OK)
        return NULL;
    return store;
}

static struct sarhad_store *
reader_of(const char *name)
{
    return open_named(name, true);
}

/* A cached lookup at time t: the status, with *hit and *out filled. */
static enum sarhad_status
cached(struct sarhad_session_cache *c, struct sarhad_store *ro,
       const struct sarhad_session *s, int64_t t, struct sarhad_session *out,
       bool *hit)
{
    return sarhad_session_cached(c, ro, s->token, SARHAD_TOKEN_LEN, t, out, hit,
                                 NULL);
}

TEST(auth_session_cache_answers_like_the_store)
{
    struct sarhad_store *store = auth_store("auth_cache");
    struct sarhad_store *ro = reader_of("auth_cache");
    struct sarhad_session_cache *c = sarhad_session_cache_new(8);
    struct sarhad_login_limits lim;
    struct sarhad_session s, found;
    struct sarhad_error err;
    bool hit = true;
    int64_t t = 1700004000;

    ASSERT(store != NULL && ro != NULL && c != NULL);
    ASSERT(sarhad_session_cache_new(0) == NULL);
    sarhad_login_limits_default(&lim);
    ASSERT_OK(sarhad_login(store, "amina", password, sizeof(password) - 1,
                           "10.0.0.1", t, &lim, &s, NULL));
    /* First a miss, then answered from memory with the same content. */
    ASSERT_OK(cached(c, ro, &s, t + 1, &found, &hit));
    ASSERT(!hit);
    ASSERT_OK(cached(c, ro, &s, t + 2, &found, &hit));
    ASSERT(hit);
    ASSERT_EQ_STR("amina", found.actor.user);
    ASSERT_EQ_STR("officer", found.actor.role);
    ASSERT_EQ_STR("TORKHAM", found.actor.post);
    ASSERT_EQ_INT(s.expires, found.expires);
    ASSERT_EQ_STR("", found.token);
    /* Expiry is checked on a hit: the cached entry does not outlive it. */
    ASSERT_EQ_INT(SARHAD_EAUTH,
                  sarhad_session_cached(c, ro, s.token, SARHAD_TOKEN_LEN,
                                        s.expires, &found, &hit, &err));
    ASSERT(!hit);
    ASSERT_EQ_STR("token", err.field);
    /* Not a token, an unknown token: refused, never cached. */
    ASSERT_EQ_INT(SARHAD_EAUTH, sarhad_session_cached(c, ro, "abc", 3, t,
                                                      &found, &hit, NULL));
    found = s;
    found.token[0] = found.token[0] == 'a' ? 'b' : 'a';
    ASSERT_EQ_INT(SARHAD_EAUTH, cached(c, ro, &found, t + 3, &found, &hit));
    ASSERT_EQ_INT(SARHAD_EAUTH, cached(c, ro, &found, t + 3, &found, &hit));
    ASSERT(!hit);
    /* Without a cache the same call reads the store each time. */
    ASSERT_OK(sarhad_session_cached(NULL, ro, s.token, SARHAD_TOKEN_LEN, t + 4,
                                    &found, &hit, NULL));
    ASSERT(!hit);
    ASSERT_EQ_STR("amina", found.actor.user);
    sarhad_session_cache_free(c);
    sarhad_store_close(ro);
    sarhad_store_close(store);
}

/* Every change made through another handle (another thread or process) is
 * seen on the next cached lookup: logout, a role or post changed by hand,
 * a new password, a disabled account. */
TEST(auth_session_cache_sees_changes_at_once)
{
    struct sarhad_store *store = auth_store("auth_cache_changes");
    struct sarhad_store *ro = reader_of("auth_cache_changes");
    struct sarhad_session_cache *c = sarhad_session_cache_new(8);
    struct sarhad_login_limits lim;
    struct sarhad_session s, s2, found;
    char other[SARHAD_PWHASH_LEN];
    bool hit = false;
    int64_t t = 1700005000;

    ASSERT(store != NULL && ro != NULL && c != NULL);
    sarhad_login_limits_default(&lim);
    ASSERT_OK(sarhad_login(store, "amina", password, sizeof(password) - 1,
                           "10.0.0.1", t, &lim, &s, NULL));
    ASSERT_OK(sarhad_login(store, "amina", password, sizeof(password) - 1,
                           "10.0.0.1", t, &lim, &s2, NULL));
    ASSERT_OK(cached(c, ro, &s, t + 1, &found, &hit));
    ASSERT_OK(cached(c, ro, &s2, t + 1, &found, &hit));
    ASSERT_OK(cached(c, ro, &s, t + 1, &found, &hit));
    ASSERT(hit);
    /* Logout of one session: it is refused, the other still answers. */
    ASSERT_OK(sarhad_session_end(store, &s.actor, s.token, SARHAD_TOKEN_LEN,
                                 t + 2, NULL));
    ASSERT_EQ_INT(SARHAD_EAUTH, cached(c, ro, &s, t + 3, &found, &hit));
    ASSERT_OK(cached(c, ro, &s2, t + 3, &found, &hit));
    ASSERT_OK(cached(c, ro, &s2, t + 3, &found, &hit));
    ASSERT(hit);
    /* A role and post changed by a hand-typed UPDATE. */
    ASSERT_EQ_INT(SQLITE_OK,
                  sqlite3_exec(store->db,
                               "UPDATE users SET role = 'analyst', post = ''"
                               " WHERE name = 'amina'",
                               NULL, NULL, NULL));
    ASSERT_OK(cached(c, ro, &s2, t + 4, &found, &hit));
    ASSERT(!hit);
    ASSERT_EQ_STR("analyst", found.actor.role);
    ASSERT_EQ_STR("", found.actor.post);
    ASSERT_OK(cached(c, ro, &s2, t + 4, &found, &hit));
    ASSERT(hit);
    ASSERT_EQ_STR("analyst", found.actor.role);
    /* A new password ends the session. */
    ASSERT_OK(sarhad_password_hash(other, "another long secret", 19, NULL));
    ASSERT_OK(
        sarhad_user_set_password(store, &admin, "amina", other, t + 5, NULL));
    ASSERT_EQ_INT(SARHAD_EAUTH, cached(c, ro, &s2, t + 6, &found, &hit));
    /* So does disabling the account. */
    ASSERT_OK(sarhad_login(store, "amina", "another long secret", 19,
                           "10.0.0.1", t + 7, &lim, &s, NULL));
    ASSERT_OK(cached(c, ro, &s, t + 8, &found, &hit));
    ASSERT_OK(cached(c, ro, &s, t + 8, &found, &hit));
    ASSERT(hit);
    ASSERT_OK(sarhad_user_disable(store, &admin, "amina", t + 9, NULL));
    ASSERT_EQ_INT(SARHAD_EAUTH, cached(c, ro, &s, t + 10, &found, &hit));
    sarhad_session_cache_free(c);
    sarhad_store_close(ro);
    sarhad_store_close(store);
}

/* How many times the handle ran the auth epoch's query. */
static int
epoch_reads(struct sarhad_store *ro)
{
    for (sqlite3_stmt *st = sqlite3_next_stmt(ro->db, NULL); st != NULL;
         st = sqlite3_next_stmt(ro->db, st))
        if (strstr(sqlite3_sql(st), "FROM auth_epoch") != NULL)
            return sqlite3_stmt_status(st, SQLITE_STMTSTATUS_RUN, 0);
    return 0;
}

/* The epoch is read again only once something was committed: lookups in
 * between answer from memory without a read transaction. */
TEST(auth_session_cache_reads_the_epoch_only_after_a_commit)
{
    struct sarhad_store *store = auth_store("auth_cache_stamp");
    struct sarhad_store *ro = reader_of("auth_cache_stamp");
    struct sarhad_session_cache *c = sarhad_session_cache_new(8);
    struct sarhad_login_limits lim;
    struct sarhad_session s, found;
    bool hit = false;
    int64_t t = 1700005500;
    int reads;

    ASSERT(store != NULL && ro != NULL && c != NULL);
    sarhad_login_limits_default(&lim);
    ASSERT_OK(sarhad_login(store, "amina", password, sizeof(password) - 1,
                           "10.0.0.1", t, &lim, &s, NULL));
    ASSERT_OK(cached(c, ro, &s, t + 1, &found, &hit));
    ASSERT_OK(cached(c, ro, &s, t + 1, &found, &hit));
    reads = epoch_reads(ro);
    for (int i = 0; i < 20; i++) {
        ASSERT_OK(cached(c, ro, &s, t + 1, &found, &hit));
        ASSERT(hit);
    }
    ASSERT_EQ_INT(reads, epoch_reads(ro));
    /* A commit that leaves the epoch alone: read once, then quiet again. */
    ASSERT_EQ_INT(SQLITE_OK, sqlite3_exec(store->db,
                                          "INSERT INTO store_meta(key, value)"
                                          " VALUES ('stamp-test', 'x')",
                                          NULL, NULL, NULL));
    ASSERT_OK(cached(c, ro, &s, t + 2, &found, &hit));
    ASSERT(hit);
    ASSERT_EQ_INT(reads + 1, epoch_reads(ro));
    ASSERT_OK(cached(c, ro, &s, t + 2, &found, &hit));
    ASSERT_EQ_INT(reads + 1, epoch_reads(ro));
    /* One that moves it: read, and the session is gone. */
    ASSERT_OK(sarhad_session_end(store, &s.actor, s.token, SARHAD_TOKEN_LEN,
                                 t + 3, NULL));
    ASSERT_EQ_INT(SARHAD_EAUTH, cached(c, ro, &s, t + 4, &found, &hit));
    ASSERT_EQ_INT(reads + 2, epoch_reads(ro));
    sarhad_session_cache_free(c);
    sarhad_store_close(ro);
    sarhad_store_close(store);
}

/* A change made by another process is seen on the very next lookup too:
 * the stamp lives in the memory every process maps. */
TEST(auth_session_cache_sees_another_process)
{
    struct sarhad_store *store = auth_store("auth_cache_process");
    struct sarhad_store *ro = reader_of("auth_cache_process");
    struct sarhad_session_cache *c = sarhad_session_cache_new(8);
    struct sarhad_login_limits lim;
    struct sarhad_session s, found;
    bool hit = false;
    int64_t t = 1700005800;
    int status = -1;
    pid_t pid;

    ASSERT(store != NULL && ro != NULL && c != NULL);
    sarhad_login_limits_default(&lim);
    ASSERT_OK(sarhad_login(store, "amina", password, sizeof(password) - 1,
                           "10.0.0.1", t, &lim, &s, NULL));
    sarhad_store_close(store);
    ASSERT_OK(cached(c, ro, &s, t + 1, &found, &hit));
    ASSERT_OK(cached(c, ro, &s, t + 1, &found, &hit));
    ASSERT(hit);
    pid = fork();
    ASSERT(pid >= 0);
    if (pid == 0) {
        struct sarhad_store *other = open_named("auth_cache_process", false);
        _exit(other != NULL && sarhad_user_disable(other, &admin, "amina",
                                                   t + 2, NULL) == SARHAD_OK
                  ? 0
                  : 1);
    }
    ASSERT(waitpid(pid, &status, 0) == pid);
    ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ASSERT_EQ_INT(SARHAD_EAUTH, cached(c, ro, &s, t + 3, &found, &hit));
    sarhad_session_cache_free(c);
    sarhad_store_close(ro);
}

/* More live sessions than the cache holds: it empties itself and every
 * lookup still answers right. */
TEST(auth_session_cache_overflow)
{
    struct sarhad_store *store = auth_store("auth_cache_full");
    struct sarhad_store *ro = reader_of("auth_cache_full");
    struct sarhad_session_cache *c = sarhad_session_cache_new(2);
    struct sarhad_login_limits lim;
    struct sarhad_session s[5], found;
    bool hit = false;
    int64_t t = 1700006000;

    ASSERT(store != NULL && ro != NULL && c != NULL);
    sarhad_login_limits_default(&lim);
    for (int i = 0; i < 5; i++)
        ASSERT_OK(sarhad_login(store, "amina", password, sizeof(password) - 1,
                               "10.0.0.1", t, &lim, &s[i], NULL));
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 5; i++) {
            ASSERT_OK(cached(c, ro, &s[i], t + 1, &found, &hit));
            ASSERT_EQ_STR("amina", found.actor.user);
        }
    ASSERT_OK(cached(c, ro, &s[4], t + 1, &found, &hit));
    ASSERT(hit);
    sarhad_session_cache_free(c);
    sarhad_store_close(ro);
    sarhad_store_close(store);
}
