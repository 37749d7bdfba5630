/// 64-bit FNV-1a: the one hash behind every fingerprint Xinsheng records
/// (taxonomy, lexicons, corpora, training settings, model versions) and the
/// stable train/dev split. Not for security; for "did this change".
public struct FNV1a: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    @inline(__always)
    public mutating func combine(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    public mutating func combine<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes { combine(byte: byte) }
    }

    /// The UTF-8 bytes of a string (no separator).
    public mutating func combine(_ string: String) {
        combine(bytes: string.utf8)
    }

    public var hex: String { String(value, radix: 16) }

    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hasher = FNV1a()
        hasher.combine(bytes: bytes)
        return hasher.value
    }
}
