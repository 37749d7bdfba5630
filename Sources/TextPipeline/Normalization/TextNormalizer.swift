import CICU

/// Normalises customer text so that the many ways of writing the same thing
/// look the same to everything downstream, while every output unit keeps the
/// span of the original it came from.
///
/// In order, per character: NFKC (full-width ASCII → half-width, compatibility
/// forms → plain), simple Latin lower-casing, removal of zero-width, format and
/// control characters; then Traditional → Simplified on runs of Han characters
/// with ICU's transliterator (phrase rules included), the banking variant
/// folding of `VariantFolding`, whitespace runs collapsed to one space (none at
/// the ends), and runs of one repeated punctuation mark (`!!!!`, `？？？`,
/// `……`) collapsed to one.
///
/// Offsets: see `AlignedText` (UTF-16).
public struct TextNormalizer: Sendable {
    /// Versioned id of this stage's behaviour; bump it when output changes.
    public static let version = "icu-normalizer.v1"

    let table: CharacterTable
    let converter: TraditionalConverter

    public init() {
        table = CharacterTable.shared
        converter = TraditionalConverter.shared
    }

    /// The normalised, aligned form of `text`.
    public func normalize(_ text: String) -> AlignedText {
        var builder = Builder(capacity: text.utf16.count, table: table, converter: converter)
        var source: Int32 = 0
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x10000 {
                let end = source + 1
                builder.addBMP(UInt16(truncatingIfNeeded: value), from: source, to: end)
                source = end
            } else {
                let end = source + 2
                builder.addSupplementary(scalar, from: source, to: end)
                source = end
            }
        }
        return builder.finish(original: text)
    }

    /// The class of a normalised UTF-16 unit (surrogates count as `.other`;
    /// use `characterClass(of:)` on the scalar for those).
    public func characterClass(ofUnit unit: UInt16) -> CharacterClass {
        table.classes[Int(unit)]
    }

    /// The class of any scalar.
    public func characterClass(of scalar: Unicode.Scalar) -> CharacterClass {
        scalar.value < 0x10000 ? table.classes[Int(scalar.value)] : CharacterTable.classify(scalar.value)
    }
}

extension TextNormalizer {
    /// Accumulates output units and their source spans.
    struct Builder {
        var units: [UInt16] = []
        var starts: [Int32] = []
        var ends: [Int32] = []
        let table: CharacterTable
        let converter: TraditionalConverter

        /// Source span of whitespace seen since the last unit (emitted as one space later).
        var pendingSpaceStart: Int32 = -1
        var pendingSpaceEnd: Int32 = -1
        /// Output index where the current Han run began, or -1.
        var hanRunStart = -1
        var hanRunHasTraditional = false
        /// Output index where the last emitted scalar's units begin (for combining marks).
        var lastScalarStart = -1
        var sawVariantCandidate = false
        var scratch = [UInt16](repeating: 0, count: 32)

        init(capacity: Int, table: CharacterTable, converter: TraditionalConverter) {
            units.reserveCapacity(capacity)
            starts.reserveCapacity(capacity)
            ends.reserveCapacity(capacity)
            self.table = table
            self.converter = converter
        }

        mutating func addBMP(_ unit: UInt16, from start: Int32, to end: Int32) {
            let flag = table.flags[Int(unit)]
            switch flag & CharacterTable.rewriteMask {
            case CharacterTable.Rewrite.identity.rawValue:
                emit(unit, class: table.classes[Int(unit)], traditional: flag & CharacterTable.traditionalFlag != 0,
                     from: start, to: end)
            case CharacterTable.Rewrite.single.rawValue:
                let mapped = table.replacements[Int(unit)]
                emit(mapped, class: table.classes[Int(mapped)], traditional: flag & CharacterTable.traditionalFlag != 0,
                     from: start, to: end)
            case CharacterTable.Rewrite.multiple.rawValue:
                emitSequence(table.expansions[unit] ?? [unit], from: start, to: end)
            case CharacterTable.Rewrite.remove.rawValue:
                return
            default:
                combine([unit], from: start, to: end)
            }
        }

        mutating func addSupplementary(_ scalar: Unicode.Scalar, from start: Int32, to end: Int32) {
            let cls = CharacterTable.classify(scalar.value)
            if cls == .removed { return }
            if cls == .letter || cls == .other, !hasBoundaryBefore(scalar.value) {
                combine(Array(scalar.utf16), from: start, to: end)
                return
            }
            let mapped = CharacterTable.normalizeAlone(Array(scalar.utf16), buffer: &scratch)
            emitSequence(mapped, from: start, to: end)
        }

        private func hasBoundaryBefore(_ value: UInt32) -> Bool {
            xs_icu_nfkc_has_boundary_before(value) != 0
        }

