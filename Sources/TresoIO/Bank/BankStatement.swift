import TresoCore

/// One statement of one account as the bank file gives it: a neutral value the readers return.
public struct BankStatement: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable {
        case camt053 = "camt.053", cfonb120 = "CFONB 120", ofx = "OFX", mt940 = "MT940"
    }

    public var file: String
    public var format: Format
    /// IBAN, or bank + branch + account number, as the file writes it.
    public var account: String
    public var currency: String?
    public var openingBalance: Money?
    public var openingDate: Day?
    public var closingBalance: Money?
    public var closingDate: Day?
    public var transactions: [BankTransaction]
    /// 1-based line where the statement starts (0 when the format has no lines).
    public var line: Int

    /// Opening + movements − closing, when both balances are given: zero when the statement adds up.
    public var discrepancy: Money? {
        guard let o = openingBalance, let c = closingBalance else { return nil }
        return DecimalText.sum([o, -c] + transactions.map(\.amount))
    }
}

/// One booked line: positive = money in, negative = money out.
public struct BankTransaction: Sendable, Hashable {
    public var bookingDate: Day
    public var valueDate: Day?
    public var amount: Money
    /// Everything the bank says about it (label, remittance information), one line.
    public var label: String
    /// The other party (debtor of a credit, creditor of a debit) when the format names it.
    public var counterparty: String?
    /// Structured references (end-to-end id, creditor reference, FITID, bank reference).
    public var references: [String]
    public var line: Int

    public init(bookingDate: Day, valueDate: Day? = nil, amount: Money, label: String, counterparty: String? = nil,
                references: [String] = [], line: Int = 0) {
        self.bookingDate = bookingDate; self.valueDate = valueDate; self.amount = amount; self.label = label
        self.counterparty = counterparty; self.references = references; self.line = line
    }
}

/// Reads bank statement files (camt.053, CFONB 120, OFX 1.x / 2.x, MT940), the format told by the
/// content, not the file name. Files are read through `readFileBytes`; a statement whose balances do
/// not add up still loads, with a warning saying by how much.
public enum BankStatementReader {
    public struct Result: Sendable {
        public var statements: [BankStatement] = []
        public var diagnostics: [Diagnostic] = []
    }

    public static func read(paths: [(path: String, display: String)]) -> Result {
        var r = Result()
        for (path, display) in paths {
            switch readFileBytes(path: path, displayName: display) {
            case .failure(let d): r.diagnostics.append(d)
            case .success(let bytes):
                let one = statements(bytes, file: display)
                r.statements += one.statements
                r.diagnostics += one.diagnostics
            }
        }
        return r
    }

    public static func statements(_ bytes: [UInt8], file: String) -> Result {
        var r: Result
        switch detect(bytes) {
        case .camt053: r = CamtReader.read(bytes, file: file)
        case .ofx: r = OFXReader.read(bytes, file: file)
        case .mt940: r = MT940Reader.read(bytes, file: file)
        case .cfonb120: r = CFONBReader.read(bytes, file: file)
        case nil:
            return Result(statements: [], diagnostics: [.error(file, "not a bank statement treso reads (camt.053 XML, CFONB 120, OFX or MT940)")])
        }
        for s in r.statements {
            if let d = s.discrepancy, d != .zero, let o = s.openingBalance, let c = s.closingBalance {
                if let moves = DecimalText.sum(s.transactions.map(\.amount)), let end = DecimalText.sum([o, moves]) {
                    r.diagnostics.append(.warning(file, line: s.line,
                        "statement of account \(s.account) does not add up: opening \(o.decimalString) + movements \(moves.decimalString) = \(end.decimalString), but the closing balance says \(c.decimalString) (off by \(d.magnitude.decimalString))"))
                }
            }
        }
        if r.statements.isEmpty && !r.diagnostics.contains(where: { $0.severity == .error }) {
            r.diagnostics.append(.error(file, "no statement found in this \(detect(bytes)?.rawValue ?? "") file"))
        }
        return r
    }

    static func detect(_ bytes: [UInt8]) -> BankStatement.Format? {
        let head = BankText.decode(Array(bytes.prefix(4096)))
        let trimmed = head.drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        if head.contains("camt.053") || head.contains("BkToCstmrStmt") { return .camt053 }
        if trimmed.hasPrefix("OFXHEADER") || head.contains("<OFX>") || head.contains("OFXHEADER=") { return .ofx }
        if head.contains(":20:") && (head.contains(":25:") || head.contains(":60F:") || head.contains(":61:")) { return .mt940 }
        if trimmed.hasPrefix("01"), trimmed.count >= 120 || head.contains("\n04") { return .cfonb120 }
        return nil
    }
}

/// Bank files are UTF-8 or (older exports, CFONB, OFX 1.x CHARSET:1252) Windows-1252.
enum BankText {
    static func decode(_ bytes: [UInt8]) -> String {
        var b = bytes[...]
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b = b.dropFirst(3) }
        if let s = String(validating: b, as: UTF8.self) { return s }
        return b.withUnsafeBufferPointer { String(decoding: CSVTextDecoding.windows1252ToUTF8($0, from: 0), as: UTF8.self) }
    }
}
