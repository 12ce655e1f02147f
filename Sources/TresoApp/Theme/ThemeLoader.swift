import TresoIO

/// Finds a theme by built-in name, by file path, or as `themes/NAME.toml` under the current folder.
public enum ThemeLoader {
    public static func load(_ nameOrPath: String) -> Result<Theme, ThemeError> {
        if let t = Theme.builtin(named: nameOrPath) { return .success(t) }
        let looksLikePath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml")
        let candidates = looksLikePath ? [nameOrPath] : ["themes/" + nameOrPath + ".toml"]
        for path in candidates {
            switch readRegularFile(path: path, displayName: path, limit: .text) {
            case .success(let bytes):
                do {
                    return .success(try Theme.parse(String(decoding: bytes, as: UTF8.self), file: path))
                } catch {
                    return .failure(error)
                }
            case .failure(let d):
                if looksLikePath { return .failure(ThemeError(file: path, line: 0, column: 0, message: d.message)) }
            }
        }
        return .failure(ThemeError(file: nameOrPath, line: 0, column: 0,
                                   message: "no such theme: built-in themes are \(Theme.builtinNames.joined(separator: ", ")), or give a theme file's path"))
    }
}
