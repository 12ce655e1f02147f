import TresoCore

/// What reading one invoice file produced.
public struct InvoiceFileResult: Sendable {
    /// Open invoices, in file order.
    public var invoices: [Invoice]
    /// Disputed invoices: excluded from the projection, listed to the user.
    public var disputed: [Invoice]
    /// Rows marked paid, skipped.
    public var paidSkipped: Int
    /// Every error and warning, in file order, each located as `file:line:column`.
    public var diagnostics: [Diagnostic]
    /// Rows left out because of an error, by id, in file order.
    public var rejected: [ExcludedInvoice] = []
    /// What the scenario should add for every row to load (missing rates, terms, status words).
    public var needs = ImportNeeds()
    /// True when the file as a whole could not be read (missing, no usable header): nothing in it loaded.
    public var unusable = false
    /// How the header was read: (treso's column, the file's header name), in file order.
    public var columns: [(column: String, header: String)] = []
    /// Paid rows with a payment date (and a readable counterparty and due date), in file order: the customers'
    /// payment history (docs/calculations.md §15). Not projected.
    public var payments: [PaidInvoice] = []

    public init(invoices: [Invoice] = [], disputed: [Invoice] = [], paidSkipped: Int = 0, diagnostics: [Diagnostic] = []) {
        self.invoices = invoices; self.disputed = disputed; self.paidSkipped = paidSkipped; self.diagnostics = diagnostics
    }

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// A paid invoice's timing, as an export records it: the payment history the delay model learns from.
public struct PaidInvoice: Sendable, Hashable {
    public var counterparty: String
    public var dueDate: Day
    public var paymentDate: Day
    public var line: Int
    public init(counterparty: String, dueDate: Day, paymentDate: Day, line: Int) {
        self.counterparty = counterparty; self.dueDate = dueDate; self.paymentDate = paymentDate; self.line = line
    }
    /// Calendar days from the due date to the payment (negative: paid early).
    public var delayDays: Int { paymentDate - dueDate }
}

/// Reads receivables or payables from a CSV file as accounting software exports them.
///
/// The format, in short (the canonical form is what `InvoiceCSVWriter` writes):
/// - header `id,counterparty,issue_date,due_date,amount[,currency][,status][,expected_date][,discount][,country][,note]`,
///   or French/English aliases (`Numéro;Client;Date;Échéance;Montant TTC;Devise`), matched case- and
///   accent-insensitively (see `InvoiceHeaderAliases`); other columns are ignored with one warning;
/// - delimiter `,`, `;` or tab, whichever occurs most in the header line outside quotes;
/// - UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252 (see `CSVTextDecoding`);
/// - LF, CRLF or CR line ends; RFC 4180 quoting (`""` inside quotes), quoted fields may hold
///   delimiters and line breaks; blank lines (or lines of empty fields) are skipped; surrounding spaces
///   of every field, quoted or not, are ignored; empty fields after the last column are tolerated;
/// - amounts in many local forms (see `parseAmountSlow`), dates `YYYY-MM-DD` or `DD/MM/YYYY`
///   (see `parseDate`).
///
/// - what the scenario adds (`InvoiceImportOptions`): `[fx]` rates for other currencies (converted once, the
///   original kept on `Invoice.origin`), `[import.status]` words, payment terms for rows without a due date;
/// - open amounts: a `remaining` column (Reste dû) is what is projected; `debit`/`credit` columns give the amount;
///   a negative amount is a credit note. Rules: docs/invoice-csv.md.
///
/// Every problem is reported, never only the first. A row with an error is left out (and listed in `rejected`);
/// warnings keep it.
/// A row marked paid is only checked for its id and status, then counted and skipped: it does not
/// take part in the projection, so its other fields may be anything. When the file has a payment-date column
/// (`payment_date`, `Date de règlement`, …), a paid row whose counterparty, due date and payment date read is kept
/// in `payments` (the payment history; quietly skipped otherwise). A row with a payment date and no status (no
/// status column, or an empty status) is paid — unless a remaining-amount column says what is still open.
///
/// Columns in diagnostics are 1-based positions of the field's first character (its opening quote if
/// quoted, else its first non-blank character), counted in characters (Unicode scalars, so `é` is
/// one) from the start of the physical line.
public enum InvoiceCSVReader {
    public static func read(path: String, displayName: String, kind: InvoiceKind, currency: String) -> InvoiceFileResult {
        read(path: path, displayName: displayName, kind: kind, options: InvoiceImportOptions(currency: currency))
    }

    public static func read(path: String, displayName: String, kind: InvoiceKind, options: InvoiceImportOptions) -> InvoiceFileResult {
        // Large files are memory-mapped, not copied (docs/decisions.md § Large files are mapped).
        switch withRegularFile(path: path, displayName: displayName, limit: .data, { read(buffer: $0, displayName: displayName, kind: kind, options: options) }) {
        case .success(let r):
            return r
        case .failure(let d):
            var r = InvoiceFileResult(diagnostics: [d])
            r.unusable = true
            return r
        }
    }

    /// `displayName` is what messages print as the file (e.g. "examples/demo/receivables.csv").
    public static func read(bytes: [UInt8], displayName: String, kind: InvoiceKind, currency: String) -> InvoiceFileResult {
        read(bytes: bytes, displayName: displayName, kind: kind, options: InvoiceImportOptions(currency: currency))
    }

    public static func read(bytes: [UInt8], displayName: String, kind: InvoiceKind, options: InvoiceImportOptions) -> InvoiceFileResult {
        bytes.withUnsafeBufferPointer { read(buffer: $0, displayName: displayName, kind: kind, options: options) }
    }

    /// Reads bytes the caller owns (a mapping, the fuzzer's input) without copying them.
    public static func read(buffer: UnsafeBufferPointer<UInt8>, displayName: String, kind: InvoiceKind, currency: String,
                            parallel: Bool? = nil) -> InvoiceFileResult {
        read(buffer: buffer, displayName: displayName, kind: kind, options: InvoiceImportOptions(currency: currency), parallel: parallel)
    }

