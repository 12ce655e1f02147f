import TresoCore

/// What reading a FEC produced.
public struct FECResult: Sendable {
    public var receivables: [Invoice] = []
    public var payables: [Invoice] = []
    public var rejectedReceivables: [ExcludedInvoice] = []
    public var rejectedPayables: [ExcludedInvoice] = []
    /// Balance of the bank accounts (512…) over every entry of the file: debit − credit.
    public var bankBalance: Money?
    public var lastEntryDate: Day?
    public var diagnostics: [Diagnostic] = []
    public var needs = ImportNeeds()
    public var unusable = false
    /// Customer invoices settled by a lettered group (the customers' payment history, docs/calculations.md §15).
    public var payments: [PaidInvoice] = []
    public init() {}
}

/// Reads open customer and supplier items from a FEC [Fichier des Écritures Comptables], the ledger export
/// every French company must be able to produce (article A47 A-1 of the Livre des procédures fiscales).
///
/// - Layout: a header naming the columns (`JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|`
///   `CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|`
///   `Montantdevise|Idevise`), tab- or pipe-separated (a trailing separator is fine); the `Montant` + `Sens`
///   variant replaces `Debit`/`Credit`. UTF-8 (with or without BOM) or ISO-8859-15 (Windows-1252 read too);
///   CRLF, LF or CR; dates `YYYYMMDD` (or `DD/MM/YYYY`); amounts with a decimal comma, zero-padded or not.
/// - Open items: lines of accounts 411… (customers → receivables) and 401…/404… (suppliers → payables). The
///   counterparty is `CompAuxNum`/`CompAuxLib` (else the account and its label). Lines not lettered
///   (`EcritureLet` empty) are grouped per piece (`PieceRef`): a piece that leaves money owed is an open
///   invoice; one that leaves the other way is a credit note [avoir], unless its entry moves a bank or cash
///   account (512…, 514…, 517…, 53…), in which case it is a partial payment and is netted against the same
///   counterparty's oldest open items. Lettered groups whose lines do not balance (partial lettering) leave
///   their difference open.
/// - Due date: a `DateEcheance` column when the export has one, else the piece date + payment terms
///   (`[payment_terms]`, `payment_terms_days`), flagged as inferred.
/// - Bank balance: debit − credit over every 512… line (the balance after the last entry).
/// - Payment history: a fully lettered group of customer lines gives each of its invoices (debit lines) a payment
///   date — the lettering date `DateLet`, else the latest date of its bank entries — kept in `payments`.
public enum FECReader {
    public static func read(path: String, displayName: String, options: InvoiceImportOptions) -> FECResult {
        switch readFileBytes(path: path, displayName: displayName) {
        case .failure(let d):
            var r = FECResult()
            r.diagnostics = [d]
            r.unusable = true
            return r
        case .success(let bytes):
            return read(bytes: bytes, displayName: displayName, options: options)
        }
    }

