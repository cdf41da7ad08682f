/*
 * resolve.c - `sarhad resolve`: a supervisor admits or refuses a referred
 * traveller with a written reason; recorded as a new event.
 */
#include "ledger_cli.h"

SARHAD_VERB(resolve, "resolve a referral: admit or refuse, with a reason")

int
cmd_resolve(int argc, char **argv)
{
    return cli_supervisor_outcome(
        "resolve", argc, argv,
        "Resolves the open referral of attempt ID as a supervisor\n"
        "(USER, by default $USER).  An admitted entry opens a stay,\n"
        "an admitted exit closes one.  The reason is required.\n",
        sarhad_ledger_resolve, "resolved");
}