    static func read(buffer: UnsafeBufferPointer<UInt8>, displayName: String, kind: InvoiceKind, options: InvoiceImportOptions,
                     parallel: Bool? = nil) -> InvoiceFileResult {
        if CSVTextDecoding.isBlankText(buffer) {
            var r = InvoiceFileResult(diagnostics: [.error(displayName, "empty file: no header row")])
            r.unusable = true
            return r
        }
        if buffer.count >= Int(Int32.max) {
            var r = InvoiceFileResult(diagnostics: [.error(displayName, "file too large (2 GB or more); split it")])
            r.unusable = true
            return r
        }
        let decoded = CSVTextDecoding.decode(buffer)
        var result = InvoiceFileResult()
        if let w = decoded.warning { result.diagnostics.append(.warning(displayName, w)) }
        func parse(_ buf: UnsafeBufferPointer<UInt8>) {
            guard let base = buf.baseAddress else {
                result.diagnostics.append(.error(displayName, "empty file: no header row"))
                result.unusable = true
                return
            }
            var parser = InvoiceCSVParser(base: base, end: buf.count, start: decoded.start, file: displayName, kind: kind,
                                          options: options, invalidOffsets: decoded.invalidOffsets)
            defer { parser.release() }
            guard let data = parser.readHeader() else {
                result.diagnostics.append(contentsOf: parser.diagnostics)
                result.unusable = true
                return
            }
            let plan = parser.plan(data, parallel: parallel)
            var invoices = [Invoice](unsafeUninitializedCapacity: plan.capacity) { out, count in
                adviseHugePages(out)
                count = parser.parseRows(plan, into: out)
            }
            if !parser.overflow.isEmpty { invoices.append(contentsOf: parser.overflow) }
            result.invoices = invoices
            result.disputed = parser.disputed
            result.paidSkipped = parser.paidSkipped
            result.diagnostics.append(contentsOf: parser.diagnostics)
            result.rejected = parser.rejected
            result.needs = parser.needs
            result.columns = parser.columnMap()
            result.payments = parser.payments
            var errors = parser.unlistedErrors, warnings = parser.unlistedWarnings
            let limit = InvoiceCSVParser.listedLimit
            if result.diagnostics.count > limit {
                for d in result.diagnostics[limit...] { if d.severity == .error { errors += 1 } else { warnings += 1 } }
                result.diagnostics.removeSubrange(limit...)
            }
            if errors + warnings > 0 {
                let what = [errors > 0 ? "\(errors) error\(errors == 1 ? "" : "s")" : nil,
                            warnings > 0 ? "\(warnings) warning\(warnings == 1 ? "" : "s")" : nil].compactMap { $0 }.joined(separator: " and ")
                result.diagnostics.append(Diagnostic(errors > 0 ? .error : .warning, file: displayName,
                    "… and \(what) more, not listed (the first \(limit) problems are): fix these, then check again"))
            }
        }
        if let transcoded = decoded.transcoded {
            transcoded.withUnsafeBufferPointer { parse($0) }
        } else {
            parse(buffer)
        }
        return result
    }
}

/// Where the rows are, and how to split them between two threads.
struct ParsePlan {
    var dataStart: Int
    var dataLine: Int
    /// Invoices expected, with a margin (more go to an overflow array).
    var capacity: Int
    /// A line break near the middle and the capacity before it; nil to parse on one thread.
    var split: (offset: Int, firstCapacity: Int)?
}

/// A row's status as the reader sees it: "partly paid" is open, but warned about without a remaining amount.
enum RowStatus: Equatable {
    case open, paid, disputed, partlyPaid
    init(_ s: InvoiceStatus) {
        switch s { case .open: self = .open; case .paid: self = .paid; case .disputed: self = .disputed }
    }
}

/// An id whose duplicate check waits for the rows before it (second half of a parallel parse).
struct PendingID {
    var entry: IDEntry
    var rowStart: Int
    /// Where a duplicate warning goes among the half's diagnostics, to keep file order.
    var diagnosticIndex: Int
}

/// One pass over the text. Lives only inside `withUnsafeBufferPointer`.
struct InvoiceCSVParser {
    var t: CSVText
    let start: Int
    let file: String
    let kind: InvoiceKind
    let currency: String
    let currencyBytes: [UInt8]
    let options: InvoiceImportOptions
    /// Guessed from the delimiter: `;` and tab files are written with a decimal comma.
    var decimalComma = false

    /// Output: invoices are built in place in the result's buffer.
    var out: UnsafeMutablePointer<Invoice>?
    var outCapacity = 0
    var outCount = 0
    /// Invoices past the buffer when the row estimate was short; once used, every later invoice goes
    /// here too, to keep file order.
    var overflow: [Invoice] = []
    var disputed: [Invoice] = []
    var paidSkipped = 0
    var payments: [PaidInvoice] = []
    var diagnostics: [Diagnostic] = []
    var rejected: [ExcludedInvoice] = []
    var needs = ImportNeeds()
    /// Currencies already reported as missing a rate (one error each).
    var reportedRates: Set<String> = []
    /// Messages given once per file (unknown status, missing rate), to keep them once across the two halves
    /// of a parallel parse.
    var unknownStatusWarnings: Set<String> = []

    // Header.
    var headerLine = 1
    var headerCount = 0
    var headerNames: [String] = []
    var labels: [String] = InvoiceColumn.allCases.map(\.canonical)
    var cId = -1, cCounterparty = -1, cIssue = -1, cDue = -1, cAmount = -1
    var cCurrency = -1, cStatus = -1, cExpected = -1, cDiscount = -1, cCountry = -1, cNote = -1
    var cRemaining = -1, cDebit = -1, cCredit = -1, cVAT = -1, cHT = -1, cPaid = -1
    /// No import column (remaining, debit/credit, VAT, HT) and both amount and due date: rows take `processPlainRow`.
    var plainLayout = false
    /// Set by an Excel `sep=;` first line: the delimiter is not guessed.
    var explicitDelimiter: UInt8? = nil

    // Current row, for locating diagnostics.
    var rowStart = 0
    var rowLine = 1

    let invalidOffsets: [Int]
    var invalidIndex = 0

    var ids = DuplicateIDIndex()
    /// Set for the second half of a parallel parse: ids are checked after the first half is done.
    var deferIDs = false
    var pendingIDs: [PendingID] = []
    var names = StringInterner()
    var dates = DateCache()
    var statusCache: [String: RowStatus?] = [:]

    init(base: UnsafePointer<UInt8>, end: Int, start: Int, file: String, kind: InvoiceKind, options: InvoiceImportOptions,
         invalidOffsets: [Int]) {
        t = CSVText(p: base, end: end)
        self.start = start; self.file = file; self.kind = kind
        self.currency = options.currency
        self.options = options
        currencyBytes = Array(self.currency.utf8)
        self.invalidOffsets = invalidOffsets
    }

    mutating func release() {
        t.release(); dates.release()
    }

    // MARK: Diagnostics

    /// Problems listed per file; the rest are counted ("… and N more"), so that a file of bad rows is
    /// reported as fast as a good one is read.
    static let listedLimit = 100
    var unlistedErrors = 0
    var unlistedWarnings = 0

