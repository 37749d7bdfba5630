import TextPipeline

/// Finds pairs of texts that are near-copies of each other: the Jaccard
/// similarity of their sets of character trigrams (letters, digits and Han
/// characters only, lower-cased, with start and end markers) is at or above
/// a threshold. Texts are compared after the pipeline's normalisation
/// (Traditional to Simplified, full-width to half-width), so a Traditional
/// line that copies a Simplified one is caught.
///
/// Why trigrams and 0.6: in two 20-character lines, 0.6 means about three
/// quarters of all trigrams are shared — one changed word or a swapped
/// ending. Hand-written lines about the same situation stay far below it
/// (the corpus's closest honest pairs are around 0.45), while copies with a
/// word changed land above 0.7. Identical texts (after folding) are always
/// flagged, however short.
public struct NearDuplicateFinder: Sendable {
    public static let defaultThreshold = 0.6
    public var threshold: Double
    private let normalizer = TextNormalizer()

    public init(threshold: Double = NearDuplicateFinder.defaultThreshold) {
        self.threshold = threshold
    }

    public struct Pair: Sendable, Equatable {
        /// Indices into the texts given; `first < second`.
        public let first: Int
        public let second: Int
        public let similarity: Double
    }

    public func pairs(in texts: [String]) -> [Pair] {
        let grams = texts.map { Self.trigrams(normalizer.normalize($0).text) }
        var postings: [UInt64: [Int32]] = [:]
        var result: [Pair] = []
        var shared: [Int32: Int] = [:]
        for (index, set) in grams.enumerated() {
            shared.removeAll(keepingCapacity: true)
            for gram in set {
                if let list = postings[gram] {
                    for other in list { shared[other, default: 0] += 1 }
                }
                postings[gram, default: []].append(Int32(index))
            }
            for (other, common) in shared {
                let union = set.count + grams[Int(other)].count - common
                let similarity = Double(common) / Double(max(union, 1))
                if similarity >= threshold {
                    result.append(Pair(first: Int(other), second: index, similarity: similarity))
                }
            }
        }
        return result.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
    }

    static func trigrams(_ text: String) -> Set<UInt64> {
        var units: [UInt32] = [2]
        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            guard properties.isAlphabetic || properties.numericType != nil else { continue }
            units.append(properties.lowercaseMapping.unicodeScalars.first?.value ?? scalar.value)
        }
        units.append(3)
        var result = Set<UInt64>()
        if units.count < 3 { return result }
        for index in 0...(units.count - 3) {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for unit in units[index..<(index + 3)] {
                hash = (hash ^ UInt64(unit)) &* 0x0000_0100_0000_01b3
            }
            result.insert(hash)
        }
        return result
    }
}
