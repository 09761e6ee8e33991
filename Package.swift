// swift-tools-version: 6.0
import PackageDescription

// Dependencies point one way: SQLite and libpq (CSQLite, CLibPQ) → LesionStore; pure
// LesionStatistics, LesionRunFormat and LesionCharts, and LesionImport (the importers' own
// parsers, on LesionRunFormat); LesionCore uses them all, and reads input files with the C
// library and gzip with zlib (CZlib); LesionWeb (the read-only web pages, on Hummingbird) uses
// LesionCore; the `lesion` executable parses arguments and calls LesionCore and LesionWeb, and
// opens databases and migrates them with LesionStore's types (no SQL).
// The hot paths of ingest (the byte-level reader, hashing, bulk binds) are built
// optimized even in debug builds, so that `swift test`, which runs the debug binary
// on the fixtures, takes seconds rather than minutes.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "lesion",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lesion", targets: ["lesion"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),

        .target(name: "LesionStore", dependencies: ["CSQLite", "CLibPQ"], swiftSettings: optimizedInDebug),
        .target(name: "LesionStatistics", swiftSettings: optimizedInDebug),
        .target(name: "LesionRunFormat", swiftSettings: optimizedInDebug),
        .target(name: "LesionCharts"),
        .target(name: "LesionImport", dependencies: ["LesionRunFormat"], swiftSettings: optimizedInDebug),
        .target(
            name: "LesionCore",
            dependencies: ["LesionStore", "LesionStatistics", "LesionRunFormat", "LesionCharts", "LesionImport", "CZlib"],
            swiftSettings: optimizedInDebug
        ),
        // `lesion serve`: the read-only web pages over LesionCore.
        .target(
            name: "LesionWeb",
            dependencies: ["LesionCore", "LesionRunFormat", "LesionStore", "LesionCharts",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .executableTarget(
            name: "lesion",
            dependencies: [
                "LesionCore",
                "LesionImport",
                "LesionRunFormat",
                "LesionStore",
                "LesionWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Shared by the test targets: runs a test body on every backend (SQLite, and
        // PostgreSQL where LESION_TEST_POSTGRES names a server).
        .target(name: "LesionTestSupport", dependencies: ["LesionStore", "LesionCore"], path: "Tests/LesionTestSupport"),

        .testTarget(name: "LesionStoreTests", dependencies: ["LesionStore", "LesionTestSupport"]),
        .testTarget(name: "LesionStatisticsTests", dependencies: ["LesionStatistics"]),
        .testTarget(name: "LesionRunFormatTests", dependencies: ["LesionRunFormat"]),
        .testTarget(name: "LesionChartsTests", dependencies: ["LesionCharts"]),
        .testTarget(name: "LesionImportTests", dependencies: ["LesionImport", "LesionRunFormat", "LesionTestSupport"]),
        .testTarget(name: "LesionCoreTests", dependencies: ["LesionCore", "LesionTestSupport"]),
        .testTarget(name: "LesionEndToEndTests", dependencies: ["LesionCore", "LesionRunFormat", "LesionTestSupport"]),
    ]
)
