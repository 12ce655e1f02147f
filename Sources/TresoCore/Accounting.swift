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
    case creditLosses = "654"
    case collectedVAT = "44571"
    case priceIncreases = "607"
    case bankCredit = "519"
    case billsReceivable = "413"
    case billsAtDiscount = "5114"
    case bankServices = "627"
    case vatDue = "44551"
    case vatCredit = "44567"
    case internalTransfers = "580"
    case vatRefundRequested = "44583"

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
        case .creditLosses: return "Pertes sur créances irrécouvrables"
        case .collectedVAT: return "TVA collectée"
        case .priceIncreases: return "Achats (hausse de prix pour délai)"
        case .bankCredit: return "Concours bancaires courants"
        case .billsReceivable: return "Clients — effets à recevoir (LCR)"
        case .billsAtDiscount: return "Effets à l'escompte"
        case .bankServices: return "Services bancaires et assimilés"
        case .vatDue: return "TVA à décaisser"
        case .vatCredit: return "Crédit de TVA à reporter"
        case .internalTransfers: return "Virements internes"
        case .vatRefundRequested: return "Remboursement de taxes sur le chiffre d'affaires demandé"
        }
    }

    /// Operating charges that reduce EBE (factoring commissions, purchases); the rest sits below it
    /// (654, the credit losses, is below EBE in the French intermediate balances).
    public var reducesEBE: Bool { self == .factoringCommissions || self == .priceIncreases || self == .bankServices }
}

