/*
 * auth.c - accounts, logins and sessions of a post's store.  Passwords are
 * kept only as argon2id hashes (libsodium); sessions are random 256-bit
 * tokens of which the store keeps only a BLAKE2b hash, so a copy of the
 * store gives nobody a way in.  Failed logins are counted per account and
 * per address and lock them out for a while.  Every account change and
 * every login, good or bad, appends an audit entry in the same transaction
 * as the change it records.
 */
#include "auth.h"
#include "internal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

const char *const sarhad__auth_steps[] = {
    "CREATE TABLE users ("
    " name TEXT PRIMARY KEY,"
    " role TEXT NOT NULL,"
    " post TEXT NOT NULL,"
    " pwhash TEXT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0,"
    " created TEXT NOT NULL,"
    " changed TEXT NOT NULL) STRICT;"
    "CREATE TRIGGER users_no_delete BEFORE DELETE ON users"
    " BEGIN SELECT RAISE(ABORT, 'accounts are disabled, never deleted'); END;"
    "CREATE TABLE sessions ("
    " token_hash BLOB PRIMARY KEY,"
    " user TEXT NOT NULL REFERENCES users(name),"
    " address TEXT NOT NULL,"
    " created INTEGER NOT NULL,"
    " expires INTEGER NOT NULL,"
    " ended INTEGER) STRICT;"
    "CREATE INDEX sessions_user ON sessions(user);"
    "CREATE TABLE login_throttle ("
    " key TEXT PRIMARY KEY,"
    " failures INTEGER NOT NULL,"
    " window_start INTEGER NOT NULL,"
    " locked_until INTEGER NOT NULL) STRICT;",
    /* The auth epoch: one counter that every change to an account or a
     * session moves, whoever makes it (this library, another process, a
     * hand-typed UPDATE), in the same transaction.  A session cache
     * (auth_cache.c) stays valid while the epoch it read is unchanged.
     * New sessions need no bump: a cache has never seen them. */
    "CREATE TABLE auth_epoch ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " n INTEGER NOT NULL) STRICT;"
    "INSERT INTO auth_epoch(id, n) VALUES (1, 0);"
    "CREATE TRIGGER auth_epoch_users AFTER UPDATE ON users"
    " BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;"
    "CREATE TRIGGER auth_epoch_sessions_update AFTER UPDATE ON sessions"
    " BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;"
    "CREATE TRIGGER auth_epoch_sessions_delete AFTER DELETE ON sessions"
    " BEGIN UPDATE auth_epoch SET n = n + 1 WHERE id = 1; END;",
};
const size_t sarhad__auth_step_count = SARHAD_COUNT_OF(sarhad__auth_steps);

static const char *const roles[] = {
#define ROLE_NAME(name, text) text,
    SARHAD_ROLE_MAP(ROLE_NAME)
#undef ROLE_NAME
};

bool
sarhad_role_is_valid(const char *role)
{
    for (size_t i = 0; role != NULL && i < SARHAD_COUNT_OF(roles); i++)
        if (strcmp(role, roles[i]) == 0)
            return true;
    return false;
}

bool
sarhad_role_needs_post(const char *role)
{
    return role != NULL &&
           (strcmp(role, "officer") == 0 || strcmp(role, "supervisor") == 0);
}

void
sarhad_login_limits_default(struct sarhad_login_limits *out)
{
    out->account_failures = 5;
    out->address_failures = 20;
    out->window = 900;
    out->lockout = 900;
    out->session_lifetime = 43200;
}

/* Names and posts are kept to a plain alphabet, so they are safe in log
 * lines, JSON and URLs without escaping. */
static bool
valid_name(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n >= 32 || s[0] < 'a' || s[0] > 'z')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-'))
            return false;
    }
    return true;
}

static bool
valid_post(const char *s)
{
    size_t n = strlen(s);

    if (n >= 16)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_'))
            return false;
    return true;
}

