import TresoCore

/// The columns treso understands in an invoice file.
enum InvoiceColumn: Int, CaseIterable, Sendable {
    case id, counterparty, issueDate, dueDate, amount, currency, status, expectedDate, discount, country, note
    /// What is still open (`Reste dû`): the amount projected when present.
    case remaining
    /// Ledger-style exports: amount = debit − credit for a receivable, credit − debit for a payable.
    case debit, credit
    /// The VAT included in the amount (`TVA`).
    case vat
    /// When a paid invoice was paid (`Date de règlement`): its delay after the due date is payment history (§15).
    case paymentDate

    /// The canonical header name, as `InvoiceCSVWriter` writes it.
    var canonical: String {
        switch self {
        case .id: "id"
        case .counterparty: "counterparty"
        case .issueDate: "issue_date"
        case .dueDate: "due_date"
        case .amount: "amount"
        case .currency: "currency"
        case .status: "status"
        case .expectedDate: "expected_date"
        case .discount: "discount"
        case .country: "country"
        case .note: "note"
        case .remaining: "remaining"
        case .debit: "debit"
        case .credit: "credit"
        case .vat: "vat"
        case .paymentDate: "payment_date"
        }
    }

    /// Always required; the due date may instead come from payment terms, and the amount from a
    /// remaining-amount column or from debit/credit columns.
    static let required: [InvoiceColumn] = [.id, .counterparty, .issueDate]

    /// A few names to suggest when the column is missing.
    var examples: String {
        switch self {
        case .id: "'Numéro', 'N° facture', 'Référence'"
        case .counterparty: "'Client', 'Fournisseur', 'Raison sociale'"
        case .issueDate: "'Date', 'Date facture', 'Date d'émission'"
        case .dueDate: "'Échéance', 'Date d'échéance', 'due date'"
        case .amount: "'Montant TTC', 'Total TTC', 'Montant', 'Reste dû', or 'Débit' and 'Crédit'"
        default: "'\(canonical)'"
        }
    }
}

/// What a header name means. Lower `priority` wins when two columns claim the same meaning
/// (e.g. `Date facture` beats a plain `Date`; `Raison sociale` beats `Client`, which is often a code).
enum HeaderMeaning: Sendable, Equatable {
    case column(InvoiceColumn, priority: Int)
    /// An amount excluding VAT (`Montant HT`): never the invoice amount, which is VAT included.
    case amountExcludingVAT
}

/// The header alias table. Keys are *normalised* names (see `normalizeHeaderName`): lower case,
/// accents folded, every run of punctuation or spaces turned into one space, a trailing
/// currency word (`EUR`, `€`, `euros`) dropped. So `N° Facture`, `n_facture` and `N°  facture (€)`
/// all read `n facture`.
enum InvoiceHeaderAliases {
    static func meaning(ofNormalized name: String, kind: InvoiceKind) -> HeaderMeaning? {
        if let m = table[name] {
            // In a receivables file a "Fournisseur" column is a weaker counterparty than "Client", and vice versa.
            if case .column(.counterparty, let p) = m, p >= 2 {
                let supplierish = supplierWords.contains(name), customerish = customerWords.contains(name)
                if (kind == .receivable && supplierish) || (kind == .payable && customerish) { return .column(.counterparty, priority: p + 2) }
            }
            return m
        }
        return nil
    }

    static let supplierWords: Set<String> = ["fournisseur", "supplier", "vendor", "nom fournisseur", "nom du fournisseur"]
    static let customerWords: Set<String> = ["client", "customer", "nom client", "nom du client"]

    static let table: [String: HeaderMeaning] = {
        var t: [String: HeaderMeaning] = [:]
        func add(_ c: InvoiceColumn, _ p: Int, _ names: [String]) {
            for n in names where t[n] == nil { t[n] = .column(c, priority: p) }
        }
        // Canonical names first (priority 0); `issue_date` normalises to `issue date`.
        for c in InvoiceColumn.allCases { add(c, 0, [normalizeHeaderName(c.canonical)]) }

        add(.id, 1, ["numero facture", "numero de facture", "n facture", "n de facture", "no facture", "num facture",
                     "numero piece", "numero de piece", "n piece", "no piece", "invoice number", "invoice no", "invoice id",
                     "reference facture", "ref facture", "facture n", "facture no"])
        add(.id, 2, ["numero", "n", "no", "num", "facture", "piece", "invoice", "number"])
        add(.id, 3, ["reference", "ref"])

        add(.counterparty, 1, ["raison sociale", "nom client", "nom du client", "nom fournisseur", "nom du fournisseur",
                               "client fournisseur", "nom tiers", "nom du tiers"])
        add(.counterparty, 2, ["client", "fournisseur", "tiers", "customer", "supplier", "vendor"])
        add(.counterparty, 3, ["name", "nom", "societe", "company"])

        add(.issueDate, 1, ["date facture", "date de facture", "date de la facture", "date d emission", "date emission",
                            "date de emission", "invoice date", "date piece", "date de piece"])
        add(.issueDate, 2, ["date"])

        add(.dueDate, 1, ["echeance", "date d echeance", "date echeance", "date de l echeance", "date de echeance",
                          "due", "payment due date", "date limite de paiement"])

        add(.amount, 1, ["montant ttc", "total ttc", "ttc", "montant total ttc", "net a payer", "amount incl vat",
                         "amount including vat", "total amount incl vat"])
        add(.amount, 2, ["montant", "total amount"])

        add(.currency, 1, ["devise", "monnaie", "ccy", "currency code", "code devise"])
        add(.status, 1, ["statut", "etat", "state"])
        add(.expectedDate, 1, ["date prevue", "date encaissement prevue", "date d encaissement prevue", "date de paiement prevue",
                               "date paiement prevue", "date reglement prevue", "date de reglement prevue", "expected",
                               "expected payment date"])
        add(.discount, 1, ["escompte", "early payment discount"])
        add(.country, 1, ["pays", "code pays", "country code"])
        add(.remaining, 1, ["reste du", "restant du", "reste a payer", "reste a encaisser", "reste a regler", "montant restant",
                            "montant restant du", "montant du", "solde du", "solde restant", "solde restant du", "open amount",
                            "amount due", "balance due", "outstanding", "outstanding amount", "amount outstanding",
                            "remaining amount", "amount remaining", "residual amount"])
        add(.remaining, 2, ["solde", "balance", "reste", "restant", "remaining", "open"])
        add(.debit, 1, ["debit", "montant debit", "debit amount", "mouvement debit"])
        add(.credit, 1, ["credit", "montant credit", "credit amount", "mouvement credit"])
        add(.vat, 1, ["tva", "montant tva", "total tva", "vat", "vat amount", "tax", "taxes", "tax amount", "montant taxes"])
        add(.paymentDate, 1, ["date de reglement", "date reglement", "date de paiement", "date paiement", "payment date",
                              "paid date", "date paid", "paid on", "date d encaissement", "date encaissement", "regle le", "paye le"])
        add(.note, 1, ["commentaire", "commentaires", "libelle", "memo", "remarque", "remarques", "description"])

        for n in ["montant ht", "total ht", "ht", "montant total ht", "amount excl vat", "amount excluding vat", "net amount"] {
            t[n] = .amountExcludingVAT
        }
        return t
    }()
}

