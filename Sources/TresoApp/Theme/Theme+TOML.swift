import TerminalKit
import TresoIO

/// A theme file problem, located in the file.
public struct ThemeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)" }
}

extension Theme {
    static let attributeKeys: [(String, Attributes)] = [
        ("bold", .bold), ("dim", .dim), ("underline", .underline), ("reverse", .reverse), ("italic", .italic),
    ]

    /// Reads a theme file laid over `base`: each role it names changes only the fields it sets
    /// (`header = { fg = "red" }` keeps the base's background and attributes; `bold = false` removes bold).
    /// Top-level keys besides roles: `name`, and `extends` (a built-in theme used as the base instead).
    /// Errors name the file, line and column.
    public static func parse(_ text: String, file: String, base: Theme = .default) throws(ThemeError) -> Theme {
        let doc: TOMLDocument
        do { doc = try TOMLDocument.parse(text) } catch {
            throw ThemeError(file: file, line: error.line, column: error.column, message: error.message)
        }
        var theme = base
        func fail(_ node: TOMLNode, _ message: String, key: Bool = false) -> ThemeError {
            let p = key ? node.keyPosition : node.position
            return ThemeError(file: file, line: p.line, column: p.column, message: message)
        }
        if let ext = doc.root["extends"] {
            guard let name = ext.stringValue else { throw fail(ext, "'extends' must be the name of a built-in theme") }
            guard let b = Theme.builtin(named: name) else {
                throw fail(ext, "'extends' = \"\(name)\" is not a built-in theme (\(Theme.builtinNames.joined(separator: ", ")))")
            }
            theme = b
        }
        theme.name = file
        for (key, node) in doc.root.entries {
            switch key {
            case "extends": continue
            case "name":
                guard let n = node.stringValue else { throw fail(node, "'name' must be a string") }
                theme.name = n
                continue
            default: break
            }
            guard let role = Role(rawValue: key) else {
                var msg = "unknown role '\(key)'"
                if let s = closestName(key, in: Role.allCases.map(\.rawValue)) { msg += " (did you mean '\(s)'?)" }
                throw fail(node, msg + "; roles: " + Role.allCases.map(\.rawValue).joined(separator: ", "), key: true)
            }
            guard let table = node.tableValue else {
                throw fail(node, "role '\(key)' must be an inline table such as { fg = \"yellow\", bold = true }")
            }
            var style = theme[role]
            for (field, value) in table.entries {
                switch field {
                case "fg", "bg":
                    guard let name = value.stringValue ?? value.integerValue.map({ String($0) }), let color = Color(name: name) else {
                        throw fail(value, "'\(key).\(field)' must be a colour: default, black, red, green, yellow, blue, magenta, cyan, white, bright-… or 0–255")
                    }
                    if field == "fg" { style.fg = color } else { style.bg = color }
                default:
                    guard let attr = attributeKeys.first(where: { $0.0 == field })?.1 else {
                        var msg = "unknown field '\(key).\(field)'"
                        if let s = closestName(field, in: ["fg", "bg"] + attributeKeys.map(\.0)) { msg += " (did you mean '\(s)'?)" }
                        throw fail(value, msg + "; fields: fg, bg, bold, dim, underline, reverse, italic", key: true)
                    }
                    guard let on = value.boolValue else { throw fail(value, "'\(key).\(field)' must be true or false") }
                    if on { style.attributes.insert(attr) } else { style.attributes.remove(attr) }
                }
            }
            theme[role] = style
        }
        return theme
    }
}

/// The candidate closest to `word` by edit distance, when it is plausibly a typo.
func closestName(_ word: String, in candidates: [String]) -> String? {
    let w = Array(word.lowercased())
    var best: (String, Int)?
    for c in candidates {
        let b = Array(c)
        var prev = Array(0...b.count)
        for i in 1...max(w.count, 1) where !w.isEmpty {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (w[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        let d = w.isEmpty ? b.count : prev[b.count]
        if let cur = best, cur.1 <= d { continue }
        best = (c, d)
    }
    guard let (name, d) = best, d <= max(2, w.count / 3) else { return nil }
    return name
}
