/// Segmentation of the text between fixed tokens, by character class.
extension LexiconSegmenter {
    func segmentFree(_ units: UnsafeBufferPointer<UInt16>, from start: Int, to end: Int,
                     text: AlignedText, into tokens: inout [Token]) {
        var index = start
        while index < end {
            let unit = units[index]
            if UTF16.isLeadSurrogate(unit), index + 1 < end, UTF16.isTrailSurrogate(units[index + 1]) {
                let scalar = UTF16.decode(UTF16.EncodedScalar([unit, units[index + 1]]))
                let cls = CharacterTable.classify(scalar.value)
                append(.init(start: index, end: index + 2), kind: Self.tokenKind(for: cls), text: text, into: &tokens)
                index += 2
                continue
            }
            let cls = table.classes[Int(unit)]
            switch cls {
            case .han, .kana:
                var runEnd = index + 1
                while runEnd < end {
                    let next = table.classes[Int(units[runEnd])]
                    guard next == .han || next == .kana else { break }
                    runEnd += 1
                }
                segmentHan(units, from: index, to: runEnd, text: text, into: &tokens)
                index = runEnd
            case .letter, .digit:
                var runEnd = index + 1
                var sawLetter = cls == .letter
                while runEnd < end {
                    let next = table.classes[Int(units[runEnd])]
                    if next == .letter || next == .digit {
                        if next == .letter { sawLetter = true }
                        runEnd += 1
                    } else if (units[runEnd] == 0x2E || units[runEnd] == 0x2C), runEnd + 1 < end,
                              table.classes[Int(units[runEnd - 1])] == .digit,
                              table.classes[Int(units[runEnd + 1])] == .digit {
                        runEnd += 2 // 3.14, 1,000
                    } else {
                        break
                    }
                }
                append(.init(start: index, end: runEnd), kind: sawLetter ? .alphanumeric : .number, text: text, into: &tokens)
                index = runEnd
            case .whitespace, .removed:
                index += 1
            default:
                append(.init(start: index, end: index + 1), kind: Self.tokenKind(for: cls), text: text, into: &tokens)
                index += 1
            }
        }
    }

    static func tokenKind(for cls: CharacterClass) -> TokenKind {
        switch cls {
        case .punctuation: .punctuation
        case .symbol: .symbol
        case .emoji: .emoji
        case .han, .kana: .character
        case .letter: .alphanumeric
        case .digit: .number
        default: .other
        }
    }

    @inline(__always)
    func append(_ span: TextSpan, kind: TokenKind, text: AlignedText, into tokens: inout [Token]) {
        tokens.append(Token(text: text.text(of: span), span: span, sourceSpan: text.sourceSpan(of: span), kind: kind))
    }

    /// Minimum-cost segmentation of a Han/kana run over the dictionary lattice.
    func segmentHan(_ units: UnsafeBufferPointer<UInt16>, from start: Int, to end: Int,
                    text: AlignedText, into tokens: inout [Token]) {
        let count = end - start
        if count == 1 {
            let known = dictionary.map { isWord(units, start: start, length: 1, in: $0) } ?? false
            append(.init(start: start, end: end), kind: known ? .word : .character, text: text, into: &tokens)
            return
        }
        guard let dictionary else {
            for index in start..<end { append(.init(start: index, end: index + 1), kind: .character, text: text, into: &tokens) }
            return
        }
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: (count + 1) * 4 + 2 * WordDictionary.maxWordLength) { scratch in
            let best = scratch.baseAddress!
            let previous = best + (count + 1)
            let path = previous + (count + 1)
            // knownSingle[i] != 0 when the character at i is a dictionary word on its own.
            let knownSingle = path + (count + 1)
            let lengths = knownSingle + (count + 1)
            let costs = lengths + WordDictionary.maxWordLength
            best[0] = 0
            for index in 1...count { best[index] = Int32.max }
            for index in 0..<count {
                let here = best[index]
                let found = dictionary.prefixes(of: units.baseAddress! + start + index,
                                                maxLength: min(WordDictionary.maxWordLength, count - index),
                                                lengths: lengths, costs: costs, capacity: WordDictionary.maxWordLength)
                knownSingle[index] = found > 0 && lengths[0] == 1 ? 1 : 0
                if found == 0 || lengths[0] != 1 {
                    let cost = here + WordDictionary.unknownCharacterCost
                    if cost < best[index + 1] { best[index + 1] = cost; previous[index + 1] = Int32(index) }
                }
                for match in 0..<found {
                    let target = index + Int(lengths[match])
                    let cost = here + costs[match]
                    if cost < best[target] { best[target] = cost; previous[target] = Int32(index) }
                }
            }
            // Walk back from the end, then emit left to right.
            var steps = 0
            var position = count
            path[0] = Int32(count)
            while position > 0 {
                position = Int(previous[position])
                steps += 1
                path[steps] = Int32(position)
            }
            for offset in stride(from: steps, to: 0, by: -1) {
                let from = start + Int(path[offset])
                let to = start + Int(path[offset - 1])
                let kind: TokenKind = to - from > 1 || knownSingle[from - start] != 0 ? .word : .character
                append(.init(start: from, end: to), kind: kind, text: text, into: &tokens)
            }
        }
    }

    @inline(__always)
    func isWord(_ units: UnsafeBufferPointer<UInt16>, start: Int, length: Int, in dictionary: WordDictionary) -> Bool {
        var lengths: (Int32, Int32) = (0, 0)
        var costs: (Int32, Int32) = (0, 0)
        return withUnsafeMutablePointer(to: &lengths) { lengthPointer in
            withUnsafeMutablePointer(to: &costs) { costPointer in
                let found = dictionary.prefixes(of: units.baseAddress! + start, maxLength: length,
                                                lengths: UnsafeMutableRawPointer(lengthPointer).assumingMemoryBound(to: Int32.self),
                                                costs: UnsafeMutableRawPointer(costPointer).assumingMemoryBound(to: Int32.self),
                                                capacity: 2)
                return found > 0 && lengthPointer.pointee.0 == Int32(length)
            }
        }
    }
}