    mutating func error(at offset: Int, _ message: String) {
        guard diagnostics.count < InvoiceCSVParser.listedLimit else { unlistedErrors += 1; return }
        let (l, c) = t.location(offset, rowStart: rowStart, rowLine: rowLine)
        diagnostics.append(.error(file, line: l, column: c, message))
    }

    mutating func warning(at offset: Int, _ message: String) {
        guard diagnostics.count < InvoiceCSVParser.listedLimit else { unlistedWarnings += 1; return }
        let (l, c) = t.location(offset, rowStart: rowStart, rowLine: rowLine)
        diagnostics.append(.warning(file, line: l, column: c, message))
    }

    mutating func fieldError(_ f: Int, _ message: String) {
        error(at: offset(of: f), message)
    }

    /// Where a column's field starts in the current row; a column the file does not have (f < 0) is reported at the
    /// row's start rather than read out of bounds (a fuzzed file with a credit column and no amount or debit one).
    func offset(of f: Int) -> Int { f >= 0 ? t.fieldOffset(f) : rowStart }

    /// The column that carries the row's amount: amount, else remaining, else debit, else credit (−1 if none).
    var amountColumn: Int { cAmount >= 0 ? cAmount : cRemaining >= 0 ? cRemaining : cDebit >= 0 ? cDebit : cCredit }

    mutating func label(_ c: InvoiceColumn) -> String { labels[c.rawValue] }

    // MARK: Header

    /// Maps header fields to columns. False when a required column is missing (already reported).
    mutating func setUpColumns(_ n: Int) -> Bool {
        var best: [InvoiceColumn: (index: Int, priority: Int)] = [:]
        var ignored: [String] = []
        var excludingVAT: [Int] = []
        for i in 0..<n {
            // Shortened like any quoted value: a header line of a gigabyte is not repeated in messages.
            let name = t.shown(i)
            headerNames.append(name)
            if name.isEmpty { continue }
            switch InvoiceHeaderAliases.meaning(ofNormalized: normalizeHeaderName(name), kind: kind) {
            case .none:
                ignored.append("'\(name)'")
            case .amountExcludingVAT:
                excludingVAT.append(i)
                if cHT < 0 { cHT = i } else { ignored.append("'\(name)' (VAT excluded)") }
            case .column(let c, let priority)?:
                if let b = best[c] {
                    let iWins = priority < b.priority
                    let (winner, loser) = iWins ? (i, b.index) : (b.index, i)
                    if iWins { best[c] = (i, priority) }
                    ignored.append("'\(headerNames[loser])' (another \(c.canonical) column; using '\(headerNames[winner])')")
                } else {
                    best[c] = (i, priority)
                }
            }
        }
        headerCount = (headerNames.lastIndex { !$0.isEmpty } ?? -1) + 1
        let found = headerNames.filter { !$0.isEmpty }.map { "'\($0)'" }.joined(separator: ", ")
        var missing = false
        for c in InvoiceColumn.required where best[c] == nil {
            missing = true
            if c == .amount, let ht = excludingVAT.first {
                diagnostics.append(.error(file, line: headerLine,
                    "no amount-TTC column (VAT included) found: '\(headerNames[ht])' excludes VAT, and invoice amounts are VAT included; columns found: \(found)"))
            } else {
                diagnostics.append(.error(file, line: headerLine,
                    "missing required column '\(c.canonical)' (e.g. \(c.examples)); columns found: \(found)"))
            }
        }
        let hasAmount = best[.amount] != nil || best[.remaining] != nil || best[.debit] != nil || best[.credit] != nil
        if !hasAmount {
            missing = true
            if let ht = excludingVAT.first {
                diagnostics.append(.error(file, line: headerLine,
                    "no amount-TTC column (VAT included) found: '\(headerNames[ht])' excludes VAT, and invoice amounts are VAT included; columns found: \(found)"))
            } else {
                diagnostics.append(.error(file, line: headerLine,
                    "missing required column 'amount' (e.g. \(InvoiceColumn.amount.examples)); columns found: \(found)"))
            }
        }
        if best[.dueDate] == nil && !options.hasTerms {
            missing = true
            diagnostics.append(.error(file, line: headerLine,
                "missing required column 'due_date' (e.g. \(InvoiceColumn.dueDate.examples)); or set payment_terms_days = 30 "
                + "(or [payment_terms]) in treso.toml to infer due dates; columns found: \(found)"))
        }
        if missing { return false }
        if !ignored.isEmpty {
            diagnostics.append(.warning(file, line: headerLine,
                "ignoring \(ignored.count) column\(ignored.count == 1 ? "" : "s") treso does not use: \(ignored.joined(separator: ", "))"))
        }
        for (c, b) in best {
            if normalizeHeaderName(headerNames[b.index]) != normalizeHeaderName(c.canonical) {
                labels[c.rawValue] = "\(c.canonical) (column '\(headerNames[b.index])')"
            }
            switch c {
            case .id: cId = b.index
            case .counterparty: cCounterparty = b.index
            case .issueDate: cIssue = b.index
            case .dueDate: cDue = b.index
            case .amount: cAmount = b.index
            case .currency: cCurrency = b.index
            case .status: cStatus = b.index
            case .expectedDate: cExpected = b.index
            case .discount: cDiscount = b.index
            case .country: cCountry = b.index
            case .note: cNote = b.index
            case .remaining: cRemaining = b.index
            case .debit: cDebit = b.index
            case .credit: cCredit = b.index
            case .vat: cVAT = b.index
            case .paymentDate: cPaid = b.index
            }
        }
        plainLayout = cAmount >= 0 && cDue >= 0 && cRemaining < 0 && cDebit < 0 && cCredit < 0 && cVAT < 0 && cHT < 0 && cPaid < 0
        return true
    }

    // MARK: Run

    /// Skips blank lines, detects the delimiter and maps the header. Returns where data rows start
    /// (offset, line), or nil when the header is unusable (already reported).
    mutating func readHeader() -> (Int, Int)? {
        let p = t.p, end = t.end
        var pos = start
        var line = 1
        // Blank lines before the header are skipped.
        while pos < end {
            var q = pos
            while q < end { let k = blankLength(p, q, end); if k == 0 { break }; q += k }
            guard q < end else { pos = end; break }
            if p[q] == 0x0A || p[q] == 0x0D {
                pos = (p[q] == 0x0D && q + 1 < end && p[q + 1] == 0x0A) ? q + 2 : q + 1
                line += 1
                continue
            }
            break
        }
        guard pos < end else { diagnostics.append(.error(file, "empty file: no header row")); return nil }
        // Excel's `sep=;` first line names the delimiter.
        if let (d, next) = excelSeparatorLine(at: pos) {
            explicitDelimiter = d
            pos = next
            line += 1
            guard pos < end else { diagnostics.append(.error(file, "empty file: no header row after 'sep='")); return nil }
        }
        if let d = explicitDelimiter { t.delimiter = d } else { t.detectDelimiter(from: pos) }
        decimalComma = t.delimiter != 0x2C
        rowStart = pos; rowLine = line
        let header = t.scanRow(at: pos)
        headerLine = line
        if header.problemAt >= 0 {
            error(at: header.problemAt, header.unterminated ? "unterminated quoted field in the header: no closing '\"'" : "unexpected text after a closing quote in the header")
            return nil
        }
        guard setUpColumns(header.count) else { return nil }
        return (header.next, line + 1 + header.innerLineBreaks)
    }