public struct JournalLine: Sendable, Hashable {
    public var account: Account
    public var debit: Money
    public var credit: Money
    /// With several bank accounts (§17): the bank line's PCG sub-account (5121, 5122…) and its name.
    public var subAccount: String? = nil
    public var subAccountName: String? = nil
    /// The number and the name written in the journal: the sub-account's when there is one.
    public var number: String { subAccount ?? account.rawValue }
    public var name: String { subAccountName ?? account.name }
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
    /// With `[accounts]` (§17) every bank line goes to the sub-account of the account the movement lands on (the
    /// routing of §17), the charges and credit lines of each account's own projection likewise, and each sweep passes
    /// through 580 (virements internes): debit 580 / credit the giver's 512x, debit the receiver's 512y / credit 580.
    public func journalEntries(projection: Projection) -> [JournalEntry] {
        var out: [JournalEntry] = []
        let accounts = engine.scenario.accounts
        let router = AccountRouter(accounts)
        // The bank account the entries being written move cash on (its index in [accounts]).
        var bankIndex = router.defaultIndex
        func entry(_ day: Day, _ ref: String, _ label: String, _ lines: [(Account, Money, Money)]) {
            let kept = lines.filter { $0.1 != .zero || $0.2 != .zero }
            guard !kept.isEmpty else { return }
            out.append(JournalEntry(day: day, reference: ref, label: label, lines: kept.map { l in
                var line = JournalLine(account: l.0, debit: l.1, credit: l.2)
                if l.0 == .bank && accounts.accounts.indices.contains(bankIndex) {
                    line.subAccount = accounts.accounts[bankIndex].ledgerAccount(at: bankIndex)
                    line.subAccountName = "Banque — " + accounts.accounts[bankIndex].name
                }
                return line
            }))
        }
        /// The account of an effect's instrument movements: the one naming its instrument, else the invoice's.
        func bank(of e: FinancingEffect, _ ref: InvoiceRef) -> Int {
            if accounts.isEmpty { return 0 }
            let inv = router.account(of: engine.invoice(ref))
            return router.account(ofInstrument: e.movements.first { !$0.instrument.isEmpty }?.instrument ?? "", otherwise: inv)
        }
        /// The movements of an effect with one kind of detail: their first day and their sum.
        func sum(_ e: FinancingEffect, _ match: (MovementDetail) -> Bool) -> (Day, Money)? {
            let ms = e.movements.filter { match($0.detail) }
            guard let first = ms.first else { return nil }
            return (first.day, ms.reduce(Money.zero) { $0 + $1.amount })
        }
        func penalties(_ e: FinancingEffect, _ id: String) {
            for m in e.movements {
                if !accounts.isEmpty, case .invoice = m.source { bankIndex = router.account(of: m, in: engine) }
                switch m.detail {
                case .lateInterest, .lateIndemnity:
                    entry(m.day, id, m.label, [(.latePenalties, -m.amount, .zero), (.bank, .zero, -m.amount)])
                case .priceIncrease:
                    entry(m.day, id, m.label, [(.priceIncreases, -m.amount, .zero), (.bank, .zero, -m.amount)])
                default: break
                }
            }
        }
        /// A defaulted receivable written off: the loss (654) and the VAT relief (44571) against the customer (411).
        func writeOff(_ e: FinancingEffect, _ day: Day, _ id: String) {
            let loss = e.cost.creditLosses, relief = e.cost.badDebtVATRelief
            entry(day, id, "receivable written off (customer default), VAT relief", [(.creditLosses, loss, .zero),
                  (.collectedVAT, relief, .zero), (.customers, .zero, loss + relief)])
        }
        // Base effects every plan shares (unless the plan replaces them): late penalties, defaults not financed.
        for ref in engine.baseEffectRefs where effects[ref] == nil {
            guard let e = engine.baseEffect(ref) else { continue }
            let id = engine.invoice(ref).id
            penalties(e, id)
            if e.cost.creditLosses != .zero || e.cost.badDebtVATRelief != .zero { writeOff(e, engine.settlement(ref).day, id) }
        }
        for (ref, e) in effects.sorted(by: { $0.key < $1.key }) {
            let inv = engine.invoice(ref)
            let id = inv.id
            penalties(e, id)
            bankIndex = bank(of: e, ref)
            switch e.decision {
            case .factor(let name):
                guard let (fday, advance) = sum(e, { $0 == .factoringAdvance }) else { continue }
                let commission = -(sum(e, { $0 == .factoringCommission })?.1 ?? .zero)
                let vat = -(sum(e, { $0 == .factoringVAT })?.1 ?? .zero)
                let interest = -(sum(e, { if case .factoringInterest = $0 { return true }; return false })?.1 ?? .zero)
                let reserve = inv.amount - advance
                let financialFee = engine.scenario.instruments.factoringContract(name)?.feeClass == .financial
                entry(fday, id, "assignment of the receivable to the factor", [(.factor, inv.amount, .zero), (.customers, .zero, inv.amount)])
                entry(fday, id, "reserve withheld by the factor", [(.factorReserve, reserve, .zero), (.factor, .zero, reserve)])
                entry(fday, id, "advance received, net of commission, VAT and interest",
                      [(.bank, advance - commission - vat - interest, .zero), (financialFee ? .financingInterest : .factoringCommissions, commission, .zero),
                       (.deductibleVAT, vat, .zero), (.financingInterest, interest, .zero), (.factor, .zero, advance)])
                if let (d, released) = sum(e, { $0 == .reserveReleased || $0 == .reserveReleasedDefaultBorne }) {
                    entry(d, id, "reserve released by the factor", [(.bank, released, .zero), (.factorReserve, .zero, released)])
                }
                if let (d, reclaimed) = sum(e, { $0 == .advanceReclaimed }) {
                    entry(d, id, "advance reclaimed after default; the receivable comes back",
                          [(.customers, inv.amount, .zero), (.bank, .zero, -reclaimed), (.factorReserve, .zero, reserve)])
                }
                if let (d, extra) = sum(e, { if case .factoringInterestUntilReclaim = $0 { return true }; return false }) {
                    entry(d, id, "factoring interest until the reclaim", [(.financingInterest, -extra, .zero), (.bank, .zero, -extra)])
                }
                if let (d, indemnity) = sum(e, { $0 == .insuranceIndemnity }) {
                    entry(d, id, "credit-insurance indemnity", [(.bank, indemnity, .zero), (.customers, .zero, indemnity)])
                }
                if e.cost.creditLosses != .zero || e.cost.badDebtVATRelief != .zero {
                    writeOff(e, sum(e, { $0 == .advanceReclaimed })?.0 ?? fday, id)
                }
            case .reverseFactor, .supplierFinancing, .splitPayment:
                let st = engine.settlement(ref)
                func isPrincipal(_ d: MovementDetail) -> Bool {
                    switch d {
                    case .deferredPayment, .platformRepayment, .instalment: return true
                    default: return false
                    }
                }
                let principal = -e.movements.filter { isPrincipal($0.detail) }.reduce(Money.zero) { $0 + $1.amount }
                let discount = inv.amount - principal
                // A discount on an invoice that gives its VAT lowers the deductible VAT by its VAT share.
                let discountVAT = Money.zero - e.cost.recoverableVAT
                entry(st.day, id, "supplier paid by the financing partner", [(.suppliers, inv.amount, .zero), (.factor, .zero, principal),
                                                                              (.discountsReceived, .zero, discount - discountVAT),
                                                                              (.deductibleVAT, .zero, discountVAT)])
                for m in e.movements where isPrincipal(m.detail) {
                    entry(m.day, id, m.label, [(.factor, -m.amount, .zero), (.bank, .zero, -m.amount)])
                }
                for m in e.movements {
                    switch m.detail {
                    case .reverseFactoringFee, .supplierFinancingFee, .splitPaymentFee:
                        entry(m.day, id, m.label, [(.financingInterest, -m.amount, .zero), (.bank, .zero, -m.amount)])
                    default: break
                    }
                }
            case .dailly, .discount:
                shortTermCreditEntries(e, inv, entry: entry)
                if e.cost.creditLosses != .zero || e.cost.badDebtVATRelief != .zero {
                    let d = e.movements.first { $0.detail == .daillyRepaidAfterDefault || $0.detail == .billReturnedUnpaid }?.day
                    writeOff(e, d ?? engine.settlement(ref).day, id)
                }
            case .payLate, .negotiate, .none:
                if e.decision == .none, e.cost.creditLosses != .zero || e.cost.badDebtVATRelief != .zero {
                    writeOff(e, engine.settlement(ref).day, id)
                }
                continue // a payment on another date is not a financing operation; its penalties are above
            }
        }
        for m in planMovements() where m.source != .vatReturn {
            if !accounts.isEmpty { bankIndex = router.account(of: m, in: engine) }
            let isVAT = m.detail == .minimumFeeVAT
            let financial = engine.scenario.instruments.factoringContract(m.instrument)?.feeClass == .financial
            entry(m.day, m.reference, m.label, [(isVAT ? .deductibleVAT : (financial ? .financingInterest : .factoringCommissions), -m.amount, .zero),
                                                (.bank, .zero, -m.amount)])
        }
        bankIndex = router.vatIndex
        vatEntries(entry)
        func charges(_ p: Projection) {
            creditLineEntries(p, entry: entry)
            for c in p.overdraftCharges where c.total != .zero {
                entry(c.postedOn, "bank", "overdraft interest and highest-overdraft commission \(c.periodStart.iso)…\(c.postedOn.iso)",
                      [(.bankInterest, c.total, .zero), (.bank, .zero, c.total)])
            }
        }
        if accounts.isEmpty {
            charges(projection)
        } else {
            // Each account's own charges, credit lines and transfers, over the days `projection` covers.
            for (k, p) in accountProjections(through: projection.days.last?.day).accounts.enumerated() {
                bankIndex = k
                charges(p)
                for m in p.transferMovements where m.amount != .zero {
                    if m.detail == .transferTo {
                        entry(m.day, "transfer", m.label, [(.internalTransfers, -m.amount, .zero), (.bank, .zero, -m.amount)])
                    } else {
                        entry(m.day, "transfer", m.label, [(.bank, m.amount, .zero), (.internalTransfers, .zero, m.amount)])
                    }
                }
            }
        }
        return out.enumerated().sorted { ($0.element.day, $0.offset) < ($1.element.day, $1.offset) }.map(\.element)
    }
}

