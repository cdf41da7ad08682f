/*
 * override.c - `sarhad override`: a supervisor overrides a decision (a
 * refusal admitted after all, an admission refused) with a written reason;
 * recorded as a new event, the attempt as it was.
 */
#include "ledger_cli.h"

SARHAD_VERB(override, "override a decision: admit or refuse, with a reason")

int
cmd_override(int argc, char **argv)
{
    return cli_supervisor_outcome(
        "override", argc, argv,
        "Overrides the decision on attempt ID, the traveller's latest, as a\n"
        "supervisor (USER, by default $USER): what admitting it changed (a\n"
        "stay, a visa entry, a return, a PoR card) is made or unmade, and the\n"
        "figures follow.  A referral is resolved instead (sarhad resolve).\n"
        "The reason is required.\n",
        sarhad_ledger_override, "overridden");
}