    func columnMap() -> [(column: String, header: String)] {
        var out: [(Int, String)] = []
        for c in InvoiceColumn.allCases {
            let i = [cId, cCounterparty, cIssue, cDue, cAmount, cCurrency, cStatus, cExpected, cDiscount, cCountry, cNote,
                     cRemaining, cDebit, cCredit, cVAT, cPaid][c.rawValue]
            if i >= 0 { out.append((i, c.canonical)) }
        }
        if cHT >= 0 { out.append((cHT, "amount excl. VAT (for the VAT)")) }
        return out.sorted { $0.0 < $1.0 }.map { (column: $0.1, header: headerNames[$0.0]) }
    }

    /// `sep=X` (optionally quoted) alone on the line at `pos`: (X, start of the next line).
    func excelSeparatorLine(at pos: Int) -> (UInt8, Int)? {
        let p = t.p, end = t.end
        var i = pos
        if i < end && p[i] == 0x22 { i += 1 }
        guard i + 4 < end, p[i] | 0x20 == 0x73, p[i + 1] | 0x20 == 0x65, p[i + 2] | 0x20 == 0x70, p[i + 3] == 0x3D else { return nil }
        let d = p[i + 4]
        guard d != 0x0A && d != 0x0D && d != 0x22 else { return nil }
        i += 5
        if i < end && p[i] == 0x22 { i += 1 }
        while i < end && (p[i] == 0x20 || p[i] == d) { i += 1 }
        guard i >= end || p[i] == 0x0A || p[i] == 0x0D else { return nil }
        if i < end { i += (p[i] == 0x0D && i + 1 < end && p[i + 1] == 0x0A) ? 2 : 1 }
        return (d, i)
    }

    /// Files smaller than this are parsed on one thread: starting a thread would cost more than it saves.
    static let parallelThreshold = 1 << 20

    /// `parallel`: nil decides (see `secondCoreLooksFree`), true forces two halves for a large file
    /// (tests), false keeps one thread.
    func plan(_ data: (Int, Int), parallel: Bool?) -> ParsePlan {
        let (s, line) = data
        let end = t.end
        // Rows expected from the average length of the non-blank lines in four 16 KB windows spread over
        // the file, plus a margin: reserving once avoids copying a large array while it grows. Blank
        // lines are not rows, so a file starting with thousands of them cannot inflate the guess, and
        // the guess never exceeds what the bytes could hold (`minimumRowBytes` per row): a skewed
        // sample costs at most a regrowth, never a huge reservation.
        let perLine = averageRowBytes(from: s)
        func expected(_ bytes: Int) -> Int {
            min(bytes / perLine * 9 / 8, bytes / InvoiceCSVParser.minimumRowBytes) + 64
        }

        var plan = ParsePlan(dataStart: s, dataLine: line, capacity: expected(end - s), split: nil)
        guard end - s >= InvoiceCSVParser.parallelThreshold, parallel ?? secondCoreLooksFree() else { return plan }
        // A line break near the middle. It may be inside a quoted field: the first half's parse tells
        // (it must stop exactly there), and if not, the second half is parsed again (see `parseRows`).
        var mid = s + (end - s) / 2
        while mid < end && t.p[mid] != 0x0A && t.p[mid] != 0x0D { mid += 1 }
        if mid < end && t.p[mid] == 0x0D && mid + 1 < end && t.p[mid + 1] == 0x0A { mid += 1 }
        guard mid + 1 < end else { return plan }
        let first = expected(mid + 1 - s)
        plan.split = (mid + 1, first)
        plan.capacity = first + expected(end - mid - 1)
        return plan
    }

    /// No valid row is shorter: five fields with two dates (at least 8 characters each) and four delimiters.
    static let minimumRowBytes = 22

    /// Average byte length of the non-blank lines (with their line break) seen in four windows of the data.
    func averageRowBytes(from s: Int) -> Int {
        let end = t.end, window = 16_384
        var bytes = 0, rows = 0
        // Up to four windows' worth, one pass over the whole data (the windows would overlap).
        let windows = end - s <= 4 * window ? 1 : 4
        for k in 0..<windows {
            var i = s + (end - s) / 4 * k
            let stop = windows == 1 ? end : min(end, i + window)
            if k > 0 { while i < stop && t.p[i] != 0x0A && t.p[i] != 0x0D { i += 1 } } // to a line start
            var lineStart = i, blank = true
            while i < stop {
                let b = t.p[i]
                if b == 0x0A || b == 0x0D {
                    if !blank { bytes += i + 1 - lineStart; rows += 1 }
                    lineStart = i + 1; blank = true
                } else if b != 0x20 && b != 0x09 && b != t.delimiter {
                    blank = false
                }
                i += 1
            }
        }
        return rows == 0 ? 64 : max(InvoiceCSVParser.minimumRowBytes, bytes / rows)
    }

    /// A parser for another part of the same text: same header, its own tables and results.
    func makeSibling() -> InvoiceCSVParser {
        var other = self
        other.t = CSVText(p: t.p, end: t.end)
        other.t.delimiter = t.delimiter
        other.dates = DateCache()
        other.ids = DuplicateIDIndex()
        other.names = StringInterner()
        other.out = nil; other.outCapacity = 0; other.outCount = 0
        other.overflow = []; other.disputed = []; other.paidSkipped = 0; other.payments = []; other.diagnostics = []
        other.pendingIDs = []; other.rejected = []; other.needs = ImportNeeds()
        return other
    }

