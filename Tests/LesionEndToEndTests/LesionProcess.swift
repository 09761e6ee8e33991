import Foundation
import XCTest

/// Runs the built `lesion` binary the way a user does and captures what it says.
struct LesionProcess {
    /// What one run printed and how it exited.
    struct Outcome {
        var stdout: String
        var stderr: String
        var status: Int32
    }

    /// The package root, found from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A path inside `Fixtures/`.
    static func fixture(_ relative: String) -> String {
        packageRoot.appendingPathComponent("Fixtures").appendingPathComponent(relative).path
    }

    /// The `lesion` executable built beside the test bundle.
    static var executable: URL {
        let products = Bundle.main.bundleURL
        let candidates = [
            products.appendingPathComponent("lesion"),
            products.deletingLastPathComponent().appendingPathComponent("lesion"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lesion"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs `lesion arguments…`, feeding `input` to standard input, and waits.
    @discardableResult
    static func run(
        _ arguments: [String], input: Data? = nil, environment: [String: String] = [:], wrapper: [String] = []
    ) throws -> Outcome {
        let process = try start(arguments, input: input, environment: environment, wrapper: wrapper)
        return process.wait()
    }

    /// A started process whose output is being collected.
    final class Running: @unchecked Sendable {  // buffers are written before group.wait() returns
        let process: Process
        private let stdoutPipe: Pipe
        private let stderrPipe: Pipe
        private var stdoutData = Data()
        private var stderrData = Data()
        private let group = DispatchGroup()

        init(process: Process, stdout: Pipe, stderr: Pipe) {
            self.process = process
            self.stdoutPipe = stdout
            self.stderrPipe = stderr
            // Drain both pipes while the process runs, so that neither fills up.
            group.enter()
            DispatchQueue.global().async { [self] in
                stdoutData = stdoutPipe.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }
            group.enter()
            DispatchQueue.global().async { [self] in
                stderrData = stderrPipe.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }
        }

        /// Waits for the process to end and returns its output.
        func wait() -> Outcome {
            process.waitUntilExit()
            group.wait()
            return Outcome(
                stdout: String(decoding: stdoutData, as: UTF8.self),
                stderr: String(decoding: stderrData, as: UTF8.self),
                status: process.terminationStatus)
        }
    }

    /// Starts `lesion arguments…` without waiting; with a `wrapper` (a command and its
    /// arguments, e.g. `runuser -u nobody --`), runs lesion through it.
    static func start(
        _ arguments: [String], input: Data? = nil, environment: [String: String] = [:], wrapper: [String] = []
    ) throws -> Running {
        let process = Process()
        if let command = wrapper.first {
            process.executableURL = URL(fileURLWithPath: command)
            process.arguments = wrapper.dropFirst() + [executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "LESION_DB")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(input)
        }
        try? stdin.fileHandleForWriting.close()
        return Running(process: process, stdout: stdout, stderr: stderr)
    }
}
