import TresoCore

/// ISO 20022 camt.053 (BankToCustomerStatement), versions 001.02 to 001.08 (and later: the fields
/// read are the same). Several statements per message; a batch entry whose transaction details
/// carry their own amounts becomes one transaction per detail, so each can match its invoice.
enum CamtReader {
    static let namespacePrefix = "urn:iso:std:iso:20022:tech:xsd:camt.053.001."

    static func read(_ bytes: [UInt8], file: String) -> BankStatementReader.Result {
        var r = BankStatementReader.Result()
        let root: XElement
        switch XMLTree.parse(bytes, displayName: file) {
        case .failure(let d): r.diagnostics.append(d); return r
        case .success(let e): root = e
        }
        guard root.namespace.hasPrefix(namespacePrefix), let body = root.child("BkToCstmrStmt") else {
            r.diagnostics.append(.error(file, line: root.line, "not a camt.053 statement: root <\(root.name)> in namespace '\(root.namespace)' (expected \(namespacePrefix)xx Document/BkToCstmrStmt)"))
            return r
        }
        for stmt in body.all("Stmt") {
            guard let account = stmt.value("Acct", "Id", "IBAN") ?? stmt.value("Acct", "Id", "Othr", "Id") else {
                r.diagnostics.append(.error(file, line: stmt.line, "statement without an account (Acct/Id/IBAN or Othr/Id): skipped"))
                continue
            }
            var s = BankStatement(file: file, format: .camt053, account: account, currency: stmt.value("Acct", "Ccy"),
                                  openingBalance: nil, openingDate: nil, closingBalance: nil, closingDate: nil,
                                  transactions: [], line: stmt.line)
            for bal in stmt.all("Bal") {
                let code = bal.value("Tp", "CdOrPrtry", "Cd") ?? bal.value("Tp", "CdOrPrtry", "Prtry") ?? ""
                guard let amt = signedAmount(bal) else {
                    if let d = DecimalText.limitDiagnostic(bal.child("Amt"), file: file, what: "balance \(code)") { r.diagnostics.append(d) }
                    continue
                }
                let day = date(bal.child("Dt"))
                switch code {
                case "OPBD", "PRCD":
                    if s.openingBalance == nil || code == "OPBD" { s.openingBalance = amt; s.openingDate = day }
                case "CLBD":
                    s.closingBalance = amt; s.closingDate = day
                default: break
                }
            }
            var pending = 0
            for ntry in stmt.all("Ntry") {
                let status = ntry.value("Sts") ?? ntry.value("Sts", "Cd") ?? "BOOK"
                guard status == "BOOK" else { pending += 1; continue }
                guard let amount = signedAmount(ntry) else {
                    r.diagnostics.append(DecimalText.limitDiagnostic(ntry.child("Amt"), file: file, what: "entry amount").map { d in
                        var d = d; d.message += ": skipped"; return d
                    } ?? .error(file, line: ntry.line, "entry without a readable amount (Amt, CdtDbtInd): skipped"))
                    continue
                }
                guard let booked = date(ntry.child("BookgDt")) ?? date(ntry.child("ValDt")) else {
                    r.diagnostics.append(.error(file, line: ntry.line, "entry without a booking date (BookgDt): skipped"))
                    continue
                }
                let value = date(ntry.child("ValDt"))
                let entryInfo = ntry.value("AddtlNtryInf")
                var entryRefs: [String] = []
                if let ref = ntry.value("AcctSvcrRef") { entryRefs.append(ref) }
                if let ref = ntry.value("NtryRef") { entryRefs.append(ref) }
                let details = ntry.all("NtryDtls").flatMap { $0.all("TxDtls") }
                let detailAmounts = details.map { detailAmount($0, entrySign: amount.isNegative ? -1 : 1) }
                if details.count > 1, detailAmounts.allSatisfy({ $0 != nil }),
                   detailAmounts.reduce(Money.zero, { $0 + ($1 ?? .zero) }) == amount {
                    for (tx, a) in zip(details, detailAmounts) {
                        s.transactions.append(transaction(tx, amount: a ?? .zero, booked: booked, value: value,
                                                          extra: entryInfo, refs: entryRefs, line: tx.line))
                    }
                } else {
                    var t = details.count == 1
                        ? transaction(details[0], amount: amount, booked: booked, value: value, extra: entryInfo, refs: entryRefs, line: ntry.line)
                        : BankTransaction(bookingDate: booked, valueDate: value, amount: amount,
                                          label: ([entryInfo] + details.map { remittance($0) }).compactMap { $0 }.joined(separator: " "),
                                          references: entryRefs, line: ntry.line)
                    if t.label.isEmpty { t.label = entryInfo ?? "" }
                    s.transactions.append(t)
                }
            }
            if pending > 0 {
                r.diagnostics.append(.warning(file, line: stmt.line, "\(pending) entr\(pending == 1 ? "y" : "ies") of account \(account) not booked yet (status PDNG/INFO): left out"))
            }
            r.statements.append(s)
        }
        return r
    }

    private static func signedAmount(_ e: XElement) -> Money? {
        guard let a = e.value("Amt").flatMap({ DecimalText.money($0) }) else { return nil }
        var m = a
        if e.value("CdtDbtInd") == "DBIT" { m = -m }
        if e.value("RvslInd") == "true" { m = -m }
        return m
    }

    private static func detailAmount(_ tx: XElement, entrySign: Int) -> Money? {
        let text = tx.value("Amt") ?? tx.value("AmtDtls", "TxAmt", "Amt") ?? tx.value("AmtDtls", "InstdAmt", "Amt")
        guard let a = text.flatMap({ DecimalText.money($0) }) else { return nil }
        if let ind = tx.value("CdtDbtInd") { return ind == "DBIT" ? -a : a }
        return entrySign < 0 ? -a : a
    }

    private static func date(_ e: XElement?) -> Day? {
        guard let e else { return nil }
        return (e.value("Dt") ?? e.value("DtTm")).flatMap { DecimalText.day($0) }
    }

    private static func remittance(_ tx: XElement) -> String? {
        var parts: [String] = []
        for rmt in tx.all("RmtInf") {
            for u in rmt.all("Ustrd") { if let t = u.trimmedText { parts.append(t) } }
            for s in rmt.all("Strd") {
                if let ref = s.value("CdtrRefInf", "Ref") { parts.append(ref) }
                if let t = s.value("AddtlRmtInf") { parts.append(t) }
            }
        }
        if let t = tx.value("AddtlTxInf") { parts.append(t) }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    private static func transaction(_ tx: XElement, amount: Money, booked: Day, value: Day?, extra: String?,
                                    refs: [String], line: Int) -> BankTransaction {
        let parties = tx.child("RltdPties")
        let partyPath = amount.isNegative ? "Cdtr" : "Dbtr"
        let name = parties?.value(partyPath, "Nm") ?? parties?.value(partyPath, "Pty", "Nm")
            ?? parties?.value(amount.isNegative ? "UltmtCdtr" : "UltmtDbtr", "Nm")
        var references = refs
        if let e2e = tx.value("Refs", "EndToEndId"), e2e != "NOTPROVIDED" { references.append(e2e) }
        for s in tx.all("RmtInf").flatMap({ $0.all("Strd") }) { if let ref = s.value("CdtrRefInf", "Ref") { references.append(ref) } }
        let label = [remittance(tx), extra].compactMap { $0 }.joined(separator: " ")
        return BankTransaction(bookingDate: booked, valueDate: value, amount: amount, label: label,
                               counterparty: name, references: references, line: line)
    }
}
