import TresoCore

/// Finds the files embedded in a PDF (Factur-X / ZUGFeRD put their XML there, as an
/// `/Type /EmbeddedFile` stream referenced from the catalog's `/Names /EmbeddedFiles` and `/AF`).
///
/// It walks the file's objects (`N G obj … endobj`) rather than the cross-reference table, so a
/// broken or incremental xref does not matter; streams are never inside object streams, so the
/// attachments are always reachable this way. The attachment's name comes from the file
/// specification dictionary pointing at it (`/EF << /F N 0 R >>`, plain or inside an object stream).
struct PDFStreamError: Error { var message: String }

enum PDFAttachments {
    struct Attachment { var name: String?; var bytes: [UInt8] }

    enum Failure: Error, Equatable {
        case encrypted
        case noAttachment
        case undecodable(String)
    }

    static func isPDF(_ bytes: [UInt8]) -> Bool {
        let head = bytes.prefix(1024)
        let magic: [UInt8] = Array("%PDF-".utf8)
        guard head.count >= magic.count else { return false }
        for i in head.startIndex...(head.endIndex - magic.count) where head[i] == magic[0] {
            if Array(head[i..<(i + magic.count)]) == magic { return true }
        }
        return false
    }

    static func attachments(_ pdf: [UInt8]) -> Result<[Attachment], Failure> {
        let objects = scanObjects(pdf)
        if objects.contains(where: { dictHasName($0.dict, key: "Type", value: "XRef") && dictContains($0.dict, "/Encrypt") })
            || containsToken(pdf, "/Encrypt") {
            return .failure(.encrypted)
        }
        // Object number → direct integer (for /Length N 0 R).
        var integers: [Int: Int] = [:]
        for o in objects where o.streamRange == nil {
            let t = String(decoding: o.dict, as: UTF8.self).trimmingSpacesAndNewlines()
            if let n = Int(t) { integers[o.number] = n }
        }
        // Names of attachments from file specifications, in plain objects and in object streams.
        var names: [Int: String] = [:]
        var dictTexts: [[UInt8]] = objects.filter { $0.streamRange == nil }.map { Array($0.dict) }
        for o in objects where dictHasName(o.dict, key: "Type", value: "ObjStm") {
            if case .success(let data) = streamData(pdf, o, integers: integers) { dictTexts.append(data) }
        }
        for text in dictTexts { collectFileSpecNames(text, into: &names) }

        var found: [Attachment] = []
        var lastError: String?
        for o in objects where o.streamRange != nil && dictHasName(o.dict, key: "Type", value: "EmbeddedFile") {
            switch streamData(pdf, o, integers: integers) {
            case .success(let data): found.append(Attachment(name: names[o.number], bytes: data))
            case .failure(let why): lastError = why.message
            }
        }
        if found.isEmpty {
            if let e = lastError { return .failure(.undecodable(e)) }
            return .failure(.noAttachment)
        }
        return .success(found)
    }

    // MARK: objects

    struct Object {
        var number: Int
        /// The object's body up to `stream` (the dictionary), or its whole body when no stream.
        var dict: ArraySlice<UInt8>
        var streamRange: Range<Int>?
    }

    private static func isWhite(_ b: UInt8) -> Bool { b == 32 || b == 10 || b == 13 || b == 9 || b == 12 || b == 0 }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    private static let objKeyword: [UInt8] = Array("obj".utf8)
    private static let endobjKeyword: [UInt8] = Array("endobj".utf8)
    private static let streamKeyword: [UInt8] = Array("stream".utf8)
    private static let endstreamKeyword: [UInt8] = Array("endstream".utf8)

    private static func matches(_ b: [UInt8], _ i: Int, _ word: [UInt8]) -> Bool {
        guard i >= 0, i + word.count <= b.count else { return false }
        for k in 0..<word.count where b[i + k] != word[k] { return false }
        return true
    }

    private static func find(_ b: [UInt8], _ word: [UInt8], from: Int) -> Int? {
        guard !word.isEmpty, b.count >= word.count else { return nil }
        var i = max(from, 0)
        while i + word.count <= b.count {
            if b[i] == word[0] && matches(b, i, word) { return i }
            i += 1
        }
        return nil
    }

