/// One CSV field, quoted when it holds a delimiter, a quote or a line break (RFC 4180).
public func csvField(_ s: String, delimiter: Character = ",") -> String {
    if s.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
}

public func csvLine(_ fields: [String], delimiter: Character = ",") -> String {
    fields.map { csvField($0, delimiter: delimiter) }.joined(separator: String(delimiter)) + "\n"
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return self.split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
