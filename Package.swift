// swift-tools-version: 6.0
import PackageDescription

// Dependencies point one way: C system libraries → LesionStore; pure LesionStatistics,
// LesionRunFormat and LesionCharts; LesionCore uses them all; the `lesion` executable only parses
// arguments and calls LesionCore.
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
    ],
    targets: [
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),

        .target(name: "LesionStore", dependencies: ["CSQLite", "CLibPQ"], swiftSettings: optimizedInDebug),
        .target(name: "LesionStatistics", swiftSettings: optimizedInDebug),
        .target(name: "LesionRunFormat", swiftSettings: optimizedInDebug),
        .target(name: "LesionCharts"),
        .target(
            name: "LesionCore",
            dependencies: ["LesionStore", "LesionStatistics", "LesionRunFormat", "LesionCharts", "CZlib"],
            swiftSettings: optimizedInDebug
        ),
        .executableTarget(
            name: "lesion",
            dependencies: [
                "LesionCore",
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
        .testTarget(name: "LesionCoreTests", dependencies: ["LesionCore", "LesionTestSupport"]),
        .testTarget(name: "LesionEndToEndTests", dependencies: ["LesionCore", "LesionRunFormat", "LesionTestSupport"]),
    ]
)
