import TerminalKit
import Testing
import TestSupport
@testable import TresoApp
import TresoCore
import TresoIO
#if canImport(Glibc)
import Glibc
#endif

/// The demo scenario and helpers shared by the app's tests.
enum Fixture {
    /// The package root, from this file's path (Tests/TresoAppTests/Fixtures.swift).
    static let root: String = packageRoot()
    static var demoPath: String { root + "/examples/demo" }
    /// A fixed "today": the demo's start.
    static let today = Day.ymd(2026, 12, 1)

    static func load(_ path: String) throws -> (LoadedScenario, Scenario) {
        let loaded = ScenarioLoader.load(path: path, defaultStart: today)
        let s = try #require(loaded.scenario, "\(loaded.errors)")
        return (loaded, s)
    }

    static func demo(width: Int = 100, height: Int = 30, theme: Theme = .default, path: String? = nil) throws -> AppState {
        let (loaded, s) = try load(path ?? demoPath)
        // Screens show the scenario's path: the bundled demo is named relative to the package root so that
        // snapshots do not depend on where the repository is cloned (these fixtures never save).
        let shownPath = path == nil ? "examples/demo/treso.toml" : loaded.tomlPath
        return AppState(scenario: s, tomlPath: shownPath, tomlText: loaded.tomlText, theme: theme, today: today,
                        width: width, height: height)
    }

    /// A copy of examples/demo in a new temporary folder; returns the folder.
    static func demoCopy() throws -> String {
        var template = Array("/tmp/treso-app-test-XXXXXX".utf8CString)
        let dir = try #require(template.withUnsafeMutableBufferPointer { buf -> String? in
            guard let base = buf.baseAddress, let p = mkdtemp(base) else { return nil }
            return String(cString: p)
        })
        for name in ["treso.toml", "receivables.csv", "payables.csv"] {
            let text = try #require(readText(demoPath + "/" + name))
            writeText(dir + "/" + name, text)
        }
        return dir
    }

    /// Removes a folder made by `demoCopy` and what the tests wrote in it.
    static func remove(_ dir: String) {
        for name in ["treso.toml", "treso.toml.tmp", "receivables.csv", "payables.csv", "out.csv"] { unlink(dir + "/" + name) }
        rmdir(dir)
    }

    static func key(_ name: String) -> Key {
        guard let k = Key(name: name) else {
            Issue.record("bad key name \(name)")
            return .escape
        }
        return k
    }
}

extension AppState {
    /// Presses keys by name through the same path as the event loop (effects performed).
    @discardableResult
    mutating func press(_ names: String...) -> Bool {
        var alive = true
        for n in names where alive { alive = handle(.key(Fixture.key(n)), state: &self) }
        return alive
    }

    /// Types text into whatever has the keyboard (filter, command line, form field).
    mutating func type(_ text: String) {
        for ch in text { _ = handle(.key(.char(ch)), state: &self) }
    }

    /// Runs an action through `reduce` only (no effect performed); returns the effects.
    @discardableResult
    /// The simulation started after each change is left out (JobTests look at it).
    mutating func send(_ action: Action) -> [Effect] {
        reduce(&self, action).filter { if case .startJob(.risk) = $0 { return false }; return true }
    }

    /// The active plan's decisions and defaulted set: what "the plan" means in invariants.
    var planFingerprint: [String] {
        let st = activePlanState
        return st.decisions.sorted { $0.key < $1.key }.map { "\($0.key.kind.rawValue)#\($0.key.index)=\($0.value.code)" }
            + st.defaulted.sorted().map { "defaulted#\($0.index)" }
    }

    var screen: String { render(self).lines().joined(separator: "\n") }

    /// Focus a table and put its cursor on the invoice with this id.
    mutating func select(_ id: String) {
        for kind in InvoiceKind.allCases {
            let list = scenario.invoices(kind)
            guard let i = list.firstIndex(where: { $0.id == id }) else { continue }
            focus = kind == .receivable ? .receivables : .payables
            expanded = kind
            withTable(kind) { t in
                if let p = t.order.firstIndex(of: i) { t.cursor = p }
            }
            reduce(&self, .resize(width: width, height: height))
            return
        }
        Issue.record("no invoice \(id)")
    }

    /// What must hold after any action, whatever the keys and sizes: indices in range, the cursor on
    /// screen, every row of the frame exactly the screen's width. Empty when all hold.
    func invariantViolations() -> [String] {
        var out: [String] = []
        let plans = workspace.planCount
        if !(0..<plans).contains(activePlan) { out.append("active plan \(activePlan) of \(plans)") }
        if !(0..<plans).contains(comparisonCursor) { out.append("comparison cursor \(comparisonCursor) of \(plans)") }
        if !(0..<max(1, scenario.horizonDays)).contains(day) { out.append("day \(day) outside the horizon") }
        if dayScroll < 0 { out.append("day scroll \(dayScroll)") }
        for kind in InvoiceKind.allCases {
            let t = table(kind)
            if t.count > 0 && !(0..<t.count).contains(t.cursor) { out.append("\(kind) cursor \(t.cursor) of \(t.count)") }
            let visible = layout.visibleRows(kind)
            if t.count > 0, visible > 0, !(t.offset...(t.offset + visible - 1)).contains(t.cursor) {
                out.append("\(kind) cursor \(t.cursor) off screen (offset \(t.offset), \(visible) rows)")
            }
        }
        let grid = render(self)
        if grid.width != width || grid.height != height { out.append("frame \(grid.width)×\(grid.height) for \(width)×\(height)") }
        for (y, line) in grid.lines().enumerated() where displayWidth(line) != grid.width {
            out.append("row \(y) is \(displayWidth(line)) columns wide, not \(grid.width)")
            break
        }
        return out
    }
}
