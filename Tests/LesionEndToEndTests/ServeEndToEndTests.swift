import Foundation
import LesionStore
import LesionTestSupport
import XCTest

/// `lesion serve` through a real socket on both backends: every route, each error
/// status, escaping of hostile names, and the JSON API byte for byte against
/// `lesion query … --format json`.
final class ServeEndToEndTests: TemporaryFolderTestCase {
    /// Names a run document may carry that would run script if a page echoed them raw.
    static let hostileExperiment = "<script>alert(1)</script>"
    static let hostileModel = "\"><img src=x onerror=alert(1)> 'q' \"dq\"\nnext line \u{202E}txet lrt\u{202C} עברית"
    static let hostileLayer = "<svg onload=alert(2)>"
    static let hostileAttribute = "<b onmouseover=alert(3)>attr</b>"

    func testEveryRouteOnTheFixtures() throws {
        try TestBackend.forEach { db in
            let ingest = try LesionProcess.run(["ingest", "--db", db.location, LesionProcess.fixture("runs")])
            XCTAssertEqual(ingest.status, 0, "\(db): \(ingest.stderr)")
            let server = try RunningServer(location: db.location)
            defer { server.stop() }

            // The front page leads to the models.
            let front = try server.get("/")
            XCTAssertTrue((300..<400).contains(front.status), "\(db): \(front.status)")
            XCTAssertEqual(front.headers["location"], "/models")

            // Security headers on every response, and no CORS.
            let models = try server.get("/models?size=500")
            XCTAssertEqual(models.status, 200, "\(db): \(models.text)")
            XCTAssertEqual(models.headers["content-type"], "text/html; charset=utf-8")
            let policy = try XCTUnwrap(models.headers["content-security-policy"], "\(db)")
            XCTAssertTrue(policy.hasPrefix("default-src 'none'"), policy)
            XCTAssertFalse(policy.contains("script-src"), "no script is allowed at all: \(policy)")
            XCTAssertNil(models.headers["access-control-allow-origin"])
            XCTAssertEqual(models.headers["x-content-type-options"], "nosniff")
            let css = try server.get("/style.css")
            XCTAssertEqual(css.status, 200)
            XCTAssertEqual(css.headers["content-type"], "text/css; charset=utf-8")

            // The models page lists what `lesion models` lists, one link per model.
            let listed = try csvRows(["models", "--db", db.location, "--format", "csv"])
            XCTAssertGreaterThan(listed.count, 3)
            XCTAssertEqual(count("<a href=\"/model?", in: models.text), listed.count, "\(db)")
            for row in listed { XCTAssertTrue(models.text.contains(">\(row[1])</a>"), "\(db): \(row[1]) missing") }

            // Filtered as the command line filters.
            let filtered = try server.get("/models?where=label_corruption%3C0.5&size=500")
            let cliFiltered = try csvRows(["models", "--db", db.location, "--where", "label_corruption<0.5", "--format", "csv"])
            XCTAssertEqual(count("<a href=\"/model?", in: filtered.text), cliFiltered.count, "\(db)")
            XCTAssertLessThan(cliFiltered.count, listed.count)

            // Sorted and paged: page 2 of size 2 by test accuracy, descending.
            let header = try csvHeader(["models", "--db", db.location, "--format", "csv"])
            let accuracy = try XCTUnwrap(header.firstIndex(of: "test_accuracy"))
            let byAccuracy = listed.enumerated().sorted { a, b in
                let x = Double(a.element[accuracy]) ?? -1, y = Double(b.element[accuracy]) ?? -1
                return x != y ? x > y : a.offset < b.offset
            }.map(\.element)
            let paged = try server.get("/models?sort=test_accuracy&order=desc&size=2&page=2")
            XCTAssertEqual(paged.status, 200)
            let names = links(in: paged.text)
            XCTAssertEqual(names, [byAccuracy[2][1], byAccuracy[3][1]], "\(db)")
            XCTAssertTrue(paged.text.contains("page 2 of \((listed.count + 1) / 2)"), "\(db)")

            // A model page: its tables and one histogram per layer and scalar metric, and curves.
            let first = listed[0]
            let page = try server.get("/model?experiment=\(percent(first[0]))&model=\(percent(first[1]))")
            XCTAssertEqual(page.status, 200, "\(db): \(page.text)")
            for title in ["Model", "Layers", "Checkpoints", "Unit metrics", "Curves"] {
                XCTAssertTrue(page.text.contains("<h2>\(title)</h2>"), "\(db): \(title)")
            }
            let scalarGroups = try db.database.fetchOne("""
                SELECT COUNT(DISTINCT l.name || '/' || um.name) FROM unit_metrics um JOIN layers l ON l.id = um.layer_id \
                JOIN models m ON m.id = l.model_id JOIN experiments e ON e.id = m.experiment_id \
                WHERE e.name = \(first[0]) AND m.name = \(first[1]) AND um.per_class = \(false) \
                AND um.checkpoint_id = (SELECT c.id FROM checkpoints c WHERE c.model_id = m.id ORDER BY c.step DESC LIMIT 1)
                """, { $0.int(0) ?? 0 }) ?? 0
            XCTAssertGreaterThan(scalarGroups, 0)
            XCTAssertGreaterThanOrEqual(count("<svg", in: page.text), scalarGroups + 1, "\(db): histograms and a curve chart")

            // Every analysis case: the JSON API gives exactly the command's bytes.
            let manifest = LesionProcess.fixture("expected/cases.json")
            let cases = try JSONDecoder().decode([AnalysisCases.Case].self, from: Data(contentsOf: URL(fileURLWithPath: manifest)))
            for testCase in cases {
                let cli = try LesionProcess.run(testCase.args + ["--db", db.location, "--format", "json"])
                XCTAssertEqual(cli.status, 0, cli.stderr)
                let analysis = testCase.args[1]
                let query = queryString(Array(testCase.args.dropFirst(2)))
                let api = try server.get("/api/query/\(analysis)\(query)")
                XCTAssertEqual(api.status, 200, "\(db) \(testCase.name): \(api.text)")
                XCTAssertEqual(api.headers["content-type"], "application/json; charset=utf-8")
                XCTAssertEqual(api.body, Data(cli.stdout.utf8), "\(db) \(testCase.name): the API differs from the command's JSON")
            }

            // The analysis pages: form, equivalent command, answer sentence, chart, tables.
            let terminal = try LesionProcess.run(["query", "selectivity-importance", "--db", db.location, "--by", "model", "--format", "table"])
            let answer = try XCTUnwrap(terminal.stdout.split(separator: "\n").last.map(String.init))
            let si = try server.get("/query/selectivity-importance?by=model")
            XCTAssertEqual(si.status, 200, si.text)
            XCTAssertTrue(si.text.contains("<p class=\"answer\">\(html(answer))</p>"), "\(db): \(answer)")
            XCTAssertTrue(si.text.contains("lesion query selectivity-importance --by=model"), "\(db)")
            XCTAssertTrue(si.text.contains("<svg"), "\(db): scatter chart")
            XCTAssertTrue(si.text.contains("name=\"by\" value=\"model\""), "\(db): the form keeps the question")
            let curves = try server.get("/query/curves?normalize=on&where=label_corruption%3D0")
            XCTAssertEqual(curves.status, 200, curves.text)
            XCTAssertTrue(curves.text.contains("<svg"))
            XCTAssertTrue(curves.text.contains("lesion query curves --normalize --where=label_corruption=0"), "\(db)")
            for analysis in ["robustness-generalization", "compare"] {
                let page = try server.get("/query/\(analysis)")
                XCTAssertEqual(page.status, 200, "\(db) \(analysis): \(page.text)")
                XCTAssertTrue(page.text.contains("<table>"))
            }

            // Bad parameters: 400 with the command line's own message; never a 500.
            try expect(server, "/api/query/selectivity-importance?fraction=0.9", 400, "--fraction must be above 0 and at most 0.5")
            try expect(server, "/query/selectivity-importance?fraction=abc", 400, "abc")
            // The page of a bad question gives its form back, filled in, to correct.
            try expect(server, "/query/selectivity-importance?fraction=0.9&by=model", 400, "name=\"fraction\" value=\"0.9\"")
            try expect(server, "/query/compare?step=soon", 400, "--step soon: expected a step number, `last` or `all`")
            try expect(server, "/query/compare?where=nonsense", 400, "--where nonsense: expected NAME=VALUE")
            try expect(server, "/query/curves?perturbation=fire", 400, "--perturbation fire: expected ablation or noise")
            try expect(server, "/api/query/compare?db=%2Ftmp%2Fother.db", 400, "unknown parameter")
            // A value that looks like an option stays a value: --by names no attribute or label.
            try expect(server, "/query/compare?by=--db%3D%2Ftmp%2Fx", 400, "--by --db=/tmp/x")
            try expect(server, "/query/curves?normalize=maybe", 400, "a switch takes on, true or 1")
            try expect(server, "/models?where=label_corruption%3Cabc", 400, "&lt; and &gt; compare numbers")
            try expect(server, "/models?size=0", 400, "size=0: expected a whole number from 1 to 500")
            try expect(server, "/models?sort=nope", 400, "sort=nope: no such column")
            try expect(server, "/models?order=up", 400, "order=up: expected asc or desc")
            try expect(server, "/models?bogus=1", 400, "unknown parameter")
            try expect(server, "/models?where=%ZZ", 400, "malformed %-escape")
            try expect(server, "/model", 400, "name the model")
            try expect(server, "/sql?format=xml&q=SELECT%201", 400, "format=xml: expected html, csv or json")

            // Unknown things: 404; writing methods: not served.
            try expect(server, "/model?experiment=none&model=none", 404, "no stored model is named none/none")
            try expect(server, "/query/astrology", 404, "there is no analysis")
            try expect(server, "/nowhere", 404, "there is no page at /nowhere")
            let post = try server.get("/models", method: "POST")
            XCTAssertTrue([404, 405].contains(post.status), "\(db): POST answered \(post.status)")

            // SQL: rows as `lesion sql`, downloads byte for byte, writes refused, row limit, time limit.
            let statement = "SELECT experiment, model, last_step, test_accuracy FROM model_overview ORDER BY experiment, model"
            let console = try server.get("/sql?q=\(percent(statement))")
            XCTAssertEqual(console.status, 200, console.text)
            XCTAssertTrue(console.text.contains("\(listed.count) rows."), "\(db)")
            for format in ["csv", "json"] {
                let download = try server.get("/sql?q=\(percent(statement))&format=\(format)")
                let cli = try LesionProcess.run(["sql", "--db", db.location, statement, "--format", format])
                XCTAssertEqual(download.status, 200)
                XCTAssertEqual(download.body, Data(cli.stdout.utf8), "\(db) \(format)")
                XCTAssertTrue(download.headers["content-disposition"]?.hasPrefix("attachment") ?? false)
            }
            let parameter = db.backend == .sqlite ? "?1" : "$1"
            let bound = try server.get("/sql?q=\(percent("SELECT COUNT(*) AS n FROM model_overview WHERE label_corruption < \(parameter)"))&param=0.5")
            XCTAssertTrue(bound.text.contains("<td class=\"num\">\(cliFiltered.count)</td>"), "\(db): \(bound.text)")
            try expect(server, "/sql?q=\(percent("DELETE FROM models"))", 400, "")
            XCTAssertEqual(try csvRows(["models", "--db", db.location, "--format", "csv"]).count, listed.count, "nothing was deleted")
            let many = try server.get("/sql?q=\(percent("SELECT * FROM unit_measurements"))")
            XCTAssertTrue(many.text.contains("1000 rows (the first 1000; more were left out)"), "\(db)")
            XCTAssertEqual(count("<tr>", in: many.text), 1001, "\(db): the header and 1000 rows")
            let started = Date()
            try expect(server, "/sql?q=\(percent("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT COUNT(*) FROM r"))", 400, "time limit")
            XCTAssertLessThan(Date().timeIntervalSince(started), 30, "\(db): the statement was stopped")
            try expect(server, "/sql?q=\(percent("SELECT nonsense FROM"))", 400, "")
            // The server is still serving, and shows a model ingested meanwhile on
            // reload, and no more once it is removed.
            XCTAssertEqual(try server.get("/models").status, 200)
            let live = try SampleDocuments.write(SampleDocuments.document(experiment: "live", model: "added-while-serving"), to: "live-\(db).json", in: folder)
            XCTAssertEqual(try LesionProcess.run(["ingest", "--db", db.location, live]).status, 0)
            let grown = try server.get("/models?size=500")
            XCTAssertEqual(count("<a href=\"/model?", in: grown.text), listed.count + 1, "\(db)")
            XCTAssertTrue(grown.text.contains(">added-while-serving</a>"), "\(db)")
            XCTAssertEqual(try LesionProcess.run(["rm", "--yes", "--db", db.location, "live/added-while-serving"]).status, 0)
            let shrunk = try server.get("/models?size=500")
            XCTAssertEqual(count("<a href=\"/model?", in: shrunk.text), listed.count, "\(db)")
        }
    }

