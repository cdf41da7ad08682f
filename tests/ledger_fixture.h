/*
 * ledger_fixture.h - helpers shared by the ledger's tests
 * (test_ledger_fixture.c).
 */
#ifndef SARHAD_TEST_LEDGER_FIXTURE_H
#define SARHAD_TEST_LEDGER_FIXTURE_H

#include "test.h"

#include "../src/ledger.h"

extern const struct sarhad_actor officer;
extern const struct sarhad_actor supervisor;

struct sarhad_date D(int y, int m, int d);
/* A fresh store at DIR/name with the test policy published and its ledger
 * open in *ledger; NULL on failure. */
struct sarhad_store *fresh(const char *name, struct sarhad_ledger **ledger);
/* Start a presentation: crossing, direction, day (09:00 +05:00),
 * nationality; a man born 1 Jan 1990. */
void begin(struct sarhad_presentation *p, const char *crossing,
           enum sarhad_direction dir, struct sarhad_date day, const char *nat);
/* Add a document with a real MRZ (surname, number, expiry). */
void mrz_doc(struct sarhad_presentation *p, enum sarhad_doc_kind kind,
             enum sarhad_mrz_format format, const char *issuer, const char *nat,
             const char *surname, const char *number,
             struct sarhad_date expiry);
void passport(struct sarhad_presentation *p, const char *number);
void visa(struct sarhad_presentation *p, const char *number,
          enum sarhad_visa_entries entries, int stay_days);
/* Add a document known by its number alone (CNIC, tazkira, PoR, ACC). */
void numbered(struct sarhad_presentation *p, enum sarhad_doc_kind kind,
              const char *number);
bool has_flag(const struct sarhad_decision *d, const char *code);
/* The first column of the first row of sql, -1 for none, -2 on error. */
long long scalar(struct sarhad_store *store, const char *sql);
/* How many problems sarhad_ledger_verify finds, printed when show. */
unsigned problems_shown(struct sarhad_store *store, bool show);
unsigned problems(struct sarhad_store *store);

#endif
