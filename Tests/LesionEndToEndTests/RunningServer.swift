import Foundation
import XCTest

/// `lesion serve` started as a user starts it, on a free loopback port, stopped
/// with SIGTERM at the end.
final class RunningServer {
    let port: Int
    private let running: LesionProcess.Running

    /// Starts the server over `location` and waits until it answers.
    init(location: String, extraArguments: [String] = []) throws {
        port = try HTTPGet.freePort()
        running = try LesionProcess.start(["serve", "--db", location, "--port", String(port)] + extraArguments)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if (try? HTTPGet.request("/style.css", port: port)) != nil { return }
            guard running.process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let outcome = stop()
        throw HTTPGet.Failure(description: "lesion serve did not start (status \(outcome.status)): \(outcome.stderr)")
    }

    /// GET `path`.
    func get(_ path: String, method: String = "GET") throws -> HTTPGet.Response {
        try HTTPGet.request(path, port: port, method: method)
    }

    /// Stops the server and returns what it printed.
    @discardableResult
    func stop() -> LesionProcess.Outcome {
        if running.process.isRunning { running.process.terminate() }
        return running.wait()
    }
}
