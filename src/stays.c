/*
 * stays.c - counting days of stay.  DOMAIN.md section 4: the entry day and
 * the exit day both count, a same-day entry and exit is one day, and the
 * rolling "N days in any M-day period" rule looks at the window
 * [R - M + 1, R] for a reference day R (for the EU's 90/180 rule,
 * [R - 179, R]).  Pure arithmetic on dates; the ledger supplies the stays.
 */
#include "internal.h"

int
sarhad_stays_days_in_window(const struct sarhad_stay *stays, unsigned count,
                            struct sarhad_date day, int window_days)
{
    int32_t last, first;
    int total = 0;

    if (stays == NULL || window_days <= 0 || day.year == 0)
        return 0;
    last = sarhad_date_to_days(day);
    first = last - window_days + 1;
    for (unsigned i = 0; i < count; i++) {
        int32_t a, b;
        if (stays[i].entry.year == 0)
            continue;
        a = sarhad_date_to_days(stays[i].entry);
        /* An open stay runs up to the reference day. */
        b = stays[i].exit.year != 0 ? sarhad_date_to_days(stays[i].exit) : last;
        if (a < first)
            a = first;
        if (b > last)
            b = last;
        if (b >= a)
            total += b - a + 1;
    }
    return total;
}

int
sarhad_stay_overstay_days(struct sarhad_date entry, int allowed_days,
                          struct sarhad_date day)
{
    int32_t spent;

    if (allowed_days <= 0 || entry.year == 0 || day.year == 0)
        return 0;
    spent = sarhad_date_diff(day, entry) + 1;
    return spent > allowed_days ? (int)(spent - allowed_days) : 0;
}
