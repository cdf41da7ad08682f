/*
 * auth_session.c - logins and sessions.  A login reads the account and the
 * throttle counters, checks the password with argon2id (the slow part, kept
 * apart so a server can do it away from its writer thread), then records
 * the outcome: a new session and a "login" audit entry, or the failure
 * counted against the account and the address and a "login_failed" entry.
 * Session tokens are 32 random bytes in hex; the store keeps their BLAKE2b
 * hash only.
 */
#include "auth.h"
#include "internal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char dummy_hash[] =
    "$argon2id$v=19$m=65536,t=2,p=1$AKB9hisS8Lkbt8hR3X5aRw$"
    "TiOPwhinr6LEarP8c+jdvWsoNpbBalSuRlV4Ky4zXe4";

static enum sarhad_status
prepared(sqlite3_stmt **st, struct sarhad_store *store, const char *sql,
         struct sarhad_error *err)
{
    *st = sarhad__store_prepare(store, sql, err);
    if (*st == NULL)
        return err != NULL && err->code != SARHAD_OK ? err->code : SARHAD_EDB;
    return SARHAD_OK;
}

static void
throttle_key(char out[64], const char *prefix, const char *value)
{
    snprintf(out, 64, "%s:%s", prefix, value);
}

static const char sql_throttle_get[] =
    "SELECT locked_until FROM login_throttle WHERE key = ?1";

/* The time until which key is locked out (0 when it is not). */
static enum sarhad_status
locked_until(struct sarhad_store *store, const char *key, int64_t *out,
             struct sarhad_error *err)
{
    sqlite3_stmt *st;
    enum sarhad_status s = prepared(&st, store, sql_throttle_get, err);
    int rc;

    if (s != SARHAD_OK)
        return s;
    *out = 0;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "read the login throttle",
                                  err);
    return SARHAD_OK;
}

static const char sql_login_user[] =
    "SELECT name, role, post, disabled, created, pwhash FROM users"
    " WHERE name = ?1";

enum sarhad_status
sarhad_login_begin(struct sarhad_store *store, struct sarhad_login *login,
                   const char *username, const char *address, int64_t now,
                   const struct sarhad_login_limits *limits,
                   struct sarhad_error *err)
{
    char key[64];
    int64_t until = 0, addr_until = 0;
    sqlite3_stmt *st;
    enum sarhad_status s;
    int rc;

    (void)limits;
    memset(login, 0, sizeof(*login));
    sarhad__strlcpy(login->username, username, sizeof(login->username));
    sarhad__strlcpy(login->address, address ? address : "",
                    sizeof(login->address));
    throttle_key(key, "user", login->username);
    s = locked_until(store, key, &until, err);
    if (s != SARHAD_OK)
        return s;
    throttle_key(key, "addr", login->address);
    s = locked_until(store, key, &addr_until, err);
    if (s != SARHAD_OK)
        return s;
    if (addr_until > until)
        until = addr_until;
    if (until > now)
        login->throttled_until = until;
    if (strlen(username) >= sizeof(login->username))
        return SARHAD_OK; /* no account has so long a name */
    s = prepared(&st, store, sql_login_user, err);
    if (s != SARHAD_OK)
        return s;
    sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_int(st, 3) == 0) {
        const unsigned char *v;
        login->user_found = true;
        v = sqlite3_column_text(st, 0);
        sarhad__strlcpy(login->user.name, (const char *)v,
                        sizeof(login->user.name));
        v = sqlite3_column_text(st, 1);
        sarhad__strlcpy(login->user.role, (const char *)v,
                        sizeof(login->user.role));
        v = sqlite3_column_text(st, 2);
        sarhad__strlcpy(login->user.post, (const char *)v,
                        sizeof(login->user.post));
        v = sqlite3_column_text(st, 4);
        sarhad__strlcpy(login->user.created, (const char *)v,
                        sizeof(login->user.created));
        v = sqlite3_column_text(st, 5);
        sarhad__strlcpy(login->pwhash, (const char *)v, sizeof(login->pwhash));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "read the user", err);
    return SARHAD_OK;
}

bool
sarhad_login_check(struct sarhad_login *login, const char *password, size_t len,
                   int64_t now)
{
    const char *hash = login->user_found ? login->pwhash : dummy_hash;
    bool ok;

    login->password_ok = false;
    if (login->throttled_until > now)
        return false;
    if (password == NULL || len > SARHAD_PASSWORD_MAX_LEN)
        len = 0;
    ok = crypto_pwhash_str_verify(hash, password ? password : "", len) == 0;
    login->password_ok = ok && login->user_found && len > 0;
    return login->password_ok;
}

static const char sql_throttle_fail[] =
    "INSERT INTO login_throttle(key, failures, window_start, locked_until)"
    " VALUES (?1, 1, ?2, 0) ON CONFLICT(key) DO UPDATE SET"
    " failures = CASE WHEN ?2 - window_start >= ?3 THEN 1"
    "  ELSE failures + 1 END,"
    " window_start = CASE WHEN ?2 - window_start >= ?3 THEN ?2"
    "  ELSE window_start END";