    func testHostileNamesComeBackAsText() throws {
        var document = SampleDocuments.document(experiment: Self.hostileExperiment, model: Self.hostileModel)
        document = document.replacingOccurrences(of: "\"fc1\"", with: SampleDocuments.quoted(Self.hostileLayer))
        document = document.replacingOccurrences(
            of: "\"label_corruption\":0.2,", with: "\"label_corruption\":0.2,\(SampleDocuments.quoted(Self.hostileAttribute)):\"<i>v</i>\",")
        let path = try SampleDocuments.write(document, to: "hostile.json", in: folder)
        try TestBackend.forEach { db in
            for file in [path, LesionProcess.fixture("handmade/nasty-names.json")] {
                let ingest = try LesionProcess.run(["ingest", "--db", db.location, file])
                XCTAssertEqual(ingest.status, 0, "\(db): \(ingest.stderr)")
            }
            let server = try RunningServer(location: db.location)
            defer { server.stop() }
            let models = try server.get("/models")
            let model = try server.get("/model?experiment=\(percent(Self.hostileExperiment))&model=\(percent(Self.hostileModel))")
            XCTAssertEqual(model.status, 200, "\(db): \(model.text)")
            let sql = try server.get("/sql?q=\(percent("SELECT experiment, model FROM model_overview"))")
            let filtered = try server.get("/models?experiment=\(percent(Self.hostileExperiment))&where=\(percent("seed=<i>v</i>"))")
            XCTAssertEqual(filtered.status, 200, "\(db): \(filtered.text)")
            XCTAssertTrue(filtered.text.contains("0 models where experiment=\(html(Self.hostileExperiment)), seed=&lt;i&gt;v&lt;/i&gt;"), "\(db)")
            let experiment = try server.get("/models?experiment=\(percent(Self.hostileExperiment))")
            XCTAssertEqual(count("<a href=\"/model?", in: experiment.text), 1, "\(db): filtered on the hostile experiment")
            let analysis = try server.get("/query/compare?by=\(percent(Self.hostileAttribute))&metric=\(percent("<u>m</u>"))")
            let notFound = try server.get("/model?experiment=\(percent(Self.hostileExperiment))&model=\(percent("<x>"))")
            XCTAssertEqual(notFound.status, 404)
            for (name, page) in [("models", models), ("model", model), ("sql", sql), ("filtered", filtered), ("experiment", experiment), ("analysis", analysis), ("404", notFound)] {
                for raw in ["<script>", "<img src=x", "<svg onload", "<b onmouseover", "<i>v</i>", "<u>m</u>", "<x>"] {
                    XCTAssertFalse(page.text.contains(raw), "\(db) \(name) page echoes \(raw) raw")
                }
            }
            for name in [Self.hostileExperiment, Self.hostileModel] {
                XCTAssertTrue(models.text.contains(html(name)), "\(db): \(name) comes back as text")
                XCTAssertTrue(sql.text.contains(html(name)), "\(db): \(name) in the SQL page")
            }
            XCTAssertTrue(model.text.contains("<h1>\(html(Self.hostileExperiment)) / \(html(Self.hostileModel))</h1>"), "\(db)")
            XCTAssertTrue(model.text.contains(html(Self.hostileLayer)), "\(db): the layer's name")
            XCTAssertTrue(model.text.contains(html("attribute " + Self.hostileAttribute)), "\(db): the attribute's name")
            XCTAssertTrue(model.text.contains("&lt;i&gt;v&lt;/i&gt;"), "\(db): the attribute's value")
            XCTAssertTrue(analysis.text.contains(html(Self.hostileAttribute)), "\(db): the form echoes the value as text")
            // The nasty-names fixture's names come back verbatim, escaped.
            XCTAssertTrue(models.text.contains(html("quote \" backslash \\ tab \t newline \n end")), "\(db)")
            XCTAssertTrue(models.text.contains(html("ex'; DROP TABLE models; --")), "\(db)")
            // The links carry the names percent-encoded and lead back to the model.
            XCTAssertTrue(models.text.contains(html("/model?experiment=\(percent(Self.hostileExperiment))&model=\(percent(Self.hostileModel))")), "\(db)")
        }
    }

