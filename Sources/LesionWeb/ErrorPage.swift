import HTTPTypes
import LesionCore
import LesionStore

/// What a failed request answers: a status and a plain explanation, never a stack
/// trace. Bad parameters are 400, unknown names 404, permission refusals 403, and
/// a database that cannot be reached (or a server too busy) 503.
struct ErrorPage: Error {
    var status: HTTPResponse.Status
    var title: String
    var message: String
    /// A hint at the fix, shown under the message.
    var hint: String?

    /// The page for `error`; `userStatement` is true on the SQL console, where a
    /// statement's own database error is the user's mistake (400).
    static func from(_ error: any Error, userStatement: Bool = false) -> ErrorPage {
        switch error {
        case let page as ErrorPage:
            return page
        case let usage as UsageError:
            return ErrorPage(status: .badRequest, title: "Bad request", message: usage.description)
        case let notFound as NotFoundError:
            return ErrorPage(status: .notFound, title: "Not found", message: notFound.description)
        case is ServerBusy:
            return ErrorPage(
                status: .serviceUnavailable, title: "Busy",
                message: "The server is already working on as many requests of this kind as it takes.",
                hint: "Try again in a few seconds.")
        case let permission as PermissionError:
            return ErrorPage(status: .forbidden, title: "Permission denied", message: permission.underlying.message,
                             hint: "The server's database role may not read this; its owner can run `lesion db grant --reader ROLE`.")
        case let database as DatabaseError:
            return from(database, userStatement: userStatement)
        default:
            return ErrorPage(status: .internalServerError, title: "Internal error", message: String(describing: error))
        }
    }

    private static func from(_ error: DatabaseError, userStatement: Bool) -> ErrorPage {
        if isPermission(error) {
            return ErrorPage(
                status: .forbidden, title: "Permission denied", message: error.message,
                hint: "The server's database role may not read this; its owner can run `lesion db grant --reader ROLE`.")
        }
        if isUnavailable(error) {
            return ErrorPage(
                status: .serviceUnavailable, title: "Database unavailable", message: error.message,
                hint: error.hint ?? "The server keeps running and tries again on the next request; reload once the database is back.")
        }
        if error.isTimeout {
            return ErrorPage(
                status: .badRequest, title: "Too slow", message: "The statement ran over the server's time limit and was stopped.",
                hint: "Add a WHERE or LIMIT, or run it with `lesion sql`, which has no limit.")
        }
        if userStatement || error.code == .readOnlyStatement {
            return ErrorPage(status: .badRequest, title: "Bad statement", message: error.message, hint: error.hint)
        }
        return ErrorPage(status: .internalServerError, title: "Database error", message: error.message, hint: error.hint)
    }

    /// Insufficient privilege or authentication refused. (A write refused in a
    /// read-only transaction is the statement's fault, not a permission problem.)
    static func isPermission(_ error: DatabaseError) -> Bool {
        let code = error.code.rawValue
        return code == "pg:42501" || code.hasPrefix("pg:28") || error.sqlitePrimaryCode == 23
    }

    /// The database cannot be reached or used now: not opened, connection lost,
    /// server shutting down or out of resources, schema not matching.
    static func isUnavailable(_ error: DatabaseError) -> Bool {
        let code = error.code.rawValue
        if error.code == .cannotOpen || error.code == .schemaTooNew || error.code == .migrationNotPermitted { return true }
        if code.hasPrefix("pg:08") || code.hasPrefix("pg:57P") || code.hasPrefix("pg:53") { return true }
        if error.code == .misuse && !code.isEmpty && error.message.contains("connection") { return true }
        // SQLITE_BUSY 5, SQLITE_IOERR 10, SQLITE_CORRUPT 11, SQLITE_CANTOPEN 14, SQLITE_NOTADB 26.
        if let primary = error.sqlitePrimaryCode, [5, 10, 11, 14, 26].contains(primary) { return true }
        return false
    }

    /// The page's HTML, with `extra` HTML (a form to correct) under the message.
    func html(below extra: String = "") -> String {
        var body = "<h1>\(status.code) \(HTML.escape(title))</h1>\n<p class=\"error\">\(HTML.escape(message))</p>\n"
        if let hint { body += "<p>\(HTML.escape(hint))</p>\n" }
        body += extra
        body += "<p><a href=\"/models\">Back to the models</a></p>\n"
        return Layout.page(title: "\(status.code) \(title)", section: nil, body: body)
    }
}
