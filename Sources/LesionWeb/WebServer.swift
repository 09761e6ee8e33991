import Foundation
import Hummingbird
import Logging
import LesionCore
import LesionRunFormat
import LesionStore

/// How `lesion serve` runs: where, over which database, and its bounds on work.
public struct WebConfiguration: Sendable {
    public var location: DatabaseLocation
    public var host: String
    public var port: Int
    /// Database connections shared by all requests.
    public var connections = 4
    /// Requests that may wait for a connection before the rest get 503.
    public var waitingForConnection = 256
    /// Analyses that run at once, and that may wait for their turn.
    public var concurrentAnalyses = 2
    public var waitingAnalyses = 16
    /// Rows the SQL console keeps, and how long one of its statements may run.
    public var sqlRowLimit = 1_000
    public var sqlMilliseconds = 5_000
    /// How long an analysis's statements may run.
    public var analysisMilliseconds = 120_000
    /// The largest page of the models table.
    public var maximumPageSize = 500

    /// A configuration with the default bounds.
    public init(location: DatabaseLocation, host: String = "127.0.0.1", port: Int = 8080) {
        self.location = location
        self.host = host
        self.port = port
    }

    /// True when `host` is reachable only from this machine.
    public var isLoopback: Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
    }
}

/// `lesion serve`: read-only pages over a lesion database, on Hummingbird.
public struct WebServer: Sendable {
    let configuration: WebConfiguration
    let prepareAnalysis: AnalysisPreparer
    let pool: ConnectionPool
    let analyses: WorkLimiter
    let listings = ListingCache()

    /// A server; `prepareAnalysis` turns an analysis's arguments into its run.
    public init(configuration: WebConfiguration, prepareAnalysis: @escaping AnalysisPreparer) {
        self.configuration = configuration
        self.prepareAnalysis = prepareAnalysis
        pool = ConnectionPool(
            location: configuration.location, connections: configuration.connections, waiting: configuration.waitingForConnection)
        analyses = WorkLimiter(capacity: configuration.concurrentAnalyses, waiting: configuration.waitingAnalyses)
    }

    /// Serves until SIGINT or SIGTERM; `onListening` gets the address once bound.
    public func run(onListening: @escaping @Sendable (String) -> Void) async throws {
        let router = Router()
        router.add(middleware: SecurityHeaders())
        router.get("/") { _, _ in Response.redirect(to: "/models") }
        router.get("/style.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: Layout.stylesheet)))
        }
        router.get("/models") { request, _ in await self.models(request) }
        router.get("/model") { request, _ in await self.model(request) }
        router.get("/query/{analysis}") { request, context in
            await self.analysis(request, name: context.parameters.get("analysis") ?? "", api: false)
        }
        router.get("/api/query/{analysis}") { request, context in
            await self.analysis(request, name: context.parameters.get("analysis") ?? "", api: true)
        }
        router.get("/sql") { request, _ in await self.sql(request) }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil, backlog: 1024),
            onServerRunning: { channel in
                onListening(channel.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?")
            },
            logger: {
                var logger = Logger(label: "lesion-serve")
                logger.logLevel = .warning
                return logger
            }())
        try await app.runService()
    }

    // MARK: Routes

    private func models(_ request: Request) async -> Response {
        await page {
            let parsed = try ModelsPage.Request(try QueryParameters(request.uri.query), maximumSize: configuration.maximumPageSize)
            return try await pool.withDatabase { database in
                try database.readOnlyTransaction { try ModelsPage.render(parsed, database: database, cache: listings) }
            }
        }
    }

    private func model(_ request: Request) async -> Response {
        await page {
            let names = try ModelPage.names(try QueryParameters(request.uri.query))
            return try await pool.withDatabase { database in
                try database.readOnlyTransaction {
                    try ModelPage.render(experiment: names.experiment, model: names.model, database: database)
                }
            }
        }
    }

    private func analysis(_ request: Request, name: String, api: Bool) async -> Response {
        do {
            let form = try AnalysisForm.named(name)
            let query = try QueryParameters(request.uri.query)
            let arguments = try form.arguments(query)
            let run = try prepareAnalysis(form.name, arguments)
            let limit = configuration.analysisMilliseconds
            let report = try await analyses.run {
                try await pool.withDatabase { database in
                    try database.withTimeLimit(milliseconds: limit) { try run(database) }
                }
            }
            if api {
                // The bytes of `lesion query … --format json`.
                return Response(
                    status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: report.render(as: .json))))
            }
            return WebServer.html(.ok, AnalysisPage.render(form: form, query: query, arguments: arguments, report: report))
        } catch {
            let page = ErrorPage.from(error)
            if api { return WebServer.jsonError(page) }
            // A bad question gets its form back, filled in, under the message.
            if page.status == .badRequest, let form = try? AnalysisForm.named(name), let query = try? QueryParameters(request.uri.query) {
                return WebServer.error(page, below: AnalysisPage.formHTML(form, query: query))
            }
            return WebServer.error(page)
        }
    }

    private func sql(_ request: Request) async -> Response {
        do {
            let parsed = try SQLPage.Request(try QueryParameters(request.uri.query))
            let rowLimit = configuration.sqlRowLimit, milliseconds = configuration.sqlMilliseconds
            var result: (table: ResultTable, truncated: Bool)?
            if let statement = parsed.statement {
                let parameters = parsed.parameters.map(SQLConsole.parameter)
                let read = try await pool.withDatabase { database in
                    let (table, truncated) = try SQLConsole(database: database).run(
                        statement, parameters: parameters, rowLimit: rowLimit, milliseconds: milliseconds)
                    return SendableRows(table: table, truncated: truncated)
                }
                result = (read.table, read.truncated)
            }
            if let format = parsed.format, let result {
                let type = format == .csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8"
                return Response(
                    status: .ok,
                    headers: [.contentType: type, .contentDisposition: "attachment; filename=\"lesion-sql.\(format == .csv ? "csv" : "json")\""],
                    body: .init(byteBuffer: ByteBuffer(string: TableRenderer.render(result.table, as: format))))
            }
            return WebServer.html(.ok, SQLPage.render(parsed, result: result, rowLimit: rowLimit, seconds: Double(milliseconds) / 1000))
        } catch {
            return WebServer.error(ErrorPage.from(error, userStatement: true))
        }
    }

    // MARK: Responses

    /// Runs `work` and answers its HTML, or the error page for what it threw.
    private func page(_ work: () async throws -> String) async -> Response {
        do {
            return WebServer.html(.ok, try await work())
        } catch {
            return WebServer.error(ErrorPage.from(error))
        }
    }

    static func html(_ status: HTTPResponse.Status, _ text: String, retry: Bool = false) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        if retry { headers[.retryAfter] = "5" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The HTML page for `page`, with `extra` HTML under the message; a 503 says when to retry.
    static func error(_ page: ErrorPage, below extra: String = "") -> Response {
        html(page.status, page.html(below: extra), retry: page.status == .serviceUnavailable)
    }

    static func jsonError(_ page: ErrorPage) -> Response {
        var text = "{\"error\": " + JSONText.quoted(page.message)
        if let hint = page.hint { text += ", \"hint\": " + JSONText.quoted(hint) }
        text += "}\n"
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if page.status == .serviceUnavailable { headers[.retryAfter] = "5" }
        return Response(status: page.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Rows read off the connection's thread.
private struct SendableRows: Sendable {
    var table: ResultTable
    var truncated: Bool
}