    func testDatabaseOutagesAnswer503And403AndRecover() throws {
        try TestBackend.forEach { db in
            switch db.backend.dialect {
            case .sqlite:
                // No file yet: 503, and the server keeps running; once ingested, 200.
                let missing = folder.appendingPathComponent("later-\(UUID().uuidString).db").path
                let server = try RunningServer(location: missing)
                defer { server.stop() }
                try expect(server, "/models", 503, "there is no SQLite database at")
                let api = try server.get("/api/query/compare")
                XCTAssertEqual(api.status, 503)
                XCTAssertTrue(api.text.hasPrefix("{\"error\": "), api.text)
                XCTAssertNotNil(api.headers["retry-after"])
                XCTAssertFalse(FileManager.default.fileExists(atPath: missing), "the server created no file")
                let ingest = try LesionProcess.run(["ingest", "--db", missing, LesionProcess.fixture("runs")])
                XCTAssertEqual(ingest.status, 0, ingest.stderr)
                try expect(server, "/models", 200, "cnn-lc0-bn-seed0")
            case .postgresql:
                let ingest = try LesionProcess.run(["ingest", "--db", db.location, LesionProcess.fixture("runs")])
                XCTAssertEqual(ingest.status, 0, ingest.stderr)
                let server = try RunningServer(location: db.location)
                defer { server.stop() }
                try expect(server, "/models", 200, "cnn-lc0-bn-seed0")
                // The server's connections are killed (as by a restart): it answers 503
                // at worst, never 500, and serves again by itself.
                let name = try db.database.fetchOne("SELECT current_setting('application_name')", { $0.string(0) ?? "" }) ?? ""
                try db.database.execute("""
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = \(name) AND pid <> pg_backend_pid()
                    """)
                var statuses: [Int] = []
                for _ in 0..<6 { statuses.append(try server.get("/models").status) }
                XCTAssertTrue(statuses.allSatisfy { $0 == 200 || $0 == 503 }, "\(statuses)")
                XCTAssertEqual(statuses.last, 200, "\(statuses)")
                // A server down: 503 with a clear message.
                let down = try RunningServer(location: "postgresql://127.0.0.1:1/nothing?connect_timeout=2")
                defer { down.stop() }
                try expect(down, "/models", 503, "cannot connect to PostgreSQL")
                try expect(down, "/sql?q=SELECT%201", 503, "cannot connect to PostgreSQL")
                // A role that may see the schema but read none of its tables: 403.
                let role = "lesion_stranger_\(UUID().uuidString.prefix(8).lowercased())"
                try db.database.executeScript("""
                    CREATE ROLE \(role) LOGIN;
                    DO $grant$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO \(role)', current_schema()); END $grant$
                    """)
                defer { try? db.database.executeScript("DROP OWNED BY \(role); DROP ROLE \(role)") }
                let stranger = try RunningServer(location: db.location + " user=\(role)")
                defer { stranger.stop() }
                try expect(stranger, "/models", 403, "permission denied")
                try expect(stranger, "/query/compare", 403, "permission denied")
            }
        }
    }

