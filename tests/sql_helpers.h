/*
 * sql_helpers.h - what the tests of the store's SQLite machinery share:
 * running a statement that must succeed, reading one integer, and SQLite's
 * own integrity check.  A failure marks the running test failed.
 */
#ifndef SARHAD_SQL_HELPERS_H
#define SARHAD_SQL_HELPERS_H

#include <sqlite3.h>

/* Runs sql (one or more statements); anything but SQLITE_OK fails. */
void sql_exec_ok(sqlite3 *db, const char *sql);

/* The first column of sql's first row; -1 when it cannot be read. */
long long sql_int(sqlite3 *db, const char *sql);

/* PRAGMA integrity_check says "ok". */
void sql_integrity_ok(sqlite3 *db);

#endif