    /// Parses every data row into `out`; returns how many invoices it holds.
    mutating func parseRows(_ plan: ParsePlan, into buffer: UnsafeMutableBufferPointer<Invoice>) -> Int {
        guard let base = buffer.baseAddress else {
            _ = parseRange(from: plan.dataStart, to: t.end, line: plan.dataLine)
            return 0
        }
        guard let split = plan.split else {
            out = base; outCapacity = buffer.count
            ids.reserve(buffer.count)
            _ = parseRange(from: plan.dataStart, to: t.end, line: plan.dataLine)
            return outCount
        }
        out = base; outCapacity = split.firstCapacity
        ids.reserve(buffer.count)
        var second = makeSibling()
        second.deferIDs = true
        second.pendingIDs.reserveCapacity(buffer.count - split.firstCapacity)
        second.out = base + split.firstCapacity
        second.outCapacity = buffer.count - split.firstCapacity
        var firstStop = (offset: 0, line: 0)
        runConcurrently({
            firstStop = self.parseRange(from: plan.dataStart, to: split.offset, line: plan.dataLine)
        }, {
            // Lines are counted from 0 here and shifted once the first half knows where it ends.
            _ = second.parseRange(from: split.offset, to: second.t.end, line: 0)
        })
        defer { second.release() }
        if firstStop.offset != split.offset {
            // The split fell inside a quoted field: drop the second half's work and go on from here.
            second.out?.deinitialize(count: second.outCount)
            outCapacity = buffer.count
            _ = parseRange(from: firstStop.offset, to: t.end, line: firstStop.line)
            return outCount
        }
        let shift = Int32(truncatingIfNeeded: firstStop.line)
        // Move the second half next to the first (closing the gap left by the margin), fixing lines.
        if let o = second.out {
            for i in 0..<second.outCount {
                var invoice = (o + i).move()
                invoice.line += shift
                if overflow.isEmpty { // never overtakes the source: the first half stayed within its part
                    (base + outCount).initialize(to: invoice)
                    outCount += 1
                } else {
                    overflow.append(invoice)
                }
            }
        }
        outCapacity = buffer.count
        for var invoice in second.overflow { invoice.line += shift; overflow.append(invoice) }
        for var invoice in second.disputed { invoice.line += shift; disputed.append(invoice) }
        paidSkipped += second.paidSkipped
        for var pay in second.payments { pay.line += Int(shift); payments.append(pay) }
        unlistedErrors += second.unlistedErrors
        unlistedWarnings += second.unlistedWarnings
        for var r in second.rejected { r.line += Int(shift); rejected.append(r) }
        needs.merge(second.needs)
        // A status value or a currency the first half already reported is not reported again (as on one thread).
        let once = unknownStatusWarnings
        diagnostics.append(contentsOf: checkDeferredIDs(of: second, shift: Int(shift)).filter { !once.contains($0.message) })
        return outCount
    }

    /// Runs the second half's ids through this half's index, in file order, and returns its
    /// diagnostics with the duplicate warnings put where a single pass would have put them.
    mutating func checkDeferredIDs(of second: InvoiceCSVParser, shift: Int) -> [Diagnostic] {
        var merged: [Diagnostic] = []
        merged.reserveCapacity(second.diagnostics.count)
        var next = 0
        func take(_ d: Diagnostic) { var d = d; d.line += shift; merged.append(d) }
        for pending in second.pendingIDs {
            var entry = pending.entry
            entry.line += Int32(truncatingIfNeeded: shift)
            guard let first = ids.insert(t.p, entry: entry) else { continue }
            while next < pending.diagnosticIndex && next < second.diagnostics.count { take(second.diagnostics[next]); next += 1 }
            // Locate the id field again: rescanning one row is cheap, and duplicates are rare.
            rowStart = pending.rowStart; rowLine = Int(entry.line)
            _ = t.scanRow(at: pending.rowStart)
            let (l, c) = t.location(offset(of: cId), rowStart: rowStart, rowLine: rowLine)
            merged.append(.warning(file, line: l, column: c, "duplicate id '\(t.shown(cId))' (first on line \(first))"))
        }
        while next < second.diagnostics.count { take(second.diagnostics[next]); next += 1 }
        return merged
    }

    /// Parses rows starting at `s` (a row boundary on `line`) until one ends at or after `stop`.
    /// Returns where parsing stopped and its line.
    mutating func parseRange(from s: Int, to stop: Int, line startLine: Int) -> (offset: Int, line: Int) {
        var pos = s
        var line = startLine
        while pos < stop {
            let row = t.scanRow(at: pos)
            rowStart = pos; rowLine = line
            line += 1 + row.innerLineBreaks
            pos = row.next
            if row.problemAt < 0 && t.isBlankRow(row.count) { continue }
            processRow(row)
        }
        return (pos, line)
    }

    // MARK: Rows

    @inline(__always)
    mutating func processRow(_ row: RowScan) {
        let before = diagnostics.count
        if !(plainLayout && processPlainRow(row)) { processRowBody(row) }
        if diagnostics.count != before { noteRejection(row, since: before) }
    }

    /// The common row of a file without import columns (remaining, debit/credit, VAT): a positive amount in the
    /// scenario currency, a due date, a plain status. Anything else returns false before any effect (but a
    /// cached status warning), and the general path takes the row. Kept apart so the extra rules cost the
    /// million-row case nothing (docs/invoice-csv.md, "Speed").
    @inline(__always)
    mutating func processPlainRow(_ row: RowScan) -> Bool {
        guard row.problemAt < 0, row.count == headerCount, invalidIndex >= invalidOffsets.count else { return false }
        let p = t.p
        let (aS, aE) = t.value(cAmount)
        guard case .ok(let cents, nil) = parseAmount(p, aS, aE, decimalComma: decimalComma), cents > 0,
              cents <= ScenarioLimits.maxAmount.cents else { return false }   // over the limit: the full path reports it
        let (dS, dE) = t.value(cDue)
        guard dS < dE else { return false }
        if cCurrency >= 0 {
            let (s, e) = t.value(cCurrency)
            if s < e && !t.asciiUppercaseEquals(s, e, currencyBytes) { return false }
        }
        var status = InvoiceStatus.open
        if cStatus >= 0 {
            switch parseStatus(cStatus) {
            case .open?, nil: break
            case .paid?: status = .paid
            case .disputed?: status = .disputed
            case .partlyPaid?: return false
            }
        }

        let line32 = Int32(truncatingIfNeeded: rowLine)
        var ok = readID(line: line32)
        if status == .paid {
            paidSkipped += 1
            return true
        }
        let (cpS, cpE) = t.value(cCounterparty)
        if cpS == cpE { ok = false; fieldError(cCounterparty, "empty \(label(.counterparty))") }
        let issue = date(cIssue, .issueDate)
        let due = date(cDue, .dueDate)
        let (expectedDate, discount) = readTiming(&ok)
        guard ok, let issue, let due else { return true }
        if due < issue {
            fieldError(cDue, "\(label(.dueDate)) \(due.iso) is before \(label(.issueDate)) \(issue.iso)", warning: true)
        }
        let country = cCountry >= 0 && t.hasValue(cCountry) ? t.string(cCountry) : nil
        let note = cNote >= 0 && t.hasValue(cNote) ? t.string(cNote) : nil
        let counterparty = internedCounterparty(cpS, cpE)
        let invoice = Invoice(id: t.string(cId), counterparty: counterparty, issueDate: issue, dueDate: due,
                              amount: Money(cents: cents), status: status, expectedDate: expectedDate, discount: discount,
                              country: country, note: note, line: line32)
        emit(invoice, disputed: status == .disputed)
        return true
    }

