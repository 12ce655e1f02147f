/// Minimal JSON text building for the headless commands. Amounts are written as exact decimal
/// strings ("25000.00"), never as JSON numbers, so no consumer rounds them through a double.
public enum JSON {
    case string(String)
    case int(Int)
    /// A JSON number given as its exact text (e.g. measured seconds "0.12").
    case number(String)
    case bool(Bool)
    case null
    case array([JSON])
    case object([(String, JSON)])

    public static func money(_ m: Money) -> JSON { .string(m.decimalString) }
    public static func day(_ d: Day) -> JSON { .string(d.iso) }

    public func render(indent: Int = 0, pretty: Bool = true) -> String {
        var out = ""
        write(into: &out, indent: indent, pretty: pretty)
        return out
    }

    func write(into out: inout String, indent: Int, pretty: Bool) {
        let nl = pretty ? "\n" : ""
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let endPad = pretty ? String(repeating: "  ", count: indent) : ""
        switch self {
        case .string(let s): JSON.quote(s, into: &out)
        case .int(let i): out += String(i)
        case .number(let text): out += text
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            // Arrays of scalars stay on one line; arrays of objects get one element per line.
            let scalar = items.allSatisfy { if case .object = $0 { return false }; if case .array = $0 { return false }; return true }
            if scalar {
                out += "["
                for (i, v) in items.enumerated() { if i > 0 { out += "," }; v.write(into: &out, indent: indent + 1, pretty: false) }
                out += "]"
            } else {
                out += "[" + nl
                for (i, v) in items.enumerated() {
                    out += pad
                    v.write(into: &out, indent: indent + 1, pretty: pretty)
                    out += (i < items.count - 1 ? "," : "") + nl
                }
                out += endPad + "]"
            }
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            // Small flat objects (a day row) stay on one line to keep big outputs readable.
            let flat = fields.count <= 12 && fields.allSatisfy { if case .object = $0.1 { return false }; if case .array(let a) = $0.1, a.contains(where: { if case .object = $0 { return true }; return false }) { return false }; return true }
            if flat && indent > 0 {
                out += "{"
                for (i, (k, v)) in fields.enumerated() {
                    if i > 0 { out += pretty ? ", " : "," }
                    JSON.quote(k, into: &out); out += pretty ? ": " : ":"
                    v.write(into: &out, indent: indent + 1, pretty: false)
                }
                out += "}"
            } else {
                out += "{" + nl
                for (i, (k, v)) in fields.enumerated() {
                    out += pad
                    JSON.quote(k, into: &out); out += pretty ? ": " : ":"
                    v.write(into: &out, indent: indent + 1, pretty: pretty)
                    out += (i < fields.count - 1 ? "," : "") + nl
                }
                out += endPad + "}"
            }
        }
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}

import TresoCore
