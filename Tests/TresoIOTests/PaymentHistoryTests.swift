import Testing
import TestSupport
import TresoCore
@testable import TresoIO

/// Payment history from the exports (docs/calculations.md §15): paid rows' due and payment dates become each
/// customer's observed delays, which the delay model draws from.
@Suite struct PaymentHistoryTests {
    func csv(_ text: String, parallel: Bool? = nil) -> InvoiceFileResult {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer {
            InvoiceCSVReader.read(buffer: $0, displayName: "r.csv", kind: .receivable, currency: "EUR", parallel: parallel)
        }
    }

    @Test func paidRowsWithAPaymentDateAreKeptAsHistoryAndNotProjected() {
        let r = csv("""
            Numéro;Client;Date;Échéance;Montant TTC;Statut;Date de règlement
            F1;Acme;01/09/2026;01/10/2026;1200,00;Réglée;15/10/2026
            F2;Acme;01/09/2026;10/10/2026;800,00;Payée;08/10/2026
            F3;Bolt;01/09/2026;01/10/2026;500,00;Réglée;
            F4;Acme;01/11/2026;01/12/2026;900,00;À payer;
            F5;Acme;01/09/2026;pas une date;10,00;Réglée;20/10/2026
            """)
        #expect(r.errors.isEmpty, "\(r.diagnostics)")
        #expect(r.invoices.map(\.id) == ["F4"])
        #expect(r.paidSkipped == 4)
        #expect(r.payments.map(\.counterparty) == ["Acme", "Acme"])
        #expect(r.payments.map(\.delayDays) == [14, -2])
        #expect(r.payments.map(\.line) == [2, 3])
        #expect(r.columns.contains { $0.column == "payment_date" && $0.header == "Date de règlement" })
    }

    @Test func everyAliasIsRead() {
        for name in ["payment_date", "Date de règlement", "Date règlement", "Date de paiement", "Payment date"] {
            let r = csv("id,counterparty,issue_date,due_date,amount,status,\(name)\nA,Acme,2026-09-01,2026-10-01,10,paid,2026-10-11\n")
            #expect(r.payments.map(\.delayDays) == [10], "\(name)")
        }
    }

    /// Without a status column a payment date says the row is paid; with a remaining amount, that amount decides.
    @Test func aPaymentDateWithoutStatusMeansPaid() {
        let r = csv("id,counterparty,issue_date,due_date,amount,payment_date\nA,Acme,2026-09-01,2026-10-01,10,2026-10-04\nB,Acme,2026-09-01,2026-12-20,10,\n")
        #expect(r.invoices.map(\.id) == ["B"])
        #expect(r.payments.map(\.delayDays) == [3])
        let partly = csv("id,counterparty,issue_date,due_date,amount,remaining,payment_date\nA,Acme,2026-09-01,2026-10-01,10,4,2026-10-04\nB,Acme,2026-09-01,2026-10-01,10,0,2026-10-06\n")
        #expect(partly.invoices.map(\.id) == ["A"])
        #expect(partly.payments.map(\.delayDays) == [5])
    }

    @Test func twoHalvesKeepTheHistoryInFileOrder() {
        var text = "id,counterparty,issue_date,due_date,amount,status,payment_date\n"
        for i in 0..<4_000 {
            let paid = i % 3 == 0
            text += "I\(i),C\(i % 7),2026-09-01,2026-10-01,\(i + 1),\(paid ? "paid" : "open"),\(paid ? "2026-10-\(10 + i % 15)" : "")\n"
        }
        let one = csv(text, parallel: false), two = csv(text, parallel: true)
        #expect(one.payments.count == 1_334)
        #expect(one.payments == two.payments)
        #expect(one.invoices == two.invoices)
    }

    @Test func fecLetteredCustomerInvoicesGiveTheirPaymentDates() {
        let header = "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise"
        let lines = [
            header,
            // F1 due 31/10 (30 days), lettered A on 20/10: 11 days early.
            "VE|Ventes|1|20261001|411000|Clients|C001|ACME|F1|20261001|Facture F1|1200,00|0,00|A|20261020|20261001||",
            "BQ|Banque|2|20261020|411000|Clients|C001|ACME|VIR1|20261020|Règlement F1|0,00|1200,00|A|20261020|20261020||",
            "BQ|Banque|2|20261020|512000|Banque|||VIR1|20261020|Règlement F1|1200,00|0,00||||",
            // F2 and F3 settled by one transfer on 20/11, lettered B without DateLet: the bank entry's date.
            "VE|Ventes|3|20261002|411000|Clients|C001|ACME|F2|20261002|Facture F2|100,00|0,00|B|||",
            "VE|Ventes|4|20261005|411000|Clients|C001|ACME|F3|20261005|Facture F3|200,00|0,00|B|||",
            "BQ|Banque|5|20261120|411000|Clients|C001|ACME|VIR2|20261120|Règlement|0,00|300,00|B|||",
            "BQ|Banque|5|20261120|512000|Banque|||VIR2|20261120|Règlement|300,00|0,00||||",
            // Partly lettered: not history (still open).
            "VE|Ventes|6|20261113|411000|Clients|C002|Bolt|F4|20261113|Facture F4|500,00|0,00|C|20261201||",
            "BQ|Banque|7|20261114|411000|Clients|C002|Bolt|VIR3|20261114|Partiel F4|0,00|200,00|C|20261201||",
            // A supplier's lettered invoice: not customer history.
            "AC|Achats|8|20261001|401000|Fournisseurs|F001|Aciers|A1|20261001|Facture|0,00|50,00|D|20261015||",
            "BQ|Banque|9|20261015|401000|Fournisseurs|F001|Aciers|V9|20261015|Paiement|50,00|0,00|D|20261015||",
        ]
        let r = FECReader.read(bytes: Array((lines.joined(separator: "\n") + "\n").utf8), displayName: "FEC.txt",
                               options: InvoiceImportOptions(defaultTerms: PaymentTerms(days: 30)))
        #expect(r.errors.isEmpty, "\(r.diagnostics)")
        #expect(r.payments.map(\.counterparty) == ["ACME", "ACME", "ACME"])
        #expect(r.payments.map(\.delayDays) == [-11, 19, 16])
        #expect(r.receivables.map(\.id) == ["F4"])
    }
}