extension PlanState {
    /// Dailly and escompte (§16) entries of one effect. Dailly is a bank loan secured by the receivable (519),
    /// which stays in 411 until the customer pays; a discounted LCR leaves 411 for 413, then 5114, credited by the bank.
    func shortTermCreditEntries(_ e: FinancingEffect, _ inv: Invoice, entry: (Day, String, String, [(Account, Money, Money)]) -> Void) {
        let id = inv.id
        func total(_ match: (MovementDetail) -> Bool) -> (Day, Money)? {
            let ms = e.movements.filter { match($0.detail) }
            guard let first = ms.first else { return nil }
            return (first.day, ms.reduce(Money.zero) { $0 + $1.amount })
        }
        let fee = -(total { $0 == .creditFee }?.1 ?? .zero)
        switch e.decision {
        case .dailly:
            guard let (fday, advance) = total({ $0 == .daillyAdvance }) else { return }
            let interest = -(total { if case .daillyInterest = $0 { return true }; return false }?.1 ?? .zero)
            entry(fday, id, "Dailly advance, net of fee and interest",
                  [(.bank, advance - fee - interest, .zero), (.bankServices, fee, .zero), (.financingInterest, interest, .zero), (.bankCredit, .zero, advance)])
            if let (d, rest) = total({ $0 == .daillyBalance }) {
                entry(d, id, "customer paid: the Dailly advance is settled", [(.bank, rest, .zero), (.bankCredit, advance, .zero), (.customers, .zero, inv.amount)])
            }
            if let (d, repaid) = total({ $0 == .daillyRepaidAfterDefault }) {
                entry(d, id, "Dailly advance repaid after default", [(.bankCredit, -repaid, .zero), (.bank, .zero, -repaid)])
            }
        case .discount:
            guard let (fday, amount) = total({ $0 == .billDiscounted }) else { return }
            let interest = -(total { if case .discountInterest = $0 { return true }; return false }?.1 ?? .zero)
            entry(fday, id, "LCR accepted by the customer", [(.billsReceivable, amount, .zero), (.customers, .zero, amount)])
            entry(fday, id, "LCR remitted for discount", [(.billsAtDiscount, amount, .zero), (.billsReceivable, .zero, amount)])
            entry(fday, id, "LCR discounted, net of interest and fee",
                  [(.bank, amount - interest - fee, .zero), (.financingInterest, interest, .zero), (.bankServices, fee, .zero), (.billsAtDiscount, .zero, amount)])
            if let (d, back) = total({ $0 == .billReturnedUnpaid }) {
                entry(d, id, "unpaid LCR debited back: the receivable returns", [(.customers, -back, .zero), (.bank, .zero, -back)])
            }
        default: return
        }
    }

