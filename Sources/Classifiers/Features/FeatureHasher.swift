/// 64-bit FNV-1a hashing of feature names without building strings.
///
/// A feature is a namespace byte followed by UTF-16 units (a character n-gram,
/// a token) or UTF-8 bytes (a tag). Hashing instead of interning strings keeps
/// extraction allocation-free; the model's vocabulary maps the hashes seen in
/// training to weight rows, so collisions only matter inside that vocabulary
/// (64 bits: none expected among a few hundred thousand keys).
struct FeatureHasher {
    private(set) var value: UInt64

    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    init(namespace: FeatureNamespace) {
        value = (Self.offsetBasis ^ UInt64(namespace.rawValue)) &* Self.prime
    }

    @inline(__always)
    mutating func combine(unit: UInt16) {
        value = (value ^ UInt64(unit & 0xff)) &* Self.prime
        value = (value ^ UInt64(unit >> 8)) &* Self.prime
    }

    @inline(__always)
    mutating func combine(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* Self.prime
    }

    mutating func combine(_ string: String) {
        for byte in string.utf8 { combine(byte: byte) }
        combine(byte: 0x1f)
    }
}

/// The families of features; the raw value seeds the hash, so keys of
/// different families never meet. Changing these changes every key: bump
/// `FeatureExtractor.version`.
enum FeatureNamespace: UInt8, CaseIterable {
    case charUnigram = 1
    case charBigram = 2
    case charTrigram = 3
    case token = 4
    case lexiconTag = 5
    case scopedToken = 6
    case scopedNeedCue = 7
    case plainNeedCue = 8
    case amount = 9
    case shape = 10
    case polarity = 11
    case tokenBigram = 12
}