    func testNonLoopbackHostWarns() throws {
        let db = folder.appendingPathComponent("none.db").path
        let server = try RunningServer(location: db, extraArguments: ["--host", "0.0.0.0"])
        let outcome = server.stop()
        XCTAssertTrue(outcome.stderr.contains("warning: listening on 0.0.0.0: anyone who can reach this port can read the whole database"), outcome.stderr)
        let local = try RunningServer(location: db)
        XCTAssertFalse(local.stop().stderr.contains("warning"))
    }

    // MARK: Helpers

    private func expect(_ server: RunningServer, _ path: String, _ status: Int, _ text: String,
                        file: StaticString = #filePath, line: UInt = #line) throws {
        let response = try server.get(path)
        XCTAssertEqual(response.status, status, "\(path): \(response.text)", file: file, line: line)
        if !text.isEmpty {
            XCTAssertTrue(response.text.contains(text), "\(path): expected \(text) in \(response.text)", file: file, line: line)
        }
        XCTAssertFalse(response.text.contains("Fatal error") || response.text.contains(".swift:"), "\(path): a trace", file: file, line: line)
    }

    private func csvHeader(_ arguments: [String]) throws -> [String] {
        let outcome = try LesionProcess.run(arguments)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        return outcome.stdout.split(separator: "\n").first.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? []
    }

    /// The rows of a command's CSV (the fixtures' names hold no comma or quote).
    private func csvRows(_ arguments: [String]) throws -> [[String]] {
        let outcome = try LesionProcess.run(arguments)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        return outcome.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// `--name value` and `--flag` pairs as the page's query string.
    private func queryString(_ arguments: [String]) -> String {
        var pairs: [String] = []
        var index = 0
        while index < arguments.count {
            let name = String(arguments[index].dropFirst(2))
            if index + 1 < arguments.count, !arguments[index + 1].hasPrefix("--") {
                pairs.append("\(name)=\(percent(arguments[index + 1]))")
                index += 2
            } else {
                pairs.append("\(name)=on")
                index += 1
            }
        }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }

    private func percent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~")) ?? text
    }

    /// The escaping the pages promise, written out independently of the server's.
    private func html(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }

    private func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// The model names of the links in a models page, in order.
    private func links(in text: String) -> [String] {
        text.components(separatedBy: "<a href=\"/model?").dropFirst().compactMap { piece in
            guard let start = piece.range(of: "\">"), let end = piece.range(of: "</a>") else { return nil }
            return String(piece[start.upperBound..<end.lowerBound])
        }
    }
}
