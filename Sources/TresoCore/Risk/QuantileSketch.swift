/// Quantiles of a stream of cents in bounded memory, exact when the stream holds few distinct values.
/// docs/calculations.md §15 ("Quantiles in bounded memory").
///
/// Up to `exactLimit` distinct values are kept exactly with their counts. Past that, every value is counted in a
/// histogram of at most `bucketCount` buckets of 2^shift cents each (bucket key = value >> shift, an arithmetic
/// shift, so negative balances bin like positive ones), where `shift` is the smallest that lets the range between
/// the lowest and the highest value seen fit in the buckets; the exact lowest and highest values are kept too.
///
/// The final state depends only on the multiset of values, not on their order nor on how the stream was split:
/// the distinct values only grow, so the stream is exact iff it has at most `exactLimit` distinct values; the shift
/// depends only on the lowest and highest values; and re-binning a bucket to a larger shift gives the bucket the
/// value would have had at that shift (`(v >> a) >> b == v >> (a + b)`). So the same seed gives the same report
/// whatever the number of threads.
///
/// Quantile q of N values is the value of nearest rank ⌈q·N/100⌉ (as with the values sorted). In histogram mode it
/// is reported as the middle of its bucket's range clipped to [lowest, highest]: off by at most half a bucket,
/// 2^(shift−1) cents, which is at most (highest − lowest) / (bucketCount − 2).
struct QuantileSketch: Sendable {
    static let exactLimit = 32
    static let bucketCount = 2_048

    private(set) var count: Int = 0
    private(set) var lowest: Int64 = .max
    private(set) var highest: Int64 = .min
    /// Exact mode: distinct values and their counts (unordered).
    private var values: [Int64] = []
    private var counts: [UInt32] = []
    /// Histogram mode (shift ≥ 0): counts of the keys base ..< base + bucketCount.
    private(set) var shift: Int = -1
    private var base: Int64 = 0
    private var histogram: [UInt32] = []

    var isExact: Bool { shift < 0 }

    /// The largest error of a reported quantile, in cents (0 in exact mode).
    var errorBound: Int64 {
        guard shift > 0, count > 0 else { return 0 }
        return min(Int64(1) << (shift - 1), Int64(clamping: Int128(highest) - Int128(lowest)))
    }

    @inline(__always) mutating func insert(_ v: Int64) {
        count += 1
        if v < lowest { lowest = v }
        if v > highest { highest = v }
        if shift >= 0 {
            let k = (v >> shift) &- base
            if k >= 0 && k < Int64(QuantileSketch.bucketCount) { histogram[Int(k)] &+= 1; return }
            rebin()
            histogram[Int((v >> shift) - base)] &+= 1
            return
        }
        for i in values.indices where values[i] == v { counts[i] &+= 1; return }
        if values.count < QuantileSketch.exactLimit { values.append(v); counts.append(1); return }
        // The exact values become buckets.
        rebin()
        for (x, c) in zip(values, counts) { histogram[Int((x >> shift) - base)] &+= c }
        values = []; counts = []
        histogram[Int((v >> shift) - base)] &+= 1
    }

    /// Counts every value of `vs`: the same state as inserting them one by one, with the histogram's storage
    /// reached once per run of in-range values rather than once per value.
    mutating func insert(_ vs: UnsafeBufferPointer<Int64>) {
        var i = 0
        while i < vs.count {
            guard shift >= 0 else { insert(vs[i]); i += 1; continue }
            let s = shift, b = base, width = Int64(QuantileSketch.bucketCount)
            var lo = lowest, hi = highest, stop = i
            histogram.withUnsafeMutableBufferPointer { h in
                var j = i
                while j < vs.count {
                    let v = vs[j]
                    let k = (v >> s) &- b
                    if k < 0 || k >= width { break }
                    h[Int(k)] &+= 1
                    if v < lo { lo = v }
                    if v > hi { hi = v }
                    j += 1
                }
                stop = j
            }
            count += stop - i; lowest = lo; highest = hi
            i = stop
            if i < vs.count { insert(vs[i]); i += 1 }
        }
    }

    /// The smallest shift (≥ the current one) at which [lowest, highest] fits in the buckets.
    private func neededShift() -> Int {
        var s = max(shift, 0)
        while s < 63 && Int128(highest >> s) - Int128(lowest >> s) >= Int128(QuantileSketch.bucketCount) { s += 1 }
        return s
    }

    /// Moves the histogram to the shift and base that hold [lowest, highest] (entering histogram mode if needed).
    private mutating func rebin() {
        let s = neededShift()
        let lo = lowest >> s, hi = highest >> s
        // Centred, so that the range can widen on both sides before the next re-binning; the reported quantiles
        // do not depend on the base.
        let room = Int128(QuantileSketch.bucketCount) - 1 - (Int128(hi) - Int128(lo))
        // Kept in [Int64.min, Int64.max − bucketCount + 1]: base + any bucket index is an Int64.
        let newBase = Int64(clamping: min(max(Int128(lo) - room / 2, Int128(Int64.min)),
                                          Int128(Int64.max) - Int128(QuantileSketch.bucketCount) + 1))
        var h = [UInt32](repeating: 0, count: QuantileSketch.bucketCount)
        if shift >= 0 {
            let d = s - shift
            for (j, c) in histogram.enumerated() where c != 0 {
                h[Int(((base + Int64(j)) >> d) - newBase)] &+= c
            }
        }
        shift = s; base = newBase; histogram = h
    }

    /// 0-based nearest rank of percentile `percent` among `n` values: ⌈percent·n/100⌉ − 1.
    static func rank(_ percent: Int, of n: Int) -> Int { max((percent * n + 99) / 100, 1) - 1 }

    /// The values of the given 0-based ranks (ascending ranks give ascending values); 0 for an empty sketch.
    func values(atRanks ranks: [Int]) -> [Int64] {
        guard count > 0 else { return ranks.map { _ in 0 } }
        var out: [Int64] = []
        out.reserveCapacity(ranks.count)
        if shift < 0 {
            let order = values.indices.sorted { values[$0] < values[$1] }
            for r in ranks {
                var seen = 0
                var v = values[order[order.count - 1]]
                for i in order {
                    seen += Int(counts[i])
                    if seen > r { v = values[i]; break }
                }
                out.append(v)
            }
            return out
        }
        for r in ranks {
            var seen = 0
            var key = base + Int64(QuantileSketch.bucketCount - 1)
            for (j, c) in histogram.enumerated() where c != 0 {
                seen += Int(c)
                if seen > r { key = base + Int64(j); break }
            }
            let from = max(Int128(key) << shift, Int128(lowest))
            let to = min(((Int128(key) + 1) << shift) - 1, Int128(highest))
            out.append(Int64(clamping: (from + to) >> 1))
        }
        return out
    }

    /// The 5th, 50th and 95th percentiles.
    func three() -> (Int64, Int64, Int64) {
        let v = values(atRanks: [QuantileSketch.rank(5, of: count), QuantileSketch.rank(50, of: count), QuantileSketch.rank(95, of: count)])
        return (v[0], v[1], v[2])
    }
}
