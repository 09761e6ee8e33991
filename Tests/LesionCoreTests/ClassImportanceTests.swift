import Foundation
import LesionCharts
@testable import LesionCore
import LesionStatistics
import XCTest

/// class-importance's computation against `Fixtures/expected/class_importance.json`,
/// computed independently with numpy/scipy by
/// `Fixtures/statistics/make_class_importance_reference.py`, and its charts.
final class ClassImportanceTests: XCTestCase {
    struct Reference: Decodable {
        struct Case: Decodable {
            let name: String
            let grouped: Bool
            let units: [UnitRecord]
            let expected: Expected
        }

        struct UnitRecord: Decodable {
            let group: Group
            let classes: Int
            let class_means: [Double?]
            let class_accuracy: [Double?]
            let ablated_class_accuracy: [Double?]
            let selectivity: Double?
            let accuracy_drop: Double?
        }

        /// A group value as JSON has it: text or number.
        enum Group: Decodable {
            case text(String)
            case number(Double)

            init(from decoder: Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let text = try? container.decode(String.self) {
                    self = .text(text)
                } else {
                    self = .number(try container.decode(Double.self))
                }
            }

            var value: GroupValue {
                switch self {
                case .text(let text): return .text(text)
                case .number(let number): return .number(number)
                }
            }
        }

        struct Correlation: Decodable {
            let n: Int
            let rho: Double?
            let p: Double?
            let ci_low: Double?
            let ci_high: Double?
        }

        struct GroupStatistics: Decodable {
            let group: Group?
            let n: Int
            let hits: Int
            let hit_rate: Double?
            let chance: Double?
            let binomial_p: Double?
            let preferred_drop: Correlation
            let max_drop: Correlation
            let accuracy_drop: Correlation
        }

        struct Expected: Decodable {
            let groups: [GroupStatistics]
            let pooled: GroupStatistics
            let left_out: [String: Int]
        }

        let cases: [Case]
    }

