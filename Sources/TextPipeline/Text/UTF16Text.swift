/// Fast conversion of UTF-16 code units to `String`.
///
/// `String(decoding:as: UTF16.self)` takes a generic slow path that cost more
/// than segmentation itself on the benchmark (issue 3); transcoding straight
/// into the string's UTF-8 storage avoids it.
enum UTF16Text {
    static func string(_ units: ArraySlice<UInt16>) -> String {
        if units.isEmpty { return "" }
        return units.withUnsafeBufferPointer { string($0) }
    }

    static func string(_ units: UnsafeBufferPointer<UInt16>) -> String {
        String(unsafeUninitializedCapacity: units.count * 3) { output in
            var written = 0
            var index = 0
            let count = units.count
            while index < count {
                let unit = UInt32(units[index])
                var scalar = unit
                if unit >= 0xD800 && unit <= 0xDBFF, index + 1 < count,
                   units[index + 1] >= 0xDC00 && units[index + 1] <= 0xDFFF {
                    scalar = 0x10000 + ((unit - 0xD800) << 10) + (UInt32(units[index + 1]) - 0xDC00)
                    index += 1
                } else if unit >= 0xD800 && unit <= 0xDFFF {
                    scalar = 0xFFFD // unpaired surrogate
                }
                index += 1
                if scalar < 0x80 {
                    output[written] = UInt8(scalar); written += 1
                } else if scalar < 0x800 {
                    output[written] = UInt8(0xC0 | (scalar >> 6))
                    output[written + 1] = UInt8(0x80 | (scalar & 0x3F)); written += 2
                } else if scalar < 0x10000 {
                    output[written] = UInt8(0xE0 | (scalar >> 12))
                    output[written + 1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
                    output[written + 2] = UInt8(0x80 | (scalar & 0x3F)); written += 3
                } else {
                    output[written] = UInt8(0xF0 | (scalar >> 18))
                    output[written + 1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
                    output[written + 2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
                    output[written + 3] = UInt8(0x80 | (scalar & 0x3F)); written += 4
                }
            }
            return written
        }
    }
}