    /// Every `N G obj`: its number, its dictionary text and, when followed by `stream`, the stream's
    /// raw byte range (from /Length when it is a direct integer; else up to `endstream`).
    static func scanObjects(_ b: [UInt8]) -> [Object] {
        var out: [Object] = []
        var i = 0
        while let at = find(b, objKeyword, from: i) {
            i = at + 3
            // Preceded by "N G " and not part of "endobj".
            guard at >= 4, !matches(b, at - 3, endobjKeyword) else { continue }
            var j = at - 1
            guard j >= 0, isWhite(b[j]) else { continue }
            while j >= 0 && isWhite(b[j]) { j -= 1 }
            guard j >= 0, isDigit(b[j]) else { continue }
            while j >= 0 && isDigit(b[j]) { j -= 1 }
            guard j >= 0, isWhite(b[j]) else { continue }
            while j >= 0 && isWhite(b[j]) { j -= 1 }
            guard j >= 0, isDigit(b[j]) else { continue }
            let numEnd = j + 1
            while j >= 0 && isDigit(b[j]) { j -= 1 }
            guard numEnd - (j + 1) <= 10, let number = Int(String(decoding: b[(j + 1)..<numEnd], as: UTF8.self)) else { continue }
            let bodyStart = at + 3
            let end = find(b, endobjKeyword, from: bodyStart) ?? b.count
            // A stream keyword after the dictionary (before endobj)?
            let dictEnd = dictionaryEnd(b, from: bodyStart, limit: end)
            var k = dictEnd
            while k < end && isWhite(b[k]) { k += 1 }
            if dictEnd > bodyStart, matches(b, k, streamKeyword), !matches(b, k, endstreamKeyword) {
                var dataStart = k + streamKeyword.count
                if dataStart < b.count && b[dataStart] == 13 { dataStart += 1 }
                if dataStart < b.count && b[dataStart] == 10 { dataStart += 1 }
                let dict = b[bodyStart..<dictEnd]
                var dataEnd: Int
                if let len = directLength(dict), len >= 0, dataStart + len <= b.count {
                    dataEnd = dataStart + len
                } else {
                    dataEnd = find(b, endstreamKeyword, from: dataStart) ?? b.count
                }
                let afterStream = find(b, endstreamKeyword, from: dataEnd) ?? dataEnd
                out.append(Object(number: number, dict: dict, streamRange: dataStart..<dataEnd))
                i = max(i, afterStream)
            } else {
                out.append(Object(number: number, dict: b[bodyStart..<end], streamRange: nil))
                i = max(i, end)
            }
        }
        return out
    }

    /// End (exclusive) of the dictionary starting after `from` (balanced `<< >>`, strings skipped).
    private static func dictionaryEnd(_ b: [UInt8], from: Int, limit: Int) -> Int {
        var i = from
        while i < limit && isWhite(b[i]) { i += 1 }
        guard i + 1 < limit, b[i] == 60, b[i + 1] == 60 else { return from }
        var depth = 0
        while i < limit {
            let c = b[i]
            if c == 40 { // ( string ) with escapes and nesting
                var nest = 0
                while i < limit {
                    if b[i] == 92 { i += 2; continue }
                    if b[i] == 40 { nest += 1 } else if b[i] == 41 { nest -= 1; if nest == 0 { break } }
                    i += 1
                }
            } else if c == 60 && i + 1 < limit && b[i + 1] == 60 { depth += 1; i += 1 }
            else if c == 62 && i + 1 < limit && b[i + 1] == 62 { depth -= 1; i += 1; if depth == 0 { return i + 1 } }
            i += 1
        }
        return limit
    }

    private static func text(_ s: ArraySlice<UInt8>) -> String { String(decoding: s, as: UTF8.self) }

    private static func directLength(_ dict: ArraySlice<UInt8>) -> Int? {
        let toks = tokens(dict)
        guard let k = toks.firstIndex(of: "/Length"), k + 1 < toks.count else { return nil }
        if k + 3 < toks.count, toks[k + 3] == "R" { return nil }
        return Int(toks[k + 1])
    }

    private static func indirectLength(_ dict: ArraySlice<UInt8>) -> Int? {
        let toks = tokens(dict)
        guard let k = toks.firstIndex(of: "/Length"), k + 3 < toks.count, toks[k + 3] == "R" else { return nil }
        return Int(toks[k + 1])
    }

    /// PDF tokens, coarse: names, numbers, `R`, delimiters; strings kept whole.
    static func tokens(_ s: ArraySlice<UInt8>) -> [String] {
        var out: [String] = []
        var i = s.startIndex
        var cur: [UInt8] = []
        func flush() { if !cur.isEmpty { out.append(String(decoding: cur, as: UTF8.self)); cur = [] } }
        while i < s.endIndex {
            let c = s[i]
            if isWhite(c) { flush() }
            else if c == 47 { flush(); cur.append(c) } // /Name
            else if c == 60 || c == 62 || c == 91 || c == 93 {
                flush()
                if i + 1 < s.endIndex, s[i + 1] == c, c == 60 || c == 62 { out.append(c == 60 ? "<<" : ">>"); i += 1 }
                else if c == 60 { // hex string
                    var j = i + 1; var hex: [UInt8] = [60]
                    while j < s.endIndex && s[j] != 62 { hex.append(s[j]); j += 1 }
                    hex.append(62); out.append(String(decoding: hex, as: UTF8.self)); i = j
                } else { out.append(String(UnicodeScalar(c))) }
            } else if c == 40 {
                flush()
                var j = i + 1; var nest = 1; var str: [UInt8] = []
                while j < s.endIndex {
                    if s[j] == 92, j + 1 < s.endIndex { str.append(s[j + 1]); j += 2; continue }
                    if s[j] == 40 { nest += 1 } else if s[j] == 41 { nest -= 1; if nest == 0 { break } }
                    str.append(s[j]); j += 1
                }
                out.append("(" + String(decoding: str, as: UTF8.self) + ")"); i = j
            } else { cur.append(c) }
            i += 1
        }
        flush()
        return out
    }