    private func reference() throws -> Reference {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("Fixtures/expected/class_importance.json")
            if FileManager.default.fileExists(atPath: candidate.path) {
                return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: candidate))
            }
            directory = directory.deletingLastPathComponent()
        }
        XCTFail("Fixtures/expected/class_importance.json not found above \(#filePath)")
        throw CocoaError(.fileNoSuchFile)
    }

    private func units(_ records: [Reference.UnitRecord]) -> [ClassImportance.Unit] {
        records.map { record in
            ClassImportance.Unit(
                group: record.group.value, classes: record.classes,
                classMeans: record.class_means.map { $0 ?? .nan }[...],
                classAccuracy: record.class_accuracy.map { $0 ?? .nan }[...],
                ablatedClassAccuracy: record.ablated_class_accuracy.map { $0 ?? .nan }[...],
                selectivity: record.selectivity ?? .nan, accuracyDrop: record.accuracy_drop ?? .nan)
        }
    }

    private func close(_ actual: Double?, _ expected: Double?, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        switch (actual, expected) {
        case (nil, nil):
            return
        case let (a?, e?):
            XCTAssertLessThanOrEqual(abs(a - e), max(1e-12 * abs(e), 1e-15), "\(label): got \(a), expected \(e)", file: file, line: line)
        default:
            XCTFail("\(label): got \(String(describing: actual)), expected \(String(describing: expected))", file: file, line: line)
        }
    }

    private func check(_ actual: ClassImportance.GroupResult, _ expected: Reference.GroupStatistics, _ label: String) {
        XCTAssertEqual(actual.group, expected.group?.value, label)
        XCTAssertEqual(actual.n, expected.n, label)
        XCTAssertEqual(actual.hits, expected.hits, label)
        close(actual.hitRate, expected.hit_rate, "\(label) hit_rate")
        close(actual.chance, expected.chance, "\(label) chance")
        close(actual.binomialP, expected.binomial_p, "\(label) binomial_p")
        let pairs = [("preferred_drop", actual.preferredDrop, expected.preferred_drop),
                     ("max_drop", actual.maxDrop, expected.max_drop),
                     ("accuracy_drop", actual.accuracyDrop, expected.accuracy_drop)]
        for (name, computed, reference) in pairs {
            XCTAssertEqual(computed?.n, reference.n, "\(label) \(name) n")
            close(computed?.rho, reference.rho, "\(label) \(name) rho")
            close(computed?.p, reference.p, "\(label) \(name) p")
            close(computed?.ciLow, reference.ci_low, "\(label) \(name) ci_low")
            close(computed?.ciHigh, reference.ci_high, "\(label) \(name) ci_high")
        }
    }

    func testMatchesScipyOnEveryCase() throws {
        let fixture = try reference()
        XCTAssertEqual(fixture.cases.count, 4)
        for item in fixture.cases {
            let result = ClassImportance.compute(units(item.units), selectivity: "class_selectivity", grouped: item.grouped)
            XCTAssertEqual(result.groups.count, item.expected.groups.count, item.name)
            for (computed, expected) in zip(result.groups, item.expected.groups) {
                check(computed, expected, "\(item.name) \(computed.group?.description ?? "")")
            }
            check(result.pooled, item.expected.pooled, "\(item.name) pooled")
            var leftOut: [String: Int] = [:]
            for entry in result.leftOut.entries {
                leftOut[entry.reason == "class_selectivity undefined" ? "selectivity undefined" : entry.reason] = entry.count
            }
            XCTAssertEqual(leftOut, item.expected.left_out, item.name)
        }
    }

    func testPreferredAndMostHurtClassesTakeTheLowestIndexAmongTies() {
        XCTAssertEqual(ClassImportance.preferredClass([0.1, 0.9, 0.9]), 1)
        XCTAssertNil(ClassImportance.preferredClass([0.4, 0.4, 0.4]))
        XCTAssertNil(ClassImportance.preferredClass([0.4, .nan, 0.9]))
        XCTAssertEqual(ClassImportance.firstArgmax([0.0, -0.1, 0.0]), 0)
    }

    func testChartsDrawHitRatesAgainstChanceAndTheScatter() throws {
        let fixture = try reference()
        let item = try XCTUnwrap(fixture.cases.first)
        let result = ClassImportance.compute(units(item.units), selectivity: "class_selectivity")
        let hitChart = result.hitRateChart
        XCTAssertEqual(hitChart.kind, .lines)
        XCTAssertEqual(hitChart.series.map(\.label), ["hit rate ±1 se", "chance"])
        // Text groups sit at 1, 2, 3, named in the axis label.
        XCTAssertEqual(hitChart.series[0].points.map(\.x), [1, 2, 3])
        XCTAssertEqual(hitChart.series[0].points.map(\.y), result.groups.map { Double($0.hits) / Double($0.n) })
        XCTAssertEqual(hitChart.series[1].points.map(\.y), [0.1, 0.1, 0.1])
        XCTAssertEqual(hitChart.xLabel, "group: 1 conv1, 2 fc1, 3 fc2")
        let scatter = result.preferredDropChart
        XCTAssertEqual(scatter.kind, .scatter)
        XCTAssertEqual(scatter.series.map { $0.points.count }, result.groups.map(\.n))

        let report = AnalysisReport(sections: [], notes: [], answer: nil, json: .null, chart: hitChart)
        let terminal = try XCTUnwrap(report.terminalChart(width: 80, color: false))
        XCTAssertTrue(terminal.contains("units whose ablation hurts their preferred class most"), terminal)
        XCTAssertTrue(terminal.contains("chance"), terminal)
        let svg = try XCTUnwrap(AnalysisReport(sections: [], notes: [], answer: nil, json: .null, chart: scatter).svgChart())
        XCTAssertTrue(svg.hasPrefix("<?xml") || svg.hasPrefix("<svg"), String(svg.prefix(80)))
        XCTAssertTrue(svg.contains("class_selectivity vs the preferred class"), String(svg.prefix(400)))
    }

    func testNumericGroupsSitAtTheirValuesAndTheAnswerHedges() throws {
        let fixture = try reference()
        let item = fixture.cases[1]
        let result = ClassImportance.compute(units(item.units), selectivity: "class_selectivity")
        XCTAssertEqual(result.hitRateChart.series[0].points.map(\.x), [0, 0.5])
        // The pooled models differ in classes: no exact test, and the answer says so.
        XCTAssertNil(result.pooled.binomialP)
        XCTAssertTrue(result.answer.contains("no exact test"), result.answer)
        let strong = ClassImportance.compute(units(fixture.cases[3].units), selectivity: "class_selectivity", grouped: false)
        XCTAssertTrue(strong.answer.hasPrefix("Yes: ablating a unit hurts its preferred class most more often than chance"), strong.answer)
    }
}
