/*
 * central.c - the connection to the central PostgreSQL store: opening it
 * with timeouts that suit a post's unreliable link, statements prepared
 * once per connection (never SQL built from data), and libpq's failures
 * turned into the library's statuses with messages safe to log.
 */
#include "central.h"

#include <stdio.h>
#include <string.h>

static void
ignore_notice(void *ctx, const char *message)
{
    (void)ctx;
    (void)message;
}

enum sarhad_status
sarhad_central_open(struct sarhad_central **out, const char *conninfo,
                    struct sarhad_error *err)
{
    /* Defaults first: expand_dbname lets the conninfo override them.  A
     * post's link may drop in the middle of a push; without the TCP
     * timeouts a connection would wait on a dead peer for many minutes. */
    static const char *const keys[] = {"connect_timeout",
                                       "keepalives_idle",
                                       "keepalives_interval",
                                       "keepalives_count",
                                       "tcp_user_timeout",
                                       "application_name",
                                       "dbname",
                                       NULL};
    const char *values[] = {"10",    "10",     "5",      "3",
                            "30000", "sarhad", conninfo, NULL};
    struct sarhad_central *central;

    *out = NULL;
    if (conninfo == NULL || conninfo[0] == '\0')
        return sarhad__fail(err, SARHAD_EINVAL, "central", SIZE_MAX,
                            "no central connection string given");
    central = sarhad__calloc(1, sizeof(*central));
    if (central == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "central", SIZE_MAX, NULL);
    central->conn = PQconnectdbParams(keys, values, 1);
    if (central->conn == NULL) {
        sarhad__free(central);
        return sarhad__fail(err, SARHAD_ENOMEM, "central", SIZE_MAX, NULL);
    }
    if (PQstatus(central->conn) != CONNECTION_OK) {
        enum sarhad_status s =
            sarhad__central_fail(central, NULL, "connect to the central", err);
        sarhad_central_close(central);
        return s;
    }
    /* The server's notices ("already exists, skipping") are not for the
     * operator; libpq would print them on standard error. */
    PQsetNoticeProcessor(central->conn, ignore_notice, NULL);
    *out = central;
    return SARHAD_OK;
}

void
sarhad_central_close(struct sarhad_central *central)
{
    if (central == NULL)
        return;
    PQfinish(central->conn);
    sarhad__free(central);
}

/* libpq's message on one line, without its trailing newline. */
static void
one_line(char *out, size_t cap, const char *msg)
{
    size_t n = 0;

    for (; msg != NULL && *msg != '\0' && n + 1 < cap; msg++) {
        char c = *msg;
        if (c == '\n' || c == '\r')
            c = ' ';
        out[n++] = c;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
}

enum sarhad_status
sarhad__central_fail(struct sarhad_central *central, const PGresult *res,
                     const char *what, struct sarhad_error *err)
{
    const char *state =
        res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary =
        res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char msg[160];

    if (central->conn == NULL || PQstatus(central->conn) != CONNECTION_OK ||
        (state == NULL && primary == NULL)) {
        one_line(msg, sizeof(msg), PQerrorMessage(central->conn));
        return sarhad__fail(err, SARHAD_EIO, "central", SIZE_MAX,
                            "cannot %s: %s", what,
                            msg[0] != '\0' ? msg : "the connection failed");
    }
    if (state != NULL && strncmp(state, "22", 2) == 0)
        return sarhad__fail(err, SARHAD_EDB, "central", SIZE_MAX,
                            "cannot %s: the central refused a value "
                            "(SQLSTATE %s)",
                            what, state);
    one_line(msg, sizeof(msg), primary);
    return sarhad__fail(err, SARHAD_EDB, "central", SIZE_MAX,
                        "cannot %s: %s (SQLSTATE %s)", what, msg,
                        state != NULL ? state : "?");
}

const char *
sarhad__central_stmt(struct sarhad_central *central, const char *sql,
                     char name[8], struct sarhad_error *err)
{
    size_t i = 0;
    PGresult *res;

    while (i < central->stmt_count && central->stmt_sql[i] != sql)
        i++;
    snprintf(name, 8, "s%zu", i);
    if (i < central->stmt_count)
        return name;
    if (i == SARHAD__CENTRAL_MAX_STMTS) {
        sarhad__fail(err, SARHAD_EDB, "central", SIZE_MAX,
                     "too many prepared statements on one connection");
        return NULL;
    }
    res = PQprepare(central->conn, name, sql, 0, NULL);
    if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
        sarhad__central_fail(central, res, "prepare a statement", err);
        PQclear(res);
        return NULL;
    }
    PQclear(res);
    central->stmt_sql[i] = sql;
    central->stmt_count++;
    return name;
}

PGresult *
sarhad__central_run(struct sarhad_central *central, const char *sql,
                    const struct sarhad__pg_params *p, const char *what,
                    struct sarhad_error *err)
{
    static const struct sarhad__pg_params none = {0};
    char name[8];
    PGresult *res;
    ExecStatusType st;

    if (p == NULL)
        p = &none;
    if (sarhad__central_stmt(central, sql, name, err) == NULL)
        return NULL;
    res = PQexecPrepared(central->conn, name, p->n, p->value, p->len, p->format,
                         0);
    st = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return res;
    sarhad__central_fail(central, res, what, err);
    PQclear(res);
    return NULL;
}

enum sarhad_status
sarhad__central_exec(struct sarhad_central *central, const char *sql,
                     const char *what, struct sarhad_error *err)
{
    PGresult *res = PQexec(central->conn, sql);
    ExecStatusType st = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    enum sarhad_status s = SARHAD_OK;

    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        s = sarhad__central_fail(central, res, what, err);
    PQclear(res);
    return s;
}

void
sarhad__pg_text(struct sarhad__pg_params *p, const char *s)
{
    p->value[p->n] = s;
    p->len[p->n] = 0;
    p->format[p->n] = 0;
    p->n++;
}

void
sarhad__pg_int(struct sarhad__pg_params *p, int64_t v)
{
    snprintf(p->num[p->n], sizeof(p->num[p->n]), "%lld", (long long)v);
    sarhad__pg_text(p, p->num[p->n]);
}

void
sarhad__pg_bytes(struct sarhad__pg_params *p, const void *b, size_t len)
{
    p->value[p->n] = b;
    p->len[p->n] = (int)len;
    p->format[p->n] = 1;
    p->n++;
}

static int
hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool
sarhad__pg_bytea(unsigned char *out, size_t cap, const PGresult *res, int row,
                 int col)
{
    const char *v = PQgetvalue(res, row, col);
    size_t len = (size_t)PQgetlength(res, row, col);

    if (PQgetisnull(res, row, col) || len != 2 + 2 * cap || v[0] != '\\' ||
        v[1] != 'x')
        return false;
    for (size_t i = 0; i < cap; i++) {
        int hi = hex_digit(v[2 + 2 * i]), lo = hex_digit(v[3 + 2 * i]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return true;
}
