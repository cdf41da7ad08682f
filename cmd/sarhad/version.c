/*
 * version.c - `sarhad version`: the program's version and the versions of
 * the libraries it was built with, for support tickets and audits.
 */
#include "cmd.h"

#include <string.h>

SARHAD_VERB(version, "print the version of sarhad")

int
cmd_version(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: sarhad version\n");
        return 0;
    }
    if (argc > 1)
        return usage_error("version", "takes no arguments");
    printf("sarhad %s\n", SARHAD_VERSION);
    return 0;
}