enum sarhad_status
sarhad_password_hash(char out[SARHAD_PWHASH_LEN], const char *password,
                     size_t len, struct sarhad_error *err)
{
    if (password == NULL || len < SARHAD_PASSWORD_MIN_LEN ||
        len > SARHAD_PASSWORD_MAX_LEN || memchr(password, 0, len) != NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "password", SIZE_MAX,
                            "a password has %d to %d characters",
                            SARHAD_PASSWORD_MIN_LEN, SARHAD_PASSWORD_MAX_LEN);
    if (crypto_pwhash_str(out, password, len,
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return sarhad__fail(err, SARHAD_ENOMEM, "password", SIZE_MAX,
                            "not enough memory to hash the password");
    return SARHAD_OK;
}

void
sarhad_token_hash(unsigned char out[32], const char *token, size_t len)
{
    crypto_generichash(out, 32, (const unsigned char *)token, len, NULL, 0);
}

void
sarhad_session_csrf(char out[SARHAD_TOKEN_LEN + 1], const char *token,
                    size_t len)
{
    static const unsigned char key[] = "sarhad-csrf-v1..sarhad-csrf-v1..";
    unsigned char h[32];

    crypto_generichash(h, sizeof(h), (const unsigned char *)token, len, key,
                       32);
    sodium_bin2hex(out, SARHAD_TOKEN_LEN + 1, h, sizeof(h));
}

static void
now_text(char out[26], int64_t now)
{
    struct sarhad_time t = sarhad_time_from_unix(now, 0);

    sarhad_time_format(out, &t);
}

static enum sarhad_status
prepared(sqlite3_stmt **st, struct sarhad_store *store, const char *sql,
         struct sarhad_error *err)
{
    *st = sarhad__store_prepare(store, sql, err);
    if (*st == NULL)
        return err != NULL && err->code != SARHAD_OK ? err->code : SARHAD_EDB;
    return SARHAD_OK;
}

static const char sql_user_insert[] =
    "INSERT INTO users(name, role, post, pwhash, disabled, created, changed)"
    " VALUES (?1, ?2, ?3, ?4, 0, ?5, ?5)";

enum sarhad_status
sarhad_user_add(struct sarhad_store *store, const struct sarhad_actor *actor,
                const struct sarhad_user *user, const char *pwhash, int64_t now,
                struct sarhad_error *err)
{
    char at[26], detail[96];
    sqlite3_stmt *st;
    enum sarhad_status s;

    if (!valid_name(user->name))
        return sarhad__fail(err, SARHAD_EINVAL, "username", SIZE_MAX,
                            "a user name has 1 to 31 characters a-z 0-9 . _ -"
                            " and starts with a letter");
    if (!sarhad_role_is_valid(user->role))
        return sarhad__fail(err, SARHAD_EINVAL, "role", SIZE_MAX,
                            "the role must be officer, supervisor, analyst, "
                            "admin or auditor");
    if (!valid_post(user->post))
        return sarhad__fail(err, SARHAD_EINVAL, "post", SIZE_MAX,
                            "a post code has up to 15 characters A-Z and _");
    if (sarhad_role_needs_post(user->role) && user->post[0] == '\0')
        return sarhad__fail(err, SARHAD_EINVAL, "post", SIZE_MAX,
                            "an %s belongs to a post: give its code",
                            user->role);
    if (pwhash == NULL || strncmp(pwhash, "$argon2id$", 10) != 0 ||
        strlen(pwhash) >= SARHAD_PWHASH_LEN)
        return sarhad__fail(err, SARHAD_EINVAL, "password", SIZE_MAX,
                            "not an argon2id password hash");
    now_text(at, now);
    /* Every value here was checked against a plain alphabet above. */
    snprintf(detail, sizeof(detail), "{\"role\":\"%s\",\"post\":\"%s\"}",
             user->role, user->post);
    s = sarhad__store_write_begin(store, err);
    if (s != SARHAD_OK)
        return s;
    s = prepared(&st, store, sql_user_insert, err);
    if (s == SARHAD_OK) {
        sqlite3_bind_text(st, 1, user->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, user->role, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, user->post, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, pwhash, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
        s = sarhad__store_step_done(store, st, "add the user", err);
        if (s == SARHAD_EEXIST)
            s = sarhad__fail(err, SARHAD_EEXIST, "username", SIZE_MAX,
                             "a user named '%s' already exists", user->name);
    }
    if (s == SARHAD_OK)
        s = sarhad__audit_append(store, actor, now, "user_added", user->name,
                                 detail, NULL, err);
    if (s != SARHAD_OK) {
        sarhad__store_write_end(store, false, NULL);
        return s;
    }
    return sarhad__store_write_end(store, true, err);
}

static const char sql_user_get[] =
    "SELECT name, role, post, disabled, created FROM users WHERE name = ?1";
static const char sql_user_list[] =
    "SELECT name, role, post, disabled, created FROM users ORDER BY name";

static void
row_text(char *out, size_t cap, sqlite3_stmt *st, int col)
{
    const unsigned char *v = sqlite3_column_text(st, col);

    sarhad__strlcpy(out, v != NULL ? (const char *)v : "", cap);
}

static void
row_user(struct sarhad_user *u, sqlite3_stmt *st)
{
    memset(u, 0, sizeof(*u));
    row_text(u->name, sizeof(u->name), st, 0);
    row_text(u->role, sizeof(u->role), st, 1);
    row_text(u->post, sizeof(u->post), st, 2);
    u->is_disabled = sqlite3_column_int(st, 3) != 0;
    row_text(u->created, sizeof(u->created), st, 4);
}

enum sarhad_status
sarhad_user_get(struct sarhad_store *store, const char *name,
                struct sarhad_user *out, struct sarhad_error *err)
{
    sqlite3_stmt *st;
    enum sarhad_status s = prepared(&st, store, sql_user_get, err);
    int rc;

    if (s != SARHAD_OK)
        return s;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_user(out, st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return sarhad__fail(err, SARHAD_ENOTFOUND, "username", SIZE_MAX,
                            "no such user");
    if (rc != SQLITE_ROW)
        return sarhad__store_fail(store->db, rc, "read the user", err);
    return SARHAD_OK;
}

enum sarhad_status
sarhad_user_list(struct sarhad_store *store,
                 bool (*fn)(void *ctx, const struct sarhad_user *user),
                 void *ctx, struct sarhad_error *err)
{
    sqlite3_stmt *st;
    enum sarhad_status s = prepared(&st, store, sql_user_list, err);
    struct sarhad_user u;
    int rc;

    if (s != SARHAD_OK)
        return s;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        row_user(&u, st);
        if (!fn(ctx, &u)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "list the users", err);
    return SARHAD_OK;
}

static const char sql_user_disable[] =
    "UPDATE users SET disabled = 1, changed = ?2 WHERE name = ?1";
static const char sql_user_enable[] =
    "UPDATE users SET disabled = 0, changed = ?2 WHERE name = ?1";
static const char sql_user_passwd[] =
    "UPDATE users SET pwhash = ?3, changed = ?2 WHERE name = ?1";
static const char sql_sessions_end_user[] =
    "UPDATE sessions SET ended = ?2 WHERE user = ?1 AND ended IS NULL";

/* Change one account (disable or enable it, or set its password), end its
 * sessions and record kind in the audit log, all in one transaction. */
static enum sarhad_status
user_change(struct sarhad_store *store, const struct sarhad_actor *actor,
            const char *name, const char *sql, const char *pwhash,
            const char *kind, int64_t now, struct sarhad_error *err)
{
    char at[26];
    sqlite3_stmt *st;
    enum sarhad_status s;

    if (name == NULL || !valid_name(name))
        return sarhad__fail(err, SARHAD_ENOTFOUND, "username", SIZE_MAX,
                            "no such user");
    now_text(at, now);
    s = sarhad__store_write_begin(store, err);
    if (s != SARHAD_OK)
        return s;
    s = prepared(&st, store, sql, err);
    if (s == SARHAD_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
        if (pwhash != NULL)
            sqlite3_bind_text(st, 3, pwhash, -1, SQLITE_STATIC);
        s = sarhad__store_step_done(store, st, "change the user", err);
    }
    if (s == SARHAD_OK && sqlite3_changes(store->db) == 0)
        s = sarhad__fail(err, SARHAD_ENOTFOUND, "username", SIZE_MAX,
                         "no such user");
    if (s == SARHAD_OK)
        s = prepared(&st, store, sql_sessions_end_user, err);
    if (s == SARHAD_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, now);
        s = sarhad__store_step_done(store, st, "end the user's sessions", err);
    }
    if (s == SARHAD_OK)
        s = sarhad__audit_append(store, actor, now, kind, name, NULL, NULL,
                                 err);
    if (s != SARHAD_OK) {
        sarhad__store_write_end(store, false, NULL);
        return s;
    }
    return sarhad__store_write_end(store, true, err);
}

enum sarhad_status
sarhad_user_disable(struct sarhad_store *store,
                    const struct sarhad_actor *actor, const char *name,
                    int64_t now, struct sarhad_error *err)
{
    return user_change(store, actor, name, sql_user_disable, NULL,
                       "user_disabled", now, err);
}

enum sarhad_status
sarhad_user_enable(struct sarhad_store *store, const struct sarhad_actor *actor,
                   const char *name, int64_t now, struct sarhad_error *err)
{
    /* A disabled account has no sessions left to end; its password is the
     * one it had. */
    return user_change(store, actor, name, sql_user_enable, NULL,
                       "user_enabled", now, err);
}

enum sarhad_status
sarhad_user_set_password(struct sarhad_store *store,
                         const struct sarhad_actor *actor, const char *name,
                         const char *pwhash, int64_t now,
                         struct sarhad_error *err)
{
    if (pwhash == NULL || strncmp(pwhash, "$argon2id$", 10) != 0 ||
        strlen(pwhash) >= SARHAD_PWHASH_LEN)
        return sarhad__fail(err, SARHAD_EINVAL, "password", SIZE_MAX,
                            "not an argon2id password hash");
    return user_change(store, actor, name, sql_user_passwd, pwhash,
                       "password_changed", now, err);
}

const char *
sarhad_store_post(const struct sarhad_store *store)
{
    return store->post;
}

int
sarhad_store_utc_offset(struct sarhad_store *store)
{
    char citizens[8];

    if (sarhad__store_meta_get(store, "citizens", citizens, sizeof(citizens),
                               NULL) == SARHAD_OK &&
        strcmp(citizens, "AFG") == 0)
        return 270;
    return 300;
}