static const char sql_throttle_lock[] =
    "UPDATE login_throttle SET locked_until = ?2 + ?3"
    " WHERE key = ?1 AND failures >= ?4 AND locked_until <= ?2";
static const char sql_throttle_clear[] =
    "DELETE FROM login_throttle WHERE key = ?1";
static const char sql_session_insert[] =
    "INSERT INTO sessions(token_hash, user, address, created, expires)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";

/* Count one failure against key and lock it out past the limit. */
static enum sarhad_status
count_failure(struct sarhad_store *store, const char *key, unsigned limit,
              int64_t now, const struct sarhad_login_limits *limits,
              struct sarhad_error *err)
{
    sqlite3_stmt *st;
    enum sarhad_status s = prepared(&st, store, sql_throttle_fail, err);

    if (s != SARHAD_OK)
        return s;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, limits->window);
    s = sarhad__store_step_done(store, st, "count a failed login", err);
    if (s == SARHAD_OK)
        s = prepared(&st, store, sql_throttle_lock, err);
    if (s != SARHAD_OK)
        return s;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, limits->lockout);
    sqlite3_bind_int64(st, 4, limit);
    return sarhad__store_step_done(store, st, "lock out failed logins", err);
}

static enum sarhad_status
record_failure(struct sarhad_store *store, const struct sarhad_login *login,
               bool throttled, int64_t now,
               const struct sarhad_login_limits *limits,
               struct sarhad_error *err)
{
    struct sarhad_actor who;
    char key[64];
    enum sarhad_status s = SARHAD_OK;

    memset(&who, 0, sizeof(who));
    sarhad__strlcpy(who.user, login->username, sizeof(who.user));
    sarhad__strlcpy(who.address, login->address, sizeof(who.address));
    if (!throttled) {
        throttle_key(key, "user", login->username);
        s = count_failure(store, key, limits->account_failures, now, limits,
                          err);
        throttle_key(key, "addr", login->address);
        if (s == SARHAD_OK)
            s = count_failure(store, key, limits->address_failures, now, limits,
                              err);
    }
    if (s == SARHAD_OK)
        s = sarhad__audit_append(store, &who, now, "login_failed",
                                 login->username,
                                 throttled ? "{\"reason\":\"throttled\"}"
                                           : "{\"reason\":\"password\"}",
                                 NULL, err);
    return s;
}

static enum sarhad_status
record_success(struct sarhad_store *store, const struct sarhad_login *login,
               int64_t now, const struct sarhad_login_limits *limits,
               struct sarhad_session *session, struct sarhad_error *err)
{
    unsigned char raw[32], hash[32];
    char key[64];
    sqlite3_stmt *st;
    enum sarhad_status s;

    memset(session, 0, sizeof(*session));
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(session->token, sizeof(session->token), raw, sizeof(raw));
    sodium_memzero(raw, sizeof(raw));
    sarhad_session_csrf(session->csrf, session->token, SARHAD_TOKEN_LEN);
    sarhad_token_hash(hash, session->token, SARHAD_TOKEN_LEN);
    session->expires = now + limits->session_lifetime;
    sarhad__strlcpy(session->actor.user, login->user.name,
                    sizeof(session->actor.user));
    sarhad__strlcpy(session->actor.role, login->user.role,
                    sizeof(session->actor.role));
    sarhad__strlcpy(session->actor.post, login->user.post,
                    sizeof(session->actor.post));
    sarhad__strlcpy(session->actor.address, login->address,
                    sizeof(session->actor.address));

    s = prepared(&st, store, sql_session_insert, err);
    if (s != SARHAD_OK)
        return s;
    sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, login->user.name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, login->address, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, session->expires);
    s = sarhad__store_step_done(store, st, "open the session", err);
    if (s == SARHAD_OK)
        s = prepared(&st, store, sql_throttle_clear, err);
    if (s == SARHAD_OK) {
        throttle_key(key, "user", login->username);
        sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
        s = sarhad__store_step_done(store, st, "clear the login throttle", err);
    }
    if (s == SARHAD_OK)
        s = sarhad__audit_append(store, &session->actor, now, "login",
                                 login->user.name, NULL, NULL, err);
    return s;
}

enum sarhad_status
sarhad_login_finish(struct sarhad_store *store,
                    const struct sarhad_login *login, int64_t now,
                    const struct sarhad_login_limits *limits,
                    struct sarhad_session *session, struct sarhad_error *err)
{
    bool throttled = login->throttled_until > now;
    bool ok = !throttled && login->password_ok && login->user_found;
    enum sarhad_status s = sarhad__store_write_begin(store, err);

