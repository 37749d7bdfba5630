import CICU

/// The character set of an archive's bytes.
public enum ArchiveEncoding: String, Sendable, Codable, CaseIterable {
    case utf8 = "utf-8"
    /// GBK and its superset GB18030 (read as GB18030).
    case gbk

    /// Decodes one record's bytes.
    func decode(_ bytes: [UInt8]) -> Result<String, ArchiveRowError> {
        switch self {
        case .utf8:
            if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
            return .failure(.invalidUTF8(byteOffset: Self.firstInvalidUTF8(bytes)))
        case .gbk:
            return .success(TextDecoding.gb18030ToString(bytes))
        }
    }

    /// Offset of the first byte where UTF-8 decoding fails.
    public static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while case .scalarValue(let scalar) = decoder.decode(&iterator) { offset += UTF8.width(scalar) }
        return offset
    }
}

enum TextDecoding {
    static func gb18030ToString(_ bytes: [UInt8]) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        var capacity = bytes.count * 2 + 16
        while true {
            var output = [UInt8](repeating: 0, count: capacity)
            var status: Int32 = 0
            let length = bytes.withUnsafeBufferPointer { source in
                output.withUnsafeMutableBufferPointer { destination in
                    source.withMemoryRebound(to: CChar.self) { source in
                        destination.withMemoryRebound(to: CChar.self) { destination in
                            xs_icu_convert_to_utf8("GB18030", source.baseAddress, Int32(source.count),
                                                   destination.baseAddress, Int32(destination.count), &status)
                        }
                    }
                }
            }
            if status == 15 /* U_BUFFER_OVERFLOW_ERROR */ { capacity = Int(length) + 16; continue }
            return String(decoding: output.prefix(Int(max(0, length))), as: UTF8.self)
        }
    }

    /// True when `bytes` (the start of a file) are not UTF-8 but every
    /// non-ASCII byte pairs up as GBK: the file was exported in GBK.
    static func looksGBK(_ bytes: ArraySlice<UInt8>) -> Bool {
        var sample = Array(bytes)
        // A multi-byte sequence cut by the sample's end is not an error.
        var cut = 0
        while cut < 3, let last = sample.last, last >= 0x80 { sample.removeLast(); cut += 1 }
        if String(validating: sample, as: UTF8.self) != nil { return false }
        let all = Array(bytes)
        var index = 0
        var pairs = 0
        while index < all.count {
            let byte = all[index]
            if byte < 0x80 { index += 1; continue }
            guard (0x81...0xFE).contains(byte) else { return false }
            guard index + 1 < all.count else { break }
            let trail = all[index + 1]
            guard (0x40...0xFE).contains(trail), trail != 0x7F else { return false }
            pairs += 1
            index += 2
        }
        return pairs > 0
    }
}