    public static func read(bytes raw: [UInt8], displayName file: String, options: InvoiceImportOptions) -> FECResult {
        var r = FECResult()
        let text = decode(raw)
        let lines = splitLines(text)
        guard let headerIndex = lines.firstIndex(where: { !$0.isEmptyLine(text) }) else {
            r.diagnostics = [.error(file, "empty file: no header row")]
            r.unusable = true
            return r
        }
        let header = lines[headerIndex]
        var tabs = 0, pipes = 0, semis = 0
        for i in header.start..<header.end { switch text[i] { case 0x09: tabs += 1; case 0x7C: pipes += 1; case 0x3B: semis += 1; default: break } }
        let sep: UInt8 = pipes > tabs && pipes >= semis ? 0x7C : (tabs >= semis && tabs > 0 ? 0x09 : 0x3B)
        let names = fields(text, header, sep).map { normalizeHeaderName(string(text, $0)).replacingSpaces() }
        func col(_ n: String...) -> Int { for x in n { if let i = names.firstIndex(of: x) { return i } }; return -1 }
        let cJournal = col("journalcode"), cNum = col("ecriturenum"), cDate = col("ecrituredate"), cAccount = col("comptenum")
        let cAccountLib = col("comptelib"), cAux = col("compauxnum"), cAuxLib = col("compauxlib"), cPiece = col("pieceref")
        let cPieceDate = col("piecedate"), cLib = col("ecriturelib"), cDebit = col("debit"), cCredit = col("credit")
        let cLet = col("ecriturelet", "lettrage"), cAmount = col("montant"), cSens = col("sens")
        let cDue = col("dateecheance", "echeance", "dateech", "echeancedate", "datedecheance")
        let cDateLet = col("datelet", "datelettrage", "datedelettrage")
        var missing: [String] = []
        if cAccount < 0 { missing.append("CompteNum") }
        if cPiece < 0 && cNum < 0 { missing.append("PieceRef") }
        if cPieceDate < 0 && cDate < 0 { missing.append("PieceDate") }
        if (cDebit < 0 || cCredit < 0) && (cAmount < 0 || cSens < 0) { missing.append("Debit and Credit (or Montant and Sens)") }
        if !missing.isEmpty {
            r.diagnostics = [.error(file, line: headerIndex + 1, "not a FEC: missing column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))")]
            r.unusable = true
            return r
        }
        _ = cLib

        struct Line {
            var kind: InvoiceKind?
            var key: String, name: String, piece: String, letter: String, entry: String
            var date: Day, due: Day?
            var signed: Int64 // debit − credit
            var line: Int
            /// The entry's date (`EcritureDate`) and the lettering date (`DateLet`).
            var entryDate: Day?, letDate: Day?
        }
        var items: [Line] = []
        var bankEntries = Set<String>()
        var bank: Int64 = 0
        var sawBank = false
        var last: Day? = nil
        for (li, l) in lines.enumerated() where li > headerIndex && !l.isEmptyLine(text) {
            let fs = fields(text, l, sep)
            func value(_ c: Int) -> String { c >= 0 && c < fs.count ? string(text, fs[c]) : "" }
            func column(_ c: Int) -> Int { c >= 0 && c < fs.count ? fs[c].column : 1 }
            let lineNo = li + 1
            let account = value(cAccount)
            let entry = value(cJournal) + "\u{1}" + value(cNum)
            let isBank = ["512", "514", "517", "53"].contains { account.hasPrefix($0) }
            let kind: InvoiceKind? = account.hasPrefix("411") ? .receivable
                : (account.hasPrefix("401") || account.hasPrefix("404")) ? .payable : nil
            if isBank { bankEntries.insert(entry) }
            guard isBank || kind != nil || cDate >= 0 else { continue }
            // Amount: debit − credit.
            var signed: Int64 = 0
            var bad = false
            func money(_ c: Int) -> Int64? {
                let s = value(c)
                if s.isEmpty { return 0 }
                if let v = parseFECAmount(s) { return v }
                r.diagnostics.append(.error(file, line: lineNo, column: column(c), "invalid amount '\(s)' in column '\(names[c])'"))
                bad = true
                return nil
            }
            if cDebit >= 0 && cCredit >= 0 {
                signed = (money(cDebit) ?? 0) - (money(cCredit) ?? 0)
            } else {
                let m = money(cAmount) ?? 0
                let sens = value(cSens).uppercased()
                if sens.hasPrefix("D") || sens == "+1" || sens == "1" { signed = m } else if sens.hasPrefix("C") || sens == "-1" { signed = -m } else {
                    r.diagnostics.append(.error(file, line: lineNo, column: column(cSens), "invalid Sens '\(value(cSens))': expected D or C"))
                    bad = true
                }
            }
            if let d = day(value(cDate)) { last = max(last ?? d, d) }
            if account.hasPrefix("512") && !bad { bank += signed; sawBank = true }
            guard let kind, !bad else { continue }
            let pd = value(cPieceDate).isEmpty ? value(cDate) : value(cPieceDate)
            guard let date = day(pd) else {
                r.diagnostics.append(.error(file, line: lineNo, column: column(cPieceDate >= 0 ? cPieceDate : cDate), "invalid date '\(pd)': expected YYYYMMDD"))
                continue
            }
            let aux = value(cAux), auxLib = value(cAuxLib)
            let piece = value(cPiece).isEmpty ? value(cNum) : value(cPiece)
            var due: Day? = nil
            if cDue >= 0, !value(cDue).isEmpty { due = day(value(cDue)) }
            items.append(Line(kind: kind, key: aux.isEmpty ? account : aux,
                              name: !auxLib.isEmpty ? auxLib : (value(cAccountLib).isEmpty ? account : value(cAccountLib)),
                              piece: piece, letter: value(cLet), entry: entry, date: date, due: due, signed: signed, line: lineNo,
                              entryDate: day(value(cDate)), letDate: cDateLet >= 0 ? day(value(cDateLet)) : nil))
        }
        if sawBank { r.bankBalance = Money(cents: bank) }
        r.lastEntryDate = last

        // Open items per counterparty.
        struct Open { var kind: InvoiceKind; var key: String; var name: String; var id: String; var date: Day; var due: Day?
                      var amount: Int64; var line: Int; var payment: Bool; var note: String? }
        var opens: [Open] = []
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for (i, it) in items.enumerated() {
            guard let k = it.kind else { continue }
            let g = it.letter.isEmpty ? "P\u{1}\(k)\u{1}\(it.key)\u{1}\(it.piece)" : "L\u{1}\(k)\u{1}\(it.key)\u{1}\(it.letter)"
            if groups[g] == nil { order.append(g) }
            groups[g, default: []].append(i)
        }
        /// A fully lettered customer group: its invoices (debit lines) were paid on the lettering date (`DateLet`),
        /// else on the latest entry date of its bank-moving lines. Due date: `DateEcheance`, else the piece date +
        /// payment terms; an invoice without one is not history.
        func letteredPayments(_ idx: [Int]) -> [PaidInvoice] {
            let paid = idx.compactMap { items[$0].letDate }.max()
                ?? idx.filter { items[$0].signed < 0 && bankEntries.contains(items[$0].entry) }.compactMap { items[$0].entryDate }.max()
            guard let paid else { return [] }
            var out: [PaidInvoice] = []
            for i in idx where items[i].signed > 0 {
                let it = items[i]
                guard let due = it.due ?? (options.terms(for: it.name) ?? options.terms(for: it.key))?.dueDate(issued: it.date) else { continue }
                out.append(PaidInvoice(counterparty: it.name, dueDate: due, paymentDate: paid, line: it.line))
            }
            return out
        }
        for g in order {
            guard let idx = groups[g], let first = idx.first, let kind = items[first].kind else { continue }
            let sign: Int64 = kind == .receivable ? 1 : -1
            let sum = idx.reduce(Int64(0)) { $0 + items[$1].signed } * sign
            if sum == 0 {
                if kind == .receivable, !items[first].letter.isEmpty { r.payments.append(contentsOf: letteredPayments(idx)) }
                continue
            }
            // The invoice-side line names the item: the largest amount owed.
            let rep = idx.max { items[$0].signed * sign < items[$1].signed * sign } ?? first
            let it = items[rep]
            let lettered = !it.letter.isEmpty
            let payment = sum < 0 && idx.contains { bankEntries.contains(items[$0].entry) }
            opens.append(Open(kind: kind, key: it.key, name: it.name, id: it.piece, date: idx.map { items[$0].date }.min() ?? it.date,
                              due: idx.compactMap { items[$0].due }.max(), amount: sum, line: it.line, payment: payment,
                              note: lettered ? "partly lettered (\(it.letter))" : nil))
        }
        // Partial payments not lettered: against the same counterparty's oldest open items.
        for p in opens.indices where opens[p].payment {
            var left = -opens[p].amount
            let targets = opens.indices.filter { opens[$0].kind == opens[p].kind && opens[$0].key == opens[p].key && opens[$0].amount > 0 }
                .sorted { (opens[$0].date, $0) < (opens[$1].date, $1) }
            for t in targets where left > 0 {
                let take = min(left, opens[t].amount)
                opens[t].amount -= take
                opens[t].note = (opens[t].note.map { $0 + "; " } ?? "") + "net of partial payment \(opens[p].id)"
                left -= take
            }
            opens[p].amount = -left
            if left > 0 {
                r.diagnostics.append(.warning(file, line: opens[p].line,
                    "payment '\(opens[p].id)' of \(opens[p].name) (\(Money(cents: left).decimalString)) matches no open invoice: not projected"))
            }
        }
        var missingTerms = 0
        for o in opens where o.amount != 0 && !o.payment {
            var due = o.due
            var terms: String? = nil
            if due == nil, let t = options.terms(for: o.name) ?? options.terms(for: o.key) {
                due = t.dueDate(issued: o.date)
                terms = t.text
            }
            guard let due else {
                missingTerms += 1
                let ex = ExcludedInvoice(id: o.id, line: o.line, reason: "no due date: the FEC has none and no payment terms apply")
                if o.kind == .receivable { r.rejectedReceivables.append(ex) } else { r.rejectedPayables.append(ex) }
                continue
            }
            let inv = Invoice(id: o.id, counterparty: o.name, issueDate: o.date, dueDate: due, amount: Money(cents: o.amount),
                              note: o.note, line: Int32(truncatingIfNeeded: o.line),
                              origin: terms.map { InvoiceOrigin(dueTerms: $0) })
            if o.kind == .receivable { r.receivables.append(inv) } else { r.payables.append(inv) }
        }
        if missingTerms > 0 {
            r.needs.missingDueDates += missingTerms
            r.diagnostics.append(.error(file, "\(missingTerms) open item(s) have no due date (a FEC has none): set payment_terms_days = 30 "
                + "in treso.toml (or per counterparty under [payment_terms]) to count them from the piece date"))
        }
        return r
    }

