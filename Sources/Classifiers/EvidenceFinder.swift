import TextPipeline

/// Finds the words behind a label: every feature occurrence that has a span
/// adds its weight for that label; the strongest occurrences are grouped
/// into non-overlapping spans (overlapping ones merge) and the
/// top few returned.
struct EvidenceFinder {
    var maxSpans = 3
    /// Spans weaker than this fraction of the strongest are dropped.
    var minimumShare = 0.2

    /// `contribution(row)` is the feature's weight for the label (relative to
    /// the other labels of a softmax head).
    func spans(occurrences: FeatureOccurrences, rows: [Int32], excluding masked: [TextSpan],
               contribution: (Int32) -> Double) -> [EvidenceSpan] {
        var candidates: [(start: Int, end: Int, weight: Double)] = []
        candidates.reserveCapacity(occurrences.count / 2)
        for index in 0..<occurrences.count {
            let row = rows[index]
            let start = Int(occurrences.starts[index])
            guard row >= 0, start >= 0 else { continue }
            let weight = contribution(row)
            guard weight > 0 else { continue }
            let end = Int(occurrences.ends[index])
            if masked.contains(where: { $0.start < end && start < $0.end }) { continue }
            candidates.append((start, end, weight))
        }
        guard let strongestCandidate = candidates.lazy.map(\.weight).max() else { return [] }
        // Weak features only blur the spans: keep those that matter (before
        // sorting, so only they are sorted).
        let floor = strongestCandidate * minimumShare / 2
        candidates.removeAll { $0.weight < floor }
        candidates.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.start < $1.start }

        var groups: [(start: Int, end: Int, weight: Double)] = []
        for candidate in candidates {
            let touching = groups.indices.filter { candidate.start < groups[$0].end && groups[$0].start < candidate.end }
            if touching.isEmpty {
                if groups.count < maxSpans * 3 { groups.append(candidate) }
                continue
            }
            var merged = candidate
            for index in touching {
                merged.start = min(merged.start, groups[index].start)
                merged.end = max(merged.end, groups[index].end)
                merged.weight += groups[index].weight
            }
            for index in touching.reversed() { groups.remove(at: index) }
            groups.append(merged)
        }
        groups.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.start < $1.start }
        let strongest = groups[0].weight
        return groups.prefix(maxSpans)
            .filter { $0.weight >= strongest * minimumShare }
            .map { EvidenceSpan(span: TextSpan(start: $0.start, end: $0.end), weight: $0.weight) }
    }
}
