import TerminalKit
import TresoCore
import TresoIO

/// What has the keyboard.
public enum Mode: Sendable, Equatable {
    case normal
    case help(scroll: Int)
    /// Typing a filter for one table; `previous` comes back on Esc.
    case filter(kind: InvoiceKind, text: String, previous: String)
    case command(text: String)
    case picker(Picker)
    case form(TermsForm)
    case confirmQuit
    /// The scenario file changed on disk since it was read: reload and re-apply, or save beside it.
    case conflict
    /// An export's file exists: replace it or not.
    case confirmReplace(FileExport)
    /// A change that throws work away (a plan deleted, many decisions cleared): y does it, n or Esc keeps everything.
    case confirmDestroy(Destruction)

    public var context: KeyContext? {
        switch self {
        case .normal: return nil
        case .help: return .help
        case .picker: return .picker
        case .form(let f): return f.editing == nil ? .form : nil
        case .confirmQuit: return .confirm
        case .conflict: return .conflict
        case .confirmReplace: return .replace
        case .confirmDestroy: return .destroy
        case .filter, .command: return nil
        }
    }

    /// Keys go to a text field.
    public var isTextEntry: Bool {
        switch self {
        case .filter, .command: return true
        case .form(let f): return f.editing != nil
        default: return false
        }
    }
}

/// What a destructive command would do, asked before it is done ("Delete plan X (n decisions)? y/n").
public struct Destruction: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case deletePlan(index: Int)
        /// Clear the decisions of the selection of this table.
        case clearDecisions(InvoiceKind)
    }
    public var kind: Kind
    public var question: String
}

/// A pane of the main screen, in focus order.
public enum Pane: String, CaseIterable, Sendable, Hashable {
    case receivables, payables, chart, comparison

    public var context: KeyContext {
        switch self {
        case .receivables: return .receivables
        case .payables: return .payables
        case .chart: return .chart
        case .comparison: return .comparison
        }
    }

    public var invoiceKind: InvoiceKind? {
        switch self {
        case .receivables: return .receivable
        case .payables: return .payable
        default: return nil
        }
    }
}

/// A line on the bottom of the screen until the next key.
public struct Message: Sendable, Equatable {
    public var text: String
    public var isError: Bool
    public init(_ text: String, isError: Bool = false) { self.text = text; self.isError = isError }
}

/// One choice of the decision picker, with the reason the engine refuses it, if it does.
public struct PickerOption: Sendable, Equatable {
    public var decision: Decision
    public var refusal: String?
    /// What choosing it would do to the active plan, measured by the engine when the picker opens.
    public var impact: PickerImpact? = nil
}

/// The cost and lowest balance of the active plan if the option were applied to the selection.
public struct PickerImpact: Sendable, Equatable {
    /// Change of the plan's total cost (financing + bank charges) over the horizon.
    public var costChange: Money
    public var lowestBefore: Money
    public var lowestAfter: Money
    /// How many of the selected invoices the option would not apply to.
    public var refused: Int
}

public struct Picker: Sendable, Equatable {
    public var title: String
    public var options: [PickerOption]
    public var selected: Int
}

/// The "key numbers" form: the scenario's editable terms (`TermField`, whose key paths TresoIO owns).
public struct TermsForm: Sendable, Equatable {
    public var fields: [TermField]
    public var selected = 0
    /// The text being typed into the selected field, while editing.
    public var editing: String?
    public var error: String?
}
