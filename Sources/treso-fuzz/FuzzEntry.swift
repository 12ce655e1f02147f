#if canImport(Glibc)
import Glibc
#endif
import TresoFuzz

// libFuzzer's entry point: `scripts/fuzz` builds this with `-sanitize=fuzzer -DFUZZ` and picks the
// reader with TRESO_FUZZ_TARGET. SwiftPM links an executable's `main` to the module's own entry point
// (`--defsym main=treso_fuzz_main`), so libFuzzer's `main` is never used: under FUZZ, `@main` hands
// the command line to `LLVMFuzzerRunDriver`. Built normally, the same executable replays files:
// `treso-fuzz TARGET FILE…`.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selectedTarget.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

let selectedTarget: FuzzTarget = {
    let name = getenv("TRESO_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let t = FuzzTargets.named(name) else {
        let names = FuzzTargets.all.map(\.name).joined(separator: ", ")
        say("treso-fuzz: set TRESO_FUZZ_TARGET to one of \(names)\n")
        exit(64)
    }
    return t
}()

func say(_ s: String) {
    var b = Array(s.utf8)
    _ = write(2, &b, b.count)
}

#if FUZZ
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@main
enum Fuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        _ = selectedTarget
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
    }
}
#else
@main
enum Replay {
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        guard let name = args.first, let target = FuzzTargets.named(name) else {
            say("usage: treso-fuzz TARGET FILE…  (targets: \(FuzzTargets.all.map(\.name).joined(separator: ", ")))\n")
            exit(64)
        }
        for path in args.dropFirst() {
            guard let f = fopen(path, "rb") else { say("treso-fuzz: cannot read \(path)\n"); exit(1) }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = fread(&chunk, 1, chunk.count, f)
                if n <= 0 { break }
                bytes += chunk[0..<n]
            }
            fclose(f)
            bytes.withUnsafeBufferPointer { target.run($0) }
        }
    }
}
#endif
