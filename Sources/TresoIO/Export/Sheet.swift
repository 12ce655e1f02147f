import TresoCore

/// One typed cell of an exported sheet: CSV writes it as text in the chosen dialect, XLSX as a number or a date.
public enum SheetCell: Sendable, Hashable {
    case text(String)
    case money(Money)
    case day(Day)
    case int(Int)
    /// A decimal number that is not an amount (a rate in percent), written with `.`: the fr dialect writes a
    /// decimal comma, XLSX a number.
    case decimal(String)
    case empty
}

/// A table for programs and spreadsheets: a header row and typed rows. Every export that Excel opens
/// (projection, periods, comparison, entries) is built as a sheet, then written as CSV or XLSX.
public struct Sheet: Sendable, Hashable {
    public var name: String
    public var headers: [String]
    public var rows: [[SheetCell]]

    public init(name: String, headers: [String], rows: [[SheetCell]] = []) {
        self.name = name; self.headers = headers; self.rows = rows
    }
}

/// How a CSV file is spelled.
/// `standard`: `,` between fields, `.` decimal point, ISO dates, no BOM (what scripts read).
/// `fr`: the French Excel dialect: `;` between fields, decimal comma, dates DD/MM/YYYY, UTF-8 BOM, CRLF line ends,
/// so that a double-click in Excel set to French opens numbers as numbers and accents intact.
public enum CSVDialect: String, Sendable, CaseIterable {
    case standard, fr

    public var delimiter: Character { self == .fr ? ";" : "," }
    public var lineEnd: String { self == .fr ? "\r\n" : "\n" }
    public var preamble: String { self == .fr ? "\u{FEFF}" : "" }

    public func text(_ cell: SheetCell) -> String {
        switch cell {
        case .text(let s): return s
        case .money(let m): return self == .fr ? m.formatted(grouping: "", decimalPoint: ",") : m.decimalString
        case .day(let d): return self == .fr ? d.french : d.iso
        case .int(let n): return String(n)
        case .decimal(let t): return self == .fr ? String(t.map { $0 == "." ? "," : $0 }) : t
        case .empty: return ""
        }
    }

    /// One line of fields, quoted as RFC 4180 asks.
    public func line(_ fields: [String]) -> String {
        fields.map { csvField($0, delimiter: delimiter) }.joined(separator: String(delimiter)) + lineEnd
    }
}

extension Sheet {
    public func csv(_ dialect: CSVDialect = .standard) -> String {
        var out = dialect.preamble + dialect.line(headers)
        for r in rows { out += dialect.line(r.map(dialect.text)) }
        return out
    }
}
