// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "treso",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "treso", targets: ["treso"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Pure domain: money, days, calendars, invoices, scenario, projection, financing, comparison.
        .target(name: "TresoCore"),
        // Files: CSV invoices, TOML scenarios, e-invoices, exports.
        .target(name: "TresoIO", dependencies: ["TresoCore", "TerminalKit", "CZlib", "CXlsxWriter"]),
        // zlib's inflate, for the Flate-compressed streams of Factur-X / ZUGFeRD PDFs.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // XLSX exports with numbers as numbers and dates as dates (Debian libxlsxwriter-dev).
        .systemLibrary(
            name: "CXlsxWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        // Pure drawing kit: geometry, cells, styles, widgets. No terminal.
        .target(name: "TerminalKit"),
        // Application state, actions, reducer, screens, key table, themes. No ncurses.
        // TresoOptimize for the optimizer's model (`o`); the solver itself (CbcMILP) is given by the executable.
        .target(name: "TresoApp", dependencies: ["TresoCore", "TresoIO", "TerminalKit", "TresoOptimize"]),
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        // COIN-OR CBC, the MILP solver behind `treso optimize` (Debian coinor-libcbc-dev).
        .systemLibrary(
            name: "CCbc",
            pkgConfig: "cbc",
            providers: [.apt(["coinor-libcbc-dev"])]
        ),
        // The optimizer's model (plans as a mixed-integer program) and the small solver protocol it needs.
        // Depends on TresoCore only: the engine knows nothing of solvers.
        .target(name: "TresoOptimize", dependencies: ["TresoCore"]),
        // CBC's C++ driver with an event handler reporting each incumbent during the search; runs only in
        // the solver child process (CbcMILP), so a CBC abort cannot take treso down.
        .target(
            name: "CCbcChild",
            cxxSettings: [.unsafeFlags(["-I/usr/include/coin"])],
            linkerSettings: ["CbcSolver", "Cbc", "Cgl", "OsiClp", "ClpSolver", "Clp", "Osi", "CoinUtils"].map { .linkedLibrary($0) }
        ),
        // The only code that talks to CBC: an implementation of TresoOptimize's MILPSolver.
        .target(name: "CbcMILP", dependencies: ["CCbc", "CCbcChild", "TresoOptimize"]),
        // The only code that talks to ncurses.
        .target(name: "NcursesTerminal", dependencies: ["CNcursesw", "TerminalKit"]),
        .executableTarget(
            name: "treso",
            dependencies: [
                "TresoCore", "TresoIO", "TresoApp", "NcursesTerminal", "TresoOptimize", "CbcMILP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks driver, built with -c release by scripts/bench.
        .executableTarget(name: "treso-bench", dependencies: ["TresoCore", "TresoIO", "TresoApp", "TerminalKit", "TresoOptimize", "CbcMILP"], path: "Sources/treso-bench"),
        // Fuzz targets for every reader (scripts/fuzz); `treso-fuzz TARGET FILE…` replays inputs.
        .target(name: "TresoFuzz", dependencies: ["TresoCore", "TresoIO"]),
        .executableTarget(name: "treso-fuzz", dependencies: ["TresoFuzz"], path: "Sources/treso-fuzz"),
        .target(name: "TestSupport", dependencies: ["TresoCore"], path: "Tests/TestSupport"),
        .testTarget(name: "TresoCoreTests", dependencies: ["TresoCore", "TestSupport"]),
        .testTarget(name: "TresoOptimizeTests", dependencies: ["TresoOptimize", "CbcMILP", "TresoCore", "TresoIO", "TestSupport"]),
        .testTarget(name: "TresoIOTests", dependencies: ["TresoIO", "TresoFuzz", "TestSupport"]),
        .testTarget(name: "TerminalKitTests", dependencies: ["TerminalKit", "TestSupport"]),
        .testTarget(name: "TresoAppTests", dependencies: ["TresoApp", "TresoCore", "TresoIO", "TerminalKit", "TresoOptimize", "CbcMILP", "TestSupport"], exclude: ["__Snapshots__"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"]),
    ]
)
