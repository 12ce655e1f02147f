/// French chart of accounts used by the financing entries.
public enum Account: String, Sendable, Hashable, CaseIterable {
    case customers = "411"
    case suppliers = "401"
    case factor = "467"
    case factorReserve = "4671"
    case bank = "512"
    case factoringCommissions = "6225"
    case deductibleVAT = "44566"
    case financingInterest = "6616"
    case bankInterest = "6615"
    case latePenalties = "6711"
    case discountsReceived = "765"

    public var name: String {
        switch self {
        case .customers: return "Clients"
        case .suppliers: return "Fournisseurs"
        case .factor: return "Factor / organisme de financement"
        case .factorReserve: return "Factor — fonds de garantie"
        case .bank: return "Banque"
        case .factoringCommissions: return "Commissions d'affacturage"
        case .deductibleVAT: return "TVA déductible sur ABS"
        case .financingInterest: return "Intérêts bancaires et sur opérations de financement"
        case .bankInterest: return "Intérêts des comptes courants (agios)"
        case .latePenalties: return "Pénalités et intérêts de retard"
        case .discountsReceived: return "Escomptes obtenus"
        }
    }

    /// Operating charges reduce EBE; the rest sits below it.
    public var reducesEBE: Bool { self == .factoringCommissions }
}

public struct JournalLine: Sendable, Hashable {
    public var account: Account
    public var debit: Money
    public var credit: Money
}

/// One balanced journal entry.
public struct JournalEntry: Sendable, Hashable {
    public var day: Day
    public var reference: String
    public var label: String
    public var lines: [JournalLine]
    public var isBalanced: Bool {
        lines.reduce(Money.zero) { $0 + $1.debit } == lines.reduce(Money.zero) { $0 + $1.credit }
    }
}

extension PlanState {
    /// The journal entries of the plan's financing operations and the bank charges of `projection`,
    /// in date order. Every entry is balanced (debits = credits).
    public func journalEntries(projection: Projection) -> [JournalEntry] {
        var out: [JournalEntry] = []
        func entry(_ day: Day, _ ref: String, _ label: String, _ lines: [(Account, Money, Money)]) {
            let kept = lines.filter { $0.1 != .zero || $0.2 != .zero }
            guard !kept.isEmpty else { return }
            out.append(JournalEntry(day: day, reference: ref, label: label, lines: kept.map { JournalLine(account: $0.0, debit: $0.1, credit: $0.2) }))
        }
        func sum(_ e: FinancingEffect, _ prefix: String) -> (Day, Money)? {
            let ms = e.movements.filter { $0.label.hasPrefix(prefix) }
            guard let first = ms.first else { return nil }
            return (first.day, ms.reduce(Money.zero) { $0 + $1.amount })
        }
        for (ref, e) in effects.sorted(by: { $0.key < $1.key }) {
            let inv = engine.invoice(ref)
            let id = inv.id
            switch e.decision {
            case .factor:
                guard let (fday, advance) = sum(e, "factoring advance") else { continue }
                let commission = -(sum(e, "factoring commission")?.1 ?? .zero)
                let vat = -(sum(e, "VAT on factoring")?.1 ?? .zero)
                let interest = -(sum(e, "factoring interest")?.1 ?? .zero)
                let reserve = inv.amount - advance
                entry(fday, id, "assignment of the receivable to the factor", [(.factor, inv.amount, .zero), (.customers, .zero, inv.amount)])
                entry(fday, id, "reserve withheld by the factor", [(.factorReserve, reserve, .zero), (.factor, .zero, reserve)])
                entry(fday, id, "advance received, net of commission, VAT and interest",
                      [(.bank, advance - commission - vat - interest, .zero), (.factoringCommissions, commission, .zero),
                       (.deductibleVAT, vat, .zero), (.financingInterest, interest, .zero), (.factor, .zero, advance)])
                if let (d, released) = sum(e, "reserve released") {
                    entry(d, id, "reserve released by the factor", [(.bank, released, .zero), (.factorReserve, .zero, released)])
                }
                if let (d, reclaimed) = sum(e, "advance reclaimed") {
                    entry(d, id, "advance reclaimed after default; the receivable comes back",
                          [(.customers, inv.amount, .zero), (.bank, .zero, -reclaimed), (.factorReserve, .zero, reserve)])
                }
                if let (d, indemnity) = sum(e, "credit-insurance") {
                    entry(d, id, "credit-insurance indemnity", [(.bank, indemnity, .zero), (.customers, .zero, indemnity)])
                }
            case .reverseFactor, .supplierFinancing, .splitPayment:
                let st = engine.settlement(ref)
                let principal = -e.movements.filter { m in m.label.hasPrefix("deferred") || m.label.hasPrefix("repayment") || m.label.hasPrefix("instalment") }
                    .reduce(Money.zero) { $0 + $1.amount }
                let discount = inv.amount - principal
                entry(st.day, id, "supplier paid by the financing partner", [(.suppliers, inv.amount, .zero), (.factor, .zero, principal),
                                                                              (.discountsReceived, .zero, discount)])
                for m in e.movements where m.label.hasPrefix("deferred") || m.label.hasPrefix("repayment") || m.label.hasPrefix("instalment") {
                    entry(m.day, id, m.label, [(.factor, -m.amount, .zero), (.bank, .zero, -m.amount)])
                }
                for m in e.movements where m.label.contains("fee") {
                    entry(m.day, id, m.label, [(.financingInterest, -m.amount, .zero), (.bank, .zero, -m.amount)])
                }
            case .payLate:
                for m in e.movements where m.category == .financing {
                    entry(m.day, id, m.label, [(.latePenalties, -m.amount, .zero), (.bank, .zero, -m.amount)])
                }
            case .negotiate, .none:
                continue // a payment on another date is not a financing operation
            }
        }
        for m in planMovements() {
            let isVAT = m.detail == .minimumFeeVAT
            entry(m.day, m.reference, m.label, [(isVAT ? .deductibleVAT : .factoringCommissions, -m.amount, .zero), (.bank, .zero, -m.amount)])
        }
        for c in projection.overdraftCharges where c.total != .zero {
            entry(c.postedOn, "bank", "overdraft interest and highest-overdraft commission \(c.periodStart.iso)…\(c.postedOn.iso)",
                  [(.bankInterest, c.total, .zero), (.bank, .zero, c.total)])
        }
        return out.enumerated().sorted { ($0.element.day, $0.offset) < ($1.element.day, $1.offset) }.map(\.element)
    }
}
