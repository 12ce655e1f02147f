#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport
@testable import TresoApp

/// docs/keys.md is the key table in Markdown, generated from `KeyTable` (TRESO_RECORD_SNAPSHOTS=1 rewrites it).
@Suite struct DocsKeysTests {
    @Test func keysDocumentIsCurrent() {
        let path = Fixture.root + "/docs/keys.md"
        let text = "# Keys of the interactive planner\n\nGenerated from the key table (`Sources/TresoApp/Keys/KeyTable.swift`); "
            + "the `?` screen shows the same. Decisions apply to the marked rows (✓) or, when none is marked, to the row under the cursor (▸).\n\n"
            + KeyTable.markdown()
        if getenvString("TRESO_RECORD_SNAPSHOTS") == "1" { writeText(path, text); return }
        #expect(readText(path) == text, "docs/keys.md is stale: run the tests with TRESO_RECORD_SNAPSHOTS=1")
    }
}

func getenvString(_ name: String) -> String? {
    guard let v = getenv(name) else { return nil }
    return String(cString: v)
}