    // MARK: Text

    struct Span { var start: Int; var end: Int; var column: Int
        func isEmptyLine(_ t: [UInt8]) -> Bool { (start..<end).allSatisfy { t[$0] == 0x20 || t[$0] == 0x09 || t[$0] == 0x7C } }
    }

    /// UTF-8 as is (BOM skipped); anything else as ISO-8859-15, with Windows-1252 for 0x80–0x9F.
    static func decode(_ raw: [UInt8]) -> [UInt8] {
        var start = 0
        if raw.count >= 3, raw[0] == 0xEF, raw[1] == 0xBB, raw[2] == 0xBF { start = 3 }
        let invalid = raw.withUnsafeBufferPointer { CSVTextDecoding.validateUTF8($0, from: start).invalid }
        if invalid.isEmpty { return Array(raw[start...]) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count + raw.count / 8)
        let latin9: [UInt8: UInt32] = [0xA4: 0x20AC, 0xA6: 0x160, 0xA8: 0x161, 0xB4: 0x17D, 0xB8: 0x17E, 0xBC: 0x152, 0xBD: 0x153, 0xBE: 0x178]
        for b in raw[start...] {
            if b < 0x80 { out.append(b); continue }
            let v: UInt32 = b < 0xA0 ? UInt32(CSVTextDecoding.cp1252High[Int(b - 0x80)]) : (latin9[b] ?? UInt32(b))
            CSVTextDecoding.appendUTF8(v, to: &out)
        }
        return out
    }

