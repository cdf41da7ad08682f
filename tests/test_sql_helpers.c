/*
 * test_sql_helpers.c - the helpers of sql_helpers.h.  No tests here.
 */
#include "sql_helpers.h"

#include "test.h"

#include <stdio.h>

void
sql_exec_ok(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

    if (rc != SQLITE_OK)
        fprintf(stderr, "    %s: %s\n", sql, msg ? msg : "?");
    sqlite3_free(msg);
    ASSERT_EQ_INT(SQLITE_OK, rc);
}

long long
sql_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

void
sql_integrity_ok(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;

    ASSERT_EQ_INT(SQLITE_OK, sqlite3_prepare_v2(db, "PRAGMA integrity_check",
                                                -1, &st, NULL));
    ASSERT_EQ_INT(SQLITE_ROW, sqlite3_step(st));
    ASSERT_EQ_STR("ok", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}