    if (s != SARHAD_OK)
        return s;
    if (ok)
        s = record_success(store, login, now, limits, session, err);
    else
        s = record_failure(store, login, throttled, now, limits, err);
    if (s != SARHAD_OK) {
        sarhad__store_write_end(store, false, NULL);
        if (ok)
            sodium_memzero(session, sizeof(*session));
        return s;
    }
    s = sarhad__store_write_end(store, true, err);
    if (s != SARHAD_OK || ok)
        return s;
    if (throttled)
        return sarhad__fail(err, SARHAD_EAUTH, "throttled", SIZE_MAX,
                            "too many failed logins; try again in %lld "
                            "seconds",
                            (long long)(login->throttled_until - now));
    return sarhad__fail(err, SARHAD_EAUTH, "password", SIZE_MAX,
                        "wrong user name or password");
}

enum sarhad_status
sarhad_login(struct sarhad_store *store, const char *username,
             const char *password, size_t len, const char *address, int64_t now,
             const struct sarhad_login_limits *limits,
             struct sarhad_session *session, struct sarhad_error *err)
{
    struct sarhad_login login;
    enum sarhad_status s;

    s = sarhad_login_begin(store, &login, username, address, now, limits, err);
    if (s != SARHAD_OK)
        return s;
    sarhad_login_check(&login, password, len, now);
    s = sarhad_login_finish(store, &login, now, limits, session, err);
    sodium_memzero(&login, sizeof(login));
    return s;
}

static const char sql_session_get[] =
    "SELECT s.expires, s.ended, u.name, u.role, u.post, u.disabled"
    " FROM sessions s JOIN users u ON u.name = s.user"
    " WHERE s.token_hash = ?1";

enum sarhad_status
sarhad__session_lookup_hash(struct sarhad_store *store,
                            const unsigned char hash[32], int64_t now,
                            struct sarhad_session *out,
                            struct sarhad_error *err)
{
    sqlite3_stmt *st;
    enum sarhad_status s;
    bool live = false;
    int rc;

    s = prepared(&st, store, sql_session_get, err);
    if (s != SARHAD_OK)
        return s;
    memset(out, 0, sizeof(*out));
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *v;
        out->expires = sqlite3_column_int64(st, 0);
        live = sqlite3_column_type(st, 1) == SQLITE_NULL &&
               out->expires > now && sqlite3_column_int(st, 5) == 0;
        v = sqlite3_column_text(st, 2);
        sarhad__strlcpy(out->actor.user, (const char *)v,
                        sizeof(out->actor.user));
        v = sqlite3_column_text(st, 3);
        sarhad__strlcpy(out->actor.role, (const char *)v,
                        sizeof(out->actor.role));
        v = sqlite3_column_text(st, 4);
        sarhad__strlcpy(out->actor.post, (const char *)v,
                        sizeof(out->actor.post));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "read the session", err);
    if (!live) {
        memset(out, 0, sizeof(*out));
        return sarhad__fail(err, SARHAD_EAUTH, "token", SIZE_MAX,
                            "the session is unknown, expired or ended");
    }
    return SARHAD_OK;
}

enum sarhad_status
sarhad_session_lookup(struct sarhad_store *store, const char *token, size_t len,
                      int64_t now, struct sarhad_session *out,
                      struct sarhad_error *err)
{
    unsigned char hash[32];

    if (token == NULL || len != SARHAD_TOKEN_LEN)
        return sarhad__fail(err, SARHAD_EAUTH, "token", SIZE_MAX,
                            "not a session token");
    sarhad_token_hash(hash, token, len);
    return sarhad__session_lookup_hash(store, hash, now, out, err);
}

static const char sql_session_end[] =
    "UPDATE sessions SET ended = ?2"
    " WHERE token_hash = ?1 AND ended IS NULL AND expires > ?2";

enum sarhad_status
sarhad_session_end(struct sarhad_store *store, const struct sarhad_actor *actor,
                   const char *token, size_t len, int64_t now,
                   struct sarhad_error *err)
{
    unsigned char hash[32];
    sqlite3_stmt *st;
    enum sarhad_status s;

    if (token == NULL || len != SARHAD_TOKEN_LEN)
        return sarhad__fail(err, SARHAD_EAUTH, "token", SIZE_MAX,
                            "not a session token");
    sarhad_token_hash(hash, token, len);
    s = sarhad__store_write_begin(store, err);
    if (s != SARHAD_OK)
        return s;
    s = prepared(&st, store, sql_session_end, err);
    if (s == SARHAD_OK) {
        sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, now);
        s = sarhad__store_step_done(store, st, "end the session", err);
    }
    if (s == SARHAD_OK && sqlite3_changes(store->db) == 0)
        s = sarhad__fail(err, SARHAD_EAUTH, "token", SIZE_MAX,
                         "the session is unknown, expired or ended");
    if (s == SARHAD_OK)
        s = sarhad__audit_append(store, actor, now, "logout", actor->user, NULL,
                                 NULL, err);
    if (s != SARHAD_OK) {
        sarhad__store_write_end(store, false, NULL);
        return s;
    }
    return sarhad__store_write_end(store, true, err);
}