    /// Lines split on CRLF, LF or CR.
    static func splitLines(_ t: [UInt8]) -> [Span] {
        var out: [Span] = []
        var s = 0, i = 0
        while i < t.count {
            let b = t[i]
            if b == 0x0A || b == 0x0D {
                out.append(Span(start: s, end: i, column: 1))
                if b == 0x0D, i + 1 < t.count, t[i + 1] == 0x0A { i += 1 }
                s = i + 1
            }
            i += 1
        }
        if s < t.count { out.append(Span(start: s, end: t.count, column: 1)) }
        return out
    }

    /// Fields of a line, trimmed, surrounding quotes removed, each with its 1-based column.
    static func fields(_ t: [UInt8], _ l: Span, _ sep: UInt8) -> [Span] {
        var out: [Span] = []
        var s = l.start, column = 1
        var i = l.start
        func push(_ e: Int) {
            var a = s, b = e
            while a < b, t[a] == 0x20 { a += 1 }
            while b > a, t[b - 1] == 0x20 { b -= 1 }
            if b - a >= 2, t[a] == 0x22, t[b - 1] == 0x22 { a += 1; b -= 1 }
            out.append(Span(start: a, end: b, column: column))
        }
        while i <= l.end {
            if i == l.end || t[i] == sep {
                push(i)
                column += (s..<i).reduce(0) { $0 + (t[$1] & 0xC0 == 0x80 ? 0 : 1) } + 1
                s = i + 1
            }
            i += 1
        }
        return out
    }

    static func string(_ t: [UInt8], _ s: Span) -> String { String(decoding: t[s.start..<s.end], as: UTF8.self) }

    static func day(_ s: String) -> Day? {
        var b = Array(s.utf8)
        // A time may follow the date (`20240131 00:00:00`).
        if let sp = b.firstIndex(of: 0x20) { b = Array(b[..<sp]) }
        return b.withUnsafeBufferPointer { p -> Day? in
            guard let base = p.baseAddress, !p.isEmpty, case .ok(let d) = parseDate(base, 0, p.count) else { return nil }
            return d
        }
    }
}

/// A FEC amount: decimal comma (or point), possibly zero-padded (`000000001234,50`), possibly signed.
func parseFECAmount(_ s: String) -> Int64? {
    var b = Array(s.utf8)
    var neg = false
    if let f = b.first, f == 0x2D || f == 0x2B { neg = f == 0x2D; b.removeFirst() }
    while b.count > 1, b[0] == 0x30, isDigit(b[1]) { b.removeFirst() }
    return b.withUnsafeBufferPointer { p -> Int64? in
        guard let base = p.baseAddress, !p.isEmpty, case .ok(let c, nil) = parseAmount(base, 0, p.count, decimalComma: true) else { return nil }
        return neg ? -c : c
    }
}

extension String {
    func replacingSpaces() -> String { String(filter { $0 != " " }) }
}
