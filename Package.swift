// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "resonance",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "resonance", targets: ["resonance"]),
        .library(name: "RdKafka", targets: ["RdKafka"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        .target(
            name: "RdKafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Runtime",
            dependencies: [
                "RdKafka",
                "Pipeline",
                "Engagement",
                "Reports",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Dashboard",
            dependencies: [
                "RdKafka",
                "Reports",
                "Runtime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(name: "CPrefetch"),
        .target(name: "CAllocationCount"),
        .target(name: "Engagement", dependencies: ["CPrefetch"]),
        .target(name: "Detectors", dependencies: ["Engagement"]),
        .target(name: "Reports"),
        .target(
            name: "Pipeline",
            dependencies: ["Engagement", "Detectors", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "Bench",
            dependencies: ["RdKafka", "Engagement", "Pipeline", "CAllocationCount"]
        ),
        .executableTarget(
            name: "resonance",
            dependencies: [
                "RdKafka",
                "Runtime",
                "Bench",
                "Pipeline",
                "Engagement",
                "Detectors",
                "Reports",
                "Dashboard",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["RdKafka"],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "DetectorsTests",
            dependencies: ["Detectors"]
        ),
        .testTarget(
            name: "PipelineTests",
            dependencies: ["Pipeline", "Engagement"]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["TestSupport", .product(name: "Yams", package: "Yams")]
        ),
        .testTarget(
            name: "EngagementTests",
            dependencies: ["Engagement", "Pipeline"]
        ),
        .testTarget(
            name: "RuntimeTests",
            dependencies: ["Runtime", "RdKafka", "Pipeline", "Engagement"]
        ),
        .testTarget(name: "ReportsTests", dependencies: ["Reports"]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "Reports"]),
        .testTarget(
            name: "RdKafkaTests",
            dependencies: ["RdKafka", "TestSupport"]
        ),
    ]
)
