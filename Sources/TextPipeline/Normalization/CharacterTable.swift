import CICU

/// Precomputed per-character facts for the Basic Multilingual Plane, built
/// once from ICU: the character class, the normalised form of the character
/// on its own (NFKC, then simple lower-casing), whether Traditional →
/// Simplified conversion changes it, and whether NFKC may combine it with
/// the character before it.
///
/// Why a table: calling ICU per character (or per string) costs more than the
/// whole segmentation; a table lookup per character keeps normalisation far
/// below ICU's own word-break cost (issue 3's throughput target). Characters
/// outside the BMP (emoji, rare ideographs) take ICU's slow path.
final class CharacterTable: Sendable {
    /// How a BMP character is rewritten.
    enum Rewrite: UInt8 {
        case identity = 0
        case single = 1
        case multiple = 2
        case remove = 3
        /// NFKC may combine it with the preceding character: normalise in context.
        case combining = 4
    }

    static let rewriteMask: UInt8 = 0x07
    static let traditionalFlag: UInt8 = 0x08

    static let shared = CharacterTable()

    /// Class of each BMP code point as written.
    let classes: [CharacterClass]
    /// Rewrite kind (low bits) and the Traditional flag.
    let flags: [UInt8]
    /// The replacement unit for `.single` rewrites.
    let replacements: [UInt16]
    /// The replacement units for `.multiple` rewrites.
    let expansions: [UInt16: [UInt16]]

    private init() {
        var classes = [CharacterClass](repeating: .other, count: 0x10000)
        var flags = [UInt8](repeating: 0, count: 0x10000)
        var replacements = [UInt16](repeating: 0, count: 0x10000)
        var expansions: [UInt16: [UInt16]] = [:]
        var buffer = [UInt16](repeating: 0, count: 32)
        for code in 0..<0x10000 where !(0xD800...0xDFFF).contains(code) {
            let c = UInt32(code)
            classes[code] = CharacterTable.classify(c)
            if classes[code] == .removed {
                flags[code] = Rewrite.remove.rawValue
                continue
            }
            if xs_icu_nfkc_has_boundary_before(c) == 0 {
                flags[code] = Rewrite.combining.rawValue
                continue
            }
            let mapped = CharacterTable.normalizeAlone([UInt16(code)], buffer: &buffer)
            if mapped.count == 1 && mapped[0] == UInt16(code) {
                flags[code] = Rewrite.identity.rawValue
            } else if mapped.count == 1 && !(0xD800...0xDFFF).contains(Int(mapped[0])) {
                flags[code] = Rewrite.single.rawValue
                replacements[code] = mapped[0]
            } else if mapped.isEmpty {
                flags[code] = Rewrite.remove.rawValue
            } else {
                flags[code] = Rewrite.multiple.rawValue
                expansions[UInt16(code)] = mapped
            }
        }
        CharacterTable.markTraditional(classes: classes, flags: &flags, replacements: replacements)
        self.classes = classes
        self.flags = flags
        self.replacements = replacements
        self.expansions = expansions
    }

    /// NFKC then simple lower-casing of a short sequence, through ICU.
    static func normalizeAlone(_ units: [UInt16], buffer: inout [UInt16]) -> [UInt16] {
        var status: Int32 = 0
        var length = units.withUnsafeBufferPointer { source in
            buffer.withUnsafeMutableBufferPointer { dest in
                xs_icu_nfkc(source.baseAddress, Int32(source.count), dest.baseAddress, Int32(dest.count), &status)
            }
        }
        if status > 0 {
            buffer = [UInt16](repeating: 0, count: Int(length) + 16)
            status = 0
            length = units.withUnsafeBufferPointer { source in
                buffer.withUnsafeMutableBufferPointer { dest in
                    xs_icu_nfkc(source.baseAddress, Int32(source.count), dest.baseAddress, Int32(dest.count), &status)
                }
            }
            if status > 0 { return units }
        }
        var result: [UInt16] = []
        result.reserveCapacity(Int(length))
        for scalar in String(decoding: buffer[0..<Int(length)], as: UTF16.self).unicodeScalars {
            let lowered = xs_icu_to_lower(scalar.value)
            let value = Unicode.Scalar(lowered) ?? scalar
            result.append(contentsOf: value.utf16)
        }
        return result
    }

