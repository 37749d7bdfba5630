// swift-tools-version:6.0
// Xinsheng (心声): customer-voice understanding for retail banking.
// Targets follow the pipeline (see ../shared/style.md); later issues add
// Classifiers, Analysis, Profiles*, Offers, ConversationService, APIServer and Mining.
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
        .library(name: "ConversationService", targets: ["ConversationService"]),
        .library(name: "APIServer", targets: ["APIServer"]),
        .library(name: "Mining", targets: ["Mining"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
    ],
    // A target lists every one of our modules whose types reach it, even
    // through another (ConversationService lists Classifiers, not only
    // Analysis): SwiftPM rebuilds a target when a module it lists changes,
    // and a release build inlines the layout of types from further down —
    // a changed `LinearWeights` once left Mining compiled against the old
    // layout, and `bench mine` crashed until it was rebuilt.
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
        // libxml2's streaming reader and zlib (gzip archives, the deflated model weights), imported as they are.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CMemoryHints"),
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
            dependencies: ["Taxonomy", "TextPipeline", "CZlib", "CMemoryHints"]
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
        // One live turn end to end: analyse, fold into the conversation,
        // write the need-tags, decide the agent's offers. No HTTP here.
        .target(
            name: "ConversationService",
            dependencies: ["Analysis", "Classifiers", "Profiles", "Offers", "Taxonomy", "TextPipeline"]
        ),
        // The HTTP/WebSocket API, auth, metrics and the agent console (Hummingbird 2).
        .target(
            name: "APIServer",
            dependencies: [
                "ConversationService", "Analysis", "Classifiers", "Profiles", "Offers", "Taxonomy", "TextPipeline",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Resources/console"), .copy("Resources/openapi.json")]
        ),
        // Batch mining of archives: streaming readers (JSONL, CSV, XML, gzip),
        // the parallel resumable run, and the report.
        .target(
            name: "Mining",
            dependencies: [
                "Analysis", "Classifiers", "ConversationService", "Offers", "Profiles", "Taxonomy", "TextPipeline", "CICU", "CLibXML2", "CZlib",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Yams", package: "Yams"),
            ]
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
                "ConversationService",
                "APIServer",
                "Mining",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Tests only: deadlines for the child processes tests start.
        .target(name: "XinshengTestSupport"),
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
        .testTarget(name: "ConversationServiceTests", dependencies: ["ConversationService", "Analysis", "Profiles", "ProfilesSQLite", "Offers", "Taxonomy"]),
        .testTarget(
            name: "APIServerTests",
            dependencies: [
                "APIServer", "ConversationService", "Profiles", "ProfilesSQLite", "Taxonomy", "Analysis", "Classifiers", "TextPipeline", "Offers",
                "XinshengTestSupport",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ]
        ),
        .testTarget(
            name: "MiningTests",
            dependencies: ["Mining", "Analysis", "Classifiers", "TextPipeline", "Profiles", "ProfilesSQLite", "ProfilesPostgres", "Taxonomy",
                           "XinshengTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "XinshengCLITests", dependencies: ["XinshengCLI", "Profiles", "ProfilesSQLite", "Offers", "Taxonomy", "XinshengTestSupport"], exclude: ["Snapshots"]),
    ],
    cxxLanguageStandard: .cxx17
)
