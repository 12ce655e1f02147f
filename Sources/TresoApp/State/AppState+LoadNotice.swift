import TresoCore

extension AppState {
    /// Shows, in the message bar (error style, until the next key), that rows of the user's files were left
    /// out: the planner runs on the valid rows and says so, never silently (`treso check` lists every row).
    public mutating func showRejectedRows(_ count: Int, path: String) {
        guard count > 0 else { return }
        message = Message("⚠ \(count) row\(count == 1 ? "" : "s") rejected and left out of the projection; treso check \(path) lists why",
                          isError: true)
    }
}
