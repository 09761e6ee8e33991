#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro that casts -1 to a function pointer, which Swift
// cannot import; this constant gives the same value a name Swift can see.
static const sqlite3_destructor_type lesion_sqlite_transient = (sqlite3_destructor_type)-1;