/// Lower case, accents folded (é → e, œ → oe), any run of non-letters/digits → one space, trimmed,
/// and a trailing currency word dropped (`Montant TTC (€)` → `montant ttc`).
func normalizeHeaderName(_ s: String) -> String {
    var out = ""
    var pendingSpace = false
    func put(_ t: String) {
        if pendingSpace && !out.isEmpty { out.append(" ") }
        pendingSpace = false
        out.append(t)
    }
    for sc in s.lowercased().unicodeScalars {
        let v = sc.value
        if (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) { put(String(sc)); continue }
        if v >= 0x300 && v <= 0x36F { continue } // combining accents (decomposed é)
        if let f = accentFolding[v] { put(f); continue }
        if v == 0xAA || v == 0xBA { pendingSpace = true; continue } // ª º as in "Nº"
        if v >= 0x80 && (sc.properties.isAlphabetic || sc.properties.numericType != nil) { put(String(sc)); continue }
        pendingSpace = true
    }
    var words = out.split(separator: " ")
    while words.count > 1, let last = words.last, ["eur", "euro", "euros", "en"].contains(last) { words.removeLast() }
    return words.joined(separator: " ")
}

private let accentFolding: [UInt32: String] = {
    var t: [UInt32: String] = [:]
    for (chars, base) in [("àáâãäå", "a"), ("ç", "c"), ("èéêë", "e"), ("ìíîï", "i"), ("ñ", "n"), ("òóôõöø", "o"),
                          ("ùúûü", "u"), ("ýÿ", "y")] {
        for c in chars.unicodeScalars { t[c.value] = base }
    }
    t[0xE6] = "ae"; t[0x153] = "oe"; t[0xDF] = "ss"
    return t
}()

/// Status words, normalised like headers. Empty means open.
enum InvoiceStatusWords {
    /// Open, but some of it was paid: without a remaining-amount column the full amount is projected, with a warning.
    static let partlyPaid: Set<String> = ["partiellement reglee", "partiellement regle", "partiellement payee", "partiellement paye",
                                          "payee partiellement", "paye partiellement", "reglee partiellement", "regle partiellement",
                                          "partiel", "partielle", "partially paid", "part paid", "partial", "partly paid",
                                          "acompte", "acompte recu", "acompte verse", "partiellement lettree", "partiellement soldee"]

    static let table: [String: InvoiceStatus] = {
        var t: [String: InvoiceStatus] = [:]
        for w in ["open", "ouvert", "ouverte", "a payer", "a encaisser", "en attente", "non paye", "non payee",
                  "impaye", "impayee", "en cours", "unpaid", "pending", "due", "en retard", "late", "overdue", "echue",
                  "echu", "a venir", "upcoming", "non reglee", "non regle", "non soldee", "non solde", "non lettree", "non lettre",
                  "bon a payer", "bap", "a regler", "en attente de paiement", "en attente de reglement", "relance", "relancee",
                  "not paid", "outstanding", "issued", "emise", "envoyee", "sent", "validee", "approved"] { t[w] = .open }
        for w in partlyPaid { t[w] = .open }
        for w in ["paid", "paye", "payee", "regle", "reglee", "solde", "soldee", "encaisse", "encaissee",
                  "lettre", "lettree", "settled", "reglee totalement", "totalement reglee", "payee totalement", "closed",
                  "cloturee", "fully paid"] { t[w] = .paid }
        for w in ["disputed", "litige", "en litige", "conteste", "contestee", "contentieux", "dispute",
                  "douteux", "douteuse", "client douteux", "litigieux", "litigieuse", "bloquee", "bloque", "on hold",
                  "en contentieux", "recouvrement", "au contentieux"] { t[w] = .disputed }
        return t
    }()
}
