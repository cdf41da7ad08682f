/*
 * fuzz_watchlist_csv.c - the CSV list reader on any bytes.  Invariants:
 * it returns a status, never crashes; every entry it hands over has an id,
 * a primary name, counts within their arrays and real birth dates; an
 * error carries a line (and a column) inside the input.
 */
#include "sarhad.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
check(void *ctx, const struct sarhad_watchlist_entry *e)
{
    (void)ctx;
    if (e->id[0] == '\0' || e->name_count == 0 ||
        e->name_count > SARHAD_WL_MAX_NAMES ||
        e->birth_count > SARHAD_WL_MAX_BIRTHS ||
        e->nationality_count > SARHAD_WL_MAX_NATS)
        abort();
    for (unsigned i = 0; i < e->birth_count; i++)
        if (sarhad_date_cmp(e->births[i].from, e->births[i].to) > 0 ||
            !sarhad_date_is_valid(e->births[i].from.year,
                                  e->births[i].from.month,
                                  e->births[i].from.day))
            abort();
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sarhad_error err;
    unsigned lines = 1;

    if (size > 65536)
        return 0;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    sarhad_error_clear(&err);
    if (sarhad_watchlist_parse((const char *)data, size, SARHAD_WL_CSV, check,
                               NULL, &err) != SARHAD_OK &&
        (err.line == 0 || err.line > lines))
        abort();
    return 0;
}
