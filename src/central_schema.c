/*
 * central_schema.c - the central's tables, as numbered migrations (like a
 * post's store, store.c): steps[i], a NULL-terminated list of statements,
 * takes the schema from version i to i + 1, and a shipped step is never edited.
 * Every table is keyed by the post and the post's own id, so rows from many
 * posts never collide and a row pushed twice is refused rather than doubled.
 * Events and the rows they stand for are append-only: triggers refuse UPDATE,
 * DELETE and TRUNCATE, as the post's store does; only the post's bookkeeping
 * row (how far it has pushed) moves.
 *
 * Times the post hashed or signed keep their text exactly as written
 * (at_text): a timestamptz is for querying, and recomputing a hash needs
 * the bytes.  For the same reason an entry's detail is kept as text beside
 * its jsonb.
 */
#include "central.h"

#include <stdio.h>
#include <stdlib.h>

/* Version 1, a statement at a time (one string would pass the length C
 * compilers must accept). */
static const char *const version_1[] = {
    "CREATE FUNCTION sarhad_append_only() RETURNS trigger"
    " LANGUAGE plpgsql AS $$ BEGIN"
    " RAISE EXCEPTION '% is append-only', TG_TABLE_NAME"
    " USING ERRCODE = 'insufficient_privilege'; END $$;",

    "CREATE TABLE post ("
    " code text PRIMARY KEY,"
    " public_key bytea CHECK (length(public_key) = 32),"
    " last_seq bigint NOT NULL DEFAULT 0,"
    " last_hash bytea NOT NULL CHECK (length(last_hash) = 32),"
    " last_event_at timestamptz,"
    " last_checkpoint_seq bigint NOT NULL DEFAULT 0,"
    " first_push_at timestamptz NOT NULL DEFAULT now(),"
    " last_push_at timestamptz NOT NULL DEFAULT now());",

    "CREATE TABLE event ("
    " post text NOT NULL REFERENCES post(code),"
    " seq bigint NOT NULL CHECK (seq > 0),"
    " at timestamptz NOT NULL,"
    " at_text text NOT NULL,"
    " actor_user text NOT NULL,"
    " actor_role text NOT NULL,"
    " actor_post text NOT NULL,"
    " actor_address text NOT NULL,"
    " kind text NOT NULL,"
    " subject text NOT NULL,"
    " detail text NOT NULL,"
    " detail_json jsonb NOT NULL,"
    " prev_hash bytea NOT NULL CHECK (length(prev_hash) = 32),"
    " hash bytea NOT NULL CHECK (length(hash) = 32),"
    " pushed_at timestamptz NOT NULL DEFAULT now(),"
    " PRIMARY KEY (post, seq));",
    "CREATE INDEX event_kind ON event (kind, at);",

    "CREATE TABLE attempt ("
    " post text NOT NULL,"
    " id bigint NOT NULL,"
    " crossing text NOT NULL,"
    " counter text NOT NULL,"
    " officer text NOT NULL,"
    " direction text NOT NULL,"
    " time timestamptz NOT NULL,"
    " day date NOT NULL,"
    " recorded_at timestamptz NOT NULL,"
    " traveller_id bigint NOT NULL,"
    " nationality text NOT NULL,"
    " decision text NOT NULL,"
    " rule text NOT NULL,"
    " policy_name text NOT NULL,"
    " policy_version integer NOT NULL,"
    " overstay_days integer NOT NULL,"
    " fine_usd integer NOT NULL,"
    " allowed_days integer NOT NULL,"
    " presentation jsonb NOT NULL,"
    " decision_json jsonb NOT NULL,"
    /* An exit's returns details (DOMAIN.md section 6), NULL otherwise. */
    " return_category text,"
    " return_documentation text,"
    " return_household text,"
    " return_household_size integer,"
    " return_sex text,"
    " return_age_band text,"
    " return_vulnerabilities integer,"
    " return_vehicles integer,"
    " return_intended_stay text,"
    " audit_seq bigint NOT NULL,"
    " PRIMARY KEY (post, id),"
    " FOREIGN KEY (post, audit_seq) REFERENCES event (post, seq));",
    "CREATE INDEX attempt_day ON attempt (day, crossing);",

    "CREATE TABLE resolution ("
    " post text NOT NULL,"
    " attempt_id bigint NOT NULL,"
    " kind text NOT NULL CHECK (kind IN ('resolution', 'override')),"
    " decision text NOT NULL,"
    " reason text NOT NULL,"
    " by_user text NOT NULL,"
    " by_role text NOT NULL,"
    " at timestamptz NOT NULL,"
    " audit_seq bigint NOT NULL,"
    " PRIMARY KEY (post, attempt_id),"
    " FOREIGN KEY (post, attempt_id) REFERENCES attempt (post, id),"
    " FOREIGN KEY (post, audit_seq) REFERENCES event (post, seq));",

    "CREATE TABLE policy_version ("
    " post text NOT NULL,"
    " number integer NOT NULL,"
    " name text NOT NULL,"
    " version integer NOT NULL,"
    " filename text NOT NULL,"
    " text text NOT NULL,"
    " sha256 text NOT NULL,"
    " published_at timestamptz NOT NULL,"
    " published_by text NOT NULL,"
    " audit_seq bigint NOT NULL,"
    " PRIMARY KEY (post, number),"
    " FOREIGN KEY (post, audit_seq) REFERENCES event (post, seq));",

    "CREATE TABLE audit_checkpoint ("
    " post text NOT NULL,"
    " seq bigint NOT NULL,"
    " hash bytea NOT NULL CHECK (length(hash) = 32),"
    " at timestamptz NOT NULL,"
    " at_text text NOT NULL,"
    " signature bytea NOT NULL CHECK (length(signature) = 64),"
    " PRIMARY KEY (post, seq),"
    " FOREIGN KEY (post, seq) REFERENCES event (post, seq));",

    "CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON event"
    " FOR EACH ROW EXECUTE FUNCTION sarhad_append_only();"
    "CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON event"
    " FOR EACH STATEMENT EXECUTE FUNCTION sarhad_append_only();"
    "CREATE TRIGGER attempt_append_only BEFORE UPDATE OR DELETE ON attempt"
    " FOR EACH ROW EXECUTE FUNCTION sarhad_append_only();"
    "CREATE TRIGGER attempt_no_truncate BEFORE TRUNCATE ON attempt"
    " FOR EACH STATEMENT EXECUTE FUNCTION sarhad_append_only();"
    "CREATE TRIGGER resolution_append_only BEFORE UPDATE OR DELETE"
    " ON resolution FOR EACH ROW EXECUTE FUNCTION sarhad_append_only();"
    "CREATE TRIGGER resolution_no_truncate BEFORE TRUNCATE ON resolution"
    " FOR EACH STATEMENT EXECUTE FUNCTION sarhad_append_only();"
    "CREATE TRIGGER policy_append_only BEFORE UPDATE OR DELETE"
    " ON policy_version FOR EACH ROW EXECUTE FUNCTION sarhad_append_only();"
    "CREATE TRIGGER policy_no_truncate BEFORE TRUNCATE ON policy_version"
    " FOR EACH STATEMENT EXECUTE FUNCTION sarhad_append_only();"
    "CREATE TRIGGER checkpoint_append_only BEFORE UPDATE OR DELETE"
    " ON audit_checkpoint FOR EACH ROW"
    " EXECUTE FUNCTION sarhad_append_only();"
    "CREATE TRIGGER checkpoint_no_truncate BEFORE TRUNCATE"
    " ON audit_checkpoint FOR EACH STATEMENT"
    " EXECUTE FUNCTION sarhad_append_only();",
    NULL,
};

