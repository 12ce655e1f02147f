import CZlib

/// zlib's inflate over a byte range (PDF FlateDecode). Output is bounded: a hostile "zip bomb"
/// stream stops at `limit` bytes with an error instead of filling memory.
enum Inflate {
    enum Failure: Error, Equatable { case corrupt, tooLarge }

    static func inflate(_ input: ArraySlice<UInt8>, limit: Int = 32 << 20) -> Result<[UInt8], Failure> {
        var stream = z_stream()
        guard treso_inflate_init(&stream) == Z_OK else { return .failure(.corrupt) }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        return input.withUnsafeBufferPointer { inBuf -> Result<[UInt8], Failure> in
            guard let base = inBuf.baseAddress else { return .failure(.corrupt) }
            stream.next_in = UnsafeMutablePointer(mutating: base)
            stream.avail_in = uInt(inBuf.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let s = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (s, out.count - Int(stream.avail_out))
                }
                output.append(contentsOf: chunk[0..<produced])
                if output.count > limit { return .failure(.tooLarge) }
                switch status {
                case Z_STREAM_END: return .success(output)
                case Z_OK: if stream.avail_in == 0 && produced == 0 { return .success(output) } // truncated but usable
                case Z_BUF_ERROR: return output.isEmpty ? .failure(.corrupt) : .success(output)
                default: return output.isEmpty ? .failure(.corrupt) : .success(output)
                }
            }
        }
    }
}