    /// Lists the row as rejected when it produced an error (warnings keep it).
    mutating func noteRejection(_ row: RowScan, since before: Int) {
        guard let firstError = diagnostics[before...].first(where: { $0.severity == .error }) else { return }
        var id = ""
        if cId >= 0 && cId < row.count && row.problemAt < 0 { id = t.string(cId) }
        rejected.append(ExcludedInvoice(id: id, line: rowLine, reason: firstError.message))
    }

    @inline(__always)
    mutating func processRowBody(_ row: RowScan) {
        if row.problemAt >= 0 {
            if row.unterminated {
                error(at: row.problemAt, "unterminated quoted field: no closing '\"' before the end of the file")
            } else {
                error(at: row.problemAt, "unexpected text after a closing quote (a quote inside a quoted field is written \"\")")
            }
            return
        }
        let n = row.count
        if n != headerCount {
            if n < headerCount {
                error(at: row.rowEnd, "row has \(n) field\(n == 1 ? "" : "s") but the header has \(headerCount)")
                return
            }
            for f in headerCount..<n {
                let (s, e) = t.value(f)
                if s < e {
                    fieldError(f, "row has \(n) fields but the header has \(headerCount); unexpected extra value '\(t.shown(f))'")
                    return
                }
            }
        }
        if invalidIndex < invalidOffsets.count && !checkUTF8(row) { return }

        let p = t.p
        var ok = true
        var status = RowStatus.open
        if cStatus >= 0 {
            if let s = parseStatus(cStatus) { status = s } else { status = .open }
        }

        // A payment date without a status says the invoice was paid (a remaining amount, when given, decides instead).
        if cPaid >= 0, t.hasValue(cPaid), status == .open, cRemaining < 0, cStatus < 0 || !t.hasValue(cStatus) { status = .paid }

        let line32 = Int32(truncatingIfNeeded: rowLine)
        if !readID(line: line32) { ok = false }
        if status == .paid {
            paidSkipped += 1
            recordPayment()
            return
        }

        let (cpS, cpE) = t.value(cCounterparty)
        if cpS == cpE { ok = false; fieldError(cCounterparty, "empty \(label(.counterparty))") }

        let issue = date(cIssue, .issueDate)
        var due: Day? = nil
        var dueMissing = false
        if cDue >= 0 {
            let (s, e) = t.value(cDue)
            if s < e { due = date(cDue, .dueDate); if due == nil { ok = false } } else { dueMissing = true }
        } else {
            dueMissing = true
        }

        // Amounts, in the row's currency until converted.
        var symbol: String? = nil
        var total: Int64? = nil
        if cAmount >= 0 {
            let (aS, aE) = t.value(cAmount)
            if aS < aE {
                if let v = amountField(cAmount, .amount, &symbol) { total = v } else { ok = false }
            }
        }
        if total == nil && (cDebit >= 0 || cCredit >= 0) {
            var d: Int64 = 0, c: Int64 = 0, any = false
            if cDebit >= 0, t.hasValue(cDebit) { if let v = amountField(cDebit, .debit, &symbol) { d = v; any = true } else { ok = false } }
            if cCredit >= 0, t.hasValue(cCredit) { if let v = amountField(cCredit, .credit, &symbol) { c = v; any = true } else { ok = false } }
            if any { total = kind == .receivable ? d - c : c - d }
        }
        var open = total
        var invoiced: Int64? = nil
        if cRemaining >= 0, t.hasValue(cRemaining) {
            if var r = amountField(cRemaining, .remaining, &symbol) {
                // Some exports show what remains of a credit note unsigned.
                if let tot = total, tot < 0, r > 0 { r = -r }
                if let tot = total, tot != r, r != 0 { invoiced = tot }
                open = r
            } else {
                ok = false
            }
        }
        if ok && open == nil {
            ok = false
            let f = cAmount >= 0 ? cAmount : (cRemaining >= 0 ? cRemaining : (cDebit >= 0 ? cDebit : cCredit))
            fieldError(f, "missing \(label(f == cAmount ? .amount : f == cRemaining ? .remaining : f == cDebit ? .debit : .credit))")
        }

        var rowCurrency: String? = nil
        if cCurrency >= 0 {
            let (s, e) = t.value(cCurrency)
            if s < e && !t.asciiUppercaseEquals(s, e, currencyBytes) {
                var code = t.string(cCurrency).uppercased()
                switch code { case "€": code = "EUR"; case "$": code = "USD"; case "£": code = "GBP"; default: break }
                if code != currency { rowCurrency = code }
                if let sym = symbol, sym != code {
                    ok = false
                    fieldError(cCurrency, "\(label(.currency)) \(code) contradicts the amount written in \(sym)")
                }
            }
        }
        if rowCurrency == nil, let sym = symbol, sym != currency { rowCurrency = sym }

        let (expectedDate, discount) = readTiming(&ok)
        var vat: Int64? = nil
        if cVAT >= 0, t.hasValue(cVAT) {
            var ignored: String? = nil
            if let v = amountField(cVAT, .vat, &ignored) { vat = v } else { ok = false }
        } else if cHT >= 0, t.hasValue(cHT), let tot = total {
            var ignored: String? = nil
            if case .ok(let ht, _) = parseAmount(p, t.value(cHT).0, t.value(cHT).1, decimalComma: decimalComma) {
                vat = tot - ht
            } else {
                _ = amountFieldNamed(cHT, "amount excl. VAT (column '\(headerNames[cHT])')", &ignored)
                ok = false
            }
        }

        var dueTerms: String? = nil
        if dueMissing {
            let name = t.string(cCounterparty)
            if let terms = options.terms(for: name) {
                if let issue {
                    due = terms.dueDate(issued: issue)
                    dueTerms = terms.text
                }
            } else {
                ok = false
                needs.missingDueDates += 1
                fieldError(cDue >= 0 ? cDue : cIssue, "missing \(label(.dueDate)); set payment_terms_days = 30 in treso.toml "
                    + "(or \"\(name)\" = \"45 jours fin de mois\" under [payment_terms]) to infer it from the issue date")
            }
        }
        guard ok, let issue, let due, var amount = open else { return }

        if amount == 0 {
            // Nothing left to settle: a fully paid row (remaining 0) or an empty invoice.
            paidSkipped += 1
            recordPayment()
            if invoiced == nil && (cRemaining < 0 || !t.hasValue(cRemaining)) {
                fieldError(amountColumn,
                           "amount is 0: nothing to project, skipped", warning: true)
            }
            return
        }
        if status == .partlyPaid && invoiced == nil {
            fieldError(cStatus, "invoice '\(t.shown(cId))' is partly paid (\(label(.status)) '\(t.shown(cStatus))') but the file has "
                + "no remaining amount (e.g. a 'Reste dû' column): projected at its full amount", warning: true)
        }
        var origin: InvoiceOrigin? = nil
        var invoicedMoney = invoiced.map { Money(cents: $0) }
        if let ttc = invoiced, let v = vat {
            // VAT of what remains open, in proportion (one rounding).
            vat = Int64(divideRoundingHalfAwayFromZero(Int128(v) * Int128(amount), Int128(ttc)))
        }
        var vatMoney = vat.map { Money(cents: $0) }
        if let code = rowCurrency {
            guard let rate = options.fx[code] else {
                needs.missingRates[code, default: 0] += 1
                let m = "no exchange rate for \(code): add it under [fx] in treso.toml, e.g. `\(code) = 1.1700` "
                    + "(\(currency) per \(code)); every \(code) row is left out until then"
                if reportedRates.insert(code).inserted {
                    let f = cCurrency >= 0 && t.hasValue(cCurrency) ? cCurrency : amountColumn
                    unknownStatusWarnings.insert(m)
                    fieldError(f, m)
                } else {
                    rejected.append(ExcludedInvoice(id: t.string(cId), line: rowLine, reason: m))
                }
                return
            }
            let original = Money(cents: amount)
            guard let converted = convertCurrency(original, rate: rate) else {
                fieldError(amountColumn, "amount too large once converted from \(code)")
                return
            }
            amount = converted.cents
            if let i = invoicedMoney { invoicedMoney = convertCurrency(i, rate: rate) }
            if let v = vatMoney { vatMoney = convertCurrency(v, rate: rate) }
            origin = InvoiceOrigin(invoicedAmount: invoicedMoney, currency: code, currencyAmount: original, rate: rate, dueTerms: dueTerms)
        } else if invoicedMoney != nil || dueTerms != nil {
            origin = InvoiceOrigin(invoicedAmount: invoicedMoney, dueTerms: dueTerms)
        }

        if due < issue {
            fieldError(cDue, "\(label(.dueDate)) \(due.iso) is before \(label(.issueDate)) \(issue.iso)", warning: true)
        }
        let country = cCountry >= 0 && t.hasValue(cCountry) ? t.string(cCountry) : nil
        let note = cNote >= 0 && t.hasValue(cNote) ? t.string(cNote) : nil

        let counterparty = internedCounterparty(cpS, cpE)
        let invoice = Invoice(id: t.string(cId), counterparty: counterparty, issueDate: issue, dueDate: due,
                              amount: Money(cents: amount), status: status == .disputed ? .disputed : .open,
                              expectedDate: expectedDate, discount: discount,
                              country: country, note: note, line: line32, vatAmount: vatMoney, origin: origin)
        emit(invoice, disputed: status == .disputed)
    }