/* Version 2: the ministry's signed bundles, published once for every post
 * to take (central_bundle.c); kept as published, like the rest. */
static const char *const version_2[] = {
    "CREATE TABLE bundle ("
    " id bigserial PRIMARY KEY,"
    " kind text NOT NULL CHECK (kind IN ('policy', 'watchlist', 'key')),"
    " serial bigint NOT NULL CHECK (serial > 0),"
    " issuer text NOT NULL,"
    " issued timestamptz NOT NULL,"
    " name text NOT NULL,"
    " sha256 text NOT NULL,"
    " body bytea NOT NULL,"
    " published_at timestamptz NOT NULL DEFAULT now(),"
    " UNIQUE (issuer, kind, serial));",
    "CREATE TRIGGER bundle_append_only BEFORE UPDATE OR DELETE ON bundle"
    " FOR EACH ROW EXECUTE FUNCTION sarhad_append_only();"
    "CREATE TRIGGER bundle_no_truncate BEFORE TRUNCATE ON bundle"
    " FOR EACH STATEMENT EXECUTE FUNCTION sarhad_append_only();",
    NULL,
};

const char *const *const sarhad__central_steps[] = {version_1, version_2};
const size_t sarhad__central_step_count =
    SARHAD_COUNT_OF(sarhad__central_steps);

/* The schema's own bookkeeping, created before any step. */
static const char sql_schema_table[] =
    "CREATE TABLE IF NOT EXISTS sarhad_schema ("
    " component text PRIMARY KEY,"
    " version integer NOT NULL)";
/* One lock for every migrating session: the first creates, the others
 * find the tables made when they get it. */
