/*
 * ledger_screen.c - screening the people who cross: the watchlist query a
 * presentation makes (the name as the machine-readable documents give it,
 * the birth date, nationality, father's name and sex the officer
 * established) and the hook that hands the answer to the policy.  Nobody
 * is screened without a name: an undocumented returnee is recorded
 * unscreened (screened false), which the decision shows.
 */
#include "ledger.h"

#include <stdio.h>
#include <string.h>

/* Hits down to this score are carried (and shown), even when the policy
 * refers only at a higher score: an officer sees the near misses. */
void
sarhad__ledger_screen_floor(struct sarhad_ledger *ledger)
{
    int t = sarhad_policy_screen_threshold(ledger->policy);

    atomic_store(&ledger->screen_floor, t < SARHAD_SCREEN_DEFAULT_THRESHOLD
                                            ? t
                                            : SARHAD_SCREEN_DEFAULT_THRESHOLD);
}

static enum sarhad_status
screen_hook(void *ctx, const struct sarhad_presentation *p,
            struct sarhad_screening *out, struct sarhad_error *err)
{
    const struct sarhad_ledger *ledger = ctx;
    const struct sarhad_mrz *m = NULL;
    struct sarhad_screen_query q;
    enum sarhad_status s;
    char name[96];
    int floor;

    for (unsigned i = 0; i < p->document_count && m == NULL; i++)
        if (p->documents[i].has_mrz && p->documents[i].mrz.surname[0] != '\0')
            m = &p->documents[i].mrz;
    if (m == NULL)
        return SARHAD_OK; /* no name to screen */
    snprintf(name, sizeof(name), "%s%s%s", m->given_names,
             m->given_names[0] != '\0' ? " " : "", m->surname);
    memset(&q, 0, sizeof(q));
    q.name = name;
    q.birth_date = p->traveller.birth_date.year != 0 ? p->traveller.birth_date
                                                     : m->birth_date;
    q.nationality = p->traveller.nationality[0] != '\0'
                        ? p->traveller.nationality
                        : m->nationality;
    q.father_name =
        p->traveller.father_name[0] != '\0' ? p->traveller.father_name : NULL;
    q.sex = m->sex;
    if (p->traveller.sex != 0)
        q.sex = p->traveller.sex;
    /* The floor sarhad_ledger_screen fixed, else the current one. */
    floor = out->floor > 0 ? out->floor : atomic_load(&ledger->screen_floor);
    s = sarhad_screener_query(ledger->screener, &q, floor, out, err);
    out->floor = floor;
    return s;
}

void
sarhad_ledger_set_screener(struct sarhad_ledger *ledger,
                           const struct sarhad_screener *screener)
{
    ledger->screener = screener;
    sarhad_ledger_set_screen(ledger, screener != NULL ? screen_hook : NULL,
                             ledger);
}

enum sarhad_status
sarhad__ledger_screen(const struct sarhad_ledger *ledger,
                      const struct sarhad_presentation *p,
                      struct sarhad_screening *out, struct sarhad_error *err)
{
    int floor = atomic_load(&ledger->screen_floor);
    enum sarhad_status s = SARHAD_OK;

    memset(out, 0, sizeof(*out));
    out->floor = floor;
    if (ledger->screen != NULL)
        s = ledger->screen(ledger->screen_ctx, p, out, err);
    out->floor = floor;
    return s;
}

bool
sarhad__screening_current(const struct sarhad_ledger *ledger,
                          const struct sarhad_screening *s)
{
    if (s->floor != atomic_load(&ledger->screen_floor))
        return false; /* a policy published since moved the floor */
    /* A list imported since: its version names it. */
    return ledger->screener == NULL || !s->screened ||
           strcmp(s->list_version, sarhad_screener_version(ledger->screener)) ==
               0;
}
