import Foundation
import TresoCore

/// OFX 1.x (SGML: leaf tags are not closed, a `KEY:VALUE` header precedes) and OFX 2.x (XML, read
/// with the XML parser). Every STMTRS (bank) and CCSTMTRS (card) is one statement, so a file with
/// several accounts gives several statements. OFX gives the closing (ledger) balance, not an opening.
enum OFXReader {
    static func read(_ bytes: [UInt8], file: String) -> BankStatementReader.Result {
        var r = BankStatementReader.Result()
        let text = BankText.decode(bytes)
        let root: XElement
        if text.contains("<?xml") || text.contains("OFXHEADER=\"200\"") {
            switch XMLTree.parse(bytes, displayName: file) {
            case .failure(let d): r.diagnostics.append(d); return r
            case .success(let e): root = e
            }
        } else {
            guard let e = sgmlTree(text) else {
                r.diagnostics.append(.error(file, "OFX file without an <OFX> element"))
                return r
            }
            root = e
        }
        for stmt in root.descendants("STMTRS") + root.descendants("CCSTMTRS") {
            let from = stmt.child("BANKACCTFROM") ?? stmt.child("CCACCTFROM")
            guard let acct = from?.value("ACCTID") else {
                r.diagnostics.append(.error(file, line: stmt.line, "statement without ACCTID: skipped"))
                continue
            }
            let account = [from?.value("BANKID"), from?.value("BRANCHID"), acct].compactMap { $0 }.joined(separator: "-")
            var s = BankStatement(file: file, format: .ofx, account: account, currency: stmt.value("CURDEF"),
                                  openingBalance: nil, openingDate: nil,
                                  closingBalance: stmt.value("LEDGERBAL", "BALAMT").flatMap { DecimalText.money($0) },
                                  closingDate: stmt.value("LEDGERBAL", "DTASOF").flatMap { DecimalText.day($0) },
                                  transactions: [], line: stmt.line)
            if let d = DecimalText.limitDiagnostic(stmt.path("LEDGERBAL", "BALAMT"), file: file, what: "closing balance (BALAMT)") {
                r.diagnostics.append(d)
            }
            for tr in stmt.child("BANKTRANLIST")?.all("STMTTRN") ?? [] {
                guard let amount = tr.value("TRNAMT").flatMap({ DecimalText.money($0) }) else {
                    r.diagnostics.append(DecimalText.limitDiagnostic(tr.child("TRNAMT"), file: file, what: "TRNAMT").map { d in
                        var d = d; d.message += ": skipped"; return d
                    } ?? .error(file, line: tr.line, "transaction with an unreadable TRNAMT '\(tr.value("TRNAMT") ?? "")': skipped"))
                    continue
                }
                guard let posted = tr.value("DTPOSTED").flatMap({ DecimalText.day($0) }) else {
                    r.diagnostics.append(.error(file, line: tr.line, "transaction without a readable DTPOSTED: skipped"))
                    continue
                }
                let name = tr.value("NAME") ?? tr.value("PAYEE", "NAME")
                let label = [name, tr.value("MEMO")].compactMap { $0 }.joined(separator: " ")
                let refs = [tr.value("FITID"), tr.value("REFNUM"), tr.value("CHECKNUM")].compactMap { $0 }
                s.transactions.append(BankTransaction(bookingDate: posted, valueDate: tr.value("DTAVAIL").flatMap { DecimalText.day($0) },
                                                      amount: amount, label: label, counterparty: name, references: refs, line: tr.line))
            }
            r.statements.append(s)
        }
        return r
    }

    /// OFX 1.x SGML to the same element tree: `<TAG>value` is a leaf (its closing tag optional),
    /// `<TAG>` followed by another tag opens an aggregate, `</TAG>` closes up to its match.
    static func sgmlTree(_ text: String) -> XElement? {
        guard let start = text.range(of: "<OFX>") else { return nil }
        let body = Array(text[start.lowerBound...])
        let root = XElement(namespace: "", name: "#document", attributes: [:], line: 0)
        var stack: [XElement] = [root]
        var line = text[..<start.lowerBound].reduce(1) { $1.isNewline ? $0 + 1 : $0 }
        let offsetOfBody = text[..<start.lowerBound].reversed().prefix { !$0.isNewline }.count
        var lineStart = 0  // index in `body` where the current line starts
        var i = 0
        while i < body.count {
            if body[i].isNewline { line += 1; i += 1; lineStart = i; continue }  // "\r\n" is one Character
            guard body[i] == "<" else { i += 1; continue }
            var j = i + 1
            while j < body.count && body[j] != ">" { j += 1 }
            guard j < body.count else { break }
            let tag = String(body[(i + 1)..<j]).trimmingSpaces()
            i = j + 1
            if tag.hasPrefix("/") {
                let name = String(tag.dropFirst())
                if let k = stack.lastIndex(where: { $0.name == name }), k > 0 { stack.removeSubrange(k...) }
                continue
            }
            if tag.hasPrefix("!") || tag.hasPrefix("?") || tag.isEmpty { continue }
            // Column just after the tag, where its value starts (as XMLTree reports it), in characters.
            let e = XElement(namespace: "", name: tag, attributes: [:], line: line, column: i - lineStart + 1 + (lineStart == 0 ? offsetOfBody : 0))
            stack.last?.children.append(e)
            // Text up to the next tag.
            var k = i
            while k < body.count && body[k] != "<" { k += 1 }
            let value = String(body[i..<k]).trimmingCharacters(in: .whitespacesAndNewlines)
            line += body[i..<k].filter(\.isNewline).count
            if let nl = body[i..<k].lastIndex(where: \.isNewline) { lineStart = nl + 1 }
            i = k
            if value.isEmpty {
                if stack.count < 256 { stack.append(e) }
            } else {
                e.text = decodeEntities(value)
            }
        }
        return root.child("OFX")
    }

    private static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        return s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&nbsp;", with: " ").replacingOccurrences(of: "&amp;", with: "&")
    }
}