static const char sql_migrate_lock[] =
    "SELECT pg_advisory_xact_lock(hashtext('sarhad central schema'))";
static const char sql_version[] =
    "SELECT version FROM sarhad_schema WHERE component = 'central'";
static const char sql_version_set[] =
    "INSERT INTO sarhad_schema (component, version) VALUES ('central', $1)"
    " ON CONFLICT (component) DO UPDATE SET version = excluded.version";

/* The version in sarhad_schema (0 when it has no row). */
static enum sarhad_status
read_version(struct sarhad_central *central, int *version,
             struct sarhad_error *err)
{
    PGresult *res =
        sarhad__central_run(central, sql_version, NULL, "read the schema", err);

    if (res == NULL)
        return err != NULL ? err->code : SARHAD_EDB;
    *version = PQntuples(res) > 0 ? atoi(PQgetvalue(res, 0, 0)) : 0;
    PQclear(res);
    return SARHAD_OK;
}

static enum sarhad_status
migrate_in(struct sarhad_central *central, int *version,
           struct sarhad_error *err)
{
    struct sarhad__pg_params p = {0};
    enum sarhad_status s;
    PGresult *res;
    int have = 0;
    char what[48];

    res = sarhad__central_run(central, sql_migrate_lock, NULL,
                              "lock the schema", err);
    if (res == NULL)
        return err != NULL ? err->code : SARHAD_EDB;
    PQclear(res);
    s = sarhad__central_exec(central, sql_schema_table, "create sarhad_schema",
                             err);
    if (s == SARHAD_OK)
        s = read_version(central, &have, err);
    if (s != SARHAD_OK)
        return s;
    if (have > (int)sarhad__central_step_count)
        return sarhad__fail(err, SARHAD_EDB, "central", SIZE_MAX,
                            "the central's schema (version %d) is newer than "
                            "this sarhad's (%zu): upgrade sarhad",
                            have, sarhad__central_step_count);
    for (int v = have; v < (int)sarhad__central_step_count; v++) {
        snprintf(what, sizeof(what), "migrate the central to version %d",
                 v + 1);
        for (const char *const *sql = sarhad__central_steps[v];
             s == SARHAD_OK && *sql != NULL; sql++)
            s = sarhad__central_exec(central, *sql, what, err);
        if (s != SARHAD_OK)
            return s;
    }
    sarhad__pg_int(&p, (int64_t)sarhad__central_step_count);
    res = sarhad__central_run(central, sql_version_set, &p,
                              "record the schema version", err);
    if (res == NULL)
        return err != NULL ? err->code : SARHAD_EDB;
    PQclear(res);
    *version = (int)sarhad__central_step_count;
    return SARHAD_OK;
}

enum sarhad_status
sarhad_central_migrate(struct sarhad_central *central, int *version,
                       struct sarhad_error *err)
{
    enum sarhad_status s;
    int v = 0;

    s = sarhad__central_exec(central, "BEGIN", "begin the migration", err);
    if (s != SARHAD_OK)
        return s;
    s = migrate_in(central, &v, err);
    if (s == SARHAD_OK)
        s = sarhad__central_exec(central, "COMMIT", "commit the migration",
                                 err);
    if (s != SARHAD_OK) {
        PGresult *res = PQexec(central->conn, "ROLLBACK");
        PQclear(res);
        return s;
    }
    if (version != NULL)
        *version = v;
    return SARHAD_OK;
}

enum sarhad_status
sarhad__central_require_schema(struct sarhad_central *central,
                               struct sarhad_error *err)
{
    PGresult *res;
    int have;

    /* to_regclass first: a central never initialised is told so, not
     * answered with "relation does not exist". */
    res = PQexec(central->conn, "SELECT to_regclass('sarhad_schema')");
    if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
        enum sarhad_status s =
            sarhad__central_fail(central, res, "read the schema", err);
        PQclear(res);
        return s;
    }
    have = PQgetisnull(res, 0, 0) ? -1 : 0;
    PQclear(res);
    if (have == 0) {
        enum sarhad_status s = read_version(central, &have, err);
        if (s != SARHAD_OK)
            return s;
    }
    if (have == (int)sarhad__central_step_count)
        return SARHAD_OK;
    if (have > (int)sarhad__central_step_count)
        return sarhad__fail(err, SARHAD_EDB, "central", SIZE_MAX,
                            "the central's schema (version %d) is newer than "
                            "this sarhad's: upgrade sarhad",
                            have);
    return sarhad__fail(err, SARHAD_EDB, "central", SIZE_MAX,
                        "the central has no sarhad schema or an old one: run "
                        "`sarhad central init` first");
}