    // MARK: Fields both row paths read the same way

    /// The row's id: empty is an error (returns false), a repeat is a warning; ids are checked later when
    /// the file is read on two threads.
    @inline(__always)
    mutating func readID(line line32: Int32) -> Bool {
        let (idS, idE) = t.value(cId)
        if idS == idE {
            fieldError(cId, "empty \(label(.id))")
            return false
        }
        if deferIDs {
            let raw = t.spans[cId].escaped ? -(idE - idS) : idE - idS
            pendingIDs.append(PendingID(entry: IDEntry(start: idS, rawLength: Int32(truncatingIfNeeded: raw), line: line32),
                                        rowStart: rowStart, diagnosticIndex: diagnostics.count))
            return true
        }
        let p = t.p
        let first: Int32?
        if t.spans[cId].escaped {
            first = ids.insert(p, escapedFrom: idS, to: idE, line: line32)
        } else {
            first = ids.insert(p, from: idS, to: idE, line: line32)
        }
        if let first { fieldError(cId, "duplicate id '\(t.shown(cId))' (first on line \(first))", warning: true) }
        return true
    }

    /// Keeps a paid row's (counterparty, due date, payment date) as payment history, when all three read; quietly
    /// nothing otherwise (a paid row's other fields may be anything).
    mutating func recordPayment() {
        guard cPaid >= 0, kind == .receivable, t.hasValue(cPaid), cDue >= 0 else { return }
        let (cpS, cpE) = t.value(cCounterparty)
        let (dS, dE) = t.value(cDue), (pS, pE) = t.value(cPaid)
        guard cpS < cpE, case .ok(let due) = dates.parse(t.p, dS, dE), case .ok(let paid) = dates.parse(t.p, pS, pE) else { return }
        payments.append(PaidInvoice(counterparty: internedCounterparty(cpS, cpE), dueDate: due, paymentDate: paid, line: rowLine))
    }

    /// The optional expected date and early-payment discount; a value that is not one clears `ok`.
    @inline(__always)
    mutating func readTiming(_ ok: inout Bool) -> (expected: Day?, discount: EarlyPaymentDiscount?) {
        var expectedDate: Day? = nil
        if cExpected >= 0, t.hasValue(cExpected) {
            expectedDate = date(cExpected, .expectedDate)
            if expectedDate == nil { ok = false }
        }
        var discount: EarlyPaymentDiscount? = nil
        if cDiscount >= 0, t.hasValue(cDiscount) {
            discount = parseDiscount(t.string(cDiscount))
            if discount == nil {
                ok = false
                fieldError(cDiscount, "invalid \(label(.discount)) '\(t.shown(cDiscount))': expected percent/days such as 2/10")
            }
        }
        return (expectedDate, discount)
    }

    /// The counterparty's name, interned: thousands of rows share a few hundred names.
    @inline(__always)
    mutating func internedCounterparty(_ cpS: Int, _ cpE: Int) -> String {
        if t.spans[cCounterparty].escaped {
            return t.unescapedBytes(cpS, cpE).withUnsafeBufferPointer { b in
                guard let bp = b.baseAddress else { return "" }
                return names.intern(bp, b.count)
            }
        }
        return names.intern(t.p + cpS, cpE - cpS)
    }

