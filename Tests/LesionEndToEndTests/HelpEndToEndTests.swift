import Foundation
import XCTest

/// Every command explains itself with examples.
final class HelpEndToEndTests: XCTestCase {
    func testEveryCommandHasHelpWithExamples() throws {
        let commands: [[String]] = [
            [], ["ingest"], ["models"], ["show"], ["query"], ["query", "selectivity-importance"],
            ["query", "robustness-generalization"], ["query", "curves"], ["query", "compare"], ["query", "class-importance"], ["sql"], ["serve"],
            ["export"], ["rm"], ["push"], ["pull"], ["db"], ["db", "grant"], ["db", "distribute"], ["migrate"], ["demo"],
            ["import"], ["import", "netdissect"], ["import", "table"], ["import", "neuronpedia"], ["import", "saelens"], ["import", "npy"],
        ]
        for command in commands {
            let outcome = try LesionProcess.run(command + ["--help"])
            XCTAssertEqual(outcome.status, 0, "\(command)")
            XCTAssertTrue(outcome.stdout.contains("Examples:"), "lesion \(command.joined(separator: " ")) --help has no examples")
            XCTAssertTrue(outcome.stderr.isEmpty, "\(command): \(outcome.stderr)")
        }
        let analysis = try LesionProcess.run(["query", "selectivity-importance", "--help"])
        XCTAssertTrue(analysis.stdout.contains("Spearman"), "the help names the statistic")
        XCTAssertTrue(analysis.stdout.contains("default"), "the help names the defaults")
    }
}
