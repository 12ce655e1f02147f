import Foundation
import TresoCore

/// Reads e-invoices from files and folders: Factur-X / ZUGFeRD PDFs, CII XML, UBL 2.1 Invoice and
/// CreditNote. Every file is read through `readFileBytes` (regular files, bounded); every rejected
/// document is a diagnostic naming the file and what is missing, and the others still load.
public enum EInvoiceReader {
    public struct Result: Sendable {
        public var documents: [EInvoiceDocument] = []
        public var diagnostics: [Diagnostic] = []
    }

    /// Attachment names Factur-X, ZUGFeRD 2 / 1 and XRechnung use, preferred in this order.
    static let preferredNames = ["factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "ZUGFeRD-invoice.xml"]

    /// `paths` are files or folders (a folder's `.xml` and `.pdf` files, sorted by name, not recursive);
    /// `displayPrefix` is how the user wrote the scenario-relative path.
    public static func read(paths: [(path: String, display: String)]) -> Result {
        var r = Result()
        for (path, display) in paths {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
                let entries = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                    .filter { let l = $0.lowercased(); return l.hasSuffix(".xml") || l.hasSuffix(".pdf") }
                    .sorted()
                if entries.isEmpty {
                    r.diagnostics.append(.warning(display, "no .xml or .pdf e-invoice in this folder"))
                }
                for e in entries {
                    let sep = display.hasSuffix("/") ? "" : "/"
                    readOne(path: path + "/" + e, display: display + sep + e, into: &r)
                }
            } else {
                readOne(path: path, display: display, into: &r)
            }
        }
        return r
    }

    static func readOne(path: String, display: String, into r: inout Result) {
        switch readFileBytes(path: path, displayName: display) {
        case .failure(let d): r.diagnostics.append(d)
        case .success(let bytes):
            switch document(bytes, file: display) {
            case .success(let doc): r.documents.append(doc)
            case .failure(let d): r.diagnostics.append(d)
            }
        }
    }

    /// One document from a file's bytes (PDF or XML).
    public static func document(_ bytes: [UInt8], file: String) -> Swift.Result<EInvoiceDocument, Diagnostic> {
        if PDFAttachments.isPDF(bytes) { return fromPDF(bytes, file: file) }
        switch XMLTree.parse(bytes, displayName: file) {
        case .failure(let d): return .failure(d)
        case .success(let root): return EInvoiceXML.document(root, file: file)
        }
    }

    private static func fromPDF(_ bytes: [UInt8], file: String) -> Swift.Result<EInvoiceDocument, Diagnostic> {
        switch PDFAttachments.attachments(bytes) {
        case .failure(.encrypted):
            return .failure(.error(file, "encrypted PDF: treso cannot read its embedded invoice (export it unencrypted, or give the XML)"))
        case .failure(.noAttachment):
            return .failure(.error(file, "PDF without an embedded e-invoice (no factur-x.xml, zugferd-invoice.xml or xrechnung.xml): a plain PDF invoice cannot be read; give its XML or a Factur-X PDF"))
        case .failure(.undecodable(let why)):
            return .failure(.error(file, "PDF's embedded e-invoice cannot be read: \(why)"))
        case .success(let attachments):
            let ranked = attachments.sorted { rank($0.name) < rank($1.name) }
            var firstFailure: Diagnostic?
            for a in ranked {
                let inner = file + "#" + (a.name ?? "attachment")
                guard case .success(let root) = XMLTree.parse(a.bytes, displayName: inner) else { continue }
                guard EInvoiceXML.isInvoiceRoot(root) else { continue }
                switch EInvoiceXML.document(root, file: file) {
                case .success(let doc): return .success(doc)
                case .failure(let d): if firstFailure == nil { firstFailure = d }
                }
            }
            if let d = firstFailure { return .failure(d) }
            let names = attachments.map { $0.name ?? "unnamed" }.joined(separator: ", ")
            return .failure(.error(file, "PDF's attachments (\(names)) hold no CII or UBL invoice"))
        }
    }

    private static func rank(_ name: String?) -> Int {
        guard let n = name?.lowercased() else { return preferredNames.count + 1 }
        return preferredNames.firstIndex { $0.lowercased() == n } ?? preferredNames.count
    }
}