    private static func dictHasName(_ dict: ArraySlice<UInt8>, key: String, value: String) -> Bool {
        let toks = tokens(dict)
        var k = 0
        while k + 1 < toks.count {
            if toks[k] == "/" + key && toks[k + 1] == "/" + value { return true }
            k += 1
        }
        return false
    }

    private static func dictContains(_ dict: ArraySlice<UInt8>, _ s: String) -> Bool {
        find(Array(dict), Array(s.utf8), from: 0) != nil
    }

    private static func containsToken(_ b: [UInt8], _ s: String) -> Bool {
        // Only the trailer / xref-stream dictionaries carry /Encrypt.
        let w = Array(s.utf8)
        var from = 0
        while let at = find(b, w, from: from) {
            let next = at + w.count < b.count ? b[at + w.count] : 32
            if isWhite(next) || next == 47 || isDigit(next) || next == 60 { return true }
            from = at + 1
        }
        return false
    }

    /// Decoded stream bytes: FlateDecode (zlib) or no filter; other filters are named in the error.
    static func streamData(_ pdf: [UInt8], _ o: Object, integers: [Int: Int]) -> Result<[UInt8], PDFStreamError> {
        guard var range = o.streamRange else { return .failure(PDFStreamError(message: "no stream")) }
        if let ref = indirectLength(o.dict), let len = integers[ref], len >= 0, range.lowerBound + len <= pdf.count {
            range = range.lowerBound..<(range.lowerBound + len)
        }
        let toks = tokens(o.dict)
        var filters: [String] = []
        if let k = toks.firstIndex(of: "/Filter"), k + 1 < toks.count {
            if toks[k + 1] == "[" {
                var j = k + 2
                while j < toks.count && toks[j] != "]" { filters.append(toks[j]); j += 1 }
            } else { filters.append(toks[k + 1]) }
        }
        var data = Array(pdf[range])
        for f in filters {
            switch f {
            case "/FlateDecode", "/Fl":
                switch Inflate.inflate(data[...]) {
                case .success(let d): data = d
                case .failure(.tooLarge): return .failure(PDFStreamError(message: "an embedded file inflates to more than 32 MB"))
                case .failure(.corrupt): return .failure(PDFStreamError(message: "an embedded file's Flate stream is corrupt"))
                }
            default:
                return .failure(PDFStreamError(message: "an embedded file uses the \(f.dropFirst()) filter, which treso does not decode"))
            }
        }
        if toks.contains("/Predictor") && filters.isEmpty == false && dictHasName(o.dict, key: "Type", value: "EmbeddedFile") {
            return .failure(PDFStreamError(message: "an embedded file uses a PNG predictor, which treso does not decode"))
        }
        return .success(data)
    }

    /// `/Type /Filespec … /F (name) /UF (name) … /EF << /F 12 0 R /UF 12 0 R >>` → 12: name.
    private static func collectFileSpecNames(_ text: [UInt8], into names: inout [Int: String]) {
        let toks = tokens(text[...])
        var k = 0
        while k < toks.count {
            if toks[k] == "/EF" {
                // Look back for the file name in the same dictionary (a few dozen tokens).
                var name: String?
                var j = k - 1
                while j >= 0 && j > k - 60 {
                    if (toks[j] == "/UF" || toks[j] == "/F"), j + 1 < toks.count, toks[j + 1].hasPrefix("(") {
                        name = String(toks[j + 1].dropFirst().dropLast()); break
                    }
                    j -= 1
                }
                // And forward, after the /EF dictionary.
                var m = k + 1
                var ref: Int?
                while m + 3 < toks.count && toks[m] != ">>" {
                    if toks[m] == "/F" || toks[m] == "/UF", toks[m + 3] == "R", let n = Int(toks[m + 1]) { ref = n }
                    m += 1
                }
                if name == nil {
                    var f = m
                    while f + 1 < toks.count && f < m + 60 {
                        if toks[f] == "/UF" || toks[f] == "/F", toks[f + 1].hasPrefix("(") { name = String(toks[f + 1].dropFirst().dropLast()); break }
                        if toks[f] == "/Type" { break }
                        f += 1
                    }
                }
                if let r = ref, let n = name { names[r] = n }
                k = m
            }
            k += 1
        }
    }
}

extension String {
    func trimmingSpacesAndNewlines() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\n" || f == "\r" || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\n" || l == "\r" || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
