/*
 * serve_routes.c - the route table of the JSON API: method, path, who may
 * call it, how large a body it takes, the handler, and what the OpenAPI
 * document says about it.  /v1/openapi.json is made from this table and a
 * test walks the served document against the running server, so the two
 * cannot drift apart.  The web console's two routes close the table; they
 * are not part of the API and the OpenAPI document leaves them out.
 */
#include "serve.h"

#define KB      ((size_t)1024)
#define READERS (ROLE_OFFICER | ROLE_SUPERVISOR | ROLE_ANALYST | ROLE_AUDITOR)
/* The national view is the ministry's: officers and supervisors belong to
 * a post and see its figures only. */
#define MINISTRY (ROLE_ANALYST | ROLE_ADMIN | ROLE_AUDITOR)

const struct route serve_routes[] = {
    {"GET", "/v1/health", ROLE_PUBLIC, 0, route_health, false,
     "Liveness, the post this server records for, and its push to the "
     "central store",
     NULL, NULL},
    {"GET", "/v1/metrics", ROLE_PUBLIC, 0, route_metrics, false,
     "Prometheus metrics (counters only, no traveller data)", NULL, NULL},
    {"GET", "/v1/openapi.json", ROLE_PUBLIC, 0, serve_openapi, false,
     "This API's OpenAPI 3 document", NULL, NULL},
    {"POST", "/v1/echo", ROLE_PUBLIC, 16 * KB, route_echo, false,
     "Echo a JSON body (benchmark baseline; only with --echo)", "Any", NULL},
    {"POST", "/v1/sessions", ROLE_PUBLIC, 4 * KB, route_login, true,
     "Log in: a bearer token, a session cookie and a CSRF token", "Login",
     NULL},
    {"GET", "/v1/sessions/current", ROLE_ANY, 0, route_whoami, false,
     "The caller's account and session", NULL, NULL},
    {"DELETE", "/v1/sessions/current", ROLE_ANY, 0, route_logout, false,
     "Log out: end the caller's session", NULL, NULL},
    {"GET", "/v1/users", ROLE_ADMIN | ROLE_AUDITOR, 0, route_users, false,
     "List accounts", NULL, NULL},
    {"POST", "/v1/users", ROLE_ADMIN, 4 * KB, route_user_add, false,
     "Add an account", "NewUser", NULL},
    {"POST", "/v1/users/{username}/disable", ROLE_ADMIN, 0, route_user_disable,
     false, "Disable an account and end its sessions", NULL, NULL},
    {"POST", "/v1/users/{username}/enable", ROLE_ADMIN, 0, route_user_enable,
     false, "Enable a disabled account again, with its password", NULL, NULL},
    {"POST", "/v1/users/{username}/password", ROLE_ANY, 4 * KB,
     route_user_passwd, false,
     "Set a password (one's own, or any as admin); ends its sessions",
     "Password", NULL},
    {"GET", "/v1/audit", ROLE_ADMIN | ROLE_AUDITOR, 0, route_audit, false,
     "Read audit entries in order, all or those of a kind, by a user, about "
     "a subject or a traveller",
     NULL, "from,limit,kind,user,subject,traveller"},
    {"GET", "/v1/audit/verify", ROLE_ADMIN | ROLE_AUDITOR, 0,
     route_audit_verify, false,
     "Verify the audit chain, its signed checkpoints and an anchor", NULL,
     "anchor"},
    {"POST", "/v1/decisions", ROLE_OFFICER | ROLE_SUPERVISOR,
     SARHAD_PRESENTATION_MAX_LEN, route_decide, false,
     "Decide a presentation and record it durably; the recorded decision",
     "Presentation", NULL},
    {"GET", "/v1/attempts", READERS, 0, route_attempts, false,
     "The post's attempts, newest first (100 at a time, at most 500; next "
     "pages on with before=ID): time, crossing, counter, officer, "
     "direction, nationality, the decision at the counter and the final "
     "outcome, rule and reason codes; no traveller's name or document",
     NULL, "day,crossing,officer,direction,outcome,before,limit"},
    {"GET", "/v1/attempts/{id}", READERS, 0, route_attempt, false,
     "One recorded crossing attempt with its decision and resolution", NULL,
     NULL},
    {"GET", "/v1/travellers", READERS, 0, route_travellers, false,
     "Find travellers by a document number or by name", NULL,
     "document,kind,issuing_state,surname,given_names,nationality,"
     "birth_date"},
    {"GET", "/v1/travellers/{id}", READERS, 0, route_traveller, false,
     "A traveller's history: documents, stays, attempts", NULL, NULL},
    {"GET", "/v1/referrals", ROLE_SUPERVISOR | ROLE_AUDITOR, 0, route_referrals,
     false,
     "The post's open referrals (secondary "
     "inspection queue)",
     NULL, NULL},
    {"POST", "/v1/referrals/{id}/resolution", ROLE_SUPERVISOR, 4 * KB,
     route_resolve, false,
     "Resolve a referral: admit or refuse, with a "
     "written reason",
     "Resolution", NULL},
    {"POST", "/v1/attempts/{id}/override", ROLE_SUPERVISOR, 4 * KB,
     route_override, false,
     "Override a decision (the traveller's latest attempt): admit or refuse, "
     "with a written reason",
     "Resolution", NULL},
    {"GET", "/v1/reports/{kind}", READERS | ROLE_ADMIN, 0, route_report, false,
     "A report (daily, returns, overstays, refusals, flows, tallies, "
     "purposes, vulnerabilities, detentions) as JSON or CSV",
     NULL, "from,to,format"},
    {"GET", "/v1/national/reports/{kind}", MINISTRY, 0, route_national_report,
     false,
     "A national report over every post that pushed to the central store "
     "(all but overstays; a server started with --national)",
     NULL, "from,to,post,format"},
    {"GET", "/v1/national/posts", MINISTRY, 0, route_national_posts, false,
     "The posts as the central store knows them: last push, policy, bundles",
     NULL, NULL},
    {"GET", "/v1/policies", ROLE_ANY, 0, route_policies, false,
     "The policy publications, oldest first", NULL, NULL},
    {"GET", "/v1/policies/{number}", ROLE_ANY, 0, route_policy, false,
     "One publication with its text", NULL, NULL},
    {"POST", "/v1/policies/lint", ROLE_ADMIN | ROLE_ANALYST,
     SARHAD_POLICY_MAX_LEN + 64 * KB, route_policy_lint, false,
     "Compile and check a policy without publishing it", "PolicyUpload", NULL},
    {"POST", "/v1/policies", ROLE_ADMIN, SARHAD_POLICY_MAX_LEN + 64 * KB,
     route_policy_publish, false,
     "Upload and publish a new policy version (never edits a published "
     "one)",
     "PolicyUpload", NULL},
    {"POST", "/v1/replays", ROLE_ANALYST | ROLE_ADMIN,
     SARHAD_POLICY_MAX_LEN + 64 * KB, route_replay_start, false,
     "Replay the record under a draft policy (what would it have decided?): "
     "checked at once, then run beside the counters; 202 with its id",
     "ReplayRequest", NULL},
    {"GET", "/v1/replays", ROLE_ANALYST | ROLE_ADMIN, 0, route_replays, false,
     "The replays run at this post, newest first (50 at a time; next pages "
     "on with before=ID): who ran which draft over which days and how it "
     "ended",
     NULL, "before"},
    {"GET", "/v1/replays/{id}", ROLE_ANALYST | ROLE_ADMIN, 0, route_replay,
     false,
     "A replay's progress and, once ended, how the decisions would have "
     "moved and the attempts decided otherwise (kept in the store: any "
     "replay run, after a restart too)",
     NULL, NULL},
    {"POST", "/v1/screen", ROLE_OFFICER | ROLE_SUPERVISOR, 4 * KB, route_screen,
     false,
     "Screen a name against the current watchlist: the hits at or above "
     "the policy's threshold, each with why",
     "ScreenQuery", NULL},
    {"GET", "/v1/watchlists", ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_AUDITOR, 0,
     route_watchlists, false, "The watchlist versions, newest first", NULL,
     NULL},
    {"POST", "/v1/watchlists", ROLE_ADMIN, SARHAD_WL_MAX_INPUT + 64 * KB,
     route_watchlist_import, false,
     "Import a watchlist (CSV or UN consolidated XML) as a new version",
     "WatchlistUpload", NULL},
    {"GET", "/v1/bundles", ROLE_ADMIN | ROLE_AUDITOR, 0, route_bundles, false,
     "The ministry key the post trusts and the signed bundles it applied", NULL,
     NULL},
    {"POST", "/v1/bundles", ROLE_ADMIN,
     SARHAD_BUNDLE_PAYLOAD_MAX + SARHAD_BUNDLE_HEADER_MAX + 64 * KB,
     route_bundle_apply, false,
     "Apply a bundle signed by the ministry key: publish its policy, import "
     "its watchlist or trust its next key",
     "BundleUpload", NULL},
    {"POST", "/v1/bundles/key", ROLE_ADMIN, 4 * KB, route_bundle_trust, false,
     "Trust the ministry's public key (once): from then on policies and "
     "watchlists come only as bundles signed by it",
     "TrustedKey", NULL},
    /* The web console (serve_routes_web.c): not part of /v1, so not in the
     * OpenAPI document. */
    {"GET", "/", ROLE_PUBLIC, 0, route_web, false, "The web console", NULL,
     NULL},
    {"GET", "/{file}", ROLE_PUBLIC, 0, route_web, false,
     "A file of the web console", NULL, NULL},
};
const size_t serve_route_count = sizeof(serve_routes) / sizeof(serve_routes[0]);
