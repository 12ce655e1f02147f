import ArgumentParser
import TresoCore
import TresoIO

extension PeriodLength: ExpressibleByArgument {}
extension CSVDialect: ExpressibleByArgument {}

/// What a command can write: the text formats, and XLSX (a file, so it needs --output).
enum CommandFormat: String, CaseIterable, ExpressibleByArgument {
    case table, csv, json, xlsx

    /// The text format, or a clear error for a command that has no XLSX form.
    func textOnly() throws -> OutputFormat {
        switch self {
        case .table: return .table
        case .csv: return .csv
        case .json: return .json
        case .xlsx:
            printError("error: --format xlsx is not available here; use table, csv or json")
            throw ExitWithCode(code: 64)
        }
    }
}

/// Where a command's output goes and how a CSV is spelled; shared by project, compare and entries.
struct OutputOptions: ParsableArguments {
    @Option(help: "CSV dialect: standard (',' and '.') or fr (French Excel: ';', decimal comma, DD/MM/YYYY, UTF-8 BOM).")
    var dialect: CSVDialect = .standard

    @Option(name: [.customShort("o"), .long], help: "Write to this file instead of standard output.")
    var output: String?

    /// Prints `text` (control characters escaped as `printReport` does), or writes it to --output (atomically);
    /// a write failure stops with exit 1.
    func emit(_ text: String, format: OutputFormat = .table) throws {
        guard let output else { printReport(text, format: format); return }
        try write(Array(text.utf8), to: output)
    }

    /// Writes sheets as an .xlsx workbook to --output (required: a workbook is not text for a terminal).
    func emitWorkbook(_ sheets: [Sheet]) throws {
        guard let output else {
            printError("error: --format xlsx needs --output FILE.xlsx")
            throw ExitWithCode(code: 64)
        }
        if let why = XLSXWriter.write(sheets, to: output) {
            printError("error: " + why)
            throw ExitWithCode(code: 1)
        }
    }

    func write(_ bytes: [UInt8], to path: String) throws {
        if case .failure(let d) = writeFileAtomically(path: path, bytes: bytes) {
            printError(d.description)
            throw ExitWithCode(code: 1)
        }
    }
}