        /// Emits the units of one source scalar (an expansion or a surrogate pair).
        private mutating func emitSequence(_ sequence: [UInt16], from start: Int32, to end: Int32) {
            let first = units.count
            var index = 0
            var scalarStarted = false
            while index < sequence.count {
                let unit = sequence[index]
                if UTF16.isLeadSurrogate(unit), index + 1 < sequence.count {
                    flushSpace()
                    endHanRun()
                    append(unit, from: start, to: end)
                    append(sequence[index + 1], from: start, to: end)
                    index += 2
                    scalarStarted = true
                    continue
                }
                let cls = table.classes[Int(unit)]
                emit(unit, class: cls, traditional: table.flags[Int(unit)] & CharacterTable.traditionalFlag != 0,
                     from: start, to: end, continuing: scalarStarted)
                scalarStarted = true
                index += 1
            }
            if units.count > first { lastScalarStart = first }
        }

        /// Emits one unit of class `cls`, applying whitespace and punctuation collapsing.
        private mutating func emit(_ unit: UInt16, class cls: CharacterClass, traditional: Bool,
                                   from start: Int32, to end: Int32, continuing: Bool = false) {
            if cls == .whitespace {
                if pendingSpaceStart < 0 { pendingSpaceStart = start }
                pendingSpaceEnd = end
                if !continuing { lastScalarStart = -1 }
                return
            }
            if cls == .removed { return }
            flushSpace()
            if (cls == .punctuation || cls == .symbol), let last = units.last, last == unit, pendingSpaceStart < 0 {
                // A run of one repeated mark collapses into the first.
                ends[ends.count - 1] = end
                if !continuing { lastScalarStart = -1 }
                return
            }
            if cls == .han {
                if hanRunStart < 0 { hanRunStart = units.count; hanRunHasTraditional = false }
                if traditional { hanRunHasTraditional = true }
                if unit == VariantFolding.candidate { sawVariantCandidate = true }
            } else {
                endHanRun()
            }
            if !continuing { lastScalarStart = units.count }
            append(unit, from: start, to: end)
        }

        /// NFKC in context: re-normalises the previous scalar's output together with `sequence`.
        private mutating func combine(_ sequence: [UInt16], from start: Int32, to end: Int32) {
            guard lastScalarStart >= 0, lastScalarStart < units.count, pendingSpaceStart < 0 else {
                let mapped = CharacterTable.normalizeAlone(sequence, buffer: &scratch)
                emitSequence(mapped, from: start, to: end)
                return
            }
            let groupStart = lastScalarStart
            let sourceStart = starts[groupStart]
            let combined = CharacterTable.normalizeAlone(Array(units[groupStart...]) + sequence, buffer: &scratch)
            if hanRunStart >= groupStart { hanRunStart = -1 }
            units.removeSubrange(groupStart...)
            starts.removeSubrange(groupStart...)
            ends.removeSubrange(groupStart...)
            for unit in combined { append(unit, from: sourceStart, to: end) }
            lastScalarStart = groupStart
        }

        private mutating func append(_ unit: UInt16, from start: Int32, to end: Int32) {
            units.append(unit)
            starts.append(start)
            ends.append(end)
        }

        private mutating func flushSpace() {
            guard pendingSpaceStart >= 0 else { return }
            if !units.isEmpty {
                endHanRun()
                append(0x20, from: pendingSpaceStart, to: pendingSpaceEnd)
            }
            pendingSpaceStart = -1
            pendingSpaceEnd = -1
        }

        /// Closes the current Han run, converting it if it held Traditional characters.
        private mutating func endHanRun() {
            defer { hanRunStart = -1; hanRunHasTraditional = false }
            guard hanRunStart >= 0, hanRunHasTraditional else { return }
            let run = units[hanRunStart...]
            let converted = converter.convert(run)
            if converted.count == run.count {
                units.replaceSubrange(hanRunStart..., with: converted)
            } else {
                let sourceStart = starts[hanRunStart]
                let sourceEnd = ends[ends.count - 1]
                units.replaceSubrange(hanRunStart..., with: converted)
                starts.replaceSubrange(hanRunStart..., with: repeatElement(sourceStart, count: converted.count))
                ends.replaceSubrange(hanRunStart..., with: repeatElement(sourceEnd, count: converted.count))
                lastScalarStart = -1
            }
            if converted.contains(VariantFolding.candidate) { sawVariantCandidate = true }
        }

        mutating func finish(original: String) -> AlignedText {
            endHanRun()
            pendingSpaceStart = -1
            if sawVariantCandidate { VariantFolding.apply(to: &units) }
            return AlignedText(original: original, units: units, sourceStarts: starts, sourceEnds: ends)
        }
    }
}