    /// Stores a read invoice: disputed ones apart, the others in the preallocated buffer while it has room.
    @inline(__always)
    mutating func emit(_ invoice: consuming Invoice, disputed isDisputed: Bool) {
        if isDisputed {
            disputed.append(invoice)
        } else if let out, outCount < outCapacity, overflow.isEmpty {
            (out + outCount).initialize(to: invoice)
            outCount += 1
        } else {
            overflow.append(invoice)
        }
    }

    /// Parses an amount field, reporting why it is not one. The currency written next to it (`£`, `USD`)
    /// goes to `symbol`; two different ones in a row are an error.
    /// The common case (a plain number) stays inline and builds no label; the rest goes to `amountResult`.
    @inline(__always)
    mutating func amountField(_ f: Int, _ c: InvoiceColumn, _ symbol: inout String?) -> Int64? {
        let (aS, aE) = t.value(f)
        let r = parseAmount(t.p, aS, aE, decimalComma: decimalComma)
        if case .ok(let cents, nil) = r, cents.magnitude <= ScenarioLimits.maxAmount.cents.magnitude { return cents }
        return amountResult(f, r, label(c), &symbol)
    }

    mutating func amountFieldNamed(_ f: Int, _ name: String, _ symbol: inout String?) -> Int64? {
        let (aS, aE) = t.value(f)
        return amountResult(f, parseAmount(t.p, aS, aE, decimalComma: decimalComma), name, &symbol)
    }

    mutating func amountResult(_ f: Int, _ r: AmountParseResult, _ name: String, _ symbol: inout String?) -> Int64? {
        switch r {
        case .ok(let c, let cur):
            if c.magnitude > ScenarioLimits.maxAmount.cents.magnitude {
                fieldError(f, "\(name) '\(t.shown(f))' is over the limit of \(ScenarioLimits.maxAmount.formatted()) per amount")
                return nil
            }
            if let cur {
                if let s = symbol, s != cur {
                    fieldError(f, "\(name) '\(t.shown(f))' is in \(cur) but another amount of the row is in \(s)")
                    return nil
                }
                symbol = cur
            }
            return c
        case .invalid:
            fieldError(f, "invalid \(name) '\(t.shown(f))': expected a number such as 1234.56 or 1 234,56")
        case .tooManyDecimals(let ambiguous):
            var m = "invalid \(name) '\(t.shown(f))': more than 2 decimals"
            if ambiguous && decimalComma {
                m += " (in a \(t.delimiter == 0x09 ? "tab" : "';'")-separated file ',' is the decimal comma; for thousands write 1234 or 1 234)"
            }
            fieldError(f, m)
        case .tooLarge:
            fieldError(f, "\(name) '\(t.shown(f))' is over the limit of \(ScenarioLimits.maxAmount.formatted()) per amount")
        }
        return nil
    }

    mutating func fieldError(_ f: Int, _ message: String, warning: Bool) {
        guard diagnostics.count < InvoiceCSVParser.listedLimit else {
            if warning { unlistedWarnings += 1 } else { unlistedErrors += 1 }
            return
        }
        let (l, c) = t.location(offset(of: f), rowStart: rowStart, rowLine: rowLine)
        diagnostics.append(Diagnostic(warning ? .warning : .error, file: file, line: l, column: c, message))
    }

    @inline(__always)
    mutating func date(_ f: Int, _ c: InvoiceColumn) -> Day? {
        let (s, e) = t.value(f)
        if s == e {
            fieldError(f, "missing \(label(c))")
            return nil
        }
        switch dates.parse(t.p, s, e) {
        case .ok(let d): return d
        case .badFormat:
            fieldError(f, "invalid \(label(c)) '\(t.shown(f))': expected a date such as 2026-12-31 or 31/12/2026")
        case .noSuchDay:
            fieldError(f, "invalid \(label(c)) '\(t.shown(f))': no such day")
        }
        return nil
    }

    @inline(__always)
    mutating func parseStatus(_ f: Int) -> RowStatus? {
        let (s, e) = t.value(f)
        let n = e - s
        if n == 0 { return .open }
        let p = t.p
        // Canonical words without building a String.
        if n == 4 {
            if p[s] == 0x6F, p[s + 1] == 0x70, p[s + 2] == 0x65, p[s + 3] == 0x6E { return .open }
            if p[s] == 0x70, p[s + 1] == 0x61, p[s + 2] == 0x69, p[s + 3] == 0x64 { return .paid }
        }
        let text = t.string(f)
        if let cached = statusCache[text] { return cached }
        let key = normalizeHeaderName(text)
        var found: RowStatus? = nil
        if let s = options.statuses[key] {
            found = RowStatus(s)
        } else if InvoiceStatusWords.partlyPaid.contains(key) {
            found = .partlyPaid
        } else if let s = InvoiceStatusWords.table[key] {
            found = RowStatus(s)
        }
        if found == nil {
            needs.unknownStatuses[text, default: 0] += 1
            if statusCache[text] == nil {
                let m = "unknown \(label(.status)) '\(t.shown(f))': treated as open; to say otherwise add "
                    + "`\"\(text)\" = \"paid\"` (or \"open\", \"disputed\") under [import.status] in treso.toml"
                unknownStatusWarnings.insert(m)
                fieldError(f, m, warning: true)
            }
            // Every later row with this value counts, but is reported once.
            if statusCache.count < 256 { statusCache[text] = .some(.open) }
            return .open
        }
        if statusCache.count < 256 { statusCache[text] = found }
        return found
    }

    /// Reports invalid UTF-8 in the columns treso uses (only for files kept as UTF-8 despite a few bad
    /// bytes). False when the row must be skipped.
    mutating func checkUTF8(_ row: RowScan) -> Bool {
        while invalidIndex < invalidOffsets.count && invalidOffsets[invalidIndex] < rowStart { invalidIndex += 1 }
        let used = [cId, cCounterparty, cIssue, cDue, cAmount, cCurrency, cStatus, cExpected, cDiscount, cCountry, cNote,
                    cRemaining, cDebit, cCredit, cVAT, cHT, cPaid]
        var clean = true
        var reported = Set<Int>()
        while invalidIndex < invalidOffsets.count && invalidOffsets[invalidIndex] < row.next {
            let off = invalidOffsets[invalidIndex]
            invalidIndex += 1
            for f in 0..<row.count where t.spans[f].start <= off && off < t.spans[f].end && used.contains(f) && !reported.contains(f) {
                reported.insert(f)
                clean = false
                let hex = String(t.p[off], radix: 16, uppercase: true)
                let name = f < headerNames.count && !headerNames[f].isEmpty ? "'\(headerNames[f])'" : "\(f + 1)"
                fieldError(f, "invalid UTF-8 (byte 0x\(hex.count == 1 ? "0" : "")\(hex)) in column \(name); save the file as UTF-8")
            }
        }
        return clean
    }
}
