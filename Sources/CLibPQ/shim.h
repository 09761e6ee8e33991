#include <libpq-fe.h>

// libpq's PG_DIAG_* field codes are character-literal macros that Swift cannot
// import; these constants re-export them under names Swift can see.
static const int lesion_pg_diag_sqlstate = PG_DIAG_SQLSTATE;
static const int lesion_pg_diag_message_primary = PG_DIAG_MESSAGE_PRIMARY;
static const int lesion_pg_diag_message_detail = PG_DIAG_MESSAGE_DETAIL;
static const int lesion_pg_diag_message_hint = PG_DIAG_MESSAGE_HINT;
static const int lesion_pg_diag_severity = PG_DIAG_SEVERITY_NONLOCALIZED;

// A notice processor that drops the server's NOTICE and WARNING messages, which
// libpq would otherwise print on standard error, in the middle of lesion's output.
static inline void lesion_pg_ignore_notice(void *argument, const char *message) {
    (void)argument;
    (void)message;
}

static inline void lesion_pg_drop_notices(PGconn *connection) {
    PQsetNoticeProcessor(connection, lesion_pg_ignore_notice, NULL);
}