    /// The class of any code point (BMP or not), from ICU properties.
    static func classify(_ c: UInt32) -> CharacterClass {
        switch c {
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0xFEFF, 0x180E, 0x00AD:
            return .removed
        case 0x30FC: // katakana-hiragana prolonged sound mark (Common script)
            return .kana
        default:
            break
        }
        if xs_icu_is_white_space(c) != 0 { return .whitespace }
        let category = xs_icu_char_type(c)
        switch category {
        case 15, 16: return .removed // control, format
        case 9: return .digit
        default: break
        }
        let script = xs_icu_script(c)
        if script == xs_icu_script_han() && (category == 5 || category == 4 || category == 10) { return .han }
        if script == xs_icu_script_hiragana() || script == xs_icu_script_katakana() { return .kana }
        if c >= 0x2000 && xs_icu_is_emoji(c) != 0 { return .emoji }
        switch category {
        case 1, 2, 3, 4, 5, 6, 7, 8, 10: return .letter
        case 19, 20, 21, 22, 23, 28, 29: return .punctuation
        case 24, 25, 26, 27: return .symbol
        case 11: return .letter // other numbers (①, ²) normalise to digits anyway
        default: return .other
        }
    }

    /// Flags the Han characters whose normalised form ICU's
    /// Traditional-Simplified transliterator changes and that are not
    /// Simplified characters themselves (not in GB2312): ICU maps 著 to 着 and
    /// 俱 to 具, which would turn 著名 and 俱乐部 into wrong words, so those
    /// characters never start a conversion. One transliteration call over all
    /// candidates, each on its own line so no phrase rule fires.
    private static func markTraditional(classes: [CharacterClass], flags: inout [UInt8], replacements: [UInt16]) {
        var status: Int32 = 0
        guard let converter = xs_icu_transliterator_open(TraditionalConverter.transliteratorID, &status) else { return }
        defer { xs_icu_transliterator_close(converter) }
        var codes: [Int] = []
        var text: [UInt16] = []
        for code in 0..<0x10000 where classes[code] == .han {
            let rewrite = flags[code] & rewriteMask
            let unit: UInt16
            if rewrite == Rewrite.identity.rawValue { unit = UInt16(code) }
            else if rewrite == Rewrite.single.rawValue { unit = replacements[code] }
            else { continue }
            codes.append(code)
            text.append(unit)
            text.append(0x0A)
        }
        let original = text
        var capacity = text.count * 2 + 64
        text.append(contentsOf: [UInt16](repeating: 0, count: capacity - text.count))
        var length = text.withUnsafeMutableBufferPointer { buffer in
            xs_icu_transliterate(converter, buffer.baseAddress, Int32(original.count), Int32(capacity), &status)
        }
        if status > 0 {
            capacity = Int(length) + 64
            text = original + [UInt16](repeating: 0, count: capacity - original.count)
            status = 0
            length = text.withUnsafeMutableBufferPointer { buffer in
                xs_icu_transliterate(converter, buffer.baseAddress, Int32(original.count), Int32(capacity), &status)
            }
            if status > 0 { return }
        }
        let lines = text[0..<Int(length)].split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.count >= codes.count else { return }
        for (index, code) in codes.enumerated() {
            let before = original[index * 2]
            let after = lines[index]
            if (after.count != 1 || after.first != before) && xs_icu_in_gb2312(UInt32(before)) == 0 {
                flags[code] |= traditionalFlag
            }
        }
    }
}
