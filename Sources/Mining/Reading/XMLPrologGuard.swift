/// Watches the bytes of an XML document before libxml2 sees them and stops at
/// the first markup declaration (`<!DOCTYPE …`) in the prolog, so that no DTD,
/// entity declaration or external reference is ever parsed (XXE, billion laughs).
///
/// The prolog may only hold an XML declaration, comments, processing
/// instructions and whitespace before the root element, so the guard reads
/// just those and stands down at the root's `<`. It reads UTF-8 and the other
/// ASCII-compatible encodings byte by byte, and UTF-16 (told by its byte order
/// mark or by `<?` in two bytes, as libxml2 tells it) by code unit. Anything
/// else before the root is refused rather than guessed at: libxml2 would
/// reject it as not well-formed anyway, except EBCDIC, which archives do not use.
struct XMLPrologGuard {
    enum Verdict: Equatable {
        /// Still in the prolog: hand the bytes on and keep watching.
        case watching
        /// The root element has started; no DOCTYPE can follow.
        case rootReached
        /// A `<!` that opens no comment (a DOCTYPE) starts on this line.
        case declaration(line: Int)
        /// Something that is not markup or whitespace stands on this line.
        case unexpectedContent(line: Int)
    }

    private enum Width { case undetected, byte, utf16LittleEndian, utf16BigEndian }
    private enum State {
        case between, lessThan, instruction, instructionQuestion
        case bang, bangDash, comment, commentDash, commentDashDash
    }

    private(set) var verdict = Verdict.watching
    private var width = Width.undetected
    private var state = State.between
    private var line = 1
    private var markupLine = 1
    /// The first bytes (to tell the encoding), or half a UTF-16 code unit.
    private var pending: [UInt8] = []
    private var skipsByteOrderMark = true

    /// Reads the next bytes of the document.
    /// - Returns: the verdict so far; once it is not `.watching` it stays.
    mutating func scan(_ bytes: UnsafeRawBufferPointer) -> Verdict {
        for byte in bytes {
            guard verdict == .watching else { break }
            switch width {
            case .undetected:
                pending.append(byte)
                if pending.count == 4 { detectWidth() }
            case .byte:
                feed(UInt16(byte))
            case .utf16LittleEndian, .utf16BigEndian:
                pending.append(byte)
                if pending.count == 2 {
                    let unit = width == .utf16LittleEndian
                        ? UInt16(pending[0]) | UInt16(pending[1]) << 8
                        : UInt16(pending[0]) << 8 | UInt16(pending[1])
                    pending.removeAll(keepingCapacity: true)
                    feed(unit)
                }
            }
        }
        return verdict
    }

    /// The same test as libxml2's `xmlDetectCharEncoding` for the encodings it
    /// reads without a declaration; everything else is read byte by byte.
    private mutating func detectWidth() {
        let first = pending
        pending.removeAll(keepingCapacity: true)
        switch (first.count >= 2 ? first[0] : 0, first.count >= 2 ? first[1] : 0) {
        case (0xFF, 0xFE): width = .utf16LittleEndian
        case (0xFE, 0xFF): width = .utf16BigEndian
        case (0x3C, 0x00) where first.count == 4 && first[2] == 0x3F && first[3] == 0x00:
            width = .utf16LittleEndian
        case (0x00, 0x3C) where first.count == 4 && first[2] == 0x00 && first[3] == 0x3F:
            width = .utf16BigEndian
        default: width = .byte
        }
        var rest = first[...]
        if width == .byte, rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }
        rest.withUnsafeBytes { _ = scan($0) }
    }

    private mutating func feed(_ unit: UInt16) {
        if skipsByteOrderMark {
            skipsByteOrderMark = false
            if unit == 0xFEFF { return }
        }
        if unit == 0x0A { line += 1 }
        switch state {
        case .between:
            switch unit {
            case 0x20, 0x09, 0x0A, 0x0D: break
            case 0x3C: markupLine = line; state = .lessThan
            default: verdict = .unexpectedContent(line: line)
            }
        case .lessThan:
            switch unit {
            case 0x3F: state = .instruction  // <?
            case 0x21: state = .bang  // <!
            default: verdict = .rootReached
            }
        case .instruction: if unit == 0x3F { state = .instructionQuestion }
        case .instructionQuestion:
            if unit == 0x3E { state = .between } else if unit != 0x3F { state = .instruction }
        case .bang: if unit == 0x2D { state = .bangDash } else { verdict = .declaration(line: markupLine) }
        case .bangDash: if unit == 0x2D { state = .comment } else { verdict = .declaration(line: markupLine) }
        case .comment: if unit == 0x2D { state = .commentDash }
        case .commentDash: state = unit == 0x2D ? .commentDashDash : .comment
        case .commentDashDash:
            if unit == 0x3E { state = .between } else if unit != 0x2D { state = .comment }
        }
    }
}
