import Foundation
import XCTest

/// The reference values in `Fixtures/expected/statistics.json`, computed independently
/// with numpy/scipy (and mpmath) by `Fixtures/statistics/make_statistics_reference.py`.
///
/// Non-finite numbers are stored as the strings "NaN", "Infinity" and "-Infinity";
/// a statistic that does not exist is null.
struct ReferenceFixture: Decodable {
    struct FiniteValuesCase: Decodable {
        let name: String
        let values: [Double]
        let kept: [Double]
        let left_out: Int
    }

    struct FinitePairsCase: Decodable {
        let name: String
        let x: [Double]
        let y: [Double]
        let kept_x: [Double]
        let kept_y: [Double]
        let left_out: Int
    }

    struct RanksCase: Decodable {
        let name: String
        let values: [Double]
        let ranks: [Double]
        let tie_group_sizes: [Int]
    }

    struct SpearmanCase: Decodable {
        let name: String
        let x: [Double]
        let y: [Double]
        let left_out: Int
        let n: Int
        let rho: Double?
        let p: Double?
        let ci_low: Double?
        let ci_high: Double?
        let exact_rho: Double?
    }

    struct MannWhitneyCase: Decodable {
        let name: String
        let first: [Double]
        let second: [Double]
        let left_out_first: Int
        let left_out_second: Int
        let n1: Int
        let n2: Int
        let u: Double?
        let p: Double?
        let rank_biserial: Double?
    }

    struct QuantileCase: Decodable {
        let name: String
        let values: [Double]
        let q: [Double]
        let expected: [Double]
        let numpy: [Double]
    }

    struct DescriptiveCase: Decodable {
        let name: String
        let values: [Double]
        let mean: Double?
        let sd: Double?
        let min: Double?
        let max: Double?
        let numpy_mean: Double?
        let numpy_sd: Double?
    }

    struct TrapezoidCase: Decodable {
        let name: String
        let x: [Double]
        let y: [Double]
        let area: Double
        let exact_area: Double
    }

    struct StudentTCase: Decodable {
        let t: Double
        let df: Double
        let cdf: Double
        let sf: Double
        let mp_cdf: Double
        let mp_sf: Double
    }

    struct NormalCase: Decodable {
        let z: Double
        let cdf: Double
        let sf: Double
        let mp_cdf: Double
        let mp_sf: Double
    }

    struct ChiSquareCase: Decodable {
        let x: Double
        let df: Double
        let sf: Double
        let mp_sf: Double
    }

    struct BinomialCase: Decodable {
        let k: Int
        let n: Int
        let p: Double
        let pvalue: Double
        let mp_pvalue: Double
        let pmf: Double
        let mp_pmf: Double
    }

    struct KruskalWallisCase: Decodable {
        /// Groups built from integer arithmetic, for a million values (see `recipe_groups`).
        struct Recipe: Decodable {
            let n: Int
            let k: Int
        }

        let name: String
        let groups: [[Double]]?
        let recipe: Recipe?
        let df: Int
        let h: Double?
        let p: Double?
        let epsilon_squared: Double?
        let mp_p: Double?

        /// The groups as listed, or rebuilt from the recipe: unit i is in group i mod k
        /// with value ((7919 i + 13) mod 1000 + 3 (i mod k)) / 8.
        var samples: [[Double]] {
            if let groups { return groups }
            guard let recipe else { return [] }
            var built = [[Double]](repeating: [], count: recipe.k)
            for i in 0..<recipe.n {
                let group = i % recipe.k
                built[group].append(Double((i * 7919 + 13) % 1000 + 3 * group) / 8)
            }
            return built
        }
    }

    let scipy: String
    let finite_values: [FiniteValuesCase]
    let finite_pairs: [FinitePairsCase]
    let ranks: [RanksCase]
    let spearman: [SpearmanCase]
    let mann_whitney: [MannWhitneyCase]
    let quantiles: [QuantileCase]
    let descriptive: [DescriptiveCase]
    let trapezoid: [TrapezoidCase]
    let student_t: [StudentTCase]
    let normal: [NormalCase]
    let chi_square: [ChiSquareCase]
    let binomial_test: [BinomialCase]
    let kruskal_wallis: [KruskalWallisCase]

    /// Why the fixture could not be read, in one sentence.
    struct LoadFailure: Error, Sendable {
        let message: String
    }

    /// Read once per test process; a `static let` is initialized lazily and safely.
    private static let loaded: Result<ReferenceFixture, LoadFailure> = {
        guard let url = locate() else {
            return .failure(LoadFailure(message: """
                Fixtures/expected/statistics.json not found above \(#filePath); \
                set LESION_FIXTURES to the Fixtures folder.
                """))
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            return .success(try decoder.decode(ReferenceFixture.self, from: Data(contentsOf: url)))
        } catch {
            return .failure(LoadFailure(message: "Cannot read \(url.path): \(error)"))
        }
    }()

    /// The fixture; fails the calling test (never skips it) when it is absent or broken.
    static func load(file: StaticString = #filePath, line: UInt = #line) throws -> ReferenceFixture {
        switch loaded {
        case .success(let fixture):
            return fixture
        case .failure(let failure):
            XCTFail(failure.message, file: file, line: line)
            throw failure
        }
    }

    /// Walks up from this file to the package root that holds `Fixtures/` (in the main
    /// package: Tests/LesionStatisticsTests/X.swift → ../../Fixtures); a standalone
    /// checkout names the folder in the `LESION_FIXTURES` environment variable instead.
    private static func locate() -> URL? {
        let relative = "expected/statistics.json"
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("Fixtures/\(relative)")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        if let folder = ProcessInfo.processInfo.environment["LESION_FIXTURES"] {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
