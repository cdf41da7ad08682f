/*
 * serve_routes_screen.c - watchlist screening for the server's decisions.
 * The watchlist component is not part of this build yet, so decisions are
 * made unscreened (the policy sees screening == NULL and says so).
 */
#include "serve.h"

void
serve_attach_screening(struct server *srv)
{
    (void)srv;
}