    /// Credit line drawings, repayments, interest and commitment fees of a projection (§16).
    func creditLineEntries(_ projection: Projection, entry: (Day, String, String, [(Account, Money, Money)]) -> Void) {
        for m in projection.creditLineMovements {
            switch m.detail {
            case .creditLineDrawing: entry(m.day, m.reference, m.label, [(.bank, m.amount, .zero), (.bankCredit, .zero, m.amount)])
            case .creditLineRepayment: entry(m.day, m.reference, m.label, [(.bankCredit, -m.amount, .zero), (.bank, .zero, -m.amount)])
            case .creditLineInterest: entry(m.day, m.reference, m.label, [(.financingInterest, -m.amount, .zero), (.bank, .zero, -m.amount)])
            case .commitmentFee: entry(m.day, m.reference, m.label, [(.bankServices, -m.amount, .zero), (.bank, .zero, -m.amount)])
            default: break
            }
        }
    }

    /// The VAT returns of the plan as entries: each return settles collected (44571) against deductible (44566, the
    /// plan's fees' VAT included) into VAT to pay (44551) or a credit to carry (44567); payments and instalments
    /// debit 44551 against the bank (512); a refund requested moves the credit from 44567 to 44583, and its receipt
    /// debits the bank against 44583. Nothing without `[vat]`.
    func vatEntries(_ entry: (Day, String, String, [(Account, Money, Money)]) -> Void) {
        guard let v = engine.vat else { return }
        let extra = planDeductibleVAT(v)
        for r in vatReturns() {
            let label = MovementDetail.vatPayment(kind: r.kind, from: r.first, to: r.last).text(instrument: v.settings.formName)
            if r.kind == .return, v.periods.indices.contains(r.period) {
                let p = v.periods[r.period]
                let deductible = p.deductible + Money(cents: r.period < extra.count ? extra[r.period] : 0)
                let net = p.collected - deductible
                entry(r.scheduled, "VAT", label + ": declaration", [(.collectedVAT, p.collected, .zero), (.deductibleVAT, .zero, deductible),
                                                                    (.vatDue, net.isNegative ? -net : .zero, net.isNegative ? .zero : net),
                                                                    (.vatCredit, .zero, .zero)].map { a in
                    // A credit for the period goes to 44567 (to carry forward), not to 44551.
                    a.0 == .vatDue && net.isNegative ? (.vatCredit, -net, .zero) : a
                })
                if r.creditUsed != .zero {
                    entry(r.scheduled, "VAT", label + ": credit carried forward used", [(.vatDue, r.creditUsed, .zero), (.vatCredit, .zero, r.creditUsed)])
                }
            }
            if r.payment != .zero {
                entry(r.day, "VAT", label + ": payment", [(.vatDue, r.payment, .zero), (.bank, .zero, r.payment)])
            }
            if r.refund != .zero, let d = r.refundDay {
                // The credit leaves 44567 when the refund is requested and 44583 when the Treasury pays it.
                entry(r.scheduled, "VAT", label + ": refund of the credit requested", [(.vatRefundRequested, r.refund, .zero), (.vatCredit, .zero, r.refund)])
                entry(d, "VAT", label + ": VAT refund received", [(.bank, r.refund, .zero), (.vatRefundRequested, .zero, r.refund)])
            }
        }
    }
}
