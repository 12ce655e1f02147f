#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TresoCore

/// `treso init DIR`: looks at the exports in a folder, decides which hold receivables, payables or a FEC,
/// and writes a `treso.toml` that loads them, with everything it inferred spelled out in comments and
/// every key the user must fill (exchange rates, payment terms, unknown statuses) ready to edit.
/// The files are read by the same readers as `treso check`, so what init reports is what will load.
public enum ScenarioInit {
    public struct Found: Sendable {
        public var file: String
        /// nil for a FEC (both kinds).
        public var kind: InvoiceKind?
        public var why: String
    }

    public struct Outcome: Sendable {
        public var toml: String
        /// Lines for the user: what was found and what to check.
        public var report: [String]
        public var found: [Found]
    }

    /// Builds the scenario text for `folder`; an error when there is nothing to load or treso.toml exists.
    public static func run(folder: String, start: Day?, openingBalance: Money?, currency: String = "EUR") -> Result<Outcome, Diagnostic> {
        let target = joinPath(folder, ScenarioLoader.fileName)
        if fileExists(target) {
            return .failure(.error(target, "already exists: treso init never overwrites a scenario (move it away to start again)"))
        }
        guard isDirectory(folder) else { return .failure(.error(folder, "not a folder")) }
        let names = listFiles(folder).filter { n in
            let l = n.lowercased()
            return l.hasSuffix(".csv") || l.hasSuffix(".txt") || l.hasSuffix(".tsv")
        }.sorted()
        var found: [Found] = []
        for n in names {
            guard case .success(let bytes) = readFileBytes(path: joinPath(folder, n), displayName: n) else { continue }
            let head = firstLineWords(bytes)
            if head.contains("journalcode") && head.contains("comptenum") {
                found.append(Found(file: n, kind: nil, why: "FEC header (JournalCode, CompteNum…)"))
                continue
            }
            if let (kind, why) = guessKind(fileName: n, headerWords: head) { found.append(Found(file: n, kind: kind, why: why)) }
        }
        let fec = found.first { $0.kind == nil }
        let rec = found.first { $0.kind == .receivable }, pay = found.first { $0.kind == .payable }
        guard fec != nil || rec != nil || pay != nil else {
            return .failure(.error(folder, "no receivables, payables or FEC export found (looked at \(names.isEmpty ? "no .csv/.txt file" : names.joined(separator: ", ")))"))
        }

        var report: [String] = []
        for f in found where f.file != fec?.file && f.file != rec?.file && f.file != pay?.file {
            report.append("CHECK \(f.file): also looks like \(f.kind.map { $0 == .receivable ? "receivables" : "payables" } ?? "a FEC"), "
                          + "but a scenario takes one file of each: not used")
        }
        let terms30 = PaymentTerms(days: 30)
        let options = InvoiceImportOptions(currency: currency, defaultTerms: terms30)
        var toml: [String] = ["# Written by treso init from the files in this folder. Check every line marked CHECK,",
                              "# then run: treso check \(folder)", ""]
        var needs = ImportNeeds()
        var inferredDue = 0
        toml.append("name = \"\(lastPathComponent(folder).replacingOccurrences("\"", "'"))\"")
        toml.append("currency = \"\(currency)\"")
        if let start { toml.append("start = \(start.iso)") } else { toml.append("# start = 2026-12-01   # default: today") }
        toml.append("horizon_days = 180")

        var fecBank: Money? = nil
        var fecDate: Day? = nil
        if let fec {
            let r = FECReader.read(path: joinPath(folder, fec.file), displayName: fec.file, options: options)
            fecBank = r.bankBalance; fecDate = r.lastEntryDate
            report.append("\(fec.file): FEC — \(r.receivables.count) open customer items, \(r.payables.count) open supplier items"
                          + (r.bankBalance.map { ", bank balance \($0.decimalString)" } ?? ""))
        }
        if let o = openingBalance {
            toml.append("opening_balance = \(o.decimalString)")
        } else if let b = fecBank {
            toml.append("# opening_balance: not set, so it is the FEC's bank balance (512 accounts) after its last entry"
                        + (fecDate.map { " (\($0.iso))" } ?? "") + ": \(b.decimalString). CHECK it against the bank.")
        } else {
            toml.append("opening_balance = 0.00   # CHECK: the bank balance on the start date")
            report.append("CHECK opening_balance: set it to the bank balance on the start date (or pass --opening-balance)")
        }
        toml.append("")
        for f in [rec, pay].compactMap({ $0 }) {
            guard let kind = f.kind else { continue }
            let r = InvoiceCSVReader.read(path: joinPath(folder, f.file), displayName: f.file, kind: kind, options: options)
            let key = kind == .receivable ? "receivables" : "payables"
            toml.append("# \(f.file): \(key), because of its \(f.why). Columns read:")
            for c in r.columns { toml.append("#   \(c.column) ← '\(c.header)'") }
            toml.append("\(key) = \"\(f.file)\"")
            toml.append("")
            needs.merge(r.needs)
            let inferred = r.invoices.filter { $0.origin?.dueDateInferred == true }.count
            inferredDue += inferred
            var line = "\(f.file): \(key) — \(r.invoices.count) open (\(r.invoices.filter(\.isCreditNote).count) credit notes, "
                + "\(r.invoices.filter { $0.origin?.isPartlyPaid == true }.count) partly paid), \(r.paidSkipped) paid, \(r.disputed.count) disputed"
            if !r.rejected.isEmpty { line += ", \(r.rejected.count) rejected" }
            report.append(line)
        }
        if let fec {
            toml.append("# \(fec.file): a FEC; open items of 411 (customers) and 401/404 (suppliers) accounts, not lettered.")
            toml.append("fec = \"\(fec.file)\"")
            toml.append("")
        }
        if inferredDue > 0 || fec != nil {
            toml.append("# \(fec != nil ? "A FEC has no due dates" : "\(inferredDue) invoice(s) have no due date"): they are the issue date + these terms.")
            toml.append("payment_terms_days = 30   # CHECK: your usual terms (per counterparty under [payment_terms])")
            toml.append("# [payment_terms]")
            toml.append("# \"Client SA\" = \"45 jours fin de mois\"")
            toml.append("")
            report.append("CHECK payment_terms_days = 30: due dates missing from the export are inferred from it")
        }
        toml.append("[fx]   # rates in \(currency) per unit of the other currency, e.g. GBP = 1.1700")
        for (code, n) in needs.missingRates.sorted(by: { $0.key < $1.key }) {
            toml.append("# \(n) invoice(s) are in \(code): ADD its rate, e.g.")
            toml.append("# \(code) = 1.0000")
            report.append("ADD the \(code) rate under [fx] (\(n) invoice(s) in \(code) are left out until then)")
        }
        toml.append("")
        if !needs.unknownStatuses.isEmpty {
            toml.append("[import.status]   # status values treso does not know, read as open until mapped")
            for (word, n) in needs.unknownStatuses.sorted(by: { $0.key < $1.key }) {
                toml.append("# \"\(word.replacingOccurrences("\"", "'"))\" = \"open\"   # \(n) row(s): open, paid or disputed?")
                report.append("CHECK the status '\(word)': read as open; map it under [import.status]")
            }
            toml.append("")
        }
        toml.append("[overdraft]   # CHECK: your bank's terms")
        toml.append("limit = 0.00")
        toml.append("annual_rate = 0")
        toml.append("")
        return .success(Outcome(toml: toml.joined(separator: "\n"), report: report, found: found))
    }

    /// Receivables or payables, from the header first (a `Client` or `Fournisseur` column), then the file name.
    static func guessKind(fileName: String, headerWords: [String]) -> (InvoiceKind, String)? {
        let customer = ["client", "code client", "nom client", "customer", "acheteur", "debiteur"]
        let supplier = ["fournisseur", "code fournisseur", "nom fournisseur", "supplier", "vendor", "creancier"]
        if let w = headerWords.first(where: { customer.contains($0) }) { return (.receivable, "'\(w)' column") }
        if let w = headerWords.first(where: { supplier.contains($0) }) { return (.payable, "'\(w)' column") }
        let n = normalizeHeaderName(fileName)
        for w in ["client", "vente", "receivable", "customer", "creance", "sales"] where n.contains(w) { return (.receivable, "file name") }
        for w in ["fournisseur", "achat", "payable", "supplier", "vendor", "dette", "purchase"] where n.contains(w) { return (.payable, "file name") }
        // Without any sign, a file with invoice columns is taken as receivables only if it maps.
        return nil
    }

    /// The first non-empty line's fields, normalised like headers (`N° facture` → `n facture`); `sep=` lines skipped.
    static func firstLineWords(_ bytes: [UInt8]) -> [String] {
        let decoded = bytes.withUnsafeBufferPointer { CSVTextDecoding.decode($0) }
        let text = decoded.transcoded ?? Array(bytes[decoded.start...])
        var lines = text.split(omittingEmptySubsequences: true) { $0 == 0x0A || $0 == 0x0D }
        if let f = lines.first, String(decoding: f, as: UTF8.self).lowercased().replacingOccurrences("\"", "").hasPrefix("sep=") { lines.removeFirst() }
        guard let first = lines.first else { return [] }
        let line = String(decoding: first, as: UTF8.self)
        let seps: Set<Character> = [";", ",", "\t", "|"]
        return line.split(whereSeparator: { seps.contains($0) }).map { normalizeHeaderName(String($0)) }
    }

    static func listFiles(_ folder: String) -> [String] {
        guard let d = opendir(folder) else { return [] }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            var st = stat()
            if stat(joinPath(folder, name), &st) == 0, (st.st_mode & S_IFMT) == S_IFREG { out.append(name) }
        }
        return out
    }
}

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        guard !a.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: a) {
            out += rest[..<r.lowerBound]; out += b
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
