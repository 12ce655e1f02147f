import ArgumentParser
import TresoApp

/// Prints the interactive key table in Markdown (the README's table is generated from it).
struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the interactive planner's key table in Markdown.",
        shouldDisplay: false
    )

    func run() throws { print(KeyTable.markdown(), terminator: "") }
}
