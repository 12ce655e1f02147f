import TerminalKit
import Testing
import TresoIO
import TestSupport
@testable import TresoApp

@Suite struct ThemeTests {
    @Test(arguments: Theme.builtinNames)
    func builtInThemeIsCompleteAndMatchesItsFile(name: String) throws {
        let source = try #require(Theme.builtinSources[name])
        let file = try #require(readText(Fixture.root + "/themes/\(name).toml"))
        #expect(source + "\n" == file, "themes/\(name).toml and the compiled-in copy differ")
        // Complete: the file names every role (a role's unset fields are the terminal's defaults).
        let doc = try TOMLDocument.parse(source)
        for role in Role.allCases { #expect(doc.root[role.rawValue] != nil, "\(name) does not set \(role.rawValue)") }
        #expect(Set(doc.root.keys).subtracting(Role.allCases.map(\.rawValue)) == ["name"])
        #expect(Theme.builtin(named: name)?.name == name)
    }

    @Test(arguments: Theme.builtinNames)
    func themeRolesSnapshot(name: String) throws {
        let theme = try #require(Theme.builtin(named: name))
        #expect(snapshotMismatch(theme.dump, named: "theme-\(name)") == nil)
    }

    @Test func userThemeOverridesOnlyItsKeys() throws {
        let text = """
        # mine
        header = { fg = "red" }
        selection = { bold = false, underline = true }
        """
        let t = try Theme.parse(text, file: "mine.toml")
        let d = Theme.default
        #expect(t[.header].fg == .red)
        #expect(t[.header].bg == d[.header].bg)
        #expect(t[.header].attributes == d[.header].attributes)
        #expect(t[.selection].attributes == d[.selection].attributes.union(.underline).subtracting(.bold))
        for role in Role.allCases where role != .header && role != .selection { #expect(t[role] == d[role], "\(role)") }
    }

    @Test func extendsStartsFromAnotherBuiltIn() throws {
        let t = try Theme.parse("extends = \"light\"\nbest = { fg = \"magenta\" }\n", file: "x.toml")
        let light = try #require(Theme.builtin(named: "light"))
        #expect(t[.header] == light[.header])
        #expect(t[.best].fg == .magenta)
    }

    @Test func badThemeFilesSayFileLineAndColumn() {
        func error(_ text: String) -> ThemeError? {
            do { _ = try Theme.parse(text, file: "bad.toml"); return nil } catch { return error }
        }
        let unknown = error("\n\nhedaer = { fg = \"red\" }\n")
        #expect(unknown?.line == 3)
        #expect(unknown?.description.hasPrefix("bad.toml:3:1: unknown role 'hedaer' (did you mean 'header'?)") == true)
        let colour = error("header = { fg = \"purpleish\" }\n")
        #expect(colour?.line == 1)
        #expect(colour?.message.contains("must be a colour") == true)
        let syntax = error("header = { fg = \"red\" \n")
        #expect(syntax?.file == "bad.toml")
        #expect((syntax?.line ?? 0) >= 1)
        let field = error("header = { colour = \"red\" }\n")
        #expect(field?.message.contains("unknown field 'header.colour'") == true)
        let notTable = error("header = \"red\"\n")
        #expect(notTable?.message.contains("inline table") == true)
        #expect(error("extends = \"nope\"\n")?.message.contains("not a built-in theme") == true)
    }

    @Test func loaderFindsBuiltInsAndFilesAndReportsMissing() {
        if case .success(let t) = ThemeLoader.load("mono") { #expect(t.name == "mono") } else { Issue.record("mono") }
        if case .success(let t) = ThemeLoader.load(Fixture.root + "/themes/light.toml") { #expect(t[.header] == Theme.builtin(named: "light")?[.header]) } else { Issue.record("file") }
        if case .failure(let e) = ThemeLoader.load("/nonexistent/x.toml") { #expect(e.file == "/nonexistent/x.toml") } else { Issue.record("missing") }
        if case .failure(let e) = ThemeLoader.load("nosuchtheme") { #expect(e.message.contains("built-in themes are")) } else { Issue.record("name") }
    }

    @Test func monoUsesNoColour() throws {
        let mono = try #require(Theme.builtin(named: "mono"))
        for role in Role.allCases {
            #expect(mono[role].fg == .default && mono[role].bg == .default, "\(role)")
        }
        #expect(mono[.selection].attributes.contains(.reverse))
    }
}
