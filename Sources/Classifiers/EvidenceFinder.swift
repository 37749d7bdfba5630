import TextPipeline

/// Finds the words behind a label: every feature occurrence that has a span
/// adds its weight for that label; the strongest occurrences are grouped
/// into non-overlapping spans (overlapping ones merge) and the
/// top few returned.
///
/// Made once per text: the occurrences that can be evidence at all (a known
/// feature, a span of the text, no masked PII under it) are picked out once
/// and shared by every label's search.
struct EvidenceFinder {
    var maxSpans = 3
    /// Spans weaker than this fraction of the strongest are dropped.
    var minimumShare = 0.2

    private struct Candidate {
        var start: Int
        var end: Int
        var weight: Double
    }

    /// Row, start and end of each occurrence that may be evidence, in occurrence order.
    private let rows: [Int32]
    private let starts: [Int32]
    private let ends: [Int32]

    init(occurrences: FeatureOccurrences, rows: [Int32], excluding masked: [TextSpan]) {
        var keptRows: [Int32] = [], keptStarts: [Int32] = [], keptEnds: [Int32] = []
        keptRows.reserveCapacity(occurrences.count)
        keptStarts.reserveCapacity(occurrences.count)
        keptEnds.reserveCapacity(occurrences.count)
        for index in 0..<occurrences.count {
            let row = rows[index], start = occurrences.starts[index]
            guard row >= 0, start >= 0 else { continue }
            let end = occurrences.ends[index]
            if !masked.isEmpty, masked.contains(where: { $0.start < Int(end) && Int(start) < $0.end }) { continue }
            keptRows.append(row)
            keptStarts.append(start)
            keptEnds.append(end)
        }
        self.rows = keptRows
        self.starts = keptStarts
        self.ends = keptEnds
    }

    /// `contribution(row)` is the feature's weight for the label (relative to
    /// the other labels of a softmax head).
    func spans(contribution: (Int32) -> Double) -> [EvidenceSpan] {
        var candidates: [Candidate] = []
        candidates.reserveCapacity(rows.count / 2)
        var strongestCandidate = 0.0
        for index in rows.indices {
            let weight = contribution(rows[index])
            guard weight > 0 else { continue }
            strongestCandidate = max(strongestCandidate, weight)
            candidates.append(Candidate(start: Int(starts[index]), end: Int(ends[index]), weight: weight))
        }
        guard !candidates.isEmpty else { return [] }
        // Weak features only blur the spans: keep those that matter (before
        // sorting, so only they are sorted).
        let floor = strongestCandidate * minimumShare / 2
        candidates.removeAll { $0.weight < floor }
        candidates.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.start < $1.start }

        // Each candidate joins every group it overlaps (they merge into one,
        // which moves to the end) or opens a new group.
        var groups: [Candidate] = []
        groups.reserveCapacity(maxSpans * 3 + 1)
        for candidate in candidates {
            var merged = candidate, touched = false, write = 0
            for read in groups.indices {
                let group = groups[read]
                if candidate.start < group.end && group.start < candidate.end {
                    merged.start = min(merged.start, group.start)
                    merged.end = max(merged.end, group.end)
                    merged.weight += group.weight
                    touched = true
                } else {
                    groups[write] = group
                    write += 1
                }
            }
            if !touched {
                if groups.count < maxSpans * 3 { groups.append(candidate) }
                continue
            }
            groups.removeLast(groups.count - write)
            groups.append(merged)
        }
        groups.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.start < $1.start }
        let strongest = groups[0].weight
        return groups.prefix(maxSpans)
            .filter { $0.weight >= strongest * minimumShare }
            .map { EvidenceSpan(span: TextSpan(start: $0.start, end: $0.end), weight: $0.weight) }
    }
}
