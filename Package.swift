// swift-tools-version:6.0
// Xinsheng (心声): customer-voice understanding for retail banking.
// Targets follow the pipeline (see ../shared/style.md); later issues add
// Classifiers, Analysis, Profiles*, Offers, Settings, APIServer and Mining.
import PackageDescription

let package = Package(
    name: "Xinsheng",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "xinsheng", targets: ["XinshengCLI"]),
        .library(name: "TextPipeline", targets: ["TextPipeline"]),
        .library(name: "Taxonomy", targets: ["Taxonomy"]),
        .library(name: "Classifiers", targets: ["Classifiers"]),
        .library(name: "Analysis", targets: ["Analysis"]),
        .library(name: "Profiles", targets: ["Profiles"]),
        .library(name: "ProfilesSQLite", targets: ["ProfilesSQLite"]),
        .library(name: "ProfilesPostgres", targets: ["ProfilesPostgres"]),
        .library(name: "Offers", targets: ["Offers"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // Plain xs_icu_* functions over ICU's C and C++ APIs (ICU renames its
        // symbols with version macros that Swift cannot import).
        .target(
            name: "CICU",
            linkerSettings: [
                .linkedLibrary("icui18n"),
                .linkedLibrary("icuuc"),
                .linkedLibrary("icudata"),
            ]
        ),
        .target(
            name: "Taxonomy",
            resources: [.copy("Resources/taxonomy.json")]
        ),
        .target(
            name: "TextPipeline",
            dependencies: ["CICU", "Taxonomy"]
        ),
        .target(
            name: "Classifiers",
            dependencies: ["Taxonomy", "TextPipeline"]
        ),
        .target(
            name: "Analysis",
            dependencies: ["Classifiers", "TextPipeline"]
        ),
        // Need-tags, customer profiles and the change feed: the types, the
        // rules that change tags, and the store protocol (no database here).
        .target(
            name: "Profiles",
            dependencies: ["Taxonomy", .product(name: "Yams", package: "Yams")]
        ),
        // The embedded store: SQLite through GRDB, WAL mode.
        .target(
            name: "ProfilesSQLite",
            dependencies: ["Profiles", "Taxonomy", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The production store: PostgreSQL through postgres-nio.
        .target(
            name: "ProfilesPostgres",
            dependencies: [
                "Profiles", "Taxonomy",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Next-best offers: the catalogue and contact policies (config/) and
        // the pure OfferEvaluator that ranks, explains and suppresses.
        .target(
            name: "Offers",
            dependencies: ["Profiles", "Taxonomy", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "XinshengCLI",
            dependencies: [
                "Taxonomy",
                "TextPipeline",
                "Classifiers",
                "Analysis",
                "Profiles",
                "ProfilesSQLite",
                "ProfilesPostgres",
                "Offers",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "TaxonomyTests", dependencies: ["Taxonomy"]),
        .testTarget(
            name: "TextPipelineTests",
            dependencies: ["TextPipeline"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "ClassifiersTests", dependencies: ["Classifiers", "TextPipeline"], exclude: ["Fixtures"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Classifiers", "TextPipeline"]),
        .testTarget(name: "ProfilesTests", dependencies: ["Profiles", "ProfilesSQLite", "ProfilesPostgres", "Taxonomy"]),
        .testTarget(name: "OffersTests", dependencies: ["Offers", "Profiles", "Taxonomy"]),
        .testTarget(name: "XinshengCLITests", dependencies: ["XinshengCLI", "Profiles", "ProfilesSQLite", "Taxonomy"], exclude: ["Snapshots"]),
    ],
    cxxLanguageStandard: .cxx17
)
