/// Checks on the raw bytes of a TOML file before it is parsed.
enum TOMLText {
    /// Where the first byte that is not UTF-8 is (TOML files are UTF-8 by definition), with a message that
    /// says what to do; nil when the whole text is valid UTF-8.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (line: Int, column: Int, message: String)? {
        let offset: Int? = bytes.withUnsafeBufferPointer { buf in
            let start = buf.count >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF ? 3 : 0
            return CSVTextDecoding.firstInvalidUTF8(buf, from: start)
        }
        guard let offset else { return nil }
        var line = 1, lineStart = 0
        for k in 0..<offset where bytes[k] == 0x0A { line += 1; lineStart = k + 1 }
        var column = 1
        for k in lineStart..<offset where bytes[k] & 0xC0 != 0x80 { column += 1 }
        let hex = "0x" + String(bytes[offset], radix: 16, uppercase: true)
        let utf16 = bytes.count >= 2 && (bytes[0] == 0xFF && bytes[1] == 0xFE || bytes[0] == 0xFE && bytes[1] == 0xFF)
        let why = utf16 ? "the file is UTF-16; scenario files must be UTF-8"
            : "byte \(hex) is not UTF-8 (Latin-1 or Windows-1252 text?); scenario files must be UTF-8"
        return (line, column, why + ": save it as UTF-8 (treso does not re-encode it, so that saving never alters your text)")
    }
}
