import TresoCore

extension AppState {
    /// Says in the header where the opening balance comes from (e.g. `statement releve.xml 2026-02-27`), and in
    /// the message bar (unless a more urgent message is there) how many invoices the bank statements settled:
    /// they left the forecast, and `treso check` lists every match with its reason.
    public mutating func showBankStatements(balanceSource: String?, paid: Int, partlyPaid: Int, path: String) {
        balanceSource.map { self.balanceSource = $0 }
        guard message == nil, paid + partlyPaid > 0 else { return }
        message = Message("bank statements: \(paid) invoice\(paid == 1 ? "" : "s") paid, \(partlyPaid) partly paid (out of the forecast); treso check \(path) lists each match")
    }
}
